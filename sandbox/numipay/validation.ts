import {
	isJsonObject,
	type JsonObject,
	JsonNumber,
	JsonSyntaxError,
	type JsonValue,
	parseJsonLossless,
} from '../common/json';
import { cardOutcome, type CardOutcome, passesLuhn } from './cards';
import { NumipayApiError, validationError } from './errors';
import { CURRENCY_DECIMALS, checkAmount } from './money';
import type { PaymentRequest } from './types';

export type CreateKind = 'cashier' | 'direct' | 'card' | 'withdrawal';

export interface CardDetails {
	outcome: CardOutcome;
}

export interface CreateRequest extends PaymentRequest {
	card?: CardDetails;
	routingId?: string;
}

/** The whole body as a JSON object; 400 for anything else. */
export function parseBody(rawBody: string): JsonObject {
	let parsed: JsonValue;
	try {
		parsed = parseJsonLossless(rawBody);
	} catch (error) {
		if (!(error instanceof JsonSyntaxError)) throw error;
		throw new NumipayApiError(400, `Malformed JSON body: ${error.message}`);
	}
	if (!isJsonObject(parsed)) throw new NumipayApiError(400, 'The body must be a JSON object');
	return parsed;
}

/** A string, or a whole JSON number as its text (ids such as user_id 128 or provider_id 210). */
function idText(value: JsonValue | undefined): string | undefined {
	if (typeof value === 'string') return value.trim() === '' ? undefined : value;
	if (value instanceof JsonNumber && /^\d+$/.test(value.text)) return value.text;
	return undefined;
}

/**
 * Validates `{"request": {...}}` of a create call. `isDevKey` decides the mode: a DEV key needs
 * mode "test", a live key must not send it. Every bad field is named in `errors`.
 */
export function validateCreateRequest(
	kind: CreateKind,
	body: JsonObject,
	isDevKey: boolean,
	providerIds: readonly string[],
): CreateRequest {
	const request = body.request;
	if (!isJsonObject(request))
		throw validationError({
			request: ['The request field is required and must be an object: {"request": {...}}.'],
		});

	const mode = request.mode;
	if (mode !== undefined && mode !== 'test' && mode !== 'live')
		throw validationError({ 'request.mode': ['The request.mode must be "test" or absent.'] });
	const test = mode === 'test';
	if (isDevKey && !test)
		throw new NumipayApiError(
			400,
			'A DEV API key can only be used in test mode: send request.mode "test" (or use the live API key)',
		);
	if (!isDevKey && test)
		throw new NumipayApiError(
			400,
			'request.mode "test" needs a DEV API key; this is a live API key (create a DEV key under Settings > Credentials)',
		);

	const errors: Record<string, string[]> = {};
	const fail = (field: string, message: string) => {
		(errors[`request.${field}`] ??= []).push(message);
	};

	const userId = idText(request.user_id);
	if (request.user_id === undefined || request.user_id === null)
		fail('user_id', 'The request.user_id field is required.');
	else if (userId === undefined) fail('user_id', 'The request.user_id must be a non-empty string.');

	const trackingId = idText(request.tracking_id);
	if (request.tracking_id === undefined || request.tracking_id === null)
		fail('tracking_id', 'The request.tracking_id field is required.');
	else if (trackingId === undefined)
		fail('tracking_id', 'The request.tracking_id must be a non-empty string.');
	else if (trackingId.length > 255)
		fail('tracking_id', 'The request.tracking_id may not be greater than 255 characters.');

	const currencyValue = request.currency;
	let currency: string | undefined;
	if (currencyValue === undefined || currencyValue === null)
		fail('currency', 'The request.currency field is required.');
	else if (typeof currencyValue !== 'string' || !/^[A-Z]{3}$/.test(currencyValue))
		fail('currency', 'The request.currency must be a 3-letter ISO 4217 code in upper case.');
	else if (CURRENCY_DECIMALS[currencyValue] === undefined)
		fail('currency', `The request.currency ${currencyValue} is not supported.`);
	else currency = currencyValue;

	let amount: string | undefined;
	const amountValue = request.amount;
	if (amountValue === undefined || amountValue === null)
		fail('amount', 'The request.amount field is required.');
	else if (!(amountValue instanceof JsonNumber))
		fail('amount', 'The request.amount must be a number (e.g. 10.05), not a string.');
	else {
		const decimals = currency ? CURRENCY_DECIMALS[currency] : 18;
		const checked = checkAmount(amountValue.text, decimals);
		if ('text' in checked) amount = checked.text;
		else if (checked.problem === 'decimals')
			fail(
				'amount',
				`The request.amount may have at most ${decimals} decimal${decimals === 1 ? '' : 's'} for ${currency}.`,
			);
		else fail('amount', 'The request.amount must be greater than 0.');
	}

	if (
		request.customer !== undefined &&
		request.customer !== null &&
		!isJsonObject(request.customer)
	)
		fail('customer', 'The request.customer must be an object.');
	if (
		request.settings !== undefined &&
		request.settings !== null &&
		!isJsonObject(request.settings)
	)
		fail('settings', 'The request.settings must be an object.');

	let providerId: string | undefined;
	if (kind === 'direct') {
		providerId = idText(request.provider_id);
		if (request.provider_id === undefined || request.provider_id === null)
			fail('provider_id', 'The request.provider_id field is required.');
		else if (providerId === undefined || !providerIds.includes(providerId))
			fail(
				'provider_id',
				`The selected request.provider_id is invalid; this sandbox has ${providerIds.join(', ')}.`,
			);
	}

	let routingId: string | undefined;
	let card: CardDetails | undefined;
	if (kind === 'card') {
		routingId = idText(request.routing_id);
		if (routingId === undefined) fail('routing_id', 'The request.routing_id field is required.');
		card = validateCard(request.card_details, fail);
	}

	if (Object.keys(errors).length > 0) throw validationError(errors);
	return {
		test,
		userId: userId as string,
		trackingId: trackingId as string,
		amount: amount as string,
		currency: currency as string,
		providerId,
		routingId,
		card,
	};
}

/** Never puts the card number or CVC into a message. */
function validateCard(
	value: JsonValue | undefined,
	fail: (field: string, message: string) => void,
): CardDetails | undefined {
	if (!isJsonObject(value)) {
		fail('card_details', 'The request.card_details field is required and must be an object.');
		return undefined;
	}
	const text = (member: JsonValue | undefined) =>
		typeof member === 'string' ? member : member instanceof JsonNumber ? member.text : undefined;
	const holder = text(value.holder_name);
	if (!holder || holder.trim() === '')
		fail('card_details.holder_name', 'The request.card_details.holder_name field is required.');
	const number = text(value.card_number)?.replace(/[\s-]/g, '');
	let outcome: CardOutcome | undefined;
	if (!number)
		fail('card_details.card_number', 'The request.card_details.card_number field is required.');
	else if (!/^\d{12,19}$/.test(number))
		fail(
			'card_details.card_number',
			'The request.card_details.card_number must be 12 to 19 digits.',
		);
	else if (!passesLuhn(number))
		fail(
			'card_details.card_number',
			'The request.card_details.card_number is not a valid card number (Luhn check failed).',
		);
	else outcome = cardOutcome(number);
	const cvc = text(value.cvc);
	if (!cvc) fail('card_details.cvc', 'The request.card_details.cvc field is required.');
	else if (!/^\d{3,4}$/.test(cvc))
		fail('card_details.cvc', 'The request.card_details.cvc must be 3 or 4 digits.');
	const month = text(value.exp_month);
	if (!month)
		fail('card_details.exp_month', 'The request.card_details.exp_month field is required.');
	else if (!/^(0?[1-9]|1[0-2])$/.test(month))
		fail('card_details.exp_month', 'The request.card_details.exp_month must be 01 to 12.');
	const year = text(value.exp_year);
	if (!year) fail('card_details.exp_year', 'The request.card_details.exp_year field is required.');
	else if (!/^\d{4}$/.test(year))
		fail('card_details.exp_year', 'The request.card_details.exp_year must be a 4-digit year.');
	return outcome ? { outcome } : undefined;
}

/** `{"transaction_id": ...}` of approve / reject (also accepted wrapped in `request`). */
export function validatePayoutDecision(body: JsonObject): {
	transactionId: string;
	reason?: string;
} {
	const source = isJsonObject(body.request) ? body.request : body;
	const transactionId = idText(source.transaction_id);
	if (transactionId === undefined)
		throw validationError({
			transaction_id: [
				source.transaction_id === undefined || source.transaction_id === null
					? 'The transaction_id field is required.'
					: 'The transaction_id must be a non-empty string.',
			],
		});
	const reasonValue = source.reason;
	if (reasonValue !== undefined && reasonValue !== null && typeof reasonValue !== 'string')
		throw validationError({ reason: ['The reason must be a string.'] });
	return {
		transactionId,
		reason: typeof reasonValue === 'string' && reasonValue.trim() !== '' ? reasonValue : undefined,
	};
}
