import CryptoJS from 'crypto-js';
import { randomBytes } from 'node:crypto';

import {
	aggrepayProSignature,
	aggrepayProWebhookAuth,
	verifyAggrepayProSignature,
} from '../../nodes/AggrepayPro/signature';

// The computed vector of docs/providers/aggrepay-pro.md, section 2 (the description's own sample
// digests cannot be reproduced from the inputs it shows)
const KEY = 'your_secret_key';
const BODY = '{"orderId":"123","merchantId":"your_merchant_id","amount":1000}';
const SIGNATURE = '324abb73fc9ba1b6c6c54689f086957f9e2f6875e1e231f8468b6fb2d4d02328';

// An independent signer: crypto-js, what the provider's JS sample computes, over the UTF-8 bytes
const oracle = (body: string, key: string) =>
	CryptoJS.HmacSHA256(CryptoJS.enc.Utf8.parse(body), CryptoJS.enc.Utf8.parse(key)).toString(
		CryptoJS.enc.Hex,
	);

const verify = (
	body: string | Buffer,
	signature: string | string[] | undefined,
	...keys: string[]
) =>
	aggrepayProWebhookAuth.verify(
		{
			rawBody: Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'),
			headers: signature === undefined ? {} : { signature },
		},
		keys,
	);

describe('Aggrepay.pro signature', () => {
	it('reproduces the computed vector, and crypto-js agrees', () => {
		expect(oracle(BODY, KEY)).toBe(SIGNATURE);
		expect(aggrepayProSignature(BODY, KEY)).toBe(SIGNATURE);
		expect(aggrepayProSignature(Buffer.from(BODY), KEY)).toBe(SIGNATURE);
		expect(verify(BODY, SIGNATURE, KEY)).toBe(true);
	});

	it('signs the exact bytes: non-ASCII text as UTF-8, "/" unescaped, whitespace and digits as sent', () => {
		const body =
			'{"orderId":"ord/7","customer":{"name":"Zoë Müller","city":"Bengaluru / ಬೆಂಗಳೂರು"},"note":"😀","amount":10.50}';
		const signature = oracle(body, KEY);
		expect(aggrepayProSignature(body, KEY)).toBe(signature);
		expect(verify(body, signature, KEY)).toBe(true);
		// the same value written another way is another text, so not what was signed
		expect(verify(body.replace('ord/7', 'ord\\/7'), signature, KEY)).toBe(false);
		expect(verify(body.replace('Zoë', 'Zo\\u00eb'), signature, KEY)).toBe(false);
		expect(verify(body.replace('10.50', '10.5'), signature, KEY)).toBe(false);
		expect(verify(body.replace(',"note"', ', "note"'), signature, KEY)).toBe(false);
		// the bytes are hashed, not a re-encoding of them: Latin-1 "ë" is one byte, UTF-8 two
		expect(verify(Buffer.from(body, 'latin1'), signature, KEY)).toBe(false);
	});

	it('agrees with crypto-js on random bodies and keys', () => {
		for (let n = 0; n < 200; n++) {
			const body = randomBytes(n * 5).toString('utf8'); // invalid UTF-8 becomes U+FFFD first
			const key = randomBytes(1 + (n % 48)).toString('base64');
			const signature = oracle(body, key);
			expect(aggrepayProSignature(Buffer.from(body, 'utf8'), key)).toBe(signature);
			expect(verify(body, signature, key)).toBe(true);
		}
	});

	it('accepts the previous secret key during a rotation, read from the credential', () => {
		const secrets = aggrepayProWebhookAuth.secrets({
			secretKey: 'new_secret_key',
			previousSecretKey: KEY,
			apiKey: 'not-a-signing-key',
		});
		expect(secrets).toEqual(['new_secret_key', KEY]);
		expect(verify(BODY, SIGNATURE, ...secrets)).toBe(true);
		expect(verify(BODY, oracle(BODY, 'new_secret_key'), ...secrets)).toBe(true);
		// the rotation is over: the old key no longer verifies
		expect(verify(BODY, SIGNATURE, 'new_secret_key')).toBe(false);
		expect(verify(BODY, oracle(BODY, 'a_third_key'), ...secrets)).toBe(false);
		expect(aggrepayProWebhookAuth.secrets({ secretKey: ' ', previousSecretKey: '' })).toEqual([]);
		expect(aggrepayProWebhookAuth.secrets({ apiKey: KEY })).toEqual([]);
	});

	it('accepts the digest in uppercase or mixed-case hex, and surrounding whitespace', () => {
		expect(verify(BODY, SIGNATURE.toUpperCase(), KEY)).toBe(true);
		expect(
			verify(
				BODY,
				SIGNATURE.replace(/[a-f]/g, (c, i: number) => (i % 2 ? c.toUpperCase() : c)),
				KEY,
			),
		).toBe(true);
		expect(verify(BODY, ` ${SIGNATURE}\t`, KEY)).toBe(true);
	});

	it.each([
		['a tampered body', BODY.replace('1000', '1001'), SIGNATURE],
		['a truncated signature', BODY, SIGNATURE.slice(0, 62)],
		['a signature one digit longer', BODY, `${SIGNATURE}0`],
		['a signature changed in one digit', BODY, `${SIGNATURE.slice(0, -1)}9`],
		['the digest in base64', BODY, Buffer.from(SIGNATURE, 'hex').toString('base64')],
		['a "sha256=" prefix', BODY, `sha256=${SIGNATURE}`],
		['a "0x" prefix', BODY, `0x${SIGNATURE}`],
		['non-hex characters of the right length', BODY, 'z'.repeat(64)],
		['garbage', BODY, 'not a signature'],
		['an empty header', BODY, ''],
		['HMAC-SHA1 of the body', BODY, CryptoJS.HmacSHA1(BODY, KEY).toString(CryptoJS.enc.Hex)],
		['SHA-256 of body + key', BODY, CryptoJS.SHA256(BODY + KEY).toString(CryptoJS.enc.Hex)],
		['HMAC-SHA256 of the empty body', BODY, oracle('', KEY)],
	])('refuses %s', (_name, body, signature) => {
		expect(verify(body, signature, KEY)).toBe(false);
	});

	it('refuses a missing or repeated header, and verifies nothing without a key (fails closed)', () => {
		expect(verify(BODY, undefined, KEY)).toBe(false);
		expect(verify(BODY, [SIGNATURE, SIGNATURE], KEY)).toBe(false);
		expect(verify(BODY, [SIGNATURE], KEY)).toBe(true);
		expect(verify(BODY, SIGNATURE)).toBe(false);
		expect(verify('', oracle('', ''))).toBe(false);
		expect(verifyAggrepayProSignature(Buffer.from(BODY), SIGNATURE, undefined, '')).toBe(false);
	});

	it('keeps verifyAggrepayProSignature (raw body, signature, keys...) in step with the WebhookAuth', () => {
		expect(verifyAggrepayProSignature(Buffer.from(BODY), SIGNATURE, KEY)).toBe(true);
		expect(verifyAggrepayProSignature(Buffer.from(BODY), SIGNATURE, 'new', KEY)).toBe(true);
		expect(verifyAggrepayProSignature(Buffer.from(BODY), SIGNATURE, undefined, KEY)).toBe(true);
		expect(verifyAggrepayProSignature(Buffer.from(BODY), undefined, KEY)).toBe(false);
	});

	it('redacts the Signature header when headers are output', () => {
		expect(aggrepayProWebhookAuth.secretHeaders).toEqual(['signature']);
	});
});
