import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { aggrepayFieldsHash } from '../nodes/Aggrepay/hash';
import { aggrepayBaseUrl, GATEWAY_PATH } from '../nodes/Aggrepay/environment';
import { USER_AGENT } from '../nodes/common/userAgent';

export class AggrepayApi implements ICredentialType {
	name = 'aggrePayApi';

	displayName = 'AggrePay API';

	icon: Icon = {
		light: 'file:../nodes/Aggrepay/aggrepay.svg',
		dark: 'file:../nodes/Aggrepay/aggrepay.dark.svg',
	};

	documentationUrl = 'https://github.com/payops/n8n-nodes-payops#aggrepay';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'AggrePay dashboard → Settings → API Keys',
		},
		{
			displayName: 'Salt',
			name: 'secretSalt',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'Shown next to the API key in the AggrePay dashboard. It signs every request and verifies every answer and callback; it is never sent.',
		},
		{
			displayName: 'Wallet Environment',
			name: 'walletEnvironment',
			type: 'options',
			options: [
				{ name: 'Test', value: 'test', description: 'testwallet.aggrepaypayments.com' },
				{ name: 'Live', value: 'live', description: 'aggwallet.aggrepaypayments.com: real money' },
				{
					name: 'Custom URL',
					value: 'custom',
					description: 'The local sandbox emulator, or another host',
				},
			],
			default: 'test',
		},
		{
			displayName: 'Wallet Base URL',
			name: 'walletBaseUrl',
			type: 'string',
			default: '',
			placeholder: 'http://127.0.0.1:8912',
			description: 'Scheme, host and port, without /api/v1',
			displayOptions: { show: { walletEnvironment: ['custom'] } },
		},
		{
			displayName: 'Gateway Mode',
			name: 'gatewayMode',
			type: 'options',
			options: [
				{ name: 'Test', value: 'TEST' },
				{ name: 'Live', value: 'LIVE' },
			],
			default: 'TEST',
			description: 'The payment gateway has one host; test or live is chosen per payment request',
		},
		{
			displayName: 'Gateway Base URL',
			name: 'gatewayBaseUrl',
			type: 'string',
			default: 'https://biz.aggrepaypayments.com',
			description: 'Scheme, host and port of the payment gateway, without /v2',
		},
	];

	// Every call is a form post carrying api_key and the salted SHA-512 of its fields; it is added
	// here so it also covers retries and the credential test.
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const path = String(requestOptions.url ?? '');
		const fields: IDataObject = {
			...((requestOptions.body ?? {}) as IDataObject),
			api_key: String(credentials.apiKey ?? '').trim(),
		};
		if (path === `${GATEWAY_PATH}getpaymentrequesturl`)
			fields.mode = String(credentials.gatewayMode ?? 'TEST');
		delete fields.hash;
		fields.hash = aggrepayFieldsHash(fields, String(credentials.secretSalt ?? ''));
		const form = new URLSearchParams();
		for (const [key, value] of Object.entries(fields))
			if (value !== undefined && value !== null) form.append(key, String(value));
		return {
			...requestOptions,
			baseURL: requestOptions.baseURL || aggrepayBaseUrl(credentials, path),
			method: 'POST',
			body: form.toString(),
			headers: {
				...requestOptions.headers,
				'Content-Type': 'application/x-www-form-urlencoded',
				'User-Agent': USER_AGENT,
			},
		};
	}

	// The only call without parameters: it proves the API key and the salt. AggrePay refuses them
	// inside an HTTP 200, so the rules read its error code (n8n allows one kind of rule per list)
	test: ICredentialTestRequest = {
		request: { url: '/api/v1/getsubmerchants', method: 'POST' },
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'error.code',
					value: 'HASH-MISMATCH',
					message:
						'AggrePay refused the salt (HASH-MISMATCH): the salt does not match the API key; copy both again from the AggrePay dashboard (Settings → API Keys)',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'error.code',
					value: 'UNAUTHORIZED',
					message:
						'AggrePay refused the API key (UNAUTHORIZED): check the key and that it belongs to the selected Wallet Environment (test and live keys differ)',
				},
			},
		],
	};
}
