import { decimalToUnits, unitsToDecimal, ZERO } from '../common/decimal';
import { DecimalLiteral } from '../common/json';

/** Rupee amounts carry paise at most. */
const MAX_DECIMALS = 2;
const DECIMAL_TEXT = /^-?\d+(?:\.(\d+))?$/;

export type AmountCheck =
	| { ok: true; units: bigint }
	| { ok: false; problem: 'format' | 'precision' | 'range' };

/** Scaled units (common/decimal scale) of a positive amount with at most two decimals. */
export function checkAmount(text: string): AmountCheck {
	const match = DECIMAL_TEXT.exec(text.trim());
	if (!match) return { ok: false, problem: 'format' };
	if ((match[1] ?? '').length > MAX_DECIMALS) return { ok: false, problem: 'precision' };
	const units = decimalToUnits(text.trim());
	if (units === undefined) return { ok: false, problem: 'format' };
	if (units <= ZERO) return { ok: false, problem: 'range' };
	return { ok: true, units };
}

export function amountUnits(text: string): bigint {
	const checked = checkAmount(text);
	if (!checked.ok)
		throw new RangeError(`Not a positive amount with at most ${MAX_DECIMALS} decimals: ${text}`);
	return checked.units;
}

/** The seed's amount strings: at least one decimal ("41.0", "10.5", "10.25"). */
export function formatAmount(units: bigint): string {
	const text = unitsToDecimal(units);
	return text.includes('.') ? text : `${text}.0`;
}

/** The seed's transaction `balance` is a bare JSON number (40, 83); written with exact digits. */
export function balanceLiteral(units: bigint): DecimalLiteral {
	return new DecimalLiteral(unitsToDecimal(units));
}

/** Two-decimal text for gateway amounts and callbacks ("10.00"). */
export function formatRupees(units: bigint): string {
	const text = unitsToDecimal(units);
	const [integer, fraction = ''] = text.split('.');
	return `${integer}.${fraction.padEnd(2, '0')}`;
}
