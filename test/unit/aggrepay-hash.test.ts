import { createHash } from 'node:crypto';

import CryptoJS from 'crypto-js';

import { parseJson } from '../../nodes/common/json';
import {
	aggrepayFieldsHash,
	hashesEqual,
	phpJsonEncode,
	phpTrim,
	verifyAggrepayResponseHash,
} from '../../nodes/Aggrepay/hash';

// Vectors A1 and A2 from docs/providers/aggrepay.md (computed, not published by AggrePay)
const FIELDS_HASH =
	'30956DC96CA587B65C99BA5001C5E7521416781357126E8E7C50CF313CB3FA810131970F2D9FFC6A42F6F08A0E45E2B6BC74AE26629962D00201BEE55016FEB8';
const RESPONSE_HASH =
	'5298119113CD3580EF7BEFDCD6C893E71B380D140E3ABAD4A8F6246BE208A7B5D41F418BD985736478D403F361A94A1BBFEDCFF7C9376162876360ABF9499722';
const upperSha512 = (text: string) => createHash('sha512').update(text).digest('hex').toUpperCase();

describe('AggrePay request and callback hash', () => {
	it('matches the vector: salt first, sorted keys, empty values skipped', () => {
		expect(
			aggrepayFieldsHash(
				{ api_key: 'test_api_key', email: 'a@b.com', mobile_number: '' },
				'TEST_SALT',
			),
		).toBe(FIELDS_HASH);
		// key order of the input does not matter, the hash field is left out, values are trimmed
		expect(
			aggrepayFieldsHash(
				{ mobile_number: '   ', hash: 'X', email: ' a@b.com ', api_key: 'test_api_key' },
				'TEST_SALT',
			),
		).toBe(FIELDS_HASH);
	});

	it('sorts keys in byte order like PHP ksort (uppercase before lowercase, "_" between)', () => {
		const hash = aggrepayFieldsHash({ b: '2', B: '1', a_b: '4', ab: '5', a: '3' }, 'S');
		expect(hash).toBe(upperSha512('S|1|3|4|5|2'));
	});

	it('agrees with crypto-js on non-ASCII values', () => {
		const fields = { name: 'Zoë Müller', city: 'Bengaluru / ಬೆಂಗಳೂರು', amount: '10.00' };
		expect(aggrepayFieldsHash(fields, 'SALT')).toBe(
			CryptoJS.SHA512('SALT|10.00|Bengaluru / ಬೆಂಗಳೂರು|Zoë Müller')
				.toString(CryptoJS.enc.Hex)
				.toUpperCase(),
		);
	});

	it('compares hashes case-insensitively and refuses non-strings', () => {
		expect(hashesEqual(FIELDS_HASH, FIELDS_HASH.toLowerCase())).toBe(true);
		expect(hashesEqual(FIELDS_HASH, FIELDS_HASH.slice(1))).toBe(false);
		expect(hashesEqual(FIELDS_HASH, undefined)).toBe(false);
		// "\uFB00".toUpperCase() is "FF": only hex digits may spell a hash
		expect(FIELDS_HASH).toContain('FF');
		expect(hashesEqual(FIELDS_HASH, FIELDS_HASH.replace('FF', '\uFB00'))).toBe(false);
	});

	it("trims values with PHP trim()'s characters only, as the provider's PHP does", () => {
		expect(phpTrim(' \t\n\r\0\x0Bx y\x0B\0\r\n\t ')).toBe('x y');
		// JS trim() would also strip these; PHP keeps and hashes them
		expect(phpTrim('\u00a0x\f\u2028\ufeff')).toBe('\u00a0x\f\u2028\ufeff');
		expect(aggrepayFieldsHash({ name: 'Asha\u00a0' }, 'S')).toBe(upperSha512('S|Asha\u00a0'));
		expect(aggrepayFieldsHash({ name: '\f', city: ' ' }, 'S')).toBe(upperSha512('S|\f'));
	});
});

describe('AggrePay response hash', () => {
	it('matches the vector', () => {
		const body = { data: { customer_exists: 'true' }, error: null, page: null };
		expect(upperSha512(`TEST_SALT${phpJsonEncode(body)}`)).toBe(RESPONSE_HASH);
		const text = `{"data":{"customer_exists":"true"},"error":null,"page":null,"hash":"${RESPONSE_HASH}"}`;
		expect(
			verifyAggrepayResponseHash(text, parseJson(text) as Record<string, unknown>, 'TEST_SALT'),
		).toBe(true);
	});

	it('encodes like PHP json_encode: escaped slashes and \\u escapes for non-ASCII', () => {
		expect(phpJsonEncode({ a: 'Flat 4/B, Müllerstraße €' })).toBe(
			'{"a":"Flat 4\\/B, M\\u00fcllerstra\\u00dfe \\u20ac"}',
		);
		expect(phpJsonEncode({ a: '4/B' }, false)).toBe('{"a":"4/B"}');
		expect(phpJsonEncode({ n: [1, 'x', true, null] })).toBe('{"n":[1,"x",true,null]}');
	});

	it('verifies hashes made over the PHP form, the unescaped-slash form and the received bytes', () => {
		const body = {
			data: { address_line_1: 'Flat 4/B, Müllerstraße', balance: '41.0' },
			error: null,
			page: null,
		};
		for (const hashed of [phpJsonEncode(body), phpJsonEncode(body, false)]) {
			const hash = upperSha512(`SALT${hashed}`);
			for (const sent of [
				`${phpJsonEncode(body).slice(0, -1)},"hash":"${hash}"}`,
				`${JSON.stringify(body).slice(0, -1)},"hash":"${hash}"}`,
			]) {
				expect(
					verifyAggrepayResponseHash(sent, parseJson(sent) as Record<string, unknown>, 'SALT'),
				).toBe(true);
			}
		}
	});

	it('refuses a changed body, a wrong salt, a missing hash or no salt', () => {
		const body = { data: { balance: '41.0' }, error: null, page: null };
		const hash = upperSha512(`SALT${phpJsonEncode(body)}`);
		const sent = (b: unknown) => `${JSON.stringify(b).slice(0, -1)},"hash":"${hash}"}`;
		const tampered = sent({ ...body, data: { balance: '4100.0' } });
		expect(
			verifyAggrepayResponseHash(tampered, parseJson(tampered) as Record<string, unknown>, 'SALT'),
		).toBe(false);
		expect(
			verifyAggrepayResponseHash(
				sent(body),
				parseJson(sent(body)) as Record<string, unknown>,
				'OTHER',
			),
		).toBe(false);
		expect(
			verifyAggrepayResponseHash(JSON.stringify(body), body as Record<string, unknown>, 'SALT'),
		).toBe(false);
		expect(
			verifyAggrepayResponseHash(sent(body), parseJson(sent(body)) as Record<string, unknown>, ''),
		).toBe(false);
	});
});
