import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { RawJson, parseJson } from './json';
import type { OperationModule } from './operation';
import { jsonObjectParameter } from './parameters';
import { apiRequest, type ApiResponse, type ProviderHttp } from './request';

const pathProperty: INodeProperties = {
	displayName: 'Path',
	name: 'path',
	type: 'string',
	required: true,
	default: '/',
	description:
		"Path below the credential's base URL. Only GET and DELETE calls are retried after network errors and 5xx answers.",
};

/** The Custom API Call of a provider: any path below the credential's base URL, authenticated. */
export function customApiCall(
	http: ProviderHttp,
	options: {
		defaultPath: string;
		placeholder: string;
		/** Said after the Path's description, e.g. what the base URL holds. */
		pathNote?: string;
		timeoutMs?(this: IExecuteFunctions, itemIndex: number): number;
		/** The provider's client-side rate limit for this call, waited for before every attempt. */
		pace?(
			this: IExecuteFunctions,
			itemIndex: number,
			method: IHttpRequestMethods,
			path: string,
		): Promise<() => Promise<void>>;
		/** Checks the answer as the provider's other calls are checked (e.g. its signature). */
		verify?(this: IExecuteFunctions, response: ApiResponse, itemIndex: number): Promise<void>;
	},
): OperationModule {
	return {
		description: {
			name: 'Custom API Call',
			action: 'Make a custom API call',
			description: `Call any ${http.providerName} endpoint with this credential`,
			properties: [
				{
					displayName: 'Method',
					name: 'method',
					type: 'options',
					options: ['DELETE', 'GET', 'PATCH', 'POST', 'PUT'].map((m) => ({ name: m, value: m })),
					default: 'GET',
				},
				{
					...pathProperty,
					default: options.defaultPath,
					placeholder: options.placeholder,
					description: `${pathProperty.description} ${options.pathNote ?? ''}`.trim(),
				},
				{ displayName: 'Query Parameters (JSON)', name: 'query', type: 'json', default: '{}' },
				{
					displayName: 'Body (JSON)',
					name: 'body',
					type: 'json',
					default: '',
					displayOptions: { show: { method: ['PATCH', 'POST', 'PUT'] } },
				},
			],
		},
		async execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
			const fail = (message: string) =>
				new NodeOperationError(this.getNode(), message, { itemIndex: i });
			const method = this.getNodeParameter('method', i) as IHttpRequestMethods;
			const path = String(this.getNodeParameter('path', i) ?? '').trim();
			if (!path.startsWith('/') || path.startsWith('//') || /\s/.test(path))
				throw fail(`Path must start with "/" and contain no spaces; got "${path}"`);
			const qs = jsonObjectParameter(
				this.getNodeParameter('query', i, '{}'),
				'Query Parameters',
				fail,
			);
			const rawBody = ['PATCH', 'POST', 'PUT'].includes(method)
				? this.getNodeParameter('body', i, '')
				: '';
			let body: RawJson | undefined;
			if (typeof rawBody === 'string' && rawBody.trim() !== '') {
				// sent as typed, so amounts keep their digits; parsed only to refuse invalid JSON first
				try {
					parseJson(rawBody);
				} catch {
					throw fail('Body must be valid JSON');
				}
				// trimmed as the HTTP client sends a JSON text, so a signature covers what is sent
				body = new RawJson(rawBody.trim());
			} else if (rawBody && typeof rawBody === 'object') {
				body = new RawJson(JSON.stringify(rawBody));
			}
			const response = await apiRequest.call(this, http, {
				method,
				url: path,
				qs,
				body,
				itemIndex: i,
				timeoutMs: options.timeoutMs?.call(this, i),
				pace: await options.pace?.call(this, i, method, path),
			});
			await options.verify?.call(this, response, i);
			const result = response.body;
			return result && typeof result === 'object' && !Array.isArray(result)
				? (result as IDataObject)
				: { result: result as IDataObject };
		},
	};
}
