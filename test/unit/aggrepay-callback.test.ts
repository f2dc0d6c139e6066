import {
	AGGREPAY_CALLBACK_FIELDS,
	aggrepayCallbackAuth,
	aggrepayCallbackFields,
} from '../../nodes/Aggrepay/callback';
import { aggrepayFieldsHash } from '../../nodes/Aggrepay/hash';
import type { Delivery } from '../../nodes/common/webhookAuth';
// The sandbox's own implementation of the hash: an independent oracle for the node's
import { requestHash } from '../../sandbox/aggrepay/hash';

const SALT = 'TEST_SALT';
const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

// What the sandbox's callback sends: every published field, some empty
const CALLBACK: Record<string, string> = {
	transaction_id: 'HDVISC1299876438',
	payment_method: 'UPI',
	payment_datetime: '2026-03-01 10:11:12',
	response_code: '0',
	response_message: 'Transaction successful',
	order_id: 'ORD-1001',
	amount: '100.00',
	currency: 'INR',
	description: 'Order 1001',
	name: 'Asha Rao',
	email: 'asha@example.com',
	phone: '9876543210',
	address_line_1: 'Flat 4/B',
	address_line_2: '',
	city: 'Bengaluru',
	state: 'KA',
	country: 'IND',
	zip_code: '560001',
	udf1: 'cart-77',
	udf2: '',
	udf3: '',
	udf4: '',
	udf5: '',
};
const HASH = requestHash(CALLBACK, SALT);

const form = (entries: Array<[string, string]>) =>
	entries.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
const delivery = (body: string, contentType = FORM): Delivery => ({
	rawBody: Buffer.from(body, 'utf8'),
	headers: { 'content-type': contentType },
});
const verify = (body: string, contentType = FORM, extra: string[] = []) =>
	aggrepayCallbackAuth(extra).verify(delivery(body, contentType), [SALT]);

describe('AggrePay callback authentication', () => {
	it('accepts a correctly hashed callback as a form post or as JSON, in any field order', () => {
		expect(aggrepayFieldsHash(CALLBACK, SALT)).toBe(HASH);
		const entries = Object.entries({ ...CALLBACK, hash: HASH });
		expect(verify(form(entries))).toBe(true);
		expect(verify(form([...entries].reverse()))).toBe(true);
		expect(verify(JSON.stringify(Object.fromEntries(entries)), JSON_TYPE)).toBe(true);
		// JSON recognised by its first character when the content type does not say
		expect(verify(JSON.stringify(Object.fromEntries(entries)), 'text/plain')).toBe(true);
		// AggrePay writes uppercase hex; lowercase is accepted as the same digest (today's behaviour)
		expect(verify(form([...Object.entries(CALLBACK), ['hash', HASH.toLowerCase()]]))).toBe(true);
	});

	it('takes the salt from the credential, fails closed without one, and has no secret header', () => {
		const auth = aggrepayCallbackAuth();
		expect(auth.secrets({ apiKey: 'k', secretSalt: SALT })).toEqual([SALT]);
		expect(auth.secrets({ apiKey: 'k', secretSalt: '' })).toEqual([]);
		expect(auth.verify(delivery(form(Object.entries({ ...CALLBACK, hash: HASH }))), [])).toBe(
			false,
		);
		expect(auth.secretHeaders).toEqual([]);
	});

	it('refuses a changed value, another salt, a missing or non-hex hash', () => {
		expect(verify(form(Object.entries({ ...CALLBACK, amount: '1000.00', hash: HASH })))).toBe(
			false,
		);
		expect(
			verify(form(Object.entries({ ...CALLBACK, hash: requestHash(CALLBACK, 'OTHER') }))),
		).toBe(false);
		expect(verify(form(Object.entries(CALLBACK)))).toBe(false);
		expect(verify(form(Object.entries({ ...CALLBACK, hash: `${HASH.slice(0, -1)}G` })))).toBe(
			false,
		);
		expect(verify(form(Object.entries({ ...CALLBACK, hash: `${HASH}0` })))).toBe(false);
	});

	// Defect a: a JSON number was hashed through String(value), so 100.00 was hashed as "100"
	it('hashes a JSON number with the digits as sent', () => {
		const body = JSON.stringify({ ...CALLBACK, hash: HASH })
			.replace('"amount":"100.00"', '"amount":100.00')
			.replace('"response_code":"0"', '"response_code":0');
		expect(body).toContain('"amount":100.00,');
		expect(verify(body, JSON_TYPE)).toBe(true);
		expect(aggrepayCallbackFields(Buffer.from(body), JSON_TYPE)).toMatchObject({
			amount: '100.00',
			response_code: '0',
		});
		// the digits are what is hashed: 100.0 is not 100.00
		expect(verify(body.replace('100.00', '100.0'), JSON_TYPE)).toBe(false);
	});

	it('refuses JSON that is not a flat object of text, numbers and nulls', () => {
		const hashed = (fields: Record<string, unknown>) =>
			JSON.stringify({
				...fields,
				hash: requestHash(
					Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, String(v)])),
					SALT,
				),
			});
		expect(verify(hashed({ ...CALLBACK, udf2: { a: 1 } }), JSON_TYPE)).toBe(false);
		expect(verify(hashed({ ...CALLBACK, udf2: ['x'] }), JSON_TYPE)).toBe(false);
		expect(verify(hashed({ ...CALLBACK, udf2: true }), JSON_TYPE)).toBe(false);
		expect(verify(JSON.stringify([CALLBACK]), JSON_TYPE)).toBe(false);
		// null is an empty value, skipped like an absent one
		expect(verify(JSON.stringify({ ...CALLBACK, udf2: null, hash: HASH }), JSON_TYPE)).toBe(true);
	});

	// Defect b: with a field sent twice, the hashed value and the one the workflow reads could differ
	it('refuses a field sent twice, in a form post or in JSON', () => {
		const entries = Object.entries({ ...CALLBACK, hash: HASH });
		expect(verify(`${form(entries)}&amount=1.00`)).toBe(false);
		expect(verify(`amount=1.00&${form(entries)}`)).toBe(false);
		expect(verify(`${form(entries)}&hash=${HASH}`)).toBe(false);
		const json = JSON.stringify(Object.fromEntries(entries));
		expect(verify(`{"amount":"1.00",${json.slice(1)}`, JSON_TYPE)).toBe(false);
		expect(verify(`${json.slice(0, -1)},"amount":"100.00"}`, JSON_TYPE)).toBe(false);
		// a ":" inside a string is not a member
		const colons = { ...CALLBACK, description: 'a:b "c:d" \\:' };
		expect(verify(JSON.stringify({ ...colons, hash: requestHash(colons, SALT) }), JSON_TYPE)).toBe(
			true,
		);
		expect(aggrepayCallbackFields(Buffer.from('a=1&a=2'), FORM)).toBeUndefined();
	});

	// Defect c: the hash covers values, not names, so a renamed field kept its hash
	it('accepts only the published field names and the extra ones configured', () => {
		const renamed = (from: string, to: string) =>
			form(Object.entries({ ...CALLBACK, hash: HASH }).map(([k, v]) => [k === from ? to : k, v]));
		expect(verify(renamed('description', 'descriptioo'))).toBe(false);
		expect(verify(renamed('udf1', 'udf1x'))).toBe(false);
		// the sandbox (like AggrePay's form) sends every field, so a rename onto another is a repeat
		expect(verify(renamed('udf1', 'udf2'))).toBe(false);
		const extra = { ...CALLBACK, payment_channel: 'NB' };
		const withExtra = form(Object.entries({ ...extra, hash: requestHash(extra, SALT) }));
		expect(verify(withExtra)).toBe(false);
		expect(verify(withExtra, FORM, ['payment_channel'])).toBe(true);
		expect(verify(withExtra, FORM, [' payment_channel ', ''])).toBe(true);
		expect(AGGREPAY_CALLBACK_FIELDS).toEqual(
			expect.arrayContaining(['transaction_id', 'udf5', 'zip_code', 'hash']),
		);
	});

	it('documents the limit of the name check: a rename onto an absent published name that keeps the order', () => {
		const { udf2: _udf2, ...withoutUdf2 } = CALLBACK;
		void _udf2;
		const hash = requestHash(withoutUdf2, SALT);
		const moved = Object.entries({ ...withoutUdf2, hash }).map(([k, v]): [string, string] => [
			k === 'udf1' ? 'udf2' : k,
			v,
		]);
		// values in the same sorted order, all names published: nothing in the hash tells them apart
		expect(verify(form(moved))).toBe(true);
	});

	it('refuses bodies that are not UTF-8 or have malformed percent-escapes', () => {
		const body = form(Object.entries({ ...CALLBACK, hash: HASH }));
		expect(
			aggrepayCallbackFields(Buffer.concat([Buffer.from(body), Buffer.from([0xff])]), FORM),
		).toBeUndefined();
		expect(aggrepayCallbackFields(Buffer.from(`${body}&udf2=%FF`), FORM)).toBeUndefined();
		expect(aggrepayCallbackFields(Buffer.from(`${body}&udf2=100%`), FORM)).toBeUndefined();
		expect(aggrepayCallbackFields(Buffer.from('name=Zo%C3%AB+M%C3%BCller'), FORM)).toEqual({
			name: 'Zoë Müller',
		});
	});

	it('outputs values trimmed as the hash trims them (PHP trim), and keeps a no-break space', () => {
		const fields = aggrepayCallbackFields(
			Buffer.from('name=+Asha%09&city=%C2%A0Pune&udf1=%0B'),
			FORM,
		);
		expect(fields).toEqual({ name: 'Asha', city: '\u00a0Pune', udf1: '' });
		const padded = { ...CALLBACK, name: ' Asha Rao\n' };
		expect(verify(form(Object.entries({ ...padded, hash: HASH })))).toBe(true);
		const nbsp = { ...CALLBACK, name: 'Asha Rao\u00a0' };
		expect(verify(form(Object.entries({ ...nbsp, hash: requestHash(nbsp, SALT) })))).toBe(true);
		expect(verify(form(Object.entries({ ...nbsp, hash: HASH })))).toBe(false);
	});
});
