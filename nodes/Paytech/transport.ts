import type { IDataObject, IHttpRequestMethods } from 'n8n-workflow';

import { apiRequest, type ApiCall, type ProviderHttp, type RequestContext } from '../common/request';
import { describePaytechError } from './errors';

export const PAYTECH: ProviderHttp = {
	credentialType: 'paytechApi',
	providerName: 'pay.tech',
	describeError: describePaytechError,
};

export interface PaytechEnvelope {
	timestamp?: string;
	status?: number;
	hasMore?: boolean;
	result?: unknown;
}

/** A call to /api/v1 of the credential's engine; returns the parsed envelope. */
export async function paytechRequest(
	this: RequestContext,
	method: IHttpRequestMethods,
	path: string,
	options: Omit<ApiCall, 'method' | 'url'> = {},
): Promise<PaytechEnvelope> {
	const response = await apiRequest.call(this, PAYTECH, { ...options, method, url: `/api/v1${path}` });
	return (response.body ?? {}) as PaytechEnvelope;
}

export function resultObject(envelope: PaytechEnvelope): IDataObject {
	const result = envelope.result;
	return result && typeof result === 'object' && !Array.isArray(result) ? (result as IDataObject) : {};
}

export function resultList(envelope: PaytechEnvelope): IDataObject[] {
	return Array.isArray(envelope.result) ? (envelope.result as IDataObject[]) : [];
}
