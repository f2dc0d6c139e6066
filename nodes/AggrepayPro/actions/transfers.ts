import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { defineResource, type OperationModule } from '../../common/operation';
import { normalizeAggrepayProPayment } from '../normalize';
import {
	amountProperties,
	callbackUriProperty,
	createOrder,
	getStatusOperation,
	orderIdProperty,
} from './orders';

const text = (value: unknown) =>
	(typeof value === 'string' ? value.trim() : value) as IDataObject[string];

/** The non-empty values of a collection parameter, trimmed. */
function filled(values: IDataObject): IDataObject {
	const result: IDataObject = {};
	for (const [key, value] of Object.entries(values))
		if (value !== '' && value !== undefined && value !== null) result[key] = text(value);
	return result;
}

const createPayment: OperationModule = {
	description: {
		name: 'Create',
		action: 'Create a payment',
		description: 'Create a payment; without a payment method the customer chooses one on its page',
		properties: [
			orderIdProperty('payment'),
			...amountProperties,
			{
				displayName: 'Payment Method',
				name: 'paymentMethod',
				type: 'string',
				default: '',
				placeholder: 'e.g. card_rub',
				description:
					'The code of one of your payment methods (Payment Method → Get Many). Empty: the payment is created without one and its paymentUri lets the customer choose.',
			},
			callbackUriProperty,
			{
				displayName: 'Additional Fields',
				name: 'additionalFields',
				type: 'collection',
				placeholder: 'Add Field',
				default: {},
				options: [
					{
						displayName: 'Customer Email',
						name: 'email',
						type: 'string',
						placeholder: 'name@email.com',
						default: '',
					},
					{
						displayName: 'Customer IP Address',
						name: 'ip',
						type: 'string',
						default: '',
						placeholder: 'e.g. 152.13.130.125',
					},
					{ displayName: 'Customer Name', name: 'name', type: 'string', default: '' },
					{ displayName: 'Customer Phone', name: 'phone', type: 'string', default: '' },
					{
						displayName: 'Return URI',
						name: 'returnUri',
						type: 'string',
						default: '',
						description: 'Where the customer goes after paying',
					},
					{
						displayName: 'User ID',
						name: 'userId',
						type: 'string',
						default: '',
						description:
							"Your ID of the customer; Aggrepay.pro's anti-spam protection counts requests per user",
					},
				],
			},
		],
		movesMoney: { reference: 'orderId' },
		normalize: normalizeAggrepayProPayment,
	},
	async execute(this: IExecuteFunctions, i: number) {
		return await createOrder.call(this, i, 'payment', () => {
			const { returnUri, userId, ...customer } = filled(
				this.getNodeParameter('additionalFields', i, {}) as IDataObject,
			);
			const method = text(this.getNodeParameter('paymentMethod', i, ''));
			const fields: IDataObject = { callbackUri: readCallbackUri.call(this, i) };
			if (method) fields.paymentMethod = method;
			if (userId !== undefined) fields.userId = userId;
			if (Object.keys(customer).length) fields.customer = customer;
			if (returnUri !== undefined) fields.returnUri = returnUri;
			return fields;
		});
	},
};

function readCallbackUri(this: IExecuteFunctions, i: number): string {
	const uri = String(this.getNodeParameter('callbackUri', i, '') ?? '').trim();
	if (!/^https?:\/\/\S+$/i.test(uri))
		throw new NodeOperationError(
			this.getNode(),
			`Callback URI must be an http(s) URL, e.g. the Production URL of an Aggrepay.pro Trigger; got "${uri}"`,
			{ itemIndex: i },
		);
	return uri;
}

const recipientProperties: INodeProperties[] = [
	{
		displayName: 'Recipient Account',
		name: 'recipientAccount',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 4111111111111111',
		description:
			'The card number, phone or account the payout goes to, as the payment method expects it',
	},
	{
		displayName: 'Recipient Name',
		name: 'recipientName',
		type: 'string',
		required: true,
		default: '',
	},
	{
		displayName: 'Recipient Bank',
		name: 'recipientBank',
		type: 'string',
		default: '',
		placeholder: 'e.g. sber',
		description: 'A bank code from Payment Method → Get Banks, when the method needs one',
	},
];

const createPayout: OperationModule = {
	description: {
		name: 'Create',
		action: 'Create a payout',
		description: 'Pay out from your Aggrepay.pro balance',
		properties: [
			orderIdProperty('payout'),
			...amountProperties,
			{
				displayName: 'Payment Method',
				name: 'paymentMethod',
				type: 'string',
				required: true,
				default: '',
				placeholder: 'e.g. payout_card_eur',
				description: 'The code of one of your payout methods (Payment Method → Get Many)',
			},
			...recipientProperties,
			callbackUriProperty,
		],
		movesMoney: { reference: 'orderId' },
		normalize: normalizeAggrepayProPayment,
	},
	async execute(this: IExecuteFunctions, i: number) {
		return await createOrder.call(this, i, 'payout', () => {
			const read = (name: string) => String(this.getNodeParameter(name, i, '') ?? '').trim();
			const fail = (message: string) =>
				new NodeOperationError(this.getNode(), message, { itemIndex: i });
			const paymentMethod = read('paymentMethod');
			if (!paymentMethod) throw fail('Payment Method is required for a payout');
			const account = read('recipientAccount');
			const name = read('recipientName');
			if (!account || !name)
				throw fail('Recipient Account and Recipient Name are required for a payout');
			const bank = read('recipientBank');
			return {
				paymentMethod,
				recipient: { account, name, ...(bank && { bank }) },
				callbackUri: readCallbackUri.call(this, i),
			};
		});
	},
};

export const payment = defineResource({
	value: 'payment',
	name: 'Payment',
	operations: { create: createPayment, getStatus: getStatusOperation('payment') },
	default: 'create',
});

export const payout = defineResource({
	value: 'payout',
	name: 'Payout',
	operations: { create: createPayout, getStatus: getStatusOperation('payout') },
	default: 'create',
});
