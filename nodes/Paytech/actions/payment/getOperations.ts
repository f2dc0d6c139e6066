import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { OperationDescription } from '../../../common/operation';
import { paytechRequest, resultList } from '../../transport';
import { paymentIdProperty, readPaymentId } from './fields';

export const description: OperationDescription = {
	name: 'Get Operations',
	action: 'Get the operations of a payment',
	description: 'The processing log of a payment',
	properties: [paymentIdProperty()],
};

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	return resultList(
		await paytechRequest.call(this, 'GET', `/payments/${readPaymentId.call(this, i)}/operations`, {
			itemIndex: i,
		}),
	);
}
