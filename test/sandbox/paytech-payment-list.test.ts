import fc from 'fast-check';

import {
	listPayments,
	type PaymentListQuery,
	type PaymentPage,
} from '../../sandbox/paytech/payment-list';
import { PaymentStore } from '../../sandbox/paytech/store';
import type { PaytechPayment } from '../../sandbox/paytech/types';

/** GET /payments as the sandbox answered it before the sorted order was kept: sort every page. */
function everyPaymentSorted(
	payments: Iterable<PaytechPayment>,
	query: PaymentListQuery,
): PaymentPage {
	const matching = [...payments].filter((payment) => {
		const created = payment.created.getTime();
		const updated = payment.updated.getTime();
		if (created < query.createdGte.getTime()) return false;
		if (query.createdLt && created >= query.createdLt.getTime()) return false;
		if (query.updatedGte && updated < query.updatedGte.getTime()) return false;
		if (query.updatedLt && updated >= query.updatedLt.getTime()) return false;
		if (query.referenceId !== undefined && payment.referenceId !== query.referenceId) return false;
		return true;
	});
	matching.sort(
		(a, b) => b.created.getTime() - a.created.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
	);
	const items = matching.slice(query.offset, query.offset + query.limit);
	return { items, hasMore: query.offset + items.length < matching.length };
}

const T0 = Date.UTC(2030, 0, 1);
const SECOND = 1000;

function payment(id: string, created: number, updatedAfter: number, ref: number): PaytechPayment {
	return {
		id,
		referenceId: `ref-${ref}`,
		shopName: 'sandbox',
		terminalName: 'sandbox',
		paymentType: 'DEPOSIT',
		paymentMethod: 'BASIC_CARD',
		state: 'COMPLETED',
		currency: 'EUR',
		amount: '1.00',
		created: new Date(T0 + created * SECOND),
		updated: new Date(T0 + (created + updatedAfter) * SECOND),
		operations: [],
	} as PaytechPayment;
}

// Few distinct seconds and references, so ties and bounds on a payment's own time are common
const paymentArb = fc.record({
	id: fc.stringMatching(/^[0-9a-f]{4}$/),
	created: fc.integer({ min: 0, max: 20 }),
	updatedAfter: fc.integer({ min: 0, max: 5 }),
	ref: fc.integer({ min: 0, max: 4 }),
});
const at = fc.option(fc.integer({ min: -1, max: 26 }), { nil: undefined });
const queryArb = fc.record({
	offset: fc.integer({ min: 0, max: 30 }),
	limit: fc.integer({ min: 1, max: 12 }),
	createdGte: fc.integer({ min: -1, max: 22 }),
	createdLt: at,
	updatedGte: at,
	updatedLt: at,
	referenceId: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
});
type QueryCase = typeof queryArb extends fc.Arbitrary<infer T> ? T : never;
const toQuery = (q: QueryCase): PaymentListQuery => {
	const date = (s: number | undefined) => (s === undefined ? undefined : new Date(T0 + s * SECOND));
	return {
		offset: q.offset,
		limit: q.limit,
		createdGte: date(q.createdGte)!,
		createdLt: date(q.createdLt),
		updatedGte: date(q.updatedGte),
		updatedLt: date(q.updatedLt),
		referenceId: q.referenceId === undefined ? undefined : `ref-${q.referenceId}`,
	};
};

describe('payment list order kept between inserts', () => {
	it('answers every page as sorting every payment on every page did, across inserts', () => {
		fc.assert(
			fc.property(
				fc.array(
					fc.oneof(
						fc.record({ insert: fc.array(paymentArb, { maxLength: 15 }) }),
						fc.record({ query: queryArb }),
					),
					{ maxLength: 25 },
				),
				(steps) => {
					const store = new PaymentStore(() => new Date(T0));
					for (const step of steps) {
						if ('insert' in step) {
							for (const p of step.insert)
								if (!store.payments.has(p.id))
									store.insert(payment(p.id, p.created, p.updatedAfter, p.ref));
							continue;
						}
						const query = toQuery(step.query);
						const page = listPayments(store.newestFirst(), query);
						const expected = everyPaymentSorted(store.payments.values(), query);
						expect(page.items.map((p) => p.id)).toEqual(expected.items.map((p) => p.id));
						expect(page.hasMore).toBe(expected.hasMore);
					}
				},
			),
			{ numRuns: 500 },
		);
	});

	it('sorts once for many pages, and again after an insert', () => {
		const store = new PaymentStore(() => new Date(T0));
		store.insert(payment('aaaa', 1, 0, 0));
		const first = store.newestFirst();
		expect(store.newestFirst()).toBe(first);
		store.insert(payment('bbbb', 1, 0, 0));
		expect(store.newestFirst().map((p) => p.id)).toEqual(['bbbb', 'aaaa']);
	});
});
