import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { OperationDescription } from '../../../common/operation';
import { normalizePaytechPayment } from '../../normalize';
import { changeState } from './changeState';
import { paymentIdProperty } from './fields';

export const description: OperationDescription = {
	name: 'Reject Withdrawal',
	action: 'Reject a withdrawal',
	description: 'Reject a withdrawal that awaits your approval',
	properties: [
		paymentIdProperty('ID of the withdrawal awaiting approval'),
		{
			displayName: 'Reason',
			name: 'rejectReason',
			type: 'string',
			default: '',
			placeholder: 'Suspicious activity',
			description: 'Why the withdrawal is rejected; pay.tech stores it as the external result code',
		},
	],
	normalize: normalizePaytechPayment,
};

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const reason = String(this.getNodeParameter('rejectReason', i, '') ?? '').trim();
	return await changeState.call(this, i, {
		path: '/reject',
		from: 'AWAITING_APPROVAL',
		method: 'POST',
		body: reason ? { rejectReason: reason } : {},
	});
}
