import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { OperationDescription } from '../../../common/operation';
import { normalizePaytechPayment } from '../../normalize';
import { createPayment } from './createPayment';
import {
	additionalFieldsProperty,
	amountProperties,
	refundParentProperty,
	reuseExistingProperty,
} from './fields';

export const description: OperationDescription = {
	name: 'Create Refund',
	action: 'Create a refund',
	description: 'Refund a completed deposit, fully or partly',
	properties: [
		refundParentProperty,
		...amountProperties,
		reuseExistingProperty,
		additionalFieldsProperty,
	],
	movesMoney: { reference: 'referenceId' },
	normalize: normalizePaytechPayment,
};

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	return await createPayment.call(this, i, 'REFUND');
}
