import type { Serializable } from '../common/json';
import type { Router, SandboxReply, SandboxRequest } from '../common/router';
import { authenticate } from './auth';
import { gatewayFailure, gatewaySuccess } from './envelope';
import { FieldError, GATEWAY_CODES, GatewayError } from './errors';
import { FormFields } from './form';
import type { Gateway } from './gateway';
import { refundView, paymentStatusView } from './gateway-serialize';
import { checkAmount, formatRupees } from './money';
import { filterPayments, pageInfo, parsePaymentFilter } from './payment-list';
import { formatIst } from './time';

export const GATEWAY_BASE = '/v2';

const MINUTE_MS = 60_000;
// Assumed default link lifetime: the guide gives the range 15..10080 only.
const DEFAULT_EXPIRY_MINUTES = 60;

export interface GatewayContext {
	gateway: Gateway;
	apiKey: string;
	salt: string;
	now(): Date;
}

interface Answer {
	body: { readonly [key: string]: Serializable };
	/** paymentstatus and refundstatus carry a response hash; the other answers do not. */
	hashed?: boolean;
}

type GatewayHandler = (fields: FormFields) => Answer;

/** The white-label gateway's server calls (the browser-only /v2/paymentrequest is not one). */
export function addGatewayRoutes(router: Router, context: GatewayContext): void {
	const { gateway } = context;
	const add = (path: string, handler: GatewayHandler) => {
		router.add('POST', `${GATEWAY_BASE}/${path}`, (request) => handle(context, request, handler));
	};

	add('getpaymentrequesturl', (fields) => {
		const expiryMinutes = fields.has('expiry_in_minutes')
			? fields.integer('expiry_in_minutes', 15, 10080)
			: DEFAULT_EXPIRY_MINUTES;
		const mode = fields.required('mode').toUpperCase();
		if (mode !== 'TEST' && mode !== 'LIVE') throw new FieldError('The selected mode is invalid.');
		const currency = fields.required('currency').toUpperCase();
		if (currency !== 'INR') throw new FieldError('The selected currency is invalid.');
		const phone = fields.requiredMax('phone', 20);
		if (!/^\+?\d{8,15}$/.test(phone))
			throw new FieldError('The phone field contains an invalid number.');
		const request = gateway.createRequest({
			orderId: fields.requiredMax('order_id', 30),
			mode,
			amount: formatRupees(gatewayAmount(fields)),
			currency,
			description: fields.requiredMax('description', 500),
			name: fields.requiredMax('name', 100),
			email: fields.email('email') as string,
			phone,
			addressLine1: fields.optionalMax('address_line_1', 255) ?? '',
			addressLine2: fields.optionalMax('address_line_2', 255) ?? '',
			city: fields.requiredMax('city', 100),
			state: fields.optionalMax('state', 100) ?? '',
			country: fields.requiredMax('country', 3),
			zipCode: fields.requiredMax('zip_code', 10),
			udf1: fields.optionalMax('udf1', 300) ?? '',
			udf2: fields.optionalMax('udf2', 300) ?? '',
			udf3: fields.optionalMax('udf3', 300) ?? '',
			udf4: fields.optionalMax('udf4', 300) ?? '',
			udf5: fields.optionalMax('udf5', 300) ?? '',
			returnUrl: url(fields, 'return_url', true),
			returnUrlFailure: url(fields, 'return_url_failure', false),
			returnUrlCancel: url(fields, 'return_url_cancel', false),
			paymentOptions: fields.optional('payment_options') ?? '',
			expiresAt: new Date(context.now().getTime() + expiryMinutes * MINUTE_MS),
		});
		return {
			body: {
				data: {
					url: gateway.payUrl(request),
					uuid: request.uuid,
					expiry_datetime: formatIst(request.expiresAt),
					order_id: request.orderId,
				},
			},
		};
	});

	add('expirepaymentrequesturl', (fields) => {
		gateway.expire(fields.required('uuid'));
		// Assumed wording: the guide shows the {code, message} shape only.
		return { body: { data: { code: 0, message: 'Payment request url expired' } } };
	});

	add('paymentstatus', (fields) => {
		const filter = parsePaymentFilter(fields);
		const matches = filterPayments(gateway.transactions(), filter);
		if (matches.length === 0)
			throw new GatewayError(GATEWAY_CODES.notFound, 'TRANSACTION-NOT-FOUND');
		const offset = (filter.pageNumber - 1) * filter.perPage;
		return {
			body: {
				data: matches.slice(offset, offset + filter.perPage).map(paymentStatusView),
				page: pageInfo(matches.length, filter),
			},
			hashed: true,
		};
	});

	add('refundrequest', (fields) => {
		const refund = gateway.refund({
			transactionId: fields.required('transaction_id'),
			amount: gatewayAmount(fields),
			description: fields.requiredMax('description', 500),
			merchantRefundId: fields.requiredMax('merchant_refund_id', 50),
			merchantOrderId: fields.optional('merchant_order_id'),
		});
		return {
			body: {
				data: {
					transaction_id: fields.required('transaction_id'),
					refund_id: refund.refundId,
					refund_reference_no: refund.refundReferenceNo,
					merchant_refund_id: refund.merchantRefundId,
					merchant_order_id: refund.merchantOrderId,
				},
			},
		};
	});

	add('refundstatus', (fields) => {
		const transaction = gateway.transaction(fields.required('transaction_id'));
		const merchantOrderId = fields.optional('merchant_order_id');
		if (merchantOrderId !== undefined && merchantOrderId !== transaction.orderId) {
			throw new GatewayError(GATEWAY_CODES.notFound, 'TRANSACTION-NOT-FOUND');
		}
		return {
			body: {
				data: {
					transaction_id: transaction.transactionId,
					merchant_order_id: transaction.orderId,
					amount: transaction.amount,
					refund_details: transaction.refunds.map(refundView),
				},
			},
			hashed: true,
		};
	});
}

function handle(
	context: GatewayContext,
	request: SandboxRequest,
	handler: GatewayHandler,
): SandboxReply {
	const auth = authenticate(request, context.apiKey, context.salt);
	if (!auth.ok) {
		if (auth.problem === 'unauthorized')
			return gatewayFailure(GATEWAY_CODES.unauthorized, 'Unauthorized');
		if (auth.problem === 'hash-mismatch')
			return gatewayFailure(GATEWAY_CODES.hashMismatch, 'HASH-MISMATCH');
		return gatewayFailure(GATEWAY_CODES.invalidParams, auth.message);
	}
	try {
		const answer = handler(new FormFields(auth.fields));
		return gatewaySuccess(answer.body, answer.hashed ? context.salt : undefined);
	} catch (error) {
		if (error instanceof GatewayError) return gatewayFailure(error.code, error.message);
		if (error instanceof FieldError)
			return gatewayFailure(GATEWAY_CODES.invalidParams, error.message);
		throw error;
	}
}

function gatewayAmount(fields: FormFields): bigint {
	const checked = checkAmount(fields.required('amount'));
	if (checked.ok) return checked.units;
	if (checked.problem === 'range') throw new FieldError('The amount must be greater than 0.');
	throw new FieldError('The amount must be a number with at most 2 decimals.');
}

function url(fields: FormFields, name: string, required: boolean): string {
	const value = required ? fields.required(name) : fields.optional(name);
	if (value === undefined) return '';
	let parsed: URL;
	try {
		parsed = new URL(value);
	} catch {
		throw new FieldError(`The ${name.replace(/_/g, ' ')} format is invalid.`);
	}
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
		throw new FieldError(`The ${name.replace(/_/g, ' ')} format is invalid.`);
	}
	return value;
}
