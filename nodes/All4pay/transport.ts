import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IWebhookFunctions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { triggerCredentials } from '../common/credentialCache';
import { type Endpoint, endpointPath } from '../common/endpoints';
import { pacerFor, type RateLimit } from '../common/pacer';
import { apiRequest, type ProviderHttp } from '../common/request';
import { ALL4PAY_RATE_LIMITS, type All4payOperation } from './endpoints';
import { all4payBaseUrl, all4payEndpoints } from './environment';
import { describeAll4payError } from './errors';

export const ALL4PAY: ProviderHttp = {
	credentialType: 'all4payApi',
	providerName: 'All4Pay',
	describeError: describeAll4payError,
	moneyFields: new Set(['amount', 'available', 'pending_withdrawals']),
};

export interface All4paySettings {
	baseUrl: string;
	endpoints: Record<All4payOperation, Endpoint>;
}

/** Where the credential says All4Pay is, and its endpoints after the operator's overrides. */
export async function all4paySettings(
	this: IExecuteFunctions | IWebhookFunctions,
	itemIndex?: number,
): Promise<All4paySettings> {
	// in a webhook, the keys the trigger has just read (every read there costs an isolate)
	const credentials =
		'getRequestObject' in this
			? (await triggerCredentials(this, 'all4payApi')).data
			: await this.getCredentials('all4payApi', itemIndex);
	try {
		return { baseUrl: all4payBaseUrl(credentials), endpoints: all4payEndpoints(credentials) };
	} catch (error) {
		// the message names the field or operation, never a secret
		throw new NodeOperationError(this.getNode(), (error as Error).message, {
			itemIndex,
			description: 'Fix it in the All4Pay credential.',
		});
	}
}

// The published limits as the pacer's named limits: one per paced endpoint, one for every call
const SECOND = 1000;
const PACER_LIMITS: Record<string, RateLimit> = {
	all: { count: ALL4PAY_RATE_LIMITS.overallPerHour, windowMs: 3600 * SECOND },
	...Object.fromEntries(
		ALL4PAY_RATE_LIMITS.paced.map((operation) => [
			operation,
			{ count: ALL4PAY_RATE_LIMITS.perEndpointPerSecond, windowMs: SECOND },
		]),
	),
};

/**
 * Waits for this n8n process's turn under All4Pay's limits for calls to `baseUrl` (All4Pay counts
 * per client IP; every workflow of this process calling one base URL shares the pacer).
 */
export function all4payPace(baseUrl: string, operation?: All4payOperation): () => Promise<void> {
	const pacer = pacerFor(`all4pay ${baseUrl}`, PACER_LIMITS);
	const names =
		operation && ALL4PAY_RATE_LIMITS.paced.includes(operation) ? [operation, 'all'] : ['all'];
	return async () => await pacer.acquire(names);
}

/** The operation whose endpoint a Custom API Call's method and path hit, if any. */
export function operationAt(
	settings: All4paySettings,
	method: IHttpRequestMethods,
	path: string,
): All4payOperation | undefined {
	const bare = (p: string) => p.split('?')[0].replace(/\/+$/, '');
	for (const [operation, endpoint] of Object.entries(settings.endpoints)) {
		const pattern = bare(endpoint.path)
			.split(/\{[^}]+\}/)
			.map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))
			.join('[^/]+');
		if (endpoint.method === method && new RegExp(`^${pattern}$`).test(bare(path)))
			return operation as All4payOperation;
	}
	return undefined;
}

export interface All4payCall {
	itemIndex?: number;
	params?: Record<string, string>;
	qs?: IDataObject;
	body?: unknown;
	idempotent?: boolean;
}

/** One call of an All4Pay operation: paced, at the method and path the credential resolves. */
export async function all4payRequest(
	this: IExecuteFunctions | IWebhookFunctions,
	settings: All4paySettings,
	operation: All4payOperation,
	call: All4payCall,
	http: ProviderHttp = ALL4PAY,
): Promise<unknown> {
	const endpoint = settings.endpoints[operation];
	const response = await apiRequest.call(this, http, {
		method: endpoint.method,
		url: endpointPath(endpoint, call.params),
		qs: call.qs,
		body: call.body,
		idempotent: call.idempotent,
		itemIndex: call.itemIndex,
		pace: all4payPace(settings.baseUrl, operation),
	});
	return response.body;
}
