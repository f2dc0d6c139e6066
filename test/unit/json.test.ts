import fc from 'fast-check';

import {
	compactJson,
	JsonNumber,
	JsonSyntaxError,
	moneyAsText,
	numberText,
	parseJson,
	RawJson,
	stringifyJson,
} from '../../nodes/common/json';

describe('parseJson', () => {
	it('returns what JSON.parse returns', () => {
		const samples = [
			'{}',
			'[]',
			'null',
			'"x"',
			'-0',
			'{"a":[1,2.5,-3e2,{"b":null,"c":true,"d":false}],"e":"\\u00e9\\n\\"q\\"","f":{}}',
			' { "spaced" : [ 1 , 2 ] } ',
			'{"__proto__":{"polluted":true}}',
			'[1e400, 123456789012345678901234567890]',
		];
		for (const text of samples) expect(parseJson(text)).toEqual(JSON.parse(text));
		expect(Object.getPrototypeOf(parseJson('{"__proto__":{"x":1}}'))).toBe(Object.prototype);
	});

	it('keeps the source text of every number', () => {
		const payment = parseJson(
			'{"amount":10.10,"fee":0.000000000000000001,"big":12345678901234567.891,"nested":{"amount":1E-7}}',
		) as Record<string, never>;
		expect(payment.amount).toBe(10.1);
		expect(numberText(payment, 'amount')).toBe('10.10');
		expect(numberText(payment, 'fee')).toBe('0.000000000000000001');
		expect(numberText(payment, 'big')).toBe('12345678901234567.891');
		expect(numberText(payment.nested, 'amount')).toBe('1E-7');
		expect(numberText(payment, 'missing')).toBeUndefined();
		expect(numberText(JSON.parse('{"amount":1}'), 'amount')).toBeUndefined();
	});

	it.each([
		'',
		'{',
		'{"a":1,}',
		'[1,]',
		'{"a" 1}',
		'01',
		'1.',
		'tru',
		'{"a":1}x',
		'"\u0001"',
		"{'a':1}",
		'NaN',
	])('rejects %j', (text) => {
		expect(() => parseJson(text)).toThrow(JsonSyntaxError);
		expect(() => JSON.parse(text)).toThrow();
	});
});

describe('compactJson', () => {
	it('is JSON.stringify of the value for any reformatted JSON', () => {
		fc.assert(
			fc.property(fc.jsonValue(), fc.integer({ min: 0, max: 4 }), (value, indent) => {
				const pretty = JSON.stringify(value, null, indent);
				expect(compactJson(pretty)).toBe(JSON.stringify(value));
			}),
			{ seed: 20261124, numRuns: 2000 },
		);
	});

	it('keeps every token as sent: digits, escapes, spaces inside strings', () => {
		expect(compactJson('{ "a" : 200.00 ,\n "b\\" x" : [ "\\u00e9 \\/ y" , 1e3 ] }')).toBe(
			'{"a":200.00,"b\\" x":["\\u00e9 \\/ y",1e3]}',
		);
		expect(() => compactJson('{"a": 1')).toThrow(JsonSyntaxError);
	});
});

describe('stringifyJson', () => {
	it('matches JSON.stringify for plain values', () => {
		const value = { a: [1, 'x', null, true, { b: undefined, c: 2 }], d: undefined, e: 'q"\n' };
		expect(stringifyJson(value)).toBe(JSON.stringify(value));
		expect(stringifyJson([undefined])).toBe(JSON.stringify([undefined]));
	});

	it('writes JsonNumber and RawJson verbatim', () => {
		expect(stringifyJson({ amount: new JsonNumber('0.000000000000000001'), currency: 'ETH' })).toBe(
			'{"amount":0.000000000000000001,"currency":"ETH"}',
		);
		expect(stringifyJson(new RawJson('{"amount": 10.10}'))).toBe('{"amount": 10.10}');
	});
});

describe('moneyAsText', () => {
	const money = new Set(['amount', 'fee']);

	it('turns amounts at any depth into the exact digits the provider sent, and leaves other numbers alone', () => {
		const parsed = parseJson(
			'{"amount":0.123456789012345678,"currency":"BTC","fee":10.00,"count":3,"items":[{"amount":1500},{"amount":1E-7,"rate":0.5}],"nested":{"fee":12345678901234567.891}}',
		);
		expect(moneyAsText(parsed, money)).toEqual({
			amount: '0.123456789012345678',
			currency: 'BTC',
			fee: '10.00',
			count: 3,
			items: [{ amount: '1500' }, { amount: '1E-7', rate: 0.5 }],
			nested: { fee: '12345678901234567.891' },
		});
	});

	it('keeps amounts that already are text, and writes numbers not parsed here without exponent', () => {
		expect(moneyAsText({ amount: '41.0', fee: 1e-7 }, money)).toEqual({
			amount: '41.0',
			fee: '0.0000001',
		});
	});
});
