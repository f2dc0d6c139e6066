import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { OperationDescription } from '../../../common/operation';
import { normalizePaytechPayment } from '../../normalize';
import { changeState } from './changeState';
import { paymentIdProperty } from './fields';

export const description: OperationDescription = {
	name: 'Void',
	action: 'Void a pre authorized deposit',
	description: 'Release a pre-authorized deposit without capturing it',
	properties: [paymentIdProperty()],
	normalize: normalizePaytechPayment,
};

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	return await changeState.call(this, i, { path: '/void', from: 'AUTHORIZED', method: 'POST' });
}
