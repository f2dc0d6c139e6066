import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { OperationDescription } from '../../../common/operation';
import { normalizePaytechPayment } from '../../normalize';
import { paytechRequest, resultObject } from '../../transport';
import { paymentIdProperty, readPaymentId } from './fields';

export const description: OperationDescription = {
	name: 'Get',
	action: 'Get a payment',
	description: 'Get a payment by ID',
	properties: [paymentIdProperty()],
	normalize: normalizePaytechPayment,
};

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	return resultObject(
		await paytechRequest.call(this, 'GET', `/payments/${readPaymentId.call(this, i)}`, {
			itemIndex: i,
		}),
	);
}
