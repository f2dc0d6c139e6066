import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { toNodeError } from '../../../common/errors';
import { AmbiguousOutcomeError } from '../../../common/request';
import { paytechRequest, resultObject } from '../../transport';
import { readPaymentId } from './fields';

/**
 * A state change on one payment (approve, reject, capture, void, execute). If the answer is lost,
 * the payment is read back: when it has left `from`, the change happened and the payment is
 * returned; when it is still in `from`, the change did not happen and is sent once more.
 */
export async function changeState(
	this: IExecuteFunctions,
	i: number,
	change: { path: string; from: string; method: 'POST' | 'PATCH'; body?: IDataObject },
): Promise<IDataObject> {
	const id = readPaymentId.call(this, i);
	const { path, from, method, body } = change;
	for (let attempt = 1; ; attempt++) {
		try {
			return resultObject(
				await paytechRequest.call(this, method, `/payments/${id}${path}`, {
					body,
					idempotent: false,
					itemIndex: i,
				}),
			);
		} catch (error) {
			if (!(error instanceof AmbiguousOutcomeError) || attempt >= 3)
				throw toNodeError(this.getNode(), error, i);
		}
		await sleep(500 * attempt);
		const payment = resultObject(
			await paytechRequest.call(this, 'GET', `/payments/${id}`, { itemIndex: i }),
		);
		if (payment.state !== from) return payment;
	}
}
