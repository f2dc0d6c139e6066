import { DERIVED_REFERENCE_HINT } from '../../common/reference';
import { normalizeAggrepayPayment } from '../normalize';
import { type FieldSpec, type OperationSpec, resourceFromSpecs } from './spec';

// The currencies AggrePay's guide names for a payment link
const AGGREPAY_CURRENCIES = ['INR'];

// AggrePay's paymentstatus allows at most 50 per page.
const PAYMENTS_PAGE_SIZE = 50;

const transactionId: FieldSpec = {
	name: 'transaction_id',
	displayName: 'Transaction ID',
	required: true,
	description: 'The gateway transaction ID of the payment',
};

const GATEWAY_OPERATIONS = {
	createPaymentLink: {
		name: 'Create Payment Link',
		action: 'Create a payment link',
		description: 'A link where the customer pays; the result arrives at the AggrePay Trigger',
		call: 'gateway/getpaymentrequesturl',
		fields: [
			{
				name: 'order_id',
				displayName: 'Order ID',
				required: true,
				description: 'Your unique order ID, at most 30 characters',
			},
			{ name: 'amount', displayName: 'Amount', kind: 'amount', required: true },
			{
				name: 'currency',
				displayName: 'Currency',
				kind: 'currency',
				currencies: AGGREPAY_CURRENCIES,
				required: true,
				default: 'INR',
				description: 'AggrePay takes INR.',
			},
			{ name: 'description', displayName: 'Description', required: true },
			{ name: 'name', displayName: 'Customer Name', required: true },
			{
				name: 'email',
				displayName: 'Customer Email',
				required: true,
				placeholder: 'name@email.com',
			},
			{ name: 'phone', displayName: 'Customer Phone', required: true },
			{ name: 'city', displayName: 'City', required: true },
			{
				name: 'country',
				displayName: 'Country',
				required: true,
				// a filled-in value, not a grey placeholder that looks like one
				default: 'IND',
				description: "The customer's country as three letters (ISO 3166-1 alpha-3)",
			},
			{ name: 'zip_code', displayName: 'ZIP Code', required: true },
			{
				name: 'return_url',
				displayName: 'Return URL',
				required: true,
				description: 'Where the customer goes after paying',
			},
		],
		optional: [
			{ name: 'address_line_1', displayName: 'Address Line 1' },
			{ name: 'address_line_2', displayName: 'Address Line 2' },
			{
				name: 'expiry_in_minutes',
				displayName: 'Expires in Minutes',
				kind: 'number',
				description: '15 to 10080 (7 days)',
			},
			{
				name: 'payment_options',
				displayName: 'Payment Options',
				description: 'Payment methods to offer, as AggrePay codes',
			},
			{ name: 'return_url_cancel', displayName: 'Return URL on Cancel' },
			{ name: 'return_url_failure', displayName: 'Return URL on Failure' },
			{ name: 'state', displayName: 'State' },
			{
				name: 'udf1',
				displayName: 'UDF 1',
				description: 'Your own data, returned in the callback',
			},
			{ name: 'udf2', displayName: 'UDF 2' },
			{ name: 'udf3', displayName: 'UDF 3' },
			{ name: 'udf4', displayName: 'UDF 4' },
			{ name: 'udf5', displayName: 'UDF 5' },
		],
		idempotent: false,
	},
	expirePaymentLink: {
		name: 'Expire Payment Link',
		action: 'Expire a payment link',
		description: 'Stop a payment link from being paid',
		call: 'gateway/expirepaymentrequesturl',
		fields: [{ name: 'uuid', displayName: 'Payment Link UUID', required: true }],
		idempotent: true,
	},
	getPayments: {
		name: 'Get Payments',
		action: 'Get gateway payments',
		description:
			'Gateway transactions by order, status, customer or date (your server IP must be whitelisted at AggrePay)',
		call: 'gateway/paymentstatus',
		fields: [],
		optional: [
			{ name: 'bank_code', displayName: 'Bank Code' },
			{ name: 'customer_email', displayName: 'Customer Email' },
			{ name: 'customer_name', displayName: 'Customer Name' },
			{ name: 'customer_phone', displayName: 'Customer Phone' },
			{ name: 'date_from', displayName: 'Date From', kind: 'date' },
			{ name: 'date_to', displayName: 'Date To', kind: 'date' },
			{
				name: 'order_id',
				displayName: 'Order IDs',
				description: 'One or more order IDs, comma-separated',
			},
			{
				name: 'response_code',
				displayName: 'Response Code',
				description: '0 for successful payments, 1000 for failed ones',
			},
			{ name: 'transaction_id', displayName: 'Transaction ID' },
		],
		idempotent: true,
		list: {
			firstPage: 1,
			pageSizeField: 'per_page',
			pageSize: PAYMENTS_PAGE_SIZE,
			pages: (envelope) => Number(envelope.page?.last_page ?? 0),
			size: (envelope) => String(envelope.page?.total),
		},
		normalize: normalizeAggrepayPayment,
	},
	refund: {
		name: 'Refund',
		action: 'Refund a payment',
		description: 'Refund a gateway payment, fully or partly',
		call: 'gateway/refundrequest',
		fields: [
			transactionId,
			{ name: 'amount', displayName: 'Amount', kind: 'amount', required: true },
			{ name: 'description', displayName: 'Reason', required: true },
		],
		optional: [
			{
				name: 'merchant_refund_id',
				displayName: 'Merchant Refund ID',
				description: `Your unique ID for this refund; AggrePay never refunds the same ID twice. ${DERIVED_REFERENCE_HINT}`,
			},
			{ name: 'merchant_order_id', displayName: 'Merchant Order ID' },
		],
		movesMoney: { reference: 'merchant_refund_id' },
		// merchant_refund_id makes AggrePay return the existing refund instead of a second one
		idempotent: true,
	},
	getRefundStatus: {
		name: 'Get Refund Status',
		action: 'Get the refunds of a payment',
		description: 'Every refund of a gateway payment',
		call: 'gateway/refundstatus',
		fields: [transactionId],
		optional: [{ name: 'merchant_order_id', displayName: 'Merchant Order ID' }],
		idempotent: true,
	},
} satisfies Record<string, OperationSpec>;

export const gateway = resourceFromSpecs({
	value: 'gateway',
	name: 'Payment Gateway',
	specs: GATEWAY_OPERATIONS,
	default: 'createPaymentLink',
});
