import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { OperationDescription } from '../../../common/operation';
import { normalizePaytechPayment } from '../../normalize';
import { createPayment } from './createPayment';
import {
	additionalFieldsProperty,
	amountProperties,
	partyProperties,
	recurringProperty,
	reuseExistingProperty,
} from './fields';

export const description: OperationDescription = {
	name: 'Create Deposit',
	action: 'Create a deposit',
	description: 'Take a payment from a customer',
	properties: [
		...amountProperties,
		{ ...reuseExistingProperty, default: false },
		...partyProperties,
		additionalFieldsProperty,
		recurringProperty,
	],
	movesMoney: { reference: 'referenceId' },
	normalize: normalizePaytechPayment,
};

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	return await createPayment.call(this, i, 'DEPOSIT');
}
