import fc from 'fast-check';

import {
	compactJson,
	JsonNumber,
	JsonSyntaxError,
	moneyAsText,
	numberText,
	parseJson,
	parseJsonMoney,
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

describe('parseJsonMoney', () => {
	const money = new Set(['amount', 'fee']);

	/** Number texts JSON.parse rounds or shortens, and plain ones. */
	const numbers = fc.constantFrom(
		'10.00',
		'0.123456789012345678',
		'12345678901234567.891',
		'1E-7',
		'-0',
		'0',
		'-2.50',
		'7',
		'1e400',
	);
	/** Keys meant to look like money keys in the text without being one, and money keys. */
	const key = fc.constantFrom(
		'amount',
		'fee',
		'id',
		'x"amount',
		'amount ',
		'\\"amount',
		'0',
		'12',
		'note',
	);
	const tricky = fc.constantFrom('"amount":5', '{"amount":1.10}', 'x\\', ' "fee" : 3 ', 'plain');
	const space = fc.constantFrom('', ' ', '\n  ', '\t');
	interface Text {
		text: string;
	}
	const { json } = fc.letrec<{ json: Text; object: Text; array: Text; leaf: Text }>((tie) => ({
		leaf: fc.oneof(
			numbers.map((text) => ({ text })),
			tricky.map((t) => ({ text: JSON.stringify(t) })),
			fc.constantFrom('null', 'true').map((text) => ({ text })),
		),
		json: fc.oneof({ depthSize: 'small' }, tie('leaf'), tie('object'), tie('array')),
		object: fc
			.array(
				fc.tuple(key, fc.boolean(), space, tie('json')).map(([k, escaped, ws, v]) => {
					// a key written with a \u escape parses to the same key but reads differently
					const written = escaped
						? `"\\u${k.charCodeAt(0).toString(16).padStart(4, '0')}${JSON.stringify(k.slice(1)).slice(1)}`
						: JSON.stringify(k);
					return `${ws}${written}${ws}:${ws}${v.text}`;
				}),
				{ maxLength: 5 },
			)
			.map((entries) => ({ text: `{${entries.join(',')}}` })),
		array: fc
			.array(tie('json'), { maxLength: 4 })
			.map((values) => ({ text: `[${values.map((v) => v.text).join(', ')}]` })),
	}));

	it('gives what moneyAsText(parseJson()) gives, for any JSON, tricks included', () => {
		fc.assert(
			fc.property(json, ({ text }) => {
				expect(parseJsonMoney(text, money)).toEqual(moneyAsText(parseJson(text), money));
			}),
			{ numRuns: 3000 },
		);
	});

	it("uses JSON.parse for a provider-like page, keeping every amount's digits", () => {
		const page = `{"hasMore":true,"result":[${Array.from(
			{ length: 50 },
			(_, k) =>
				`{"id":"p${k}","amount":${k}.${k % 10}0,"fee":0.000000000000000001,"note":"{\\"amount\\":9}","count":${k}}`,
		).join(',')}]}`;
		const parsed = parseJsonMoney(page, money) as { result: Array<Record<string, unknown>> };
		expect(parsed).toEqual(moneyAsText(parseJson(page), money));
		expect(parsed.result[3]).toMatchObject({ amount: '3.30', fee: '0.000000000000000001' });
		// parseJson keeps every number's text; JSON.parse keeps none: the quick way was taken
		expect(numberText(parsed.result[3], 'count')).toBeUndefined();
	});

	it.each([
		// "amount" closes the key x"amount: its opening quote is escaped, so it is not a money key
		[
			'a quote inside a key',
			String.raw`{"x\"amount":5.0,"\u0061mount":5.00}`,
			{ 'x"amount': 5, amount: '5.00' },
		],
		// JavaScript lists the key "0" before "1", whatever the text's order
		[
			'keys like array indexes',
			'{"1":{"amount":2.20},"0":{"amount":2.2}}',
			{ 0: { amount: '2.2' }, 1: { amount: '2.20' } },
		],
		// the repeated key drops the visible 1.0; the escaped key holds the only amount, 1, so
		// counts and values agree (found by the property above, with -0 and 0)
		[
			'a repeated key and an escaped one',
			String.raw`{"amount":1.0,"amount":{"\u0061mount":1}}`,
			{ amount: { amount: '1' } },
		],
		[
			'a repeated key and an escaped one, -0 and 0',
			String.raw`[{"amount":-0,"amount":{"\u0061mount":0}}]`,
			[{ amount: { amount: '0' } }],
		],
		// escapes of characters no money field has in its name (as Go writes < and >) change nothing
		[
			'other escapes',
			String.raw`{"note":"\u003cb\u003e","amount":7.70}`,
			{ note: '<b>', amount: '7.70' },
		],
	])('keeps each amount with its own digits: %s', (_case, text, expected) => {
		expect(parseJsonMoney(text, money)).toEqual(expected);
	});

	it('throws on text that is not JSON', () => {
		expect(() => parseJsonMoney('{"amount":1,}', money)).toThrow(SyntaxError);
	});
});
