import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { formatEndpoint } from '../nodes/common/endpoints';
import { USER_AGENT } from '../nodes/common/userAgent';
import { NUMIPAY_ASSUMED_ENDPOINTS } from '../nodes/Numipay/endpoints';
import {
	CREDENTIAL_TEST_URL,
	numipayBaseUrl,
	numipayEndpoints,
} from '../nodes/Numipay/environment';

const assumedList = Object.entries(NUMIPAY_ASSUMED_ENDPOINTS)
	.map(([operation, endpoint]) => `${operation}: ${formatEndpoint(endpoint)}`)
	.join('; ');

export class NumipayApi implements ICredentialType {
	name = 'numipayApi';

	displayName = 'Numipay API';

	icon: Icon = {
		light: 'file:../nodes/Numipay/numipay.svg',
		dark: 'file:../nodes/Numipay/numipay.dark.svg',
	};

	documentationUrl = 'https://github.com/payops/n8n-nodes-payops#numipay';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. https://api.numipay.example',
			description:
				'Numipay does not publish the address of its API: ask your Numipay account manager for it. Scheme and host, plus a path prefix if they give one. The local sandbox is http://127.0.0.1:8913.',
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'Merchant portal → Settings → Credentials. Sent as the X-Api-Key header. In Test mode it must be the DEV API key.',
		},
		{
			displayName: 'Mode',
			name: 'mode',
			type: 'options',
			options: [
				{
					name: 'Test',
					value: 'test',
					description: 'A DEV API key; every request says mode "test" and moves no real money',
				},
				{ name: 'Live', value: 'live', description: 'A live API key: real money' },
			],
			default: 'test',
			description:
				'Numipay has one address for test and live; the key and the mode in each request decide which',
		},
		{
			displayName: 'Signature Password',
			name: 'signaturePassword',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Back office → Credentials → signature password (not the API key). The Numipay Trigger needs it to verify webhooks and refuses every webhook while it is empty.',
		},
		{
			displayName: 'Previous Signature Password',
			name: 'previousSignaturePassword',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'While you change the signature password, put the old one here so webhooks signed with either are accepted. Clear it once the change is done.',
		},
		{
			displayName: 'Cashier URL Template',
			name: 'cashierUrlTemplate',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://cashier.example/?token={token}',
			description:
				'Numipay answers a cashier session with a token only. With the address of your cashier page here, {token} standing for the token, the node also outputs the URL to send the customer to.',
		},
		{
			displayName: 'Endpoint Overrides',
			name: 'endpointOverrides',
			type: 'string',
			typeOptions: { rows: 4 },
			default: '',
			placeholder: 'e.g. {"getTransaction": "GET /v2/transactions/{id}"}',
			description: `Numipay does not publish its paths or methods, so the pack assumes them (${assumedList}). When Numipay gives you others, put them here as a JSON object of operation → "METHOD /path"; only the operations you name change. Leave empty to use the assumed ones.`,
		},
	];

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		let { url, method } = requestOptions;
		// The credential test reads the transaction list wherever the operator's overrides put it;
		// a malformed override fails the test with the message that names the operation
		if (url === CREDENTIAL_TEST_URL) {
			const endpoint = numipayEndpoints(credentials).getTransactions;
			url = endpoint.path;
			method = endpoint.method;
		}
		return {
			...requestOptions,
			url,
			method,
			baseURL: requestOptions.baseURL || numipayBaseUrl(credentials),
			headers: {
				...requestOptions.headers,
				'X-Api-Key': String(credentials.apiKey ?? '').trim(),
				'User-Agent': USER_AGENT,
			},
		};
	}

	// Today's transaction list: a read that proves the key (no from/to means today)
	test: ICredentialTestRequest = {
		request: { url: CREDENTIAL_TEST_URL, method: 'GET' },
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'Numipay refused the API key (401): check the key and that it matches the Mode: Test needs the DEV API key, Live the live one',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'Numipay refused access with this API key (403): check that the key is active in the merchant portal (Settings → Credentials)',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'Numipay has no transaction list at this address (404): check the Base URL, and the getTransactions entry of Endpoint Overrides if Numipay gave you its path',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 405,
					message:
						'Numipay does not accept this method for the transaction list (405): set the method Numipay gave you in Endpoint Overrides, e.g. {"getTransactions": "POST /transactions"}',
				},
			},
		],
	};
}
