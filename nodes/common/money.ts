// Decimal money as text. Amounts are validated and compared as scaled integers (bigint) and never
// pass through float arithmetic, so "10.005" EUR is an error instead of a silent 10.01.

// ISO 4217 (list one, 2024) minor-unit exponents that are not 2.
const EXPONENT_NOT_TWO: Record<string, number> = {
	BIF: 0,
	CLP: 0,
	DJF: 0,
	GNF: 0,
	ISK: 0,
	JPY: 0,
	KMF: 0,
	KRW: 0,
	PYG: 0,
	RWF: 0,
	UGX: 0,
	UYI: 0,
	VND: 0,
	VUV: 0,
	XAF: 0,
	XOF: 0,
	XPF: 0,
	BHD: 3,
	IQD: 3,
	JOD: 3,
	KWD: 3,
	LYD: 3,
	OMR: 3,
	TND: 3,
	CLF: 4,
	UYW: 4,
};

// Every other active ISO 4217 currency has two decimals. A code outside ISO 4217 is taken as a
// crypto-currency symbol (BTC, ETH, USDT...), whose precision depends on the chain: up to 18.
const ISO_TWO_DECIMALS = new Set(
	(
		'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN ' +
		'BZD CAD CDF CHE CHF CHW CNY COP COU CRC CUC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP ' +
		'GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK ' +
		'LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK ' +
		'NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD ' +
		'SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD XCG ' +
		'YER ZAR ZMW ZWG ZWL'
	).split(' '),
);

/** Every active ISO 4217 code the pack knows the decimals of, sorted. */
export const ISO_4217_CODES: readonly string[] = [
	...Object.keys(EXPONENT_NOT_TWO),
	...ISO_TWO_DECIMALS,
].sort();

export const CRYPTO_MAX_DECIMALS = 18;

export class MoneyError extends Error {}

export interface CurrencyInfo {
	code: string;
	/** Digits allowed after the decimal point. */
	decimals: number;
	iso: boolean;
}

export function currencyInfo(currency: unknown, field = 'Currency'): CurrencyInfo {
	const code = typeof currency === 'string' ? currency.trim().toUpperCase() : '';
	if (!/^[A-Z0-9]{2,12}$/.test(code)) {
		throw new MoneyError(
			`${field} must be an ISO 4217 code such as EUR or a crypto-currency symbol such as BTC (2 to 12 letters or digits); got ${describe(currency)}`,
		);
	}
	if (code in EXPONENT_NOT_TWO) return { code, decimals: EXPONENT_NOT_TWO[code], iso: true };
	if (ISO_TWO_DECIMALS.has(code)) return { code, decimals: 2, iso: true };
	return { code, decimals: CRYPTO_MAX_DECIMALS, iso: false };
}

export interface AmountRules {
	/** Smallest allowed amount, as decimal text, inclusive. Default: anything above zero. */
	min?: string;
	/** Largest allowed amount, as decimal text, inclusive. */
	max?: string;
	allowZero?: boolean;
}

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/**
 * Validates an amount for a currency and returns the digits to send: the ones the operator typed,
 * without leading zeros and without trailing zeros beyond the currency's decimals ("010.50" ->
 * "10.50", "10.000" EUR -> "10.00"), so a checkout page shows what the operator wrote. Accepts a
 * decimal string or a number an expression produced; the message names the field and says what
 * is allowed.
 */
export function parseAmount(
	value: unknown,
	currency: CurrencyInfo,
	field: string,
	rules: AmountRules = {},
): string {
	const allowed = `a decimal number with at most ${places(currency.decimals)} for ${currency.code}`;
	let text: string;
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) throw new MoneyError(`${field} must be ${allowed}; got ${value}`);
		// Shortest round-trip text: what the user typed, unless float math produced the number
		text = numberToPlainText(value);
	} else if (typeof value === 'string') {
		text = value.trim();
	} else {
		throw new MoneyError(`${field} must be ${allowed}; got ${describe(value)}`);
	}
	if (text.startsWith('-')) {
		throw new MoneyError(`${field} must not be negative; got "${text}". Use ${allowed}`);
	}
	const m = DECIMAL.exec(text);
	if (!m)
		throw new MoneyError(
			`${field} must be ${allowed} (digits and one ".", no sign, separators or exponent); got "${text}"`,
		);
	const fraction = (m[2] ?? '').replace(/0+$/, '');
	if (fraction.length > currency.decimals) {
		throw new MoneyError(
			`${field} has ${places(fraction.length)} but ${currency.code} allows ${currency.decimals}; got "${text}". Round it yourself before sending, the pack never rounds money`,
		);
	}
	const typed = m[2] ?? '';
	const kept = typed.slice(0, Math.max(fraction.length, Math.min(typed.length, currency.decimals)));
	const canonical = (m[1].replace(/^0+(?=\d)/, '') || '0') + (kept ? `.${kept}` : '');
	const isZero = /^0(\.0*)?$/.test(canonical);
	if (isZero && !rules.allowZero)
		throw new MoneyError(`${field} must be greater than zero; got "${text}"`);
	if (rules.min !== undefined && !isZero && compareDecimal(canonical, rules.min) < 0) {
		throw new MoneyError(`${field} must be at least ${rules.min}; got "${text}"`);
	}
	if (rules.max !== undefined && compareDecimal(canonical, rules.max) > 0) {
		throw new MoneyError(`${field} must be at most ${rules.max}; got "${text}"`);
	}
	return canonical;
}

/** Scaled integer value of a non-negative decimal text at the given number of decimals. */
export function toMinorUnits(text: string, decimals: number): bigint {
	const m = DECIMAL.exec(text);
	if (!m) throw new MoneyError(`Not a decimal amount: "${text}"`);
	const fraction = m[2] ?? '';
	if (fraction.replace(/0+$/, '').length > decimals) {
		throw new MoneyError(`"${text}" has more than ${decimals} decimal places`);
	}
	return BigInt(m[1] + fraction.padEnd(decimals, '0').slice(0, decimals));
}

/** -1, 0 or 1, comparing two non-negative decimal texts exactly. */
export function compareDecimal(a: string, b: string): number {
	const scale = Math.max(decimalsOf(a), decimalsOf(b));
	const x = toMinorUnits(a, scale);
	const y = toMinorUnits(b, scale);
	return x < y ? -1 : x > y ? 1 : 0;
}

/** Whether two amounts are the same number ("10.5" and "10.50"); false when either is not a decimal text. */
export function sameAmount(a: unknown, b: unknown): boolean {
	try {
		return typeof a === 'string' && typeof b === 'string' && compareDecimal(a, b) === 0;
	} catch {
		return false;
	}
}

function decimalsOf(text: string): number {
	const dot = text.indexOf('.');
	return dot < 0 ? 0 : text.length - dot - 1;
}

/**
 * Decimal text of a number as JavaScript prints it, without exponent notation (1e-7 becomes
 * "0.0000001"). For an amount that arrived as JSON this is the provider's own digits, unless they
 * had more than 15-17 significant digits; prefer numberText() from ./json when the source is known.
 */
export function numberToPlainText(value: number): string {
	const text = String(value);
	const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
	if (!m) return text;
	const [, sign, lead, rest = '', expText] = m;
	const exp = Number(expText);
	const digits = lead + rest;
	if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
	return (
		sign +
		(exp >= rest.length
			? digits + '0'.repeat(exp - rest.length)
			: `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`)
	);
}

function places(n: number): string {
	return `${n} decimal place${n === 1 ? '' : 's'}`;
}

function describe(value: unknown): string {
	if (value === undefined || value === null || value === '') return 'nothing';
	if (typeof value === 'string') return `"${value}"`;
	if (typeof value === 'object') return 'an object';
	return String(value);
}
