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
import { AGGREPAY_PRO_ASSUMED_ENDPOINTS } from '../nodes/AggrepayPro/endpoints';
import {
	aggrepayProBaseUrl,
	aggrepayProEndpoints,
	CREDENTIAL_TEST_URL,
} from '../nodes/AggrepayPro/environment';
import { aggrepayProSignature } from '../nodes/AggrepayPro/signature';

const assumedList = Object.entries(AGGREPAY_PRO_ASSUMED_ENDPOINTS)
	.map(([operation, endpoint]) => `${operation}: ${formatEndpoint(endpoint)}`)
	.join('; ');

export class AggrepayProApi implements ICredentialType {
	name = 'aggrepayProApi';

	displayName = 'Aggrepay.pro API';

	icon: Icon = {
		light: 'file:../nodes/AggrepayPro/aggrepayPro.svg',
		dark: 'file:../nodes/AggrepayPro/aggrepayPro.dark.svg',
	};

	documentationUrl = 'https://github.com/payops/n8n-nodes-payops#aggrepaypro';

	properties: INodeProperties[] = [
		{
			displayName:
				'Aggrepay.pro (the P2P payment gateway) is not AggrePay India: for AggrePay wallets and its Indian gateway, use the AggrePay API credential.',
			name: 'notAggrepayIndia',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. https://api.aggrepay.example',
			description:
				'Aggrepay.pro does not publish the address of its API: ask your Aggrepay.pro manager for it. Scheme and host, plus a path prefix if they give one. The local sandbox is http://127.0.0.1:8914.',
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Sent as a Bearer token in the Authorization header',
		},
		{
			displayName: 'Secret Key',
			name: 'secretKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'Signs every request (HMAC-SHA256 of the exact body) and verifies every answer and callback. It is never sent.',
		},
		{
			displayName: 'Previous Secret Key',
			name: 'previousSecretKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'While you change the secret key, put the old one here so callbacks signed with either are accepted. Clear it once the change is done.',
		},
		{
			displayName: 'Merchant ID',
			name: 'merchantId',
			type: 'string',
			default: '',
			required: true,
			description: 'Your merchantId, sent with every payment and payout',
		},
		{
			displayName: 'Amount Unit',
			name: 'amountUnit',
			type: 'options',
			options: [
				{
					name: 'Major Units (10.50)',
					value: 'major',
					description: 'A decimal with the currency’s decimals, e.g. 10.50 EUR',
				},
				{
					name: 'Minor Units (1050)',
					value: 'minor',
					description: 'A whole number of the currency’s smallest unit, e.g. 1050 for 10.50 EUR',
				},
			],
			default: 'major',
			description:
				'Aggrepay.pro does not publish the unit of its amounts (its example sends 1000). Ask which one your account uses: amounts you type, and the amounts of its answers, are in this unit.',
		},
		{
			displayName: 'Endpoint Overrides',
			name: 'endpointOverrides',
			type: 'string',
			typeOptions: { rows: 4 },
			default: '',
			placeholder: 'e.g. {"createPayment": "POST /api/payment/create"}',
			description: `Aggrepay.pro does not publish its paths or methods, so the pack assumes them (${assumedList}). When Aggrepay.pro gives you others, put them here as a JSON object of operation → "METHOD /path"; only the operations you name change. Leave empty to use the assumed ones.`,
		},
	];

	// The body is serialized once (by the node, as text) and exactly those bytes are signed and
	// sent; a GET has no body and signs the empty string (an assumption, docs/providers/aggrepay-pro.md)
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		let { url, method } = requestOptions;
		if (url === CREDENTIAL_TEST_URL) {
			const endpoint = aggrepayProEndpoints(credentials).getPaymentMethods;
			url = endpoint.path;
			method = endpoint.method;
		}
		const { body } = requestOptions;
		const text =
			body === undefined || body === null || body === ''
				? ''
				: typeof body === 'string'
					? body
					: JSON.stringify(body);
		return {
			...requestOptions,
			url,
			method,
			body: text === '' ? undefined : text,
			baseURL: requestOptions.baseURL || aggrepayProBaseUrl(credentials),
			headers: {
				...requestOptions.headers,
				Authorization: `Bearer ${String(credentials.apiKey ?? '').trim()}`,
				'Content-Type': 'application/json',
				Signature: aggrepayProSignature(text, String(credentials.secretKey ?? '')),
				'User-Agent': USER_AGENT,
			},
		};
	}

	// The payment-method list: a signed read, so it proves both the key and the secret
	test: ICredentialTestRequest = {
		request: { url: CREDENTIAL_TEST_URL, method: 'GET' },
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'Aggrepay.pro refused the API key or the signature (401): check the API Key and the Secret Key, which must come from the same Aggrepay.pro account',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'Aggrepay.pro refused this address (403): ask Aggrepay.pro to add the IP address of your n8n server to the whitelist',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'Aggrepay.pro has no payment-method list at this address (404): check the Base URL, and the getPaymentMethods entry of Endpoint Overrides if Aggrepay.pro gave you its path',
				},
			},
		],
	};
}
