import { errorMessageFor } from './error-codes';
import type { PaymentStore } from './store';
import { type OperationName, type PaytechPayment, SANDBOX_SHOP_NAME } from './types';

export type SeedTemplate = Partial<PaytechPayment> & { createdFrom?: Date; createdTo?: Date };

const DAY_MS = 24 * 60 * 60 * 1000;
let seedBatch = 0;

/**
 * Inserts `count` payments straight into the store (no webhooks), created evenly over
 * [createdFrom, createdTo) — default the last 24 hours — each at the middle of its slot, so none
 * sits exactly on the API's default created.gte boundary. Ids and referenceIds are unique; a
 * template referenceId is used as is for one payment and as a prefix (`ref-1`, `ref-2`...) for more.
 */
export function seedPayments(
	store: PaymentStore,
	now: Date,
	count: number,
	template: SeedTemplate = {},
): PaytechPayment[] {
	if (!Number.isInteger(count) || count < 0)
		throw new RangeError('count must be a non-negative integer');
	const { createdFrom, createdTo, ...fields } = template;
	const to = (createdTo ?? now).getTime();
	const from = (createdFrom ?? new Date(to - DAY_MS)).getTime();
	if (!(from < to)) throw new RangeError('createdFrom must be before createdTo');
	const step = (to - from) / Math.max(count, 1);
	const batch = ++seedBatch;
	const seeded: PaytechPayment[] = [];

	for (let index = 0; index < count; index++) {
		const created = new Date(Math.floor(from + step * (index + 0.5)));
		const paymentType = fields.paymentType ?? 'DEPOSIT';
		const state = fields.state ?? 'COMPLETED';
		const payment: PaytechPayment = {
			shopName: SANDBOX_SHOP_NAME,
			terminalName: 'sandbox',
			paymentMethod: paymentType === 'DEPOSIT' ? 'BASIC_CARD' : 'BANKTRANSFER',
			currency: 'EUR',
			amount: `${(index % 97) + 1}.${String((index * 7) % 100).padStart(2, '0')}`,
			...declineFields(state),
			...fields,
			id: store.newId(),
			referenceId: seedReference(fields.referenceId, count, batch, index),
			paymentType,
			state,
			created,
			updated: fields.updated ?? created,
			operations: [],
		};
		store.insert(payment);
		logAt(store, payment, 'CREATE_PAYMENT');
		logAt(store, payment, paymentType);
		seeded.push(payment);
	}
	return seeded;
}

function seedReference(
	template: string | undefined,
	count: number,
	batch: number,
	index: number,
): string {
	if (template !== undefined) return count === 1 ? template : `${template}-${index + 1}`;
	return `seed-${batch}-${index + 1}`;
}

function declineFields(state: string): Partial<PaytechPayment> {
	if (state === 'DECLINED') return { errorCode: '4.00', errorMessage: errorMessageFor('4.00') };
	if (state === 'CANCELLED') return { errorCode: '1.04', errorMessage: errorMessageFor('1.04') };
	return {};
}

function logAt(store: PaymentStore, payment: PaytechPayment, operation: OperationName): void {
	store.log(payment, operation);
	const entry = payment.operations[payment.operations.length - 1];
	entry.started = payment.created;
	entry.completed = payment.created;
}
