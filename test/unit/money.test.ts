import { currencyOptions, currencyProperty } from '../../nodes/common/currency';
import {
	compareDecimal,
	currencyInfo,
	ISO_4217_CODES,
	MoneyError,
	numberToPlainText,
	parseAmount,
	toMinorUnits,
} from '../../nodes/common/money';

const rules = { min: '0.00001', max: '1000000000' };
const parse = (value: unknown, currency: string) =>
	parseAmount(value, currencyInfo(currency), 'Amount', rules);

describe('currencyInfo', () => {
	it.each([
		['EUR', 2],
		['usd', 2],
		['JPY', 0],
		['CLP', 0],
		['KRW', 0],
		['VND', 0],
		['KWD', 3],
		['BHD', 3],
		['JOD', 3],
		['CLF', 4],
		['BTC', 18],
		['USDT', 18],
	])('%s has %i decimals', (code, decimals) => {
		expect(currencyInfo(code).decimals).toBe(decimals);
	});

	it('names the field and what is allowed for a bad code', () => {
		expect(() => currencyInfo('E', 'Currency')).toThrow(
			/Currency must be an ISO 4217 code .* got "E"/,
		);
		expect(() => currencyInfo('', 'Currency')).toThrow(/got nothing/);
		expect(() => currencyInfo('EU R', 'Currency')).toThrow(MoneyError);
	});
});

describe('the ISO 4217 list, and the Currency options built from it', () => {
	it('lists each code the table knows once, sorted, each one ISO 4217', () => {
		expect(ISO_4217_CODES).toEqual([...new Set(ISO_4217_CODES)].sort());
		expect(ISO_4217_CODES).toEqual(expect.arrayContaining(['EUR', 'INR', 'JPY', 'KWD', 'CLF']));
		expect(ISO_4217_CODES.length).toBeGreaterThan(150);
		expect(ISO_4217_CODES.filter((code) => !currencyInfo(code).iso)).toEqual([]);
		expect(ISO_4217_CODES).not.toContain('BTC');
	});

	it('names an option by its code (with the English name where known) and says its decimals', () => {
		const [jpy] = currencyOptions(['JPY']);
		expect(jpy.value).toBe('JPY');
		expect(jpy.name).toMatch(/^JPY( \(.+\))?$/);
		expect(jpy.description).toBe('0 decimal places');
		expect(currencyOptions(['KWD'])[0].description).toBe('3 decimal places');
	});

	it('refuses a default the list does not hold', () => {
		expect(() =>
			currencyProperty({ name: 'currency', default: 'EUR', codes: ['INR'], description: 'x' }),
		).toThrow(/default EUR is not listed/);
	});
});

describe('parseAmount', () => {
	it('rejects 10.005 EUR naming the field and the rule, without rounding', () => {
		expect(() => parse('10.005', 'EUR')).toThrow(
			'Amount has 3 decimal places but EUR allows 2; got "10.005"',
		);
	});

	it('rejects negatives, zero, empty, exponents, separators and non-numbers', () => {
		expect(() => parse('-5', 'EUR')).toThrow('Amount must not be negative; got "-5"');
		expect(() => parse('0', 'EUR')).toThrow(/greater than zero/);
		expect(() => parse('0.00', 'EUR')).toThrow(/greater than zero/);
		expect(() => parse('', 'EUR')).toThrow(/Amount must be a decimal number/);
		expect(() => parse('1e3', 'EUR')).toThrow(/no sign, separators or exponent/);
		expect(() => parse('1,000.00', 'EUR')).toThrow(/no sign, separators or exponent/);
		expect(() => parse('+5', 'EUR')).toThrow(MoneyError);
		expect(() => parse('.5', 'EUR')).toThrow(MoneyError);
		expect(() => parse(null, 'EUR')).toThrow(/got nothing/);
		expect(() => parse({}, 'EUR')).toThrow(/got an object/);
		expect(() => parse(Number.NaN, 'EUR')).toThrow(MoneyError);
	});

	it('applies the currency exponent: JPY whole, KWD three decimals, BTC eighteen', () => {
		expect(parse('1500', 'JPY')).toBe('1500');
		expect(() => parse('1500.5', 'JPY')).toThrow(
			'Amount has 1 decimal place but JPY allows 0; got "1500.5"',
		);
		expect(parse('1.234', 'KWD')).toBe('1.234');
		expect(() => parse('1.2345', 'KWD')).toThrow(/KWD allows 3/);
		const eth = currencyInfo('ETH');
		expect(parseAmount('0.000000000000000001', eth, 'Amount')).toBe('0.000000000000000001');
		expect(() => parseAmount('0.0000000000000000001', eth, 'Amount')).toThrow(/allows 18/);
	});

	it('keeps the digits the operator typed, dropping only leading zeros and zeros the currency has no room for', () => {
		expect(parse('010.50', 'EUR')).toBe('10.50');
		expect(parse(' 10.00 ', 'EUR')).toBe('10.00');
		expect(parse('10.000', 'EUR')).toBe('10.00');
		expect(parse('10.050', 'KWD')).toBe('10.050');
		expect(parse('1500', 'JPY')).toBe('1500');
		expect(parse('1500.00', 'JPY')).toBe('1500');
		expect(parse('0.123456789012345678', 'BTC')).toBe('0.123456789012345678');
		expect(parse('1.500000000000000000000', 'ETH')).toBe('1.500000000000000000');
	});

	it('accepts numbers from expressions, but not the results of float error', () => {
		expect(parse(10.5, 'EUR')).toBe('10.5');
		expect(parse(1e-5, 'BTC')).toBe('0.00001');
		expect(() => parse(0.1 + 0.2, 'EUR')).toThrow(/0.30000000000000004/);
	});

	it('enforces provider bounds exactly', () => {
		expect(parse('1000000000', 'EUR')).toBe('1000000000');
		expect(() => parse('1000000000.01', 'EUR')).toThrow(
			'Amount must be at most 1000000000; got "1000000000.01"',
		);
		expect(() => parse('0.000009', 'BTC')).toThrow(
			'Amount must be at least 0.00001; got "0.000009"',
		);
		expect(parseAmount('0', currencyInfo('EUR'), 'Amount', { ...rules, allowZero: true })).toBe(
			'0',
		);
	});
});

describe('decimal arithmetic helpers', () => {
	it('converts to minor units exactly', () => {
		expect(toMinorUnits('10.05', 2)).toBe(BigInt(1005));
		expect(toMinorUnits('1.005', 3)).toBe(BigInt(1005));
		expect(toMinorUnits('10', 2)).toBe(BigInt(1000));
		expect(() => toMinorUnits('1.005', 2)).toThrow(MoneyError);
	});

	it('compares decimals of any scale', () => {
		expect(compareDecimal('10.5', '10.50')).toBe(0);
		expect(compareDecimal('0.1', '0.09999999999999999999')).toBe(1);
		expect(compareDecimal('999999999.999999999999999999', '1000000000')).toBe(-1);
	});

	it('prints numbers without exponent notation', () => {
		expect(numberToPlainText(1e-7)).toBe('0.0000001');
		expect(numberToPlainText(1.5e-7)).toBe('0.00000015');
		expect(numberToPlainText(1e21)).toBe('1000000000000000000000');
		expect(numberToPlainText(1.25e21)).toBe('1250000000000000000000');
		expect(numberToPlainText(11.12)).toBe('11.12');
	});
});
