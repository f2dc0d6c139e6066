import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { currencyProperty } from '../../../common/currency';
import { JsonNumber } from '../../../common/json';
import { currencyInfo, parseAmount } from '../../../common/money';
import type { OperationDescription } from '../../../common/operation';
import { normalizePaytechPayment } from '../../normalize';
import { changeState } from './changeState';
import { paymentIdProperty, PAYTECH_AMOUNT } from './fields';

export const description: OperationDescription = {
	name: 'Capture',
	action: 'Capture a pre authorized deposit',
	description: 'Capture a pre-authorized deposit, fully or partly',
	properties: [
		paymentIdProperty(),
		{
			displayName: 'Amount to Capture',
			name: 'captureAmount',
			type: 'string',
			default: '',
			placeholder: 'e.g. 10.50',
			description: 'Leave empty to capture the full authorized amount',
		},
		currencyProperty({
			name: 'captureCurrency',
			default: 'EUR',
			description: "Currency of the authorized deposit, to check the amount's decimals.",
			notListed: '(such as a crypto-currency symbol: BTC, USDT...)',
		}),
	],
	normalize: normalizePaytechPayment,
};

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const amountText = String(this.getNodeParameter('captureAmount', i, '') ?? '').trim();
	let body: IDataObject = {};
	if (amountText) {
		const currency = String(this.getNodeParameter('captureCurrency', i, '') ?? '');
		try {
			body = {
				amount: new JsonNumber(
					parseAmount(
						amountText,
						currencyInfo(currency, 'Currency'),
						'Amount to Capture',
						PAYTECH_AMOUNT,
					),
				) as unknown as IDataObject,
			};
		} catch (error) {
			throw new NodeOperationError(this.getNode(), (error as Error).message, { itemIndex: i });
		}
	}
	return await changeState.call(this, i, {
		path: '/capture',
		from: 'AUTHORIZED',
		method: 'POST',
		body,
	});
}
