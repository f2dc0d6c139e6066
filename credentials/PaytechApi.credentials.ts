import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { USER_AGENT } from '../nodes/common/userAgent';
import { paytechBaseUrl } from '../nodes/Paytech/environment';

export class PaytechApi implements ICredentialType {
	name = 'paytechApi';

	displayName = 'pay.tech API';

	icon: Icon = {
		light: 'file:../nodes/Paytech/paytech.svg',
		dark: 'file:../nodes/Paytech/paytech.dark.svg',
	};

	documentationUrl = 'https://github.com/payops/n8n-nodes-payops#paytech';

	properties: INodeProperties[] = [
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{
					name: 'Sandbox',
					value: 'sandbox',
					description: 'https://engine-sandbox.pay.tech, test keys',
				},
				{
					name: 'Production',
					value: 'production',
					description: 'https://engine.pay.tech, live keys: real money',
				},
				{
					name: 'Custom URL',
					value: 'custom',
					description: 'A white-label engine or the local sandbox emulator',
				},
			],
			default: 'sandbox',
			description: 'Sandbox and production keys differ: use the key of the environment you pick',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'http://127.0.0.1:8911',
			description: 'Scheme, host and port of the engine, without /api/v1',
			displayOptions: { show: { environment: ['custom'] } },
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				"The shop's API key (pay.tech merchant portal: Shops → your shop → API Key). Sent as a Bearer token.",
		},
		{
			displayName: 'Signing Key',
			name: 'signingSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				"The shop's Signing Key (merchant portal: Shops → your shop → Signing Key). The pay.tech Trigger needs it to verify webhooks and refuses every webhook while it is empty.",
		},
		{
			displayName: 'Previous Signing Key',
			name: 'previousSigningSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'While you rotate the Signing Key, put the old one here so webhooks signed with either key are accepted. Clear it once the rotation is done.',
		},
	];

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return {
			...requestOptions,
			baseURL: requestOptions.baseURL || paytechBaseUrl(credentials),
			headers: {
				...requestOptions.headers,
				Authorization: `Bearer ${String(credentials.apiKey ?? '').trim()}`,
				'User-Agent': USER_AGENT,
			},
		};
	}

	// authenticate() sets the base URL for the chosen environment, so the test request names only the path
	// n8n shows only the HTTP status text ("Unauthorized") unless a rule names the status
	test: ICredentialTestRequest = {
		request: {
			url: '/api/v1/payments',
			qs: { limit: 1 },
			method: 'GET',
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'pay.tech refused the API key (401): check the key and that it belongs to the selected Environment (sandbox and production keys differ)',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'pay.tech refused access with this API key (403): check that the key is the API Key of your shop (merchant portal → Shops → your shop)',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'pay.tech has no API at this address (404): for Custom URL give scheme, host and port only, without /api/v1',
				},
			},
		],
	};
}
