import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { OperationDescription } from '../../../common/operation';
import { normalizePaytechPayment } from '../../normalize';
import { createPayment } from './createPayment';
import {
	additionalFieldsProperty,
	amountProperties,
	partyProperties,
	reuseExistingProperty,
} from './fields';

export const description: OperationDescription = {
	name: 'Create Withdrawal',
	action: 'Create a withdrawal',
	description: 'Pay out to a customer',
	properties: [
		...amountProperties,
		reuseExistingProperty,
		...partyProperties,
		additionalFieldsProperty,
	],
	movesMoney: { reference: 'referenceId' },
	normalize: normalizePaytechPayment,
};

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	return await createPayment.call(this, i, 'WITHDRAWAL');
}
