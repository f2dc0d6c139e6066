/**
 * BRL amounts as exact text and integer centavos (BigInt): never through a float. The API takes
 * and answers JSON numbers with at most two decimals; answers always carry two ("10.50").
 */

export const ZERO = BigInt(0);
const HUNDRED = BigInt(100);
/** A plain decimal, no sign, no exponent, at most 2 decimals and 12 integer digits. */
const AMOUNT_TEXT = /^(0|[1-9]\d{0,11})(?:\.(\d{1,2}))?$/;

/** Centavos of a plain decimal text, or undefined if it is not one (sign, exponent, 3 decimals). */
export function parseCents(text: string): bigint | undefined {
	const match = AMOUNT_TEXT.exec(text);
	if (!match) return undefined;
	return BigInt(match[1]) * HUNDRED + BigInt((match[2] ?? '').padEnd(2, '0'));
}

export function cents(text: string): bigint {
	const value = parseCents(text);
	if (value === undefined) throw new Error(`Not a BRL amount: ${text}`);
	return value;
}

/** "10.50", "-3.00". */
export function formatAmount(value: bigint): string {
	const negative = value < ZERO;
	const magnitude = negative ? -value : value;
	const fraction = (magnitude % HUNDRED).toString().padStart(2, '0');
	return `${negative ? '-' : ''}${magnitude / HUNDRED}.${fraction}`;
}

/** Brazilian display: "R$ 5.000,00". */
export function formatReais(value: bigint): string {
	const [integer, fraction] = formatAmount(value).split('.');
	const negative = integer.startsWith('-');
	const digits = negative ? integer.slice(1) : integer;
	const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
	return `R$ ${negative ? '-' : ''}${grouped},${fraction}`;
}

/** A setting or handle amount ('5000.00', '0'): throws a plain Error when it is not one. */
export function normalizeAmount(text: string, name: string): string {
	const value = parseCents(text);
	if (value === undefined)
		throw new RangeError(`${name} must be a BRL amount like "5000.00" (at most 2 decimals)`);
	return formatAmount(value);
}
