import type { JsonObject } from '../common/json';

export const PAYMENT_TYPES = ['DEPOSIT', 'WITHDRAWAL', 'REFUND'] as const;
export type PaymentType = (typeof PAYMENT_TYPES)[number];

export const PAYMENT_STATES = [
	'CHECKOUT',
	'PENDING',
	'AUTHORIZED',
	'AWAITING_APPROVAL',
	'COMPLETED',
	'DECLINED',
	'CANCELLED',
] as const;
export type PaymentState = (typeof PAYMENT_STATES)[number];

export const FINAL_STATES: readonly PaymentState[] = ['COMPLETED', 'DECLINED', 'CANCELLED'];
/** States whose arrival pay.tech announces by webhook. */
export const WEBHOOK_STATES: readonly PaymentState[] = [...FINAL_STATES, 'AUTHORIZED'];

export type OperationName =
	| 'CREATE_PAYMENT'
	| 'CHECKOUT'
	| 'CONTINUE'
	| 'DEPOSIT'
	| 'WITHDRAWAL'
	| 'REFUND'
	| 'CAPTURE'
	| 'VOID'
	| 'APPROVE'
	| 'REJECT'
	| 'CANCEL'
	| 'TRIGGER_WEBHOOK'
	| 'MANUAL_UPDATE';

export interface PaymentOperation {
	id: number;
	operation: OperationName;
	started: Date;
	completed: Date;
	paymentState: PaymentState;
	outgoingMessages?: string;
	incomingMessages?: string;
}

export interface PaymentMethodDetails {
	customerAccountNumber?: string;
	cardToken?: string;
	cardholderName?: string;
	cardExpiryMonth?: string;
	cardExpiryYear?: string;
	cardBrand?: string;
}

/** How a sandbox test card settles; the PAN itself is never kept. */
export interface CardBehaviour {
	threeDSecure: boolean;
	approved: boolean;
}

export interface PaytechPayment {
	/** 32 lowercase hex characters. */
	id: string;
	referenceId?: string;
	paymentType: PaymentType;
	state: PaymentState;
	paymentMethod?: string;
	paymentMethodDetails?: PaymentMethodDetails;
	/** Decimal text with exactly the digits the client sent ('10.10' stays '10.10'). */
	amount: string;
	currency: string;
	description?: string;
	parentPaymentId?: string;
	redirectUrl?: string;
	errorCode?: string;
	errorMessage?: string;
	externalResultCode?: string;
	customer?: JsonObject;
	billingAddress?: JsonObject;
	additionalParameters?: JsonObject;
	returnUrl?: string;
	webhookUrl?: string;
	startRecurring?: boolean;
	preAuth?: boolean;
	recurringToken?: string;
	subscriptionId?: string;
	card?: CardBehaviour;
	shopName: string;
	terminalName?: string;
	created: Date;
	updated: Date;
	/** Oldest first; the API lists them newest first. */
	operations: PaymentOperation[];
}

export type SubscriptionState = 'ACTIVE' | 'CANCELLED' | 'COMPLETED';

export interface PaytechSubscription {
	id: string;
	paymentId: string;
	customerReferenceId?: string;
	description?: string;
	/** Decimal text. */
	amount: string;
	currency: string;
	createTime: Date;
	startTime: Date;
	frequency: number;
	frequencyUnit: 'MINUTE' | 'DAY' | 'WEEK' | 'MONTH';
	requestedNumberOfCycles?: number;
	state: SubscriptionState;
	recurringToken: string;
}

export const SANDBOX_SHOP_NAME = 'sandbox-shop';
