import { createHash } from 'node:crypto';

import { numipaySignedBodies, numipayWebhookAuth } from '../../nodes/Numipay/signature';

// The vector published with Numipay's API reference (docs/providers/numipay.md, section 2)
const BODY =
	'{"transaction_id":"r21nmrtpcmrcava","user_id":"1111222","tracking_id":"b8f04416-116a-11ed-861d-0242ac120002","status":"rejected","currency":"GBP","amount":"200.00","transaction_type":"withdrawal"}';
const PASSWORD = 'spg_test_companyxxxxQyGAheyMqcHVmp8ZMQtkYcev27sCu7RF';
const SIGNATURE = '5FDDA8F46411C132DCFBEE53C39BA06298CB48BC';

// An independent signer: the provider's published code, JSON.stringify(data) + password
const sign = (data: unknown, password = PASSWORD) =>
	createHash('sha1')
		.update(JSON.stringify(data) + password)
		.digest('hex')
		.toUpperCase();

const verify = (body: string, signature: string | string[] | undefined, ...secrets: string[]) =>
	numipayWebhookAuth.verify(
		{ rawBody: Buffer.from(body, 'utf8'), headers: { 'x-signature': signature } },
		secrets,
	);

describe('Numipay webhook signature', () => {
	it('verifies the published vector, and the independent signer agrees', () => {
		expect(sign(JSON.parse(BODY))).toBe(SIGNATURE);
		expect(verify(BODY, SIGNATURE, PASSWORD)).toBe(true);
	});

	it('verifies a pretty-printed body through its compact form, keeping key order and digits', () => {
		const pretty = JSON.stringify(JSON.parse(BODY), null, 2);
		expect(verify(pretty, SIGNATURE, PASSWORD)).toBe(true);
		expect(numipaySignedBodies(Buffer.from(pretty)).map(String)).toEqual([pretty, BODY]);
		// a number's digits are part of what was signed: 200.00 is not 200
		const withNumber = '{"transaction_id":"t1","amount":200.00}';
		const signed = createHash('sha1')
			.update(withNumber + PASSWORD)
			.digest('hex')
			.toUpperCase();
		expect(verify('{ "transaction_id": "t1", "amount": 200.00 }', signed, PASSWORD)).toBe(true);
		expect(verify('{ "transaction_id": "t1", "amount": 200 }', signed, PASSWORD)).toBe(false);
		// another key order is another text: not what was signed
		expect(verify('{"amount":200.00,"transaction_id":"t1"}', signed, PASSWORD)).toBe(false);
	});

	it('refuses a changed body, another password, lowercase, a repeated or missing header, no password', () => {
		expect(verify(BODY.replace('200.00', '200.01'), SIGNATURE, PASSWORD)).toBe(false);
		expect(verify(BODY, SIGNATURE, 'another')).toBe(false);
		expect(verify(BODY, SIGNATURE.toLowerCase(), PASSWORD)).toBe(false);
		expect(verify(BODY, [SIGNATURE, SIGNATURE], PASSWORD)).toBe(false);
		expect(verify(BODY, undefined, PASSWORD)).toBe(false);
		expect(verify(BODY, SIGNATURE)).toBe(false);
		expect(verify('not json', sign('x'), PASSWORD)).toBe(false);
	});

	it('accepts the previous password during a rotation, read from the credential', () => {
		const secrets = numipayWebhookAuth.secrets({
			signaturePassword: 'new-password',
			previousSignaturePassword: PASSWORD,
		});
		expect(secrets).toEqual(['new-password', PASSWORD]);
		expect(verify(BODY, SIGNATURE, ...secrets)).toBe(true);
		expect(numipayWebhookAuth.secrets({ signaturePassword: ' ', apiKey: PASSWORD })).toEqual([]);
	});
});
