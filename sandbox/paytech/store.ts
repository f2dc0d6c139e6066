import { randomBytes } from 'node:crypto';

import type { Clock } from '../common/clock';
import type {
	OperationName,
	PaymentOperation,
	PaymentState,
	PaytechPayment,
	PaytechSubscription,
} from './types';

/** In-memory payments and subscriptions, plus the processing log each state change leaves. */
export class PaymentStore {
	readonly payments = new Map<string, PaytechPayment>();
	readonly subscriptions = new Map<string, PaytechSubscription>();
	private nextOperationId = 1;

	constructor(private readonly now: Clock) {}

	/** 32 lowercase hex characters, unique among payments and subscriptions. */
	newId(): string {
		for (;;) {
			const id = randomBytes(16).toString('hex');
			if (!this.payments.has(id) && !this.subscriptions.has(id)) return id;
		}
	}

	insert(payment: PaytechPayment): void {
		this.payments.set(payment.id, payment);
	}

	get(id: string): PaytechPayment | undefined {
		return this.payments.get(id);
	}

	/** Logs an operation without touching the payment's state (e.g. a webhook trigger). */
	log(
		payment: PaytechPayment,
		operation: OperationName,
		messages: Partial<PaymentOperation> = {},
	): void {
		const at = this.now();
		payment.operations.push({
			id: this.nextOperationId++,
			operation,
			started: at,
			completed: at,
			paymentState: payment.state,
			...messages,
		});
	}

	/** Moves the payment to `state`, stamping `updated` and logging `operation`. */
	transition(payment: PaytechPayment, state: PaymentState, operation: OperationName): void {
		payment.state = state;
		payment.updated = this.now();
		this.log(payment, operation);
	}

	newRecurringToken(): string {
		return randomBytes(16).toString('hex');
	}
}
