import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

export const PAYTECH_HOSTS: Record<string, string> = {
	sandbox: 'https://engine-sandbox.pay.tech',
	production: 'https://engine.pay.tech',
};

/** Where the credential's requests go; a custom URL loses any trailing slash. */
export function paytechBaseUrl(credentials: ICredentialDataDecryptedObject): string {
	const environment = String(credentials.environment ?? 'sandbox');
	if (environment !== 'custom') return PAYTECH_HOSTS[environment] ?? PAYTECH_HOSTS.sandbox;
	const url = String(credentials.baseUrl ?? '')
		.trim()
		.replace(/\/+$/, '');
	if (!/^https?:\/\/[^/\s]+/i.test(url)) {
		throw new Error(
			'pay.tech credential: Base URL must start with http:// or https:// when Environment is Custom URL',
		);
	}
	return url;
}
