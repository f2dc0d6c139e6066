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
import { ALL4PAY_ASSUMED_ENDPOINTS } from '../nodes/All4pay/endpoints';
import {
	all4payBaseUrl,
	all4payEndpoints,
	CREDENTIAL_TEST_URL,
} from '../nodes/All4pay/environment';

const assumedList = Object.entries(ALL4PAY_ASSUMED_ENDPOINTS)
	.map(([operation, endpoint]) => `${operation}: ${formatEndpoint(endpoint)}`)
	.join('; ');

const URL_HINT =
	'All4Pay does not publish its addresses: take it from your All4Pay account manager or the API page of the All4Pay dashboard. Scheme and host, plus a path prefix if they give one.';

export class All4payApi implements ICredentialType {
	name = 'all4payApi';

	displayName = 'All4Pay API';

	icon: Icon = {
		light: 'file:../nodes/All4pay/all4pay.svg',
		dark: 'file:../nodes/All4pay/all4pay.dark.svg',
	};

	documentationUrl = 'https://github.com/payops/n8n-nodes-payops#all4pay';

	properties: INodeProperties[] = [
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{ name: 'Production', value: 'production', description: 'Real money' },
				{ name: 'Sandbox', value: 'sandbox', description: "All4Pay's own sandbox" },
				{
					name: 'Custom URL',
					value: 'custom',
					description: 'The local sandbox emulator, or another host',
				},
			],
			default: 'production',
		},
		{
			displayName: 'Production URL',
			name: 'productionUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. https://api.all4pay.example',
			description: URL_HINT,
			displayOptions: { show: { environment: ['production'] } },
		},
		{
			displayName: 'Sandbox URL',
			name: 'sandboxUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. https://sandbox.all4pay.example',
			description: URL_HINT,
			displayOptions: { show: { environment: ['sandbox'] } },
		},
		{
			displayName: 'Base URL',
			name: 'customUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. http://127.0.0.1:8915',
			description: 'Scheme, host and port, e.g. the local sandbox at http://127.0.0.1:8915',
			displayOptions: { show: { environment: ['custom'] } },
		},
		{
			displayName: 'Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'All4Pay dashboard → API page → API Token. Sent as the Token header.',
		},
		{
			displayName: 'Callback Token',
			name: 'callbackToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				"A long random secret of your own. All4Pay does not sign its callbacks, so the All4Pay Trigger's URL carries this token and refuses callbacks without it.",
		},
		{
			displayName: 'Endpoint Overrides',
			name: 'endpointOverrides',
			type: 'string',
			typeOptions: { rows: 4 },
			default: '',
			placeholder: 'e.g. {"getWithdrawal": "GET /withdraw/{id}"}',
			description: `All4Pay publishes only two of its paths, so the pack assumes the others (${assumedList}). When All4Pay gives you others, put them here as a JSON object of operation → "METHOD /path"; only the operations you name change.`,
		},
	];

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		let { url, method } = requestOptions;
		if (url === CREDENTIAL_TEST_URL) {
			const endpoint = all4payEndpoints(credentials).getDeposits;
			url = endpoint.path;
			method = endpoint.method;
		}
		return {
			...requestOptions,
			url,
			method,
			baseURL: requestOptions.baseURL || all4payBaseUrl(credentials),
			headers: {
				...requestOptions.headers,
				Token: String(credentials.token ?? '').trim(),
				'User-Agent': USER_AGENT,
			},
		};
	}

	// The deposit list: a read that proves the token
	test: ICredentialTestRequest = {
		request: { url: CREDENTIAL_TEST_URL, method: 'GET' },
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'All4Pay refused the API key (401): check the Token (All4Pay dashboard → API page) and that it belongs to the selected Environment; All4Pay answers Bad Credentials for a wrong one',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'All4Pay has no deposit list at this address (404): check the URL of the selected Environment, and the getDeposits entry of Endpoint Overrides if All4Pay gave you its path',
				},
			},
		],
	};
}
