import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { toNodeError } from '../../common/errors';
import { defineResource, type OperationModule } from '../../common/operation';
import { sendOnce } from '../../common/reconcile';
import { numipayRequest, numipaySettings } from '../transport';
import { asObject, createOutput, createSession } from './create';
import {
	additionalFieldsProperty,
	amountProperties,
	createRequest,
	customerProperty,
	trackingIdProperty,
	userIdProperty,
} from './fields';

const cashier: OperationModule = {
	description: {
		name: 'Create Cashier Session',
		action: 'Create a cashier session',
		description: "Open Numipay's hosted cashier for a customer's deposit",
		properties: [
			userIdProperty,
			...amountProperties,
			trackingIdProperty,
			customerProperty('cashier'),
			additionalFieldsProperty('cashier'),
		],
		movesMoney: { reference: 'trackingId' },
	},
	async execute(this: IExecuteFunctions, i: number) {
		return await createSession.call(this, i, 'createCashierSession', 'cashier session');
	},
};

const direct: OperationModule = {
	description: {
		name: 'Create Direct Deposit',
		action: 'Create a direct deposit',
		description: 'Send a customer straight to one payment provider',
		properties: [
			{
				displayName: 'Provider ID',
				name: 'providerId',
				type: 'string',
				required: true,
				default: '',
				placeholder: 'e.g. 210',
				description:
					'The payment provider (provider_id), from Settings → Providers in the merchant portal',
			},
			userIdProperty,
			...amountProperties,
			trackingIdProperty,
			customerProperty('direct'),
			additionalFieldsProperty('direct'),
		],
		movesMoney: { reference: 'trackingId' },
	},
	async execute(this: IExecuteFunctions, i: number) {
		const providerId = String(this.getNodeParameter('providerId', i, '') ?? '').trim();
		if (!providerId)
			throw new NodeOperationError(
				this.getNode(),
				'Provider ID is required: the provider_id from Settings → Providers in the Numipay merchant portal',
				{ itemIndex: i },
			);
		return await createSession.call(this, i, 'createDirectDeposit', 'direct deposit', {
			provider_id: providerId,
		});
	},
};

// Card data is sensitive: password fields, validated without ever repeating the value, sent once
// and never output. A value typed here is stored in the workflow; an expression keeps it out.
const CARD_HINT =
	'Never output or logged. Give it with an expression from the input item: a value typed here is stored in the workflow.';

const cardProperties: INodeProperties[] = [
	{
		displayName: 'Routing ID',
		name: 'routingId',
		type: 'string',
		required: true,
		default: '',
		description: 'The routing_id Numipay gave you for server-to-server card payments',
	},
	{
		displayName: 'Card Holder Name',
		name: 'cardHolderName',
		type: 'string',
		required: true,
		default: '',
	},
	{
		displayName: 'Card Number',
		name: 'cardNumber',
		type: 'string',
		typeOptions: { password: true },
		required: true,
		default: '',
		description: '12 to 19 digits; spaces and dashes are removed. ' + CARD_HINT,
	},
	{
		displayName: 'CVC',
		name: 'cardSecurityCode',
		type: 'string',
		typeOptions: { password: true },
		required: true,
		default: '',
		description: '3 or 4 digits. ' + CARD_HINT,
	},
	{
		displayName: 'Expiry Month',
		name: 'cardExpiryMonth',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 05',
		description: '01 to 12',
	},
	{
		displayName: 'Expiry Year',
		name: 'cardExpiryYear',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 2029',
		description: 'Four digits',
	},
];

function cardDetails(this: IExecuteFunctions, i: number): IDataObject {
	const fail = (message: string) =>
		new NodeOperationError(this.getNode(), message, { itemIndex: i });
	const read = (name: string) => String(this.getNodeParameter(name, i, '') ?? '').trim();
	const holder = read('cardHolderName');
	if (!holder) throw fail('Card Holder Name is required for a card deposit');
	const number = read('cardNumber').replace(/[\s-]/g, '');
	if (!/^\d{12,19}$/.test(number))
		throw fail(
			'Card Number must be 12 to 19 digits (spaces and dashes allowed); the value given is not',
		);
	const cvc = read('cardSecurityCode');
	if (!/^\d{3,4}$/.test(cvc)) throw fail('CVC must be 3 or 4 digits; the value given is not');
	const month = read('cardExpiryMonth');
	if (!/^(0?[1-9]|1[0-2])$/.test(month))
		throw fail(`Expiry Month must be 01 to 12; got "${month}"`);
	const year = read('cardExpiryYear');
	if (!/^\d{4}$/.test(year))
		throw fail(`Expiry Year must be four digits, e.g. 2029; got "${year}"`);
	return {
		holder_name: holder,
		card_number: number,
		cvc,
		exp_month: month.padStart(2, '0'),
		exp_year: year,
	};
}

const card: OperationModule = {
	description: {
		name: 'Create Card Deposit',
		action: 'Create a card deposit',
		description: 'Charge a card server to server (PCI DSS merchants only)',
		properties: [
			{
				displayName:
					'Only for PCI DSS certified merchants: the card number and CVC pass through n8n. An answer with a URL means the customer must complete 3-D Secure there.',
				name: 'pciNotice',
				type: 'notice',
				default: '',
			},
			userIdProperty,
			...amountProperties,
			trackingIdProperty,
			...cardProperties,
			customerProperty('card'),
			additionalFieldsProperty('card'),
		],
		movesMoney: { reference: 'trackingId' },
	},
	async execute(this: IExecuteFunctions, i: number) {
		const settings = await numipaySettings.call(this, i);
		const created = createRequest.call(this, i);
		const routingId = String(this.getNodeParameter('routingId', i, '') ?? '').trim();
		if (!routingId)
			throw new NodeOperationError(this.getNode(), 'Routing ID is required for a card deposit', {
				itemIndex: i,
			});
		const request = {
			...created.request,
			routing_id: routingId,
			card_details: cardDetails.call(this, i),
		};
		const answer = await sendOnce(this, {
			send: async () =>
				asObject(
					await numipayRequest.call(this, settings, 'createCardDeposit', {
						itemIndex: i,
						request,
						idempotent: false,
					}),
				),
			// Get Transaction's id is "your" id, so the pack looks the tracking_id up there (an
			// assumption, docs/providers/numipay.md); 404 means Numipay has no such transaction
			lookup: async () => {
				try {
					const found = asObject(
						await numipayRequest.call(this, settings, 'getTransaction', {
							itemIndex: i,
							params: { id: created.trackingId },
						}),
					);
					return { ...found, foundAfterLostAnswer: true };
				} catch (error) {
					if (error instanceof NodeApiError && error.httpCode === '404') return undefined;
					throw toNodeError(this.getNode(), error, i);
				}
			},
			provider: 'Numipay',
			what: 'card deposit',
			reference: created.trackingId,
			referenceField: 'tracking_id',
			itemIndex: i,
		});
		const url = typeof answer.url === 'string' ? answer.url : '';
		// a transaction found after a lost answer has no 3-D Secure URL: while it is pending,
		// whether the customer must pass 3-D Secure is unknown
		const unknown = answer.foundAfterLostAnswer === true && answer.transaction_status === 'pending';
		return createOutput(created, { ...answer, threeDSecureRequired: unknown ? null : url !== '' });
	},
};

export const deposit = defineResource({
	value: 'deposit',
	name: 'Deposit',
	operations: {
		createCashierSession: cashier,
		createDirectDeposit: direct,
		createCardDeposit: card,
	},
	default: 'createCashierSession',
});
