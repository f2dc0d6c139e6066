import type { Clock } from '../common/clock';
import { decimalUnits, unitsToDecimal, ZERO } from '../common/decimal';
import {
	CARD_DECLINE,
	cardBehaviour,
	cardDigits,
	paymentMethodDetailsFor,
	THREE_DS_DECLINE,
} from './cards';
import { errorMessageFor } from './error-codes';
import { type FieldError, PaytechApiError, validationError, WorkflowStateError } from './errors';
import type { PaymentStore } from './store';
import type { PaymentState, PaytechPayment, PaytechSubscription } from './types';
import type { PaymentRequestInput, SubscriptionInput } from './validation';

// Published sandbox rules: deposits below 10,000,000 succeed; withdrawals and refunds up to 10,000.
const DEPOSIT_LIMIT_UNITS = decimalUnits('10000000');
const PAYOUT_LIMIT_UNITS = decimalUnits('10000');
// Our choice: the published rules say the payment fails, not with which code.
const LIMIT_DECLINE = { code: '1.08', message: errorMessageFor('1.08') };
const REJECTED_BY_MERCHANT = { code: '8.00', message: 'Rejected by merchant' };
const REFUND_COUNTS_IN: readonly PaymentState[] = ['PENDING', 'AWAITING_APPROVAL', 'COMPLETED'];

export interface WorkflowContext {
	store: PaymentStore;
	now: Clock;
	/** Base URL of the sandbox, for hosted checkout redirects. */
	baseUrl: string;
	shopName: string;
	withdrawalApproval(): boolean;
}

/**
 * The pay.tech payment state machine as the sandbox plays it. Methods mutate the stored payment
 * and log operations; announcing the result by webhook is the caller's job.
 */
export class PaymentWorkflow {
	constructor(private readonly context: WorkflowContext) {}

	setBaseUrl(url: string): void {
		this.context.baseUrl = url;
	}

	create(input: PaymentRequestInput): PaytechPayment {
		const { store } = this.context;
		const parent = input.paymentType === 'REFUND' ? this.refundParent(input) : undefined;
		const now = this.context.now();
		const payment: PaytechPayment = {
			id: store.newId(),
			referenceId: input.referenceId,
			paymentType: input.paymentType,
			state: 'PENDING',
			paymentMethod: input.paymentMethod ?? (input.card ? 'BASIC_CARD' : parent?.paymentMethod),
			paymentMethodDetails: input.card ? paymentMethodDetailsFor(input.card) : undefined,
			amount: input.amount ?? (parent ? this.refundableRest(parent) : '0'),
			currency: input.currency,
			description: input.description,
			parentPaymentId: input.parentPaymentId,
			customer: input.customer,
			billingAddress: input.billingAddress,
			additionalParameters: input.additionalParameters,
			returnUrl: input.returnUrl,
			webhookUrl: input.webhookUrl,
			startRecurring: input.startRecurring,
			preAuth: input.preAuth,
			card:
				input.paymentType === 'DEPOSIT' && input.card
					? cardBehaviour(
							input.card.cardNumber === undefined ? undefined : cardDigits(input.card.cardNumber),
						)
					: undefined,
			shopName: this.context.shopName,
			terminalName: 'sandbox',
			created: now,
			updated: now,
			operations: [],
		};
		if (input.subscription) this.attachSubscription(payment, input.subscription, input.customer);
		store.insert(payment);

		switch (payment.paymentType) {
			case 'DEPOSIT':
				this.startDeposit(payment, input.recurringToken);
				break;
			case 'WITHDRAWAL':
				payment.state = this.context.withdrawalApproval() ? 'AWAITING_APPROVAL' : 'PENDING';
				store.log(payment, 'CREATE_PAYMENT');
				break;
			case 'REFUND':
				store.log(payment, 'CREATE_PAYMENT');
				break;
		}
		return payment;
	}

	/** Customer finishes checkout / the processor settles the payment. */
	complete(payment: PaytechPayment): void {
		switch (payment.paymentType) {
			case 'DEPOSIT':
				this.expectState(payment, ['CHECKOUT', 'PENDING'], 'complete');
				this.settleDeposit(payment);
				return;
			case 'WITHDRAWAL':
			case 'REFUND': {
				this.expectState(payment, ['PENDING'], 'complete');
				const withinLimit = decimalUnits(payment.amount) <= PAYOUT_LIMIT_UNITS;
				if (withinLimit) this.context.store.transition(payment, 'COMPLETED', payment.paymentType);
				else this.declineWith(payment, LIMIT_DECLINE, payment.paymentType);
				return;
			}
		}
	}

	decline(payment: PaytechPayment, errorCode?: string): void {
		this.expectState(payment, ['CHECKOUT', 'PENDING', 'AWAITING_APPROVAL'], 'decline');
		const code = errorCode ?? (payment.paymentType === 'DEPOSIT' ? CARD_DECLINE.code : '3.00');
		this.declineWith(payment, { code, message: errorMessageFor(code) }, payment.paymentType);
	}

	/** PATCH /payments/{id}: the merchant submits the checkout on the customer's behalf. */
	execute(payment: PaytechPayment): void {
		if (payment.paymentType !== 'DEPOSIT')
			throw new WorkflowStateError('only deposits can be executed');
		this.expectState(payment, ['CHECKOUT'], 'execute');
		this.context.store.transition(payment, 'PENDING', 'CONTINUE');
		this.settleDeposit(payment);
	}

	capture(payment: PaytechPayment, amount: string | undefined): void {
		this.expectState(payment, ['AUTHORIZED'], 'capture');
		if (amount !== undefined && decimalUnits(amount) > decimalUnits(payment.amount)) {
			throw validationError([
				fieldError(
					'captureRequest',
					'amount',
					'DecimalMax',
					`must not exceed the authorized amount ${payment.amount}`,
				),
			]);
		}
		if (amount !== undefined) payment.amount = amount;
		this.context.store.transition(payment, 'COMPLETED', 'CAPTURE');
	}

	voidAuthorization(payment: PaytechPayment): void {
		this.expectState(payment, ['AUTHORIZED'], 'void');
		this.context.store.transition(payment, 'CANCELLED', 'VOID');
	}

	approve(payment: PaytechPayment): void {
		this.expectWithdrawalAwaitingApproval(payment, 'approve');
		this.context.store.transition(payment, 'PENDING', 'APPROVE');
	}

	reject(payment: PaytechPayment, rejectReason: string | undefined): void {
		this.expectWithdrawalAwaitingApproval(payment, 'reject');
		payment.externalResultCode = rejectReason;
		this.declineWith(payment, REJECTED_BY_MERCHANT, 'REJECT', 'CANCELLED');
	}

	cancelSubscription(subscription: PaytechSubscription): void {
		if (subscription.state !== 'ACTIVE') {
			throw new WorkflowStateError(
				`subscription is ${subscription.state}, only ACTIVE can be cancelled`,
			);
		}
		subscription.state = 'CANCELLED';
	}

	private startDeposit(payment: PaytechPayment, recurringToken: string | undefined): void {
		const { store } = this.context;
		if (recurringToken !== undefined) {
			// Merchant-initiated payment in an existing chain: no customer, settles at once.
			store.log(payment, 'CREATE_PAYMENT');
			const known = [...store.payments.values()].some(
				(other) => other.recurringToken === recurringToken,
			);
			if (known) this.settleDeposit(payment);
			else this.declineWith(payment, { code: '1.06', message: errorMessageFor('1.06') }, 'DEPOSIT');
			return;
		}
		if (payment.card && !payment.card.threeDSecure) {
			// PCI merchant, card not enrolled in 3-D Secure: the issuer answers straight away.
			store.log(payment, 'CREATE_PAYMENT');
			this.settleDeposit(payment);
			return;
		}
		payment.state = 'CHECKOUT';
		payment.redirectUrl = `${this.context.baseUrl}/checkout/${payment.id}`;
		store.log(payment, 'CREATE_PAYMENT');
	}

	private settleDeposit(payment: PaytechPayment): void {
		if (payment.card && !payment.card.approved) {
			this.declineWith(
				payment,
				payment.card.threeDSecure ? THREE_DS_DECLINE : CARD_DECLINE,
				'DEPOSIT',
			);
			return;
		}
		if (decimalUnits(payment.amount) >= DEPOSIT_LIMIT_UNITS) {
			this.declineWith(payment, LIMIT_DECLINE, 'DEPOSIT');
			return;
		}
		if (payment.startRecurring && !payment.recurringToken)
			payment.recurringToken = this.recurringTokenFor(payment);
		this.context.store.transition(payment, payment.preAuth ? 'AUTHORIZED' : 'COMPLETED', 'DEPOSIT');
	}

	private declineWith(
		payment: PaytechPayment,
		error: { code: string; message: string },
		operation: Parameters<PaymentStore['transition']>[2],
		state: PaymentState = 'DECLINED',
	): void {
		payment.errorCode = error.code;
		payment.errorMessage = error.message;
		this.context.store.transition(payment, state, operation);
	}

	private expectState(payment: PaytechPayment, allowed: PaymentState[], action: string): void {
		if (!allowed.includes(payment.state)) {
			throw new WorkflowStateError(
				`cannot ${action} a ${payment.paymentType} in state ${payment.state}`,
			);
		}
	}

	private expectWithdrawalAwaitingApproval(payment: PaytechPayment, action: string): void {
		if (payment.paymentType !== 'WITHDRAWAL' || payment.state !== 'AWAITING_APPROVAL') {
			throw new WorkflowStateError(
				`only a WITHDRAWAL in AWAITING_APPROVAL can ${action === 'approve' ? 'be approved' : 'be rejected'}; this is a ${payment.paymentType} in state ${payment.state}`,
			);
		}
	}

	private refundParent(input: PaymentRequestInput): PaytechPayment {
		const parent = this.context.store.get(input.parentPaymentId ?? '');
		const problem = (field: string, message: string) =>
			new PaytechApiError(400, `${field}: ${message}`, [
				fieldError('paymentRequest', field, 'Invalid', message),
			]);
		if (!parent) throw problem('parentPaymentId', 'Payment not found');
		if (parent.paymentType !== 'DEPOSIT' || parent.state !== 'COMPLETED') {
			throw problem(
				'parentPaymentId',
				`must be a COMPLETED DEPOSIT, is a ${parent.paymentType} in state ${parent.state}`,
			);
		}
		if (parent.currency !== input.currency) {
			throw problem('currency', `must equal the deposit currency ${parent.currency}`);
		}
		const rest = decimalUnits(this.refundableRest(parent));
		const requested = input.amount === undefined ? rest : decimalUnits(input.amount);
		if (requested <= ZERO || requested > rest) {
			throw problem(
				'amount',
				`refunds may not exceed the deposit amount; refundable rest is ${this.refundableRest(parent)}`,
			);
		}
		return parent;
	}

	private refundableRest(parent: PaytechPayment): string {
		let refunded = ZERO;
		for (const payment of this.context.store.payments.values()) {
			if (
				payment.paymentType === 'REFUND' &&
				payment.parentPaymentId === parent.id &&
				REFUND_COUNTS_IN.includes(payment.state)
			) {
				refunded += decimalUnits(payment.amount);
			}
		}
		return unitsToDecimal(decimalUnits(parent.amount) - refunded);
	}

	private recurringTokenFor(payment: PaytechPayment): string {
		const subscription = payment.subscriptionId
			? this.context.store.subscriptions.get(payment.subscriptionId)
			: undefined;
		return subscription?.recurringToken ?? this.context.store.newRecurringToken();
	}

	private attachSubscription(
		payment: PaytechPayment,
		input: SubscriptionInput,
		customer: PaymentRequestInput['customer'],
	): void {
		const { store } = this.context;
		const createTime = this.context.now();
		const subscription: PaytechSubscription = {
			id: store.newId(),
			paymentId: payment.id,
			customerReferenceId:
				typeof customer?.referenceId === 'string' ? customer.referenceId : undefined,
			description: input.description,
			amount: input.amount ?? payment.amount,
			currency: payment.currency,
			createTime,
			startTime: input.startTime
				? new Date(`${input.startTime}Z`)
				: oneIntervalAfter(createTime, input),
			frequency: input.frequency,
			frequencyUnit: input.frequencyUnit,
			requestedNumberOfCycles: input.numberOfCycles,
			state: 'ACTIVE',
			recurringToken: store.newRecurringToken(),
		};
		store.subscriptions.set(subscription.id, subscription);
		payment.subscriptionId = subscription.id;
	}
}

function fieldError(
	objectName: string,
	field: string,
	code: string,
	defaultMessage: string,
): FieldError {
	return { objectName, field, code, defaultMessage };
}

/** Documented default for a subscription's first cycle: creation time plus one interval. */
function oneIntervalAfter(start: Date, input: SubscriptionInput): Date {
	const next = new Date(start.getTime());
	const minutes = { MINUTE: 1, DAY: 1440, WEEK: 10080 } as const;
	if (input.frequencyUnit === 'MONTH') next.setUTCMonth(next.getUTCMonth() + input.frequency);
	else next.setTime(next.getTime() + input.frequency * minutes[input.frequencyUnit] * 60_000);
	return next;
}
