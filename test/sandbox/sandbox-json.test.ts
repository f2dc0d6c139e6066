import fc from 'fast-check';

import {
	DecimalLiteral,
	JsonNumber,
	memberByMember,
	type Serializable,
	stringifyJson,
} from '../../sandbox/common/json';

// Strings and keys often hold the private-use mark the fast path writes around each decimal
const text = fc.oneof(
	fc.string(),
	fc.constantFrom('\uE000', '\uE0001\uE000', 'a\uE000b', '\uE000\uE000', '"\uE000'),
);
const decimal = fc.stringMatching(/^-?(0|[1-9]\d{0,20})(\.\d{1,18})?$/);
const { value } = fc.letrec<{ value: Serializable }>((tie) => ({
	value: fc.oneof(
		{ depthSize: 'small' },
		fc.constantFrom(undefined, null, true, false),
		fc.double(),
		text,
		decimal.map((d) => new DecimalLiteral(d)),
		decimal.map((d) => new JsonNumber(d)),
		fc.array(tie('value'), { maxLength: 5 }),
		fc.dictionary(text, tie('value'), { maxKeys: 5 }),
	),
}));

describe('sandbox stringifyJson', () => {
	it('writes what writing member by member writes, marks in strings included', () => {
		fc.assert(
			fc.property(value, (v) => {
				expect(stringifyJson(v)).toBe(memberByMember(v));
			}),
			{ numRuns: 2000 },
		);
	});

	it('writes decimals with their exact digits, unquoted', () => {
		expect(
			stringifyJson({ amount: new DecimalLiteral('10.10'), n: [new JsonNumber('1e400')] }),
		).toBe('{"amount":10.10,"n":[1e400]}');
		expect(stringifyJson({ note: '\uE0001\uE000', amount: new DecimalLiteral('1.00') })).toBe(
			'{"note":"\uE0001\uE000","amount":1.00}',
		);
	});
});
