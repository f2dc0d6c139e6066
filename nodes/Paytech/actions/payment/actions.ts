import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import { JsonNumber } from '../../../common/json';
import { currencyInfo, parseAmount } from '../../../common/money';
import { toNodeError } from '../../../common/errors';
import { AmbiguousOutcomeError } from '../../../common/request';
import { paytechRequest, resultList, resultObject } from '../../transport';
import { PAYMENT_ID_PATTERN } from './fields';
import { PAYTECH_AMOUNT, jsonObjectParameter } from './create';

export function paymentId(this: IExecuteFunctions, i: number): string {
	const id = String(this.getNodeParameter('paymentId', i) ?? '').trim();
	if (!PAYMENT_ID_PATTERN.test(id)) {
		throw new NodeOperationError(this.getNode(), `Payment ID must be the 32 letters or digits pay.tech returned; got "${id}"`, { itemIndex: i });
	}
	return id;
}

export async function get(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	return resultObject(await paytechRequest.call(this, 'GET', `/payments/${paymentId.call(this, i)}`, { itemIndex: i }));
}

export async function getOperations(this: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	return resultList(await paytechRequest.call(this, 'GET', `/payments/${paymentId.call(this, i)}/operations`, { itemIndex: i }));
}

/**
 * A state change on one payment (approve, reject, capture, void, execute). If the answer is lost,
 * the payment is read back: when it has left `from`, the change happened and the payment is
 * returned; when it is still in `from`, the change did not happen and is sent once more.
 */
async function changeState(this: IExecuteFunctions, i: number, path: string, from: string, method: 'POST' | 'PATCH', body?: IDataObject): Promise<IDataObject> {
	const id = paymentId.call(this, i);
	for (let attempt = 1; ; attempt++) {
		try {
			return resultObject(await paytechRequest.call(this, method, `/payments/${id}${path}`, { body, idempotent: false, itemIndex: i }));
		} catch (error) {
			if (!(error instanceof AmbiguousOutcomeError) || attempt >= 3) throw toNodeError(this.getNode(), error, i);
		}
		await sleep(500 * attempt);
		const payment = resultObject(await paytechRequest.call(this, 'GET', `/payments/${id}`, { itemIndex: i }));
		if (payment.state !== from) return payment;
	}
}

export async function approveWithdrawal(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	return await changeState.call(this, i, '/approve', 'AWAITING_APPROVAL', 'POST');
}

export async function rejectWithdrawal(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const reason = String(this.getNodeParameter('rejectReason', i, '') ?? '').trim();
	return await changeState.call(this, i, '/reject', 'AWAITING_APPROVAL', 'POST', reason ? { rejectReason: reason } : {});
}

export async function capture(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const amountText = String(this.getNodeParameter('captureAmount', i, '') ?? '').trim();
	let body: IDataObject = {};
	if (amountText) {
		const currency = String(this.getNodeParameter('captureCurrency', i, '') ?? '');
		try {
			body = { amount: new JsonNumber(parseAmount(amountText, currencyInfo(currency, 'Currency'), 'Amount to Capture', PAYTECH_AMOUNT)) as unknown as IDataObject };
		} catch (error) {
			throw new NodeOperationError(this.getNode(), (error as Error).message, { itemIndex: i });
		}
	}
	return await changeState.call(this, i, '/capture', 'AUTHORIZED', 'POST', body);
}

export async function voidPayment(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	return await changeState.call(this, i, '/void', 'AUTHORIZED', 'POST');
}

export async function executeDeposit(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const customerIp = String(this.getNodeParameter('customerIp', i) ?? '').trim();
	if (!customerIp || customerIp.length > 39) {
		throw new NodeOperationError(this.getNode(), `Customer IP must be the customer's IPv4 or IPv6 address; got "${customerIp}"`, { itemIndex: i });
	}
	const browser = this.getNodeParameter('browser', i, '{}');
	const fail = (message: string) => new NodeOperationError(this.getNode(), message, { itemIndex: i });
	const body = { ...jsonObjectParameter(browser, 'Browser Details', fail), customerIp };
	return await changeState.call(this, i, '', 'CHECKOUT', 'PATCH', body);
}
