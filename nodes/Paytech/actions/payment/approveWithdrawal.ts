import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { OperationDescription } from '../../../common/operation';
import { normalizePaytechPayment } from '../../normalize';
import { changeState } from './changeState';
import { paymentIdProperty } from './fields';

export const description: OperationDescription = {
	name: 'Approve Withdrawal',
	action: 'Approve a withdrawal',
	description: 'Approve a withdrawal that awaits your approval',
	properties: [paymentIdProperty('ID of the withdrawal awaiting approval')],
	normalize: normalizePaytechPayment,
};

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	return await changeState.call(this, i, {
		path: '/approve',
		from: 'AWAITING_APPROVAL',
		method: 'POST',
	});
}
