/**
 * Money as decimal text and scaled BigInt: no amount ever passes through a float, so limits,
 * refund totals and balances are exact to the last of the 18 decimals pay.tech allows.
 */

export const DECIMAL_SCALE = 18;
/** BigInt literals need ES2020; the project targets ES2019. */
export const ZERO = BigInt(0);
const SCALE_FACTOR = BigInt(10) ** BigInt(DECIMAL_SCALE);
const DECIMAL_TEXT = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/**
 * Rewrites exponent notation as a plain decimal and otherwise keeps the text exactly as given
 * (trailing zeros included), because the client's own digits are what it must get back.
 */
export function toPlainDecimalText(text: string): string | undefined {
	const match = DECIMAL_TEXT.exec(text);
	if (!match) return undefined;
	const [, sign, integer, fraction = '', exponentText] = match;
	if (exponentText === undefined) return text;
	const exponent = Number(exponentText);
	if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > 400) return undefined;
	const digits = integer + fraction;
	const pointAt = integer.length + exponent;
	let plain: string;
	if (pointAt <= 0) plain = `0.${'0'.repeat(-pointAt)}${digits}`;
	else if (pointAt >= digits.length) plain = digits + '0'.repeat(pointAt - digits.length);
	else plain = `${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`;
	plain = plain.replace(/^0+(?=\d)/, '');
	return sign + plain;
}

/** Scaled units (value × 10^18), or undefined when the text is not a decimal of at most 18 places. */
export function decimalToUnits(text: string): bigint | undefined {
	const plain = toPlainDecimalText(text);
	if (plain === undefined) return undefined;
	const match = DECIMAL_TEXT.exec(plain);
	if (!match) return undefined;
	const [, sign, integer, fraction = ''] = match;
	const significant = fraction.replace(/0+$/, '');
	if (significant.length > DECIMAL_SCALE) return undefined;
	const units =
		BigInt(integer) * SCALE_FACTOR + BigInt(significant.padEnd(DECIMAL_SCALE, '0') || '0');
	return sign === '-' ? -units : units;
}

/** Shortest plain decimal text for scaled units: 15.6, 0, -3.000000000000000001. */
export function unitsToDecimal(units: bigint): string {
	const negative = units < ZERO;
	const magnitude = negative ? -units : units;
	const integer = magnitude / SCALE_FACTOR;
	const fraction = (magnitude % SCALE_FACTOR)
		.toString()
		.padStart(DECIMAL_SCALE, '0')
		.replace(/0+$/, '');
	return `${negative ? '-' : ''}${integer}${fraction ? `.${fraction}` : ''}`;
}

export function decimalUnits(text: string): bigint {
	const units = decimalToUnits(text);
	if (units === undefined) throw new Error(`Not a decimal amount: ${text}`);
	return units;
}
