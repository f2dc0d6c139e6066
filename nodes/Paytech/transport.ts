import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	INodeProperties,
} from 'n8n-workflow';

import { apiRequest, type ApiCall, type ProviderHttp } from '../common/request';
import { describePaytechError, withDeclineHint } from './errors';

// Amount fields of pay.tech's objects (OpenAPI 1.0.341: Payment, PaymentResult, Balance, Customer)
export const PAYTECH_MONEY_FIELDS: ReadonlySet<string> = new Set([
	'amount',
	'customerAmount',
	'externalFeeAmount',
	'depositsAmount',
	'withdrawalsAmount',
]);

export const PAYTECH: ProviderHttp = {
	credentialType: 'paytechApi',
	providerName: 'pay.tech',
	describeError: describePaytechError,
	moneyFields: PAYTECH_MONEY_FIELDS,
};

// pay.tech lists only the last 24 hours when created.gte is missing; "no lower bound" is sent as this.
export const PAYTECH_EARLIEST = '2000-01-01T00:00:00';

export interface PaytechEnvelope {
	timestamp?: string;
	status?: number;
	hasMore?: boolean;
	result?: unknown;
}

export const requestOptionsField: INodeProperties = {
	displayName: 'Request Options',
	name: 'requestOptions',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Timeout (Seconds)',
			name: 'timeout',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 30,
			description:
				'How long to wait for pay.tech to answer. A create that times out is looked up by its reference and never sent again, because pay.tech may still be processing it.',
		},
	],
};

export function requestTimeoutMs(this: IExecuteFunctions, itemIndex: number): number {
	return Number(this.getNodeParameter('requestOptions.timeout', itemIndex, 30)) * 1000;
}

/** A call to /api/v1 of the credential's engine; returns the parsed envelope. */
export async function paytechRequest(
	this: IExecuteFunctions,
	method: IHttpRequestMethods,
	path: string,
	options: Omit<ApiCall, 'method' | 'url' | 'timeoutMs'> & { itemIndex: number },
): Promise<PaytechEnvelope> {
	const timeoutMs = requestTimeoutMs.call(this, options.itemIndex);
	const response = await apiRequest.call(this, PAYTECH, {
		...options,
		method,
		url: `/api/v1${path}`,
		timeoutMs,
	});
	return (response.body ?? {}) as PaytechEnvelope;
}

export function resultObject(envelope: PaytechEnvelope): IDataObject {
	const result = envelope.result;
	return result && typeof result === 'object' && !Array.isArray(result)
		? withDeclineHint(result as IDataObject)
		: {};
}

export function resultList(envelope: PaytechEnvelope): IDataObject[] {
	return Array.isArray(envelope.result)
		? (envelope.result as IDataObject[]).map(withDeclineHint)
		: [];
}
