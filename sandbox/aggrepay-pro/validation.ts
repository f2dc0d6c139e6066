import {
	isJsonObject,
	type JsonObject,
	JsonNumber,
	JsonSyntaxError,
	type JsonValue,
	parseJsonLossless,
} from '../common/json';
import { AggrepayProApiError, unprocessable } from './errors';
import { currencyDecimals, majorToMinor, minorToMajor, readAmount } from './money';
import type { AmountUnit, Customer, PaymentMethod, PaymentType, Recipient } from './types';

/** 1..64 letters, digits, `-` and `_` (the sandbox's rule; Aggrepay.pro publishes none). */
export const ORDER_ID = /^[A-Za-z0-9_-]{1,64}$/;

export interface ValidationContext {
	merchantId: string;
	unit: AmountUnit;
	methods: readonly PaymentMethod[];
}

interface CommonInput {
	orderId: string;
	/** Exactly as written, in `unit`. */
	amount: string;
	minorAmount: bigint;
	currency: string;
	callbackUri?: string;
}

export interface PaymentInput extends CommonInput {
	paymentMethod?: PaymentMethod;
	returnUri?: string;
	userId?: string;
	customer?: Customer;
}

export interface PayoutInput extends CommonInput {
	paymentMethod: PaymentMethod;
	recipient: Recipient;
}

/** The whole body as a JSON object (numbers keep their digits); 422 for anything else. */
export function parseBody(rawBody: string): JsonObject {
	let parsed: JsonValue;
	try {
		parsed = parseJsonLossless(rawBody);
	} catch (error) {
		if (!(error instanceof JsonSyntaxError)) throw error;
		throw unprocessable(`the body is not valid JSON (${error.message})`);
	}
	if (!isJsonObject(parsed)) throw unprocessable('the body must be a JSON object');
	return parsed;
}

/** `userId`: a non-empty string or a whole number (as its digits); 422 otherwise. */
export function readUserId(body: JsonObject): string | undefined {
	const value = body.userId;
	if (value === undefined || value === null) return undefined;
	if (typeof value === 'string' && value.trim() !== '' && value.length <= 255) return value;
	if (value instanceof JsonNumber && /^\d{1,20}$/.test(value.text)) return value.text;
	throw unprocessable(
		'userId must be a non-empty string (at most 255 characters) or a whole number',
	);
}

export function validatePayment(body: JsonObject, context: ValidationContext): PaymentInput {
	const common = validateCommon(body, context);
	const method =
		body.paymentMethod === undefined || body.paymentMethod === null
			? undefined
			: paymentMethod(body.paymentMethod, 'payment', common.currency, context.methods);
	if (method) checkLimits(method, common);
	else {
		const offered = context.methods.filter(
			(candidate) => candidate.type === 'payment' && candidate.currencies.includes(common.currency),
		);
		if (offered.length === 0)
			throw new AggrepayProApiError(
				40403,
				`No payment methods found for ${common.currency}, so no payment without a method can be made in it`,
			);
		if (offered.every((candidate) => limitProblem(candidate, common) !== undefined))
			throw new AggrepayProApiError(
				400,
				`Invalid amount: no payment method for ${common.currency} takes it (${offered
					.map((candidate) => `${candidate.code}: ${limitText(candidate, common.currency)}`)
					.join('; ')})`,
			);
	}
	return {
		...common,
		paymentMethod: method,
		returnUri: optionalUrl(body.returnUri, 'returnUri'),
		userId: readUserId(body),
		customer: customer(body.customer),
	};
}

export function validatePayout(body: JsonObject, context: ValidationContext): PayoutInput {
	const common = validateCommon(body, context);
	if (body.paymentMethod === undefined || body.paymentMethod === null)
		throw new AggrepayProApiError(
			40003,
			'Invalid payment method: a payout needs paymentMethod (a payout method code)',
		);
	const method = paymentMethod(body.paymentMethod, 'payout', common.currency, context.methods);
	checkLimits(method, common);
	return { ...common, paymentMethod: method, recipient: recipient(body.recipient) };
}

function validateCommon(body: JsonObject, context: ValidationContext): CommonInput {
	const merchantId = body.merchantId;
	if (merchantId !== context.merchantId)
		throw new AggrepayProApiError(
			40401,
			merchantId === undefined
				? 'Merchant not found: merchantId is required'
				: 'Merchant not found: merchantId is not the one of this API key',
		);

	const orderId = body.orderId;
	if (typeof orderId !== 'string' || !ORDER_ID.test(orderId))
		throw new AggrepayProApiError(
			40001,
			orderId === undefined
				? 'Invalid orderId: orderId is required'
				: 'Invalid orderId: it must be a string of 1 to 64 letters, digits, "-" or "_"',
		);

	const currency = body.currency;
	if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency))
		throw unprocessable('currency must be an ISO 4217 code such as "EUR" or "RUB"');
	const decimals = currencyDecimals(currency);
	if (decimals === undefined) throw unprocessable(`currency ${currency} is not supported`);

	const amount = body.amount;
	if (!(amount instanceof JsonNumber))
		throw new AggrepayProApiError(
			400,
			amount === undefined
				? 'Invalid amount: amount is required'
				: 'Invalid amount: the amount must be a JSON number, not a string',
		);
	const reading = readAmount(amount.text, decimals, context.unit);
	if ('problem' in reading)
		throw new AggrepayProApiError(400, `Invalid amount: ${reading.problem}`);

	return {
		orderId,
		amount: reading.text,
		minorAmount: reading.minor,
		currency,
		callbackUri: optionalUrl(body.callbackUri, 'callbackUri'),
	};
}

function paymentMethod(
	value: JsonValue,
	type: PaymentType,
	currency: string,
	methods: readonly PaymentMethod[],
): PaymentMethod {
	if (typeof value !== 'string')
		throw new AggrepayProApiError(40003, 'Invalid payment method: paymentMethod must be a code');
	const method = methods.find((candidate) => candidate.code === value);
	if (!method)
		throw new AggrepayProApiError(
			40003,
			`Invalid payment method: the merchant has no method "${value}"`,
		);
	if (method.type !== type)
		throw new AggrepayProApiError(
			40003,
			`Invalid payment method: "${value}" is a ${method.type} method, not a ${type} method`,
		);
	if (!method.currencies.includes(currency))
		throw new AggrepayProApiError(
			40003,
			`Invalid payment method: "${value}" does not take ${currency} (it takes ${method.currencies.join(', ')})`,
		);
	return method;
}

/** Minor-unit limits of a method in one currency (the configuration is checked at start). */
export function methodLimits(
	method: PaymentMethod,
	currency: string,
): { min?: bigint; max?: bigint } {
	const decimals = currencyDecimals(currency) ?? 2;
	return {
		min: method.minAmount === undefined ? undefined : majorToMinor(method.minAmount, decimals),
		max: method.maxAmount === undefined ? undefined : majorToMinor(method.maxAmount, decimals),
	};
}

function limitProblem(
	method: PaymentMethod,
	input: { minorAmount: bigint; currency: string },
): string | undefined {
	const { min, max } = methodLimits(method, input.currency);
	if (min !== undefined && input.minorAmount < min) return 'below the minimum';
	if (max !== undefined && input.minorAmount > max) return 'above the maximum';
	return undefined;
}

function limitText(method: PaymentMethod, currency: string): string {
	const decimals = currencyDecimals(currency) ?? 2;
	const { min, max } = methodLimits(method, currency);
	const show = (value: bigint | undefined) =>
		value === undefined ? 'none' : minorToMajor(value, decimals);
	return `${show(min)} to ${show(max)} ${currency}`;
}

function checkLimits(method: PaymentMethod, input: CommonInput): void {
	const problem = limitProblem(method, input);
	if (problem)
		throw new AggrepayProApiError(
			400,
			`Invalid amount: ${problem} of ${method.code} (${limitText(method, input.currency)})`,
		);
}

function optionalUrl(value: JsonValue | undefined, name: string): string | undefined {
	if (value === undefined || value === null) return undefined;
	if (typeof value === 'string') {
		try {
			const url = new URL(value);
			if (url.protocol === 'http:' || url.protocol === 'https:') return value;
		} catch {
			// answered below
		}
	}
	throw unprocessable(`${name} must be an absolute http(s) URL`);
}

function optionalText(object: JsonObject, key: string, where: string): string | undefined {
	const value = object[key];
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'string') throw unprocessable(`${where}.${key} must be a string`);
	return value;
}

function customer(value: JsonValue | undefined): Customer | undefined {
	if (value === undefined || value === null) return undefined;
	if (!isJsonObject(value))
		throw unprocessable('customer must be an object {name, email, phone, ip}');
	const result: Customer = {};
	for (const key of ['name', 'email', 'phone', 'ip'] as const) {
		const text = optionalText(value, key, 'customer');
		if (text !== undefined) result[key] = text;
	}
	return result;
}

function recipient(value: JsonValue | undefined): Recipient {
	if (!isJsonObject(value))
		throw unprocessable('recipient is required: an object {account, name, bank?}');
	const account = optionalText(value, 'account', 'recipient');
	const name = optionalText(value, 'name', 'recipient');
	if (!account?.trim()) throw unprocessable('recipient.account is required');
	if (!name?.trim()) throw unprocessable('recipient.name is required');
	const bank = optionalText(value, 'bank', 'recipient');
	return bank === undefined ? { account, name } : { account, name, bank };
}
