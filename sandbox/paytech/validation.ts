import { decimalUnits, ZERO } from '../common/decimal';
import { isJsonObject, type JsonObject, type JsonValue } from '../common/json';
import type { CardInput } from './cards';
import { PaytechApiError } from './errors';
import { FieldChecker } from './field-checker';
import { PAYMENT_METHODS } from './payment-methods';
import { PAYMENT_TYPES, type PaymentType } from './types';

export const MIN_AMOUNT_UNITS = decimalUnits('0.00001');
export const MAX_AMOUNT_UNITS = decimalUnits('1000000000');
const AMOUNT_LIMITS = { maxUnits: MAX_AMOUNT_UNITS, maxText: '1000000000' };
const POSITIVE_AMOUNT = { ...AMOUNT_LIMITS, minUnits: MIN_AMOUNT_UNITS, minText: '0.00001' };

const FREQUENCY_UNITS = ['MINUTE', 'DAY', 'WEEK', 'MONTH'] as const;
export type FrequencyUnit = (typeof FREQUENCY_UNITS)[number];
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;

export interface SubscriptionInput {
	description?: string;
	amount?: string;
	startTime?: string;
	frequency: number;
	frequencyUnit: FrequencyUnit;
	numberOfCycles?: number;
}

export interface PaymentRequestInput {
	paymentType: PaymentType;
	currency: string;
	/** Plain decimal text; absent only for refunds (= the whole refundable rest). */
	amount?: string;
	referenceId?: string;
	paymentMethod?: string;
	parentPaymentId?: string;
	description?: string;
	card?: CardInput;
	customer?: JsonObject;
	billingAddress?: JsonObject;
	returnUrl?: string;
	webhookUrl?: string;
	startRecurring?: boolean;
	preAuth?: boolean;
	recurringToken?: string;
	subscription?: SubscriptionInput;
	additionalParameters?: JsonObject;
}

export function requireObject(body: JsonValue | undefined, what: string): JsonObject {
	if (body === undefined)
		throw new PaytechApiError(400, `Required request body is missing: ${what}`);
	if (!isJsonObject(body))
		throw new PaytechApiError(400, `JSON parse error: ${what} must be a JSON object`);
	return body;
}

export function validatePaymentRequest(body: JsonValue | undefined): PaymentRequestInput {
	const source = requireObject(body, 'paymentRequest');
	const check = new FieldChecker('paymentRequest');

	const paymentType = check.string(source, 'paymentType', 'paymentType', {
		required: true,
		allowed: PAYMENT_TYPES,
	}) as PaymentType | undefined;
	const currency = check.string(source, 'currency', 'currency', {
		required: true,
		max: 32,
		pattern: /^\S+$/,
	});
	const preAuth = check.boolean(source, 'preAuth', 'preAuth');
	if (preAuth && paymentType !== undefined && paymentType !== 'DEPOSIT') {
		check.fail('preAuth', 'AssertFalse', 'pre-authorization applies to deposits only');
	}
	// The spec allows 0 only for pre-authorizations; everything else starts at 0.00001.
	const amount = check.decimal(source, 'amount', 'amount', {
		...(preAuth ? { ...AMOUNT_LIMITS, minUnits: ZERO, minText: '0' } : POSITIVE_AMOUNT),
		required: paymentType !== undefined && paymentType !== 'REFUND',
	});
	const parentPaymentId = check.string(source, 'parentPaymentId', 'parentPaymentId', {
		max: 32,
		required: paymentType === 'REFUND',
	});
	const startRecurring = check.boolean(source, 'startRecurring', 'startRecurring');

	const input: Partial<PaymentRequestInput> = {
		paymentType,
		currency,
		amount,
		preAuth,
		parentPaymentId,
		startRecurring,
		referenceId: check.string(source, 'referenceId', 'referenceId', { max: 256 }),
		description: check.string(source, 'description', 'description', { max: 512 }),
		paymentMethod: check.string(source, 'paymentMethod', 'paymentMethod', {
			allowed: PAYMENT_METHODS,
		}),
		returnUrl: check.string(source, 'returnUrl', 'returnUrl', { max: 512 }),
		webhookUrl: check.string(source, 'webhookUrl', 'webhookUrl', { max: 512 }),
		recurringToken: check.string(source, 'recurringToken', 'recurringToken', { max: 256 }),
		customer: checkCustomer(check, source),
		billingAddress: checkBillingAddress(check, source),
		card: checkCard(check, source),
		subscription: checkSubscription(check, source, startRecurring),
		additionalParameters: checkAdditionalParameters(check, source),
	};
	check.throwIfAny();
	return input as PaymentRequestInput;
}

function checkCustomer(check: FieldChecker, source: JsonObject): JsonObject | undefined {
	const customer = check.object(source, 'customer', 'customer');
	if (!customer) return undefined;
	check.stringLengths(customer, 'customer', {
		referenceId: { max: 128 },
		citizenshipCountryCode: { min: 2, max: 2 },
		firstName: { max: 128 },
		lastName: { max: 128 },
		dateOfBirth: { min: 10, max: 10 },
		email: { max: 256, pattern: /^[^@\s]+@[^@\s]+$/ },
		phone: { max: 18 },
		locale: { min: 2, max: 2 },
		accountNumber: { max: 256 },
		accountName: { max: 64 },
		bank: { max: 64 },
		bankCode: { max: 64 },
		bankBranch: { max: 64 },
		bankBranchCode: { max: 64 },
		documentNumber: { max: 64 },
		routingGroup: { max: 64 },
	});
	return customer;
}

function checkBillingAddress(check: FieldChecker, source: JsonObject): JsonObject | undefined {
	const address = check.object(source, 'billingAddress', 'billingAddress');
	if (!address) return undefined;
	check.stringLengths(address, 'billingAddress', {
		addressLine1: { max: 300 },
		addressLine2: { max: 300 },
		city: { max: 50 },
		countryCode: { min: 2, max: 2, pattern: /^[A-Z]{2}$/ },
		postalCode: { max: 12 },
		state: { max: 40 },
	});
	return address;
}

function checkCard(check: FieldChecker, source: JsonObject): CardInput | undefined {
	const card = check.object(source, 'card', 'card');
	if (!card) return undefined;
	const cardNumber = check.string(card, 'cardNumber', 'card.cardNumber', { max: 23 });
	const cardToken = check.string(card, 'cardToken', 'card.cardToken', { max: 32 });
	if (cardNumber !== undefined) {
		const digits = cardNumber.replace(/\D/g, '').length;
		if (digits < 12 || digits > 19)
			check.fail('card.cardNumber', 'CardNumber', 'must contain 12 to 19 digits');
	} else if (cardToken === undefined) {
		check.fail('card.cardNumber', 'NotNull', 'card number or card token is required');
	}
	// Security code is checked for shape only; it is never stored.
	check.string(card, 'cardSecurityCode', 'card.cardSecurityCode', {
		min: 3,
		max: 4,
		pattern: /^\d{3,4}$/,
	});
	return {
		cardNumber,
		cardToken,
		cardholderName: check.string(card, 'cardholderName', 'card.cardholderName', { max: 128 }),
		expiryMonth: check.string(card, 'expiryMonth', 'card.expiryMonth', {
			min: 2,
			max: 2,
			pattern: /^(0[1-9]|1[0-2])$/,
		}),
		expiryYear: check.string(card, 'expiryYear', 'card.expiryYear', {
			min: 4,
			max: 4,
			pattern: /^\d{4}$/,
		}),
	};
}

function checkSubscription(
	check: FieldChecker,
	source: JsonObject,
	startRecurring: boolean | undefined,
): SubscriptionInput | undefined {
	const subscription = check.object(source, 'subscription', 'subscription');
	if (!subscription) return undefined;
	if (!startRecurring)
		check.fail('subscription', 'AssertTrue', "is used only with 'startRecurring=true'");
	const frequency = check.integer(subscription, 'frequency', 'subscription.frequency', 1, true);
	return {
		frequency: frequency ?? 1,
		// Assumption: the spec names no default unit.
		frequencyUnit: (check.string(subscription, 'frequencyUnit', 'subscription.frequencyUnit', {
			allowed: FREQUENCY_UNITS,
		}) ?? 'MONTH') as FrequencyUnit,
		description: check.string(subscription, 'description', 'subscription.description', {
			max: 512,
		}),
		amount: check.decimal(subscription, 'amount', 'subscription.amount', POSITIVE_AMOUNT),
		startTime: check.string(subscription, 'startTime', 'subscription.startTime', {
			pattern: DATE_TIME,
		}),
		numberOfCycles: check.integer(subscription, 'numberOfCycles', 'subscription.numberOfCycles', 1),
	};
}

function checkAdditionalParameters(
	check: FieldChecker,
	source: JsonObject,
): JsonObject | undefined {
	const parameters = check.object(source, 'additionalParameters', 'additionalParameters');
	if (!parameters) return undefined;
	for (const [key, value] of Object.entries(parameters)) {
		if (typeof value !== 'string')
			check.fail(`additionalParameters.${key}`, 'typeMismatch', 'must be a string');
	}
	return parameters;
}

export function validateDepositPatch(body: JsonValue | undefined): void {
	const source = requireObject(body, 'depositPatchRequest');
	const check = new FieldChecker('depositPatchRequest');
	check.string(source, 'customerIp', 'customerIp', { required: true, max: 39 });
	check.string(source, 'ipCountryCode', 'ipCountryCode', { min: 2, max: 2 });
	check.string(source, 'customerUserAgent', 'customerUserAgent', { max: 512 });
	check.string(source, 'browserLanguage', 'browserLanguage', { max: 32 });
	check.boolean(source, 'browserJavaEnabled', 'browserJavaEnabled');
	for (const key of [
		'browserWindowWidth',
		'browserWindowHeight',
		'browserScreenWidth',
		'browserScreenHeight',
		'browserScreenColorDepth',
		'browserTimezoneOffset',
	]) {
		check.integer(source, key, key);
	}
	check.throwIfAny();
}

/** Capture amount as decimal text, or undefined for "capture everything". */
export function validateCaptureRequest(body: JsonValue | undefined): string | undefined {
	if (body === undefined) return undefined;
	const source = requireObject(body, 'captureRequest');
	const check = new FieldChecker('captureRequest');
	const amount = check.decimal(source, 'amount', 'amount', POSITIVE_AMOUNT);
	check.throwIfAny();
	return amount;
}

export function validateRejectRequest(body: JsonValue | undefined): string | undefined {
	if (body === undefined) return undefined;
	const source = requireObject(body, 'rejectPaymentRequest');
	const check = new FieldChecker('rejectPaymentRequest');
	const reason = check.string(source, 'rejectReason', 'rejectReason', { max: 256 });
	check.throwIfAny();
	return reason;
}

export function validateSubscriptionPatch(body: JsonValue | undefined): void {
	const source = requireObject(body, 'subscriptionPatchRequest');
	const check = new FieldChecker('subscriptionPatchRequest');
	const state = check.string(source, 'state', 'state', { required: true });
	if (state !== undefined && state !== 'CANCELLED')
		check.fail('state', 'typeMismatch', 'must be CANCELLED');
	check.throwIfAny();
}
