import { currencyProperty } from '../../../common/currency';
import { DERIVED_REFERENCE_HINT } from '../../../common/reference';
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

// Parameters shared by several payment operations, each stated once.

export const PAYMENT_ID_PATTERN = /^[a-zA-Z0-9]{32}$/;

// pay.tech's documented amount bounds (PaymentRequest.amount)
export const PAYTECH_AMOUNT = { min: '0.00001', max: '1000000000' };

export function paymentIdProperty(
	description = 'The 32-character payment ID pay.tech returned',
): INodeProperties {
	return {
		displayName: 'Payment ID',
		name: 'paymentId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 91d27876e87f4b22b3ecd53924bf973d',
		description,
	};
}

export function readPaymentId(this: IExecuteFunctions, i: number): string {
	const id = String(this.getNodeParameter('paymentId', i) ?? '').trim();
	if (!PAYMENT_ID_PATTERN.test(id)) {
		throw new NodeOperationError(
			this.getNode(),
			`Payment ID must be the 32 letters or digits pay.tech returned; got "${id}"`,
			{ itemIndex: i },
		);
	}
	return id;
}

/** Amount, Currency and Reference ID of a create operation. */
export const amountProperties: INodeProperties[] = [
	{
		displayName: 'Amount',
		name: 'amount',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 10.50',
		description:
			'Amount in major units as a decimal, e.g. 10.50 EUR or 1500 JPY. It must fit the currency (2 decimals for EUR, 0 for JPY, 3 for KWD, up to 18 for crypto) and is sent with the digits you typed, never rounded: a wrong number of decimals is an error.',
	},
	currencyProperty({
		name: 'currency',
		required: true,
		default: 'EUR',
		description: 'ISO 4217 currency of the payment.',
		notListed: '(such as a crypto-currency symbol: BTC, USDT...)',
	}),
	{
		displayName: 'Reference ID',
		name: 'referenceId',
		type: 'string',
		default: '',
		placeholder: 'order-12345',
		description: `Your own reference for this payment (at most 256 characters), e.g. an order or payout ID. ${DERIVED_REFERENCE_HINT} A create whose answer is lost is looked up by this reference instead of being sent twice.`,
	},
];

/**
 * Return Existing: protects against a second payment for a reference that stays the same across
 * executions: one you set, or one derived from the triggering event. On by default for payouts
 * and refunds.
 */
export const reuseExistingProperty: INodeProperties = {
	displayName: 'Return Existing Payment With This Reference',
	name: 'reuseExisting',
	type: 'boolean',
	default: true,
	description:
		"Whether to look the Reference ID up first and return the payment that already has it instead of creating another. This protects against paying twice when the workflow runs again for the same payout: with a Reference ID you set (e.g. your payout or order ID), or one derived from the event of this pack's trigger that started the workflow. A reference derived from the execution (no such trigger) differs in every execution.",
};

export const refundParentProperty: INodeProperties = {
	displayName: 'Deposit Payment ID',
	name: 'parentPaymentId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. 91d27876e87f4b22b3ecd53924bf973d',
	description: 'ID of the completed deposit to refund',
};

const customerOptions: INodeProperties[] = [
	{
		displayName: 'Account Name',
		name: 'accountName',
		type: 'string',
		default: '',
		description: "Customer's account name at the payment provider (some withdrawal methods)",
	},
	{
		displayName: 'Account Number',
		name: 'accountNumber',
		type: 'string',
		default: '',
		description:
			"Customer's account number or IBAN at the payment provider (some withdrawal methods)",
	},
	{
		displayName: 'Account Type',
		name: 'accountType',
		type: 'options',
		options: [
			{ name: 'Checking', value: 'CHECKING' },
			{ name: 'Savings', value: 'SAVINGS' },
		],
		default: 'CHECKING',
	},
	{ displayName: 'Bank', name: 'bank', type: 'string', default: '' },
	{ displayName: 'Bank Branch', name: 'bankBranch', type: 'string', default: '' },
	{ displayName: 'Bank Branch Code', name: 'bankBranchCode', type: 'string', default: '' },
	{ displayName: 'Bank Code', name: 'bankCode', type: 'string', default: '' },
	{
		displayName: 'Citizenship Country Code',
		name: 'citizenshipCountryCode',
		type: 'string',
		default: '',
		placeholder: 'DE',
		description: 'Two-letter ISO 3166 code',
	},
	{
		displayName: 'Date of Birth',
		name: 'dateOfBirth',
		type: 'string',
		default: '',
		placeholder: '2001-12-03',
		description: 'YYYY-MM-DD',
	},
	{ displayName: 'Document Number', name: 'documentNumber', type: 'string', default: '' },
	{
		displayName: 'Document Type',
		name: 'documentType',
		type: 'string',
		default: '',
		placeholder: 'BR_CPF',
		description: 'Pay.tech document type code, e.g. BR_CPF, MX_CURP, IN_ID',
	},
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		default: '',
	},
	{ displayName: 'First Name', name: 'firstName', type: 'string', default: '' },
	{
		displayName: 'IP Address',
		name: 'ip',
		type: 'string',
		default: '',
		placeholder: 'e.g. 152.13.130.125',
	},
	{
		displayName: 'KYC Passed',
		name: 'kycStatus',
		type: 'boolean',
		default: false,
		description: 'Whether the customer has passed KYC verification',
	},
	{ displayName: 'Last Name', name: 'lastName', type: 'string', default: '' },
	{
		displayName: 'Locale',
		name: 'locale',
		type: 'string',
		default: '',
		placeholder: 'en',
		description: 'Two-letter language code for the checkout page',
	},
	{
		displayName: 'Phone',
		name: 'phone',
		type: 'string',
		default: '',
		placeholder: '357 123123123',
		description: 'International number without "+", a space after the country code',
	},
	{
		displayName: 'Reference ID',
		name: 'referenceId',
		type: 'string',
		default: '',
		placeholder: 'customer_123',
		description: 'Your ID of the customer',
	},
	{
		displayName: 'Routing Group',
		name: 'routingGroup',
		type: 'string',
		default: '',
		placeholder: 'VIP',
	},
];

const billingOptions: INodeProperties[] = [
	{ displayName: 'Address Line 1', name: 'addressLine1', type: 'string', default: '' },
	{ displayName: 'Address Line 2', name: 'addressLine2', type: 'string', default: '' },
	{ displayName: 'City', name: 'city', type: 'string', default: '' },
	{
		displayName: 'Country Code',
		name: 'countryCode',
		type: 'string',
		default: '',
		placeholder: 'CY',
		description: 'Two-letter ISO 3166 code',
	},
	{ displayName: 'Postal Code', name: 'postalCode', type: 'string', default: '' },
	{ displayName: 'State', name: 'state', type: 'string', default: '', placeholder: 'CA' },
];

const cardOptions: INodeProperties[] = [
	{
		displayName: 'Card Number',
		name: 'cardNumber',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		description: 'Full card number (PAN)',
	},
	{
		displayName: 'Card Token',
		name: 'cardToken',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		description: 'A saved card token, instead of the card number',
	},
	{ displayName: 'Cardholder Name', name: 'cardholderName', type: 'string', default: '' },
	{
		displayName: 'Expiry Month',
		name: 'expiryMonth',
		type: 'string',
		default: '',
		placeholder: '01',
		description: 'Two digits',
	},
	{
		displayName: 'Expiry Year',
		name: 'expiryYear',
		type: 'string',
		default: '',
		placeholder: '2030',
		description: 'Four digits',
	},
	{
		displayName: 'Security Code',
		name: 'cardSecurityCode',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		description: 'CVV2 / CVC2',
	},
];

const subscriptionOptions: INodeProperties[] = [
	{
		displayName: 'Amount',
		name: 'amount',
		type: 'string',
		default: '',
		placeholder: '9.99',
		description: "Amount of each later payment; empty uses the first payment's amount",
	},
	{ displayName: 'Description', name: 'description', type: 'string', default: '' },
	{
		displayName: 'Frequency',
		name: 'frequency',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 1,
		description: 'Bill every this many units',
	},
	{
		displayName: 'Frequency Unit',
		name: 'frequencyUnit',
		type: 'options',
		options: [
			{ name: 'Day', value: 'DAY' },
			{ name: 'Minute (Testing Only)', value: 'MINUTE' },
			{ name: 'Month', value: 'MONTH' },
			{ name: 'Week', value: 'WEEK' },
		],
		default: 'MONTH',
	},
	{
		displayName: 'Number of Cycles',
		name: 'numberOfCycles',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description: 'How many later payments; 0 for no end',
	},
	{
		displayName: 'Start Time',
		name: 'startTime',
		type: 'dateTime',
		default: '',
		description:
			"First cycle, in the workflow's time zone unless it carries an offset; empty means one period after this payment",
	},
];

export const partyProperties: INodeProperties[] = [
	{
		displayName: 'Customer',
		name: 'customer',
		type: 'collection',
		placeholder: 'Add Customer Field',
		default: {},
		options: customerOptions,
	},
	{
		displayName: 'Billing Address',
		name: 'billingAddress',
		type: 'collection',
		placeholder: 'Add Address Field',
		default: {},
		options: billingOptions,
	},
	{
		displayName: 'Card (PCI DSS Merchants Only)',
		name: 'card',
		type: 'collection',
		placeholder: 'Add Card Field',
		default: {},
		description:
			'Only if your business is PCI DSS certified. Otherwise leave empty: the customer enters the card on the pay.tech page at the redirect URL. Prefer an expression to typing card data into the workflow.',
		options: cardOptions,
	},
];

export const additionalFieldsProperty: INodeProperties = {
	displayName: 'Additional Fields',
	name: 'additionalFields',
	type: 'collection',
	placeholder: 'Add Field',
	default: {},
	options: [
		{
			displayName: 'Additional Parameters (JSON)',
			name: 'additionalParameters',
			type: 'json',
			default: '{}',
			description:
				'Extra parameters some payment methods require, as a JSON object; pay.tech support tells you which',
		},
		{
			displayName: 'Description',
			name: 'description',
			type: 'string',
			default: '',
			description: 'Shown to the customer, at most 512 characters',
		},
		{
			displayName: 'Payment Method',
			name: 'paymentMethod',
			type: 'string',
			default: '',
			placeholder: 'BASIC_CARD',
			description:
				'Pay.tech payment method code, e.g. BASIC_CARD, PIX, SEPA, PAYPAL; empty lets the customer choose on the checkout page',
		},
		{
			displayName: 'Return URL',
			name: 'returnUrl',
			type: 'string',
			default: '',
			placeholder: 'https://shop.example/return/{ID}',
			description: 'Where the customer goes after paying',
		},
		{
			displayName: 'Webhook URL',
			name: 'webhookUrl',
			type: 'string',
			default: '',
			placeholder: 'https://n8n.example/webhook/…/paytech',
			description:
				"Where pay.tech reports this payment's result, instead of the shop's webhook URL: paste a pay.tech Trigger's Production URL here (in the trigger's Webhook URLs section, switched from Test URL to Production URL)",
		},
	],
};

export const recurringProperty: INodeProperties = {
	displayName: 'Recurring and Pre-Authorization',
	name: 'recurring',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Parent Payment ID',
			name: 'parentPaymentId',
			type: 'string',
			default: '',
			description: 'The first payment of the recurring chain this payment continues',
		},
		{
			displayName: 'Pre-Authorize Only',
			name: 'preAuth',
			type: 'boolean',
			default: false,
			description:
				'Whether to only authorize now and capture or void later (two-phase deposit); the amount may be 0',
		},
		{
			displayName: 'Recurring Token',
			name: 'recurringToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Token of an earlier payment, to charge again without the customer',
		},
		{
			displayName: 'Start Recurring',
			name: 'startRecurring',
			type: 'boolean',
			default: false,
			description: 'Whether this payment starts a recurring chain',
		},
		{
			displayName: 'Subscription',
			name: 'subscription',
			type: 'fixedCollection',
			default: {},
			description: 'Bill the customer at regular intervals (needs Start Recurring)',
			options: [{ displayName: 'Schedule', name: 'schedule', values: subscriptionOptions }],
		},
	],
};
