import { toPlainDecimalText } from '../common/decimal';

/**
 * Minor units per currency. Numipay publishes no currency list; this small ISO 4217 table is the
 * sandbox's assumption. A currency not in it is refused.
 */
export const CURRENCY_DECIMALS: Readonly<Record<string, number>> = {
	EUR: 2,
	GBP: 2,
	USD: 2,
	CAD: 2,
	AUD: 2,
	NZD: 2,
	CHF: 2,
	SEK: 2,
	NOK: 2,
	DKK: 2,
	PLN: 2,
	CZK: 2,
	HUF: 2,
	RON: 2,
	BGN: 2,
	TRY: 2,
	BRL: 2,
	MXN: 2,
	INR: 2,
	ZAR: 2,
	CNY: 2,
	HKD: 2,
	SGD: 2,
	AED: 2,
	JPY: 0,
	KRW: 0,
	CLP: 0,
	ISK: 0,
	VND: 0,
	KWD: 3,
	BHD: 3,
	JOD: 3,
	OMR: 3,
	TND: 3,
};

export type AmountProblem = 'format' | 'positive' | 'decimals';

/**
 * The plain decimal text of a JSON number token if it is a valid amount for `decimals` minor
 * units, else what is wrong. Trailing zeros beyond the minor units are allowed (10.050 EUR).
 */
export function checkAmount(
	token: string,
	decimals: number,
): { text: string } | { problem: AmountProblem } {
	const text = toPlainDecimalText(token);
	if (text === undefined || text.startsWith('-') || !/^\d+(\.\d+)?$/.test(text)) {
		return { problem: text?.startsWith('-') ? 'positive' : 'format' };
	}
	const [integer, fraction = ''] = text.split('.');
	if (!/[1-9]/.test(integer + fraction)) return { problem: 'positive' };
	if (fraction.replace(/0+$/, '').length > decimals) return { problem: 'decimals' };
	return { text };
}

/** The webhook's amount: a string with exactly the currency's decimals ("200.00", "1500"). */
export function formatAmount(text: string, currency: string): string {
	const decimals = CURRENCY_DECIMALS[currency] ?? 2;
	const [integer, fraction = ''] = text.split('.');
	const kept = fraction.replace(/0+$/, '').padEnd(decimals, '0');
	return decimals === 0 ? integer : `${integer}.${kept}`;
}
