import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

// Wallet test and live are different hosts; the gateway is one host, with mode TEST/LIVE sent in
// the request. Paths below the hosts: /api/v1/<call> for the wallet, /v2/<call> for the gateway.
export const WALLET_HOSTS: Record<string, string> = {
	test: 'https://testwallet.aggrepaypayments.com',
	live: 'https://aggwallet.aggrepaypayments.com',
};
export const DEFAULT_GATEWAY_HOST = 'https://biz.aggrepaypayments.com';

export const WALLET_PATH = '/api/v1/';
export const GATEWAY_PATH = '/v2/';

function httpUrl(value: unknown, field: string): string {
	const url = String(value ?? '')
		.trim()
		.replace(/\/+$/, '');
	if (!/^https?:\/\/[^/\s]+/i.test(url))
		throw new Error(`AggrePay credential: ${field} must start with http:// or https://`);
	return url;
}

/** The host a request path goes to: the wallet's for /api/v1/..., the gateway's for /v2/... */
export function aggrepayBaseUrl(credentials: ICredentialDataDecryptedObject, path: string): string {
	if (path.startsWith(GATEWAY_PATH))
		return httpUrl(credentials.gatewayBaseUrl || DEFAULT_GATEWAY_HOST, 'Gateway Base URL');
	const environment = String(credentials.walletEnvironment ?? 'test');
	if (environment === 'custom') return httpUrl(credentials.walletBaseUrl, 'Wallet Base URL');
	return WALLET_HOSTS[environment] ?? WALLET_HOSTS.test;
}
