import { formatDateTime, formatEnvelopeTimestamp } from '../common/clock';
import { DecimalLiteral, type JsonObject, type Serializable } from '../common/json';
import type { PaymentOperation, PaytechPayment, PaytechSubscription } from './types';

// ResponseCustomer in the spec is Customer minus these merchant-only fields.
const CUSTOMER_FIELDS_NOT_RETURNED = [
	'accountNumber',
	'depositsAmount',
	'withdrawalsAmount',
	'depositsCnt',
	'withdrawalsCnt',
];

/**
 * PaymentResult as GET /payments/{id} and the webhook show it, members in the spec's order.
 * `updated` and `subscriptionId` are sandbox additions (see README).
 */
export function toPaymentResult(payment: PaytechPayment): Serializable {
	return {
		id: payment.id,
		referenceId: payment.referenceId,
		created: formatDateTime(payment.created),
		updated: formatDateTime(payment.updated),
		paymentType: payment.paymentType,
		state: payment.state,
		description: payment.description,
		parentPaymentId: payment.parentPaymentId,
		paymentMethod: payment.paymentMethod,
		paymentMethodDetails: payment.paymentMethodDetails
			? { ...payment.paymentMethodDetails }
			: undefined,
		amount: new DecimalLiteral(payment.amount),
		currency: payment.currency,
		redirectUrl: payment.state === 'CHECKOUT' ? payment.redirectUrl : undefined,
		errorCode: payment.errorCode,
		errorMessage: payment.errorMessage,
		externalResultCode: payment.externalResultCode,
		customer: payment.customer ? responseCustomer(payment.customer) : undefined,
		billingAddress: payment.billingAddress,
		startRecurring: payment.startRecurring,
		preAuth: payment.preAuth,
		recurringToken: payment.recurringToken,
		subscriptionId: payment.subscriptionId,
		shopName: payment.shopName,
		terminalName: payment.terminalName,
		additionalParameters: payment.additionalParameters,
	};
}

function responseCustomer(customer: JsonObject): JsonObject {
	return Object.fromEntries(
		Object.entries(customer).filter(([key]) => !CUSTOMER_FIELDS_NOT_RETURNED.includes(key)),
	);
}

export function toOperationResult(operation: PaymentOperation): Serializable {
	return {
		id: operation.id,
		operation: operation.operation,
		started: formatEnvelopeTimestamp(operation.started),
		completed: formatEnvelopeTimestamp(operation.completed),
		paymentState: operation.paymentState,
		outgoingMessages: operation.outgoingMessages,
		incomingMessages: operation.incomingMessages,
	};
}

export function toSubscriptionResult(subscription: PaytechSubscription): Serializable {
	return {
		id: subscription.id,
		customerReferenceId: subscription.customerReferenceId,
		description: subscription.description,
		amount: new DecimalLiteral(subscription.amount),
		currency: subscription.currency,
		createTime: formatDateTime(subscription.createTime),
		startTime: formatDateTime(subscription.startTime),
		frequency: subscription.frequency,
		frequencyUnit: subscription.frequencyUnit,
		requestedNumberOfCycles: subscription.requestedNumberOfCycles,
		state: subscription.state,
		recurringToken: subscription.recurringToken,
		cycles: [],
	};
}

/** The `{timestamp, status, result}` wrapper every successful answer uses. */
export function envelope(
	now: Date,
	result: Serializable,
	extra: Record<string, Serializable> = {},
): Serializable {
	return { timestamp: formatEnvelopeTimestamp(now), status: 200, ...extra, result };
}
