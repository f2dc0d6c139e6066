import type { RecordedRequest } from '../common/http-server';

/**
 * Test cards of the sandbox (Numipay publishes none; these are assumed). Any other number that
 * passes the Luhn check is approved at once; one that fails it is refused with a 400.
 */
export const TEST_CARDS = {
	/** The card of the published request example: approved without 3-D Secure. */
	approved: '4111111111111111',
	/** Declined: HTTP 200 with transaction_status "rejected" and an `error`. */
	declined: '4000000000000002',
	/** Needs 3-D Secure: `url` to the sandbox's 3DS page, status pending until the customer acts. */
	threeDSecure: '4000000000003220',
} as const;

export const CARD_DECLINED_ERROR = 'Card declined by issuer';
export const THREE_DS_FAILED_REASON = '3-D Secure authentication failed';

export type CardOutcome = 'approved' | 'declined' | '3ds';

export function cardOutcome(digits: string): CardOutcome {
	if (digits === TEST_CARDS.declined) return 'declined';
	if (digits === TEST_CARDS.threeDSecure) return '3ds';
	return 'approved';
}

export function passesLuhn(digits: string): boolean {
	if (!/^\d{12,19}$/.test(digits)) return false;
	let sum = 0;
	for (let index = 0; index < digits.length; index++) {
		let digit = Number(digits[digits.length - 1 - index]);
		if (index % 2 === 1) {
			digit *= 2;
			if (digit > 9) digit -= 9;
		}
		sum += digit;
	}
	return sum % 10 === 0;
}

/** First six, stars, last four: what the sandbox keeps of a card number in its logs. */
export function maskCardNumber(digits: string): string {
	if (digits.length < 12) return '*'.repeat(digits.length);
	return `${digits.slice(0, 6)}${'*'.repeat(digits.length - 10)}${digits.slice(-4)}`;
}

const CARD_NUMBER_MEMBER = /("card_number"\s*:\s*)("(?:[^"\\]|\\.)*"|-?[\d.eE+-]+)/g;
const CVC_MEMBER = /("cvc"\s*:\s*)("(?:[^"\\]|\\.)*"|-?[\d.eE+-]+)/g;
/** Anything else that looks like a PAN (13-19 digits in a row) is starred out too. */
const LONG_DIGITS = /\d{13,19}/g;

/** The body with card_number masked and cvc replaced by "***", whatever the JSON looks like. */
export function maskCardData(body: string): string {
	return body
		.replace(CARD_NUMBER_MEMBER, (_, prefix: string, value: string) => {
			const digits = value.replace(/\D/g, '');
			return `${prefix}"${maskCardNumber(digits)}"`;
		})
		.replace(CVC_MEMBER, (_, prefix: string) => `${prefix}"***"`)
		.replace(LONG_DIGITS, (digits) => (passesLuhn(digits) ? maskCardNumber(digits) : digits));
}

/**
 * The recorded-request log: an array whose push masks card data first, so neither the raw body
 * nor the query string of any recorded request ever holds a card number or CVC.
 */
export function maskingRequestLog(): RecordedRequest[] {
	const log: RecordedRequest[] = [];
	const push = log.push.bind(log);
	log.push = (...items: RecordedRequest[]) =>
		push(
			...items.map((item) => {
				item.body = maskCardData(item.body);
				for (const key of Object.keys(item.query)) item.query[key] = maskCardData(item.query[key]);
				return item;
			}),
		);
	return log;
}
