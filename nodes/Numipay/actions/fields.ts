import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { currencyProperty } from '../../common/currency';
import { JsonNumber } from '../../common/json';
import { currencyInfo, parseAmount } from '../../common/money';
import {
	type DerivedReference,
	DERIVED_REFERENCE_HINT,
	deriveReference,
} from '../../common/reference';

// The fields Numipay's create operations share (hosted cashier, direct integration, card
// deposit, withdrawal cashier), each described once. Which of them an operation takes follows the
// published request of that operation.

export type CreateKind = 'cashier' | 'direct' | 'card' | 'withdrawal';

export const userIdProperty: INodeProperties = {
	displayName: 'User ID',
	name: 'userId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. 1111222',
	description: 'Your ID of the customer (user_id)',
};

export const amountProperties: INodeProperties[] = [
	{
		displayName: 'Amount',
		name: 'amount',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 10.05',
		description:
			'Amount in major units as a decimal, e.g. 10.05 EUR or 1500 JPY. It must fit the currency (2 decimals for EUR, 0 for JPY, 3 for KWD) and is sent as a JSON number with exactly the digits you typed, never rounded.',
	},
	currencyProperty({
		name: 'currency',
		required: true,
		default: 'EUR',
		description: 'ISO 4217 currency of the transaction.',
	}),
];

export const trackingIdProperty: INodeProperties = {
	displayName: 'Tracking ID',
	name: 'trackingId',
	type: 'string',
	default: '',
	placeholder: 'e.g. order-12345',
	description: `Your own reference for this transaction (tracking_id, at most 255 characters), returned in the output and in Numipay's webhooks. ${DERIVED_REFERENCE_HINT} Numipay refuses a Tracking ID it has seen before.`,
};

const customerOptions = (kind: CreateKind): INodeProperties[] => [
	{ displayName: 'Address', name: 'address', type: 'string', default: '' },
	{ displayName: 'City', name: 'city', type: 'string', default: '' },
	{
		displayName: 'Country Code',
		name: 'country_code',
		type: 'string',
		default: '',
		placeholder: 'e.g. GB',
		description: 'Two-letter ISO 3166 code',
	},
	{
		displayName: 'Date of Birth',
		name: 'dob',
		type: 'string',
		default: '',
		placeholder: 'e.g. 31/12/1990',
		description: 'DD/MM/YYYY, as Numipay takes it',
	},
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		default: '',
	},
	{ displayName: 'First Name', name: 'first_name', type: 'string', default: '' },
	{
		displayName: 'KYC Passed',
		name: 'kyc_status',
		type: 'boolean',
		default: false,
		description: 'Whether the customer has passed KYC verification',
	},
	{ displayName: 'Last Name', name: 'last_name', type: 'string', default: '' },
	...(kind === 'withdrawal'
		? []
		: [
				{
					displayName: 'Max Deposit Limit',
					name: 'max_deposit_limit',
					type: 'string',
					default: '',
					placeholder: 'e.g. 500.00',
					description: 'The most this customer may deposit, in the currency of the transaction',
				} satisfies INodeProperties,
			]),
	{
		displayName: 'Phone Country',
		name: 'phone_country',
		type: 'string',
		default: '',
		placeholder: 'e.g. GB',
		description: 'Two-letter ISO 3166 code of the phone number (phone.country)',
	},
	{
		displayName: 'Phone Number',
		name: 'phone_number',
		type: 'string',
		default: '',
		placeholder: 'e.g. 7700900123',
		description: 'The number without the prefix (phone.number)',
	},
	{
		displayName: 'Phone Prefix',
		name: 'phone_prefix',
		type: 'string',
		default: '',
		placeholder: 'e.g. 44',
		description: 'The country calling code (phone.prefix)',
	},
	{ displayName: 'Zip Code', name: 'zip_code', type: 'string', default: '' },
];

export function customerProperty(kind: CreateKind): INodeProperties {
	return {
		displayName: 'Customer',
		name: 'customer',
		type: 'collection',
		placeholder: 'Add Customer Field',
		default: {},
		description: 'What Numipay may show on its page or use for its checks',
		options: customerOptions(kind),
	};
}

export function additionalFieldsProperty(kind: CreateKind): INodeProperties {
	const options: INodeProperties[] = [
		{
			displayName: 'Customer IP Address',
			name: 'ip',
			type: 'string',
			default: '',
			placeholder: 'e.g. 152.13.130.125',
		},
	];
	if (kind === 'cashier')
		options.push({
			displayName: 'Amount Restricted',
			name: 'amount_restricted',
			type: 'boolean',
			default: false,
			description: 'Whether the customer may not change the amount on the cashier page',
		});
	if (kind === 'cashier' || kind === 'withdrawal')
		options.push(
			{
				displayName: 'Settings (JSON)',
				name: 'settings',
				type: 'json',
				default: '{}',
				description: "The cashier's settings object, sent as given",
			},
			{
				displayName: 'Theme',
				name: 'theme',
				type: 'string',
				default: '',
				description: 'The cashier theme to show',
			},
		);
	return {
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: options.sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}

export interface CreateRequest {
	/** The fields of `request`, amount as a JSON number with the typed digits. */
	request: IDataObject;
	trackingId: string;
	/** Set when the Tracking ID was left empty. */
	derived?: DerivedReference;
}

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : value);

/**
 * The published request fields of a create operation from item i's parameters: required ones
 * checked, the amount validated against the currency and sent with its digits, the Tracking ID
 * derived when empty.
 */
export function createRequest(this: IExecuteFunctions, i: number): CreateRequest {
	const fail = (message: string) =>
		new NodeOperationError(this.getNode(), message, { itemIndex: i });
	const userId = String(this.getNodeParameter('userId', i, '') ?? '').trim();
	if (!userId) throw fail('User ID is required: your ID of the customer');
	let currency: string;
	let amount: string;
	try {
		const info = currencyInfo(this.getNodeParameter('currency', i, ''));
		currency = info.code;
		amount = parseAmount(this.getNodeParameter('amount', i, ''), info, 'Amount');
	} catch (error) {
		throw fail((error as Error).message);
	}
	const given = String(this.getNodeParameter('trackingId', i, '') ?? '').trim();
	if (given.length > 255)
		throw fail(`Tracking ID must be at most 255 characters; it has ${given.length}`);
	const derived = given ? undefined : deriveReference(this, i);
	const trackingId = given || derived!.reference;

	const request: IDataObject = {
		user_id: userId,
		tracking_id: trackingId,
		amount: new JsonNumber(amount) as unknown as IDataObject,
		currency,
	};
	const additional = this.getNodeParameter('additionalFields', i, {}) as IDataObject;
	for (const [key, value] of Object.entries(additional)) {
		if (value === '' || value === undefined || value === null) continue;
		if (key === 'settings') {
			const settings = typeof value === 'string' ? parseObject(value) : value;
			if (!settings || typeof settings !== 'object' || Array.isArray(settings))
				throw fail('Settings (JSON) must be a JSON object like {"key": "value"}');
			request.settings = settings as IDataObject;
		} else request[key] = text(value) as IDataObject[string];
	}
	const customer = customerFields(
		this.getNodeParameter('customer', i, {}) as IDataObject,
		currency,
		fail,
	);
	if (Object.keys(customer).length) request.customer = customer;
	return { request, trackingId, derived };
}

function parseObject(value: string): unknown {
	try {
		return JSON.parse(value);
	} catch {
		return undefined;
	}
}

function customerFields(
	given: IDataObject,
	currency: string,
	fail: (message: string) => Error,
): IDataObject {
	const customer: IDataObject = {};
	const phone: IDataObject = {};
	for (const [key, raw] of Object.entries(given)) {
		const value = text(raw);
		if (value === '' || value === undefined || value === null) continue;
		if (key.startsWith('phone_')) phone[key.slice('phone_'.length)] = value as string;
		else if (key === 'dob') {
			if (typeof value !== 'string' || !/^\d{2}\/\d{2}\/\d{4}$/.test(value))
				throw fail(`Date of Birth must be DD/MM/YYYY, e.g. 31/12/1990; got "${String(value)}"`);
			customer.dob = value;
		} else if (key === 'max_deposit_limit') {
			try {
				const limit = parseAmount(value, currencyInfo(currency), 'Max Deposit Limit');
				customer.max_deposit_limit = new JsonNumber(limit) as unknown as IDataObject;
			} catch (error) {
				throw fail((error as Error).message);
			}
		} else customer[key] = value as IDataObject[string];
	}
	if (Object.keys(phone).length) customer.phone = phone;
	return customer;
}
