import { parseDateTime } from '../common/clock';
import { FieldChecker } from './field-checker';
import type { PaytechPayment } from './types';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface PaymentListQuery {
	offset: number;
	limit: number;
	createdGte: Date;
	createdLt?: Date;
	updatedGte?: Date;
	updatedLt?: Date;
	referenceId?: string;
}

/** GET /payments query rules of API 1.0.341, including the now-24h default for created.gte. */
export function parsePaymentListQuery(query: URLSearchParams, now: Date): PaymentListQuery {
	const check = new FieldChecker('getPayments');
	const offset = integerParameter(check, query, 'offset', 0, 1_000_000, 0);
	const limit = integerParameter(check, query, 'limit', 1, 1000, 50);
	const dates = {
		createdGte: dateParameter(check, query, 'created.gte'),
		createdLt: dateParameter(check, query, 'created.lt'),
		updatedGte: dateParameter(check, query, 'updated.gte'),
		updatedLt: dateParameter(check, query, 'updated.lt'),
	};
	check.throwIfAny();
	return {
		offset,
		limit,
		...dates,
		createdGte: dates.createdGte ?? new Date(now.getTime() - DAY_MS),
		referenceId: query.get('referenceId.eq') ?? undefined,
	};
}

function integerParameter(
	check: FieldChecker,
	query: URLSearchParams,
	name: string,
	min: number,
	max: number,
	fallback: number,
): number {
	const raw = query.get(name);
	if (raw === null) return fallback;
	if (!/^\d{1,10}$/.test(raw)) {
		check.fail(name, 'typeMismatch', `must be an integer between ${min} and ${max}`);
		return fallback;
	}
	const value = Number(raw);
	if (value < min) check.fail(name, 'Min', `must be greater than or equal to ${min}`);
	if (value > max) check.fail(name, 'Max', `must be less than or equal to ${max}`);
	return value;
}

function dateParameter(
	check: FieldChecker,
	query: URLSearchParams,
	name: string,
): Date | undefined {
	const raw = query.get(name);
	if (raw === null) return undefined;
	const date = parseDateTime(raw);
	if (!date) check.fail(name, 'typeMismatch', 'must have the format YYYY-MM-DDTHH:MM:SS (UTC)');
	return date;
}

export interface PaymentPage {
	items: PaytechPayment[];
	hasMore: boolean;
}

/** Newest first; equal creation times fall back to id (descending) so offset paging is stable. */
export function listPayments(
	payments: Iterable<PaytechPayment>,
	query: PaymentListQuery,
): PaymentPage {
	const matching = [...payments].filter((payment) => matches(payment, query));
	matching.sort(
		(a, b) => b.created.getTime() - a.created.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
	);
	const items = matching.slice(query.offset, query.offset + query.limit);
	return { items, hasMore: query.offset + items.length < matching.length };
}

function matches(payment: PaytechPayment, query: PaymentListQuery): boolean {
	const created = payment.created.getTime();
	const updated = payment.updated.getTime();
	if (created < query.createdGte.getTime()) return false;
	if (query.createdLt && created >= query.createdLt.getTime()) return false;
	if (query.updatedGte && updated < query.updatedGte.getTime()) return false;
	if (query.updatedLt && updated >= query.updatedLt.getTime()) return false;
	if (query.referenceId !== undefined && payment.referenceId !== query.referenceId) return false;
	return true;
}
