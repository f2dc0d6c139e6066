import { FieldError } from './errors';
import type { FormFields } from './form';
import { parseIst } from './time';
import type { GatewayTransaction } from './types';

export const MAX_PER_PAGE = 50;
// Assumed default: the guide gives the range only.
const DEFAULT_PER_PAGE = 50;

export interface PaymentFilter {
	orderIds?: string[];
	transactionId?: string;
	bankCode?: string;
	responseCode?: number;
	customerPhone?: string;
	customerEmail?: string;
	customerName?: string;
	from?: Date;
	to?: Date;
	pageNumber: number;
	perPage: number;
}

export function parsePaymentFilter(fields: FormFields): PaymentFilter {
	const responseCode = fields.optional('response_code');
	if (responseCode !== undefined && !/^\d+$/.test(responseCode))
		throw new FieldError('The response code must be an integer.');
	return {
		orderIds: fields
			.optional('order_id')
			?.split(',')
			.map((id) => id.trim())
			.filter(Boolean),
		transactionId: fields.optional('transaction_id'),
		bankCode: fields.optional('bank_code'),
		responseCode: responseCode === undefined ? undefined : Number(responseCode),
		customerPhone: fields.optional('customer_phone'),
		customerEmail: fields.optional('customer_email')?.toLowerCase(),
		customerName: fields.optional('customer_name')?.toLowerCase(),
		from: date(fields, 'date_from', false),
		to: date(fields, 'date_to', true),
		pageNumber: fields.has('page_number') ? fields.integer('page_number', 1) : 1,
		perPage: fields.has('per_page')
			? fields.integer('per_page', 1, MAX_PER_PAGE)
			: DEFAULT_PER_PAGE,
	};
}

/** Matching transactions, newest first. Name matches are substring matches (assumed). */
export function filterPayments(
	all: Iterable<GatewayTransaction>,
	filter: PaymentFilter,
): GatewayTransaction[] {
	const matches = [...all].filter(
		(transaction) =>
			(filter.orderIds === undefined || filter.orderIds.includes(transaction.orderId)) &&
			(filter.transactionId === undefined || transaction.transactionId === filter.transactionId) &&
			(filter.bankCode === undefined || transaction.paymentChannel === filter.bankCode) &&
			(filter.responseCode === undefined || transaction.responseCode === filter.responseCode) &&
			(filter.customerPhone === undefined || transaction.phone === filter.customerPhone) &&
			(filter.customerEmail === undefined ||
				transaction.email.toLowerCase() === filter.customerEmail) &&
			(filter.customerName === undefined ||
				transaction.name.toLowerCase().includes(filter.customerName)) &&
			(filter.from === undefined ||
				transaction.paymentDatetime.getTime() >= filter.from.getTime()) &&
			(filter.to === undefined || transaction.paymentDatetime.getTime() <= filter.to.getTime()),
	);
	return matches.sort((a, b) => b.paymentDatetime.getTime() - a.paymentDatetime.getTime());
}

/** Laravel's paginator fields, which the white-label guide shows. */
export function pageInfo(total: number, filter: PaymentFilter): Record<string, number | null> {
	const offset = (filter.pageNumber - 1) * filter.perPage;
	const shown = Math.max(0, Math.min(filter.perPage, total - offset));
	return {
		total,
		per_page: filter.perPage,
		current_page: filter.pageNumber,
		last_page: Math.max(1, Math.ceil(total / filter.perPage)),
		from: shown > 0 ? offset + 1 : null,
		to: shown > 0 ? offset + shown : null,
	};
}

function date(fields: FormFields, name: string, endOfDay: boolean): Date | undefined {
	const text = fields.optional(name);
	if (text === undefined) return undefined;
	const parsed = parseIst(text, endOfDay);
	if (!parsed)
		throw new FieldError(
			`The ${name.replace(/_/g, ' ')} is not a valid date (YYYY-MM-DD or YYYY-MM-DD HH:MM:SS).`,
		);
	return parsed;
}
