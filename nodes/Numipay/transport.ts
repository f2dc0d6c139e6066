import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { type Endpoint, endpointPath } from '../common/endpoints';
import { apiRequest, type ProviderHttp } from '../common/request';
import { numipayEndpoints } from './environment';
import type { NumipayOperation } from './endpoints';
import { describeNumipayError } from './errors';

export const NUMIPAY: ProviderHttp = {
	credentialType: 'numipayApi',
	providerName: 'Numipay',
	describeError: describeNumipayError,
	// Amount fields of the list and the webhook
	moneyFields: new Set(['amount', 'user_amount', 'fx_amount']),
};

export interface NumipaySettings {
	endpoints: Record<NumipayOperation, Endpoint>;
	/** Test: a DEV key, and `request.mode: "test"` in every body. */
	test: boolean;
	cashierUrlTemplate: string;
}

/** What the credential of item i says about where and how to call Numipay. */
export async function numipaySettings(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<NumipaySettings> {
	const credentials = await this.getCredentials('numipayApi', itemIndex);
	try {
		return {
			endpoints: numipayEndpoints(credentials),
			test: credentials.mode !== 'live',
			cashierUrlTemplate: String(credentials.cashierUrlTemplate ?? '').trim(),
		};
	} catch (error) {
		// numipayEndpoints throws only CredentialSettingError, whose message names the operation
		throw new NodeOperationError(this.getNode(), (error as Error).message, {
			itemIndex,
			description:
				'Fix it in the Numipay credential; leave a field out to use the assumed endpoint.',
		});
	}
}

export interface NumipayCall {
	itemIndex: number;
	/** Values of the endpoint's path parameters. */
	params?: Record<string, string>;
	qs?: IDataObject;
	/** The fields of `request`: the body is `{request: {mode?, ...fields}}`, as published. */
	request?: IDataObject;
	/** Whether sending it twice is harmless (see ApiCall.idempotent). */
	idempotent?: boolean;
}

/** One call of a Numipay operation, at the method and path the credential resolves it to. */
export async function numipayRequest(
	this: IExecuteFunctions,
	settings: NumipaySettings,
	operation: NumipayOperation,
	call: NumipayCall,
): Promise<unknown> {
	const endpoint = settings.endpoints[operation];
	const body =
		call.request === undefined
			? undefined
			: { request: { ...(settings.test && { mode: 'test' }), ...call.request } };
	const response = await apiRequest.call(this, NUMIPAY, {
		method: endpoint.method,
		url: endpointPath(endpoint, call.params),
		qs: call.qs,
		body,
		idempotent: call.idempotent,
		itemIndex: call.itemIndex,
	});
	return response.body;
}
