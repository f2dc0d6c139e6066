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
export function compareNewestFirst(a: PaytechPayment, b: PaytechPayment): number {
	return b.created.getTime() - a.created.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

/**
 * One page of the payments matching `query`, cut from `newestFirst`: every payment, already in
 * compareNewestFirst's order (PaymentStore.newestFirst() keeps it sorted between inserts). The
 * created bounds are found by binary search; the other filters are checked only until the page
 * and the one payment after it (for hasMore) are found.
 */
export function listPayments(
	newestFirst: readonly PaytechPayment[],
	query: PaymentListQuery,
): PaymentPage {
	// Creation times fall along the list: those before created.lt start at `start`, those at or
	// after created.gte end before `end`
	const { createdGte, createdLt } = query;
	const lt = createdLt?.getTime();
	const gte = createdGte.getTime();
	const start = lt === undefined ? 0 : firstIndex(newestFirst, (p) => p.created.getTime() < lt);
	const end = firstIndex(newestFirst, (p) => p.created.getTime() < gte);
	const { offset, limit } = query;
	if (
		query.updatedGte === undefined &&
		query.updatedLt === undefined &&
		query.referenceId === undefined
	) {
		const from = start + offset;
		const items = from < end ? newestFirst.slice(from, Math.min(from + limit, end)) : [];
		return { items, hasMore: from + items.length < end };
	}
	const items: PaytechPayment[] = [];
	let matched = 0;
	for (let index = start; index < end && matched <= offset + limit; index++) {
		const payment = newestFirst[index];
		if (!matches(payment, query)) continue;
		if (matched >= offset && items.length < limit) items.push(payment);
		matched++;
	}
	return { items, hasMore: matched > offset + items.length };
}

/** The first index where `after` holds, in a list where it holds from some index on; else length. */
function firstIndex(
	list: readonly PaytechPayment[],
	after: (payment: PaytechPayment) => boolean,
): number {
	let low = 0;
	let high = list.length;
	while (low < high) {
		const middle = (low + high) >>> 1;
		if (after(list[middle])) high = middle;
		else low = middle + 1;
	}
	return low;
}

function matches(payment: PaytechPayment, query: PaymentListQuery): boolean {
	const updated = payment.updated.getTime();
	if (query.updatedGte && updated < query.updatedGte.getTime()) return false;
	if (query.updatedLt && updated >= query.updatedLt.getTime()) return false;
	if (query.referenceId !== undefined && payment.referenceId !== query.referenceId) return false;
	return true;
}
