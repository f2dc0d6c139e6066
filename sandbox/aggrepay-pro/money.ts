import type { AmountUnit } from './types';

/**
 * Minor units per currency. Aggrepay.pro publishes no currency list; this ISO 4217 table is the
 * sandbox's assumption (the P2P region's currencies and the usual ones). Others are refused (422).
 */
export const CURRENCY_DECIMALS: Readonly<Record<string, number>> = {
	RUB: 2,
	UAH: 2,
	KZT: 2,
	UZS: 2,
	AZN: 2,
	BYN: 2,
	GEL: 2,
	AMD: 2,
	KGS: 2,
	TJS: 2,
	MDL: 2,
	TRY: 2,
	EUR: 2,
	USD: 2,
	GBP: 2,
	CHF: 2,
	PLN: 2,
	CZK: 2,
	INR: 2,
	BRL: 2,
	AED: 2,
	CNY: 2,
	JPY: 0,
	KRW: 0,
	VND: 0,
	KWD: 3,
	BHD: 3,
	TND: 3,
};

export function currencyDecimals(currency: string): number | undefined {
	return Object.prototype.hasOwnProperty.call(CURRENCY_DECIMALS, currency)
		? CURRENCY_DECIMALS[currency]
		: undefined;
}

export type AmountReading = { text: string; minor: bigint } | { problem: string };

/**
 * A JSON number token read as an amount in `unit`: major = a decimal with at most `decimals`
 * places (10.50), minor = an integer of minor units (1050). The text is kept exactly as written.
 */
export function readAmount(token: string, decimals: number, unit: AmountUnit): AmountReading {
	if (/[eE]/.test(token))
		return { problem: 'write the amount in plain digits, without an exponent' };
	if (token.startsWith('-') || !/[1-9]/.test(token))
		return { problem: 'the amount must be greater than 0' };
	if (unit === 'minor') {
		if (!/^\d+$/.test(token))
			return {
				problem: 'the amount must be a whole number of minor units (the amount unit is minor)',
			};
		return { text: token, minor: BigInt(token) };
	}
	const [integer, fraction = ''] = token.split('.');
	if (fraction.length > decimals)
		return {
			problem:
				decimals === 0
					? 'the amount must be a whole number for this currency'
					: `the amount may have at most ${decimals} decimals for this currency`,
		};
	return { text: token, minor: BigInt(integer + fraction.padEnd(decimals, '0')) };
}

/**
 * Decimal text in major units ('1000.00', '100') as minor units; trailing zeros beyond the
 * currency's decimals are allowed. Undefined when not a non-negative decimal of that precision.
 */
export function majorToMinor(text: string, decimals: number): bigint | undefined {
	const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
	if (!match) return undefined;
	const [, integer, fraction = ''] = match;
	const significant = fraction.replace(/0+$/, '');
	if (significant.length > decimals) return undefined;
	return BigInt(integer + significant.padEnd(decimals, '0'));
}

/** Minor units as major decimal text with exactly the currency's decimals: 1050 -> "10.50". */
export function minorToMajor(minor: bigint, decimals: number): string {
	const negative = minor < BigInt(0);
	const digits = (negative ? -minor : minor).toString().padStart(decimals + 1, '0');
	const text = decimals === 0 ? digits : `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
	return negative ? `-${text}` : text;
}

/** Minor units written in `unit`. */
export function formatInUnit(minor: bigint, decimals: number, unit: AmountUnit): string {
	return unit === 'minor' ? minor.toString() : minorToMajor(minor, decimals);
}
