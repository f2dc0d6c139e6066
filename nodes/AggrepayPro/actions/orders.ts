import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { currencyProperty } from '../../common/currency';
import { toNodeError } from '../../common/errors';
import { JsonNumber } from '../../common/json';
import { compareDecimal, currencyInfo, parseAmount } from '../../common/money';
import type { OperationModule } from '../../common/operation';
import { sendOnce } from '../../common/reconcile';
import { DERIVED_REFERENCE_HINT, deriveReference } from '../../common/reference';
import { providerErrorCode } from '../../common/request';
import { normalizeAggrepayProPayment } from '../normalize';
import { type AggrepayProSettings, aggrepayProRequest, aggrepayProSettings } from '../transport';

// Payments and payouts are both "orders" at Aggrepay.pro: created with the merchant's orderId,
// looked up by it, reported by callback. What they share is written once here.

export type OrderKind = 'payment' | 'payout';

const OPERATIONS = {
	payment: { create: 'createPayment', status: 'getPaymentStatus' },
	payout: { create: 'createPayout', status: 'getPayoutStatus' },
} as const;

export function asObject(data: unknown): IDataObject {
	return data && typeof data === 'object' && !Array.isArray(data)
		? (data as IDataObject)
		: { result: data as IDataObject };
}

export function orderIdProperty(kind: OrderKind): INodeProperties {
	return {
		displayName: 'Order ID',
		name: 'orderId',
		type: 'string',
		default: '',
		placeholder: kind === 'payment' ? 'e.g. order-12345' : 'e.g. payout-12345',
		description: `Your own reference for this ${kind} (orderId: letters, digits, "-" and "_"), returned in the output and in callbacks. ${DERIVED_REFERENCE_HINT} A create whose answer is lost is looked up by it, never sent twice.`,
	};
}

export const amountProperties: INodeProperties[] = [
	{
		displayName: 'Amount',
		name: 'amount',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 10.50',
		description:
			"In the unit the credential's Amount Unit names: a decimal such as 10.50 for Major Units, a whole number such as 1050 for Minor Units. Checked against the currency and sent with exactly these digits, never rounded.",
	},
	currencyProperty({
		name: 'currency',
		required: true,
		default: 'EUR',
		description: 'ISO 4217 currency.',
	}),
];

export const callbackUriProperty: INodeProperties = {
	displayName: 'Callback URI',
	name: 'callbackUri',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. https://n8n.example.com/webhook/…/callback',
	description:
		'Where Aggrepay.pro reports every state change: the Production URL of an Aggrepay.pro Trigger (its node panel → Webhook URLs → Production URL)',
};

/** The amount of item i as a JSON number with the digits typed, in the credential's unit. */
export function readAmount(
	this: IExecuteFunctions,
	i: number,
	settings: AggrepayProSettings,
): { amount: JsonNumber; currency: string } {
	const fail = (message: string) =>
		new NodeOperationError(this.getNode(), message, { itemIndex: i });
	let info;
	try {
		info = currencyInfo(this.getNodeParameter('currency', i, ''));
	} catch (error) {
		throw fail((error as Error).message);
	}
	const raw = this.getNodeParameter('amount', i, '');
	if (settings.amountUnit === 'minor') {
		const text = String(raw).trim();
		if (!/^\d+$/.test(text) || /^0+$/.test(text))
			throw fail(
				`Amount must be a whole number of the smallest unit of ${info.code} above zero, because the credential's Amount Unit is Minor Units (e.g. 1050 for 10.50 EUR); got "${text}"`,
			);
		return { amount: new JsonNumber(text.replace(/^0+/, '')), currency: info.code };
	}
	try {
		return { amount: new JsonNumber(parseAmount(raw, info, 'Amount')), currency: info.code };
	} catch (error) {
		throw fail((error as Error).message);
	}
}

/** The orderId of item i: the one typed, else derived (and said so in the output). */
export function readOrderId(this: IExecuteFunctions, i: number) {
	const given = String(this.getNodeParameter('orderId', i, '') ?? '').trim();
	if (given && !/^[A-Za-z0-9_-]{1,64}$/.test(given))
		throw new NodeOperationError(
			this.getNode(),
			`Order ID must be 1 to 64 letters, digits, "-" or "_"; got "${given}"`,
			{ itemIndex: i },
		);
	const derived = given ? undefined : deriveReference(this, i);
	return { orderId: given || derived!.reference, derived };
}

/** The order with this orderId, or undefined when Aggrepay.pro has none (40401). */
async function findOrder(
	this: IExecuteFunctions,
	i: number,
	settings: AggrepayProSettings,
	kind: OrderKind,
	orderId: string,
): Promise<IDataObject | undefined> {
	try {
		return asObject(
			await aggrepayProRequest.call(this, settings, OPERATIONS[kind].status, {
				itemIndex: i,
				qs: { orderId },
			}),
		);
	} catch (error) {
		if (providerErrorCode(error) === '40401') return undefined;
		throw toNodeError(this.getNode(), error, i);
	}
}

/**
 * Creates a payment or payout once. An orderId Aggrepay.pro already has (40001 / 40901) is looked
 * up: with the same amount and currency it is this very order (sent before by this item, or by a
 * run for the same event) and is returned; otherwise the Order ID belongs to another order, which
 * is an error. After a lost answer the orderId is looked up the same way (sendOnce).
 */
export async function createOrder(
	this: IExecuteFunctions,
	i: number,
	kind: OrderKind,
	fields: (settings: AggrepayProSettings) => IDataObject,
): Promise<IDataObject> {
	const settings = await aggrepayProSettings.call(this, i);
	const { orderId, derived } = readOrderId.call(this, i);
	const { amount, currency } = readAmount.call(this, i, settings);
	const body: IDataObject = {
		orderId,
		merchantId: settings.merchantId,
		amount: amount as unknown as IDataObject,
		currency,
		...fields(settings),
	};
	const same = (found: IDataObject, how: string): IDataObject => {
		const foundAmount = String(found.amount ?? '');
		const matches =
			found.currency === currency &&
			/^\d+(\.\d+)?$/.test(foundAmount) &&
			compareDecimal(foundAmount, amount.text) === 0;
		if (!matches)
			throw new NodeApiError(
				this.getNode(),
				{ orderId },
				{
					message: `Order ID "${orderId}" is already used by another Aggrepay.pro ${kind}, of ${foundAmount} ${String(found.currency)}`,
					description: `This ${kind} is ${amount.text} ${currency}: nothing was created. Use a new Order ID (a derived one stays the same for the same event or execution, so set one).`,
					itemIndex: i,
				},
			);
		return { ...found, [how]: true };
	};
	const created = await sendOnce(this, {
		send: async () => {
			try {
				return asObject(
					await aggrepayProRequest.call(this, settings, OPERATIONS[kind].create, {
						itemIndex: i,
						body,
						idempotent: false,
					}),
				);
			} catch (error) {
				const code = providerErrorCode(error);
				if (code === '40001' || code === '40901') {
					const found = await findOrder.call(this, i, settings, kind, orderId);
					if (found) return same(found, 'alreadyExisted');
				}
				throw toNodeError(this.getNode(), error, i);
			}
		},
		lookup: async () => {
			const found = await findOrder.call(this, i, settings, kind, orderId);
			return found && same(found, 'foundAfterLostAnswer');
		},
		provider: 'Aggrepay.pro',
		what: kind,
		reference: orderId,
		referenceField: 'orderId',
		itemIndex: i,
	});
	return {
		orderId,
		...created,
		...(derived && { derivedReference: { ...derived } }),
	};
}

/** Get Status of a payment or payout, by the merchant's orderId or Aggrepay.pro's id. */
export function getStatusOperation(kind: OrderKind): OperationModule {
	return {
		description: {
			name: 'Get Status',
			action: `Get the status of a ${kind}`,
			description: `Get a ${kind} and its state by your Order ID or Aggrepay.pro's ID`,
			properties: [
				{
					displayName: 'By',
					name: 'by',
					type: 'options',
					options: [
						{ name: 'Order ID', value: 'orderId', description: 'Your own reference' },
						{
							name: 'Aggrepay.pro ID',
							value: 'id',
							description: `The ID Aggrepay.pro gave the ${kind}`,
						},
					],
					default: 'orderId',
				},
				{
					displayName: 'Value',
					name: 'value',
					type: 'string',
					required: true,
					default: '',
					placeholder: 'e.g. order-12345',
				},
			],
			normalize: normalizeAggrepayProPayment,
		},
		async execute(this: IExecuteFunctions, i: number) {
			const by = this.getNodeParameter('by', i, 'orderId') === 'id' ? 'id' : 'orderId';
			const value = String(this.getNodeParameter('value', i, '') ?? '').trim();
			if (!value)
				throw new NodeOperationError(
					this.getNode(),
					`Value is required: the ${by === 'id' ? 'Aggrepay.pro ID' : 'Order ID'} of the ${kind}`,
					{ itemIndex: i },
				);
			const settings = await aggrepayProSettings.call(this, i);
			return asObject(
				await aggrepayProRequest.call(this, settings, OPERATIONS[kind].status, {
					itemIndex: i,
					qs: { [by]: value },
				}),
			);
		},
	};
}
