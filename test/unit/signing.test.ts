import CryptoJS from 'crypto-js';
import { randomBytes } from 'node:crypto';

import {
	decodeDigest,
	hashWithSecretAppended,
	hmacDigest,
	safeEqual,
	verifyDigestSignature,
} from '../../nodes/common/signing';
import type { DigestEncoding } from '../../nodes/common/signing';
import { credentialSecrets, singleHeader } from '../../nodes/common/webhookAuth';
import type { Delivery } from '../../nodes/common/webhookAuth';
import { paytechWebhookAuth, verifyPaytechSignature } from '../../nodes/Paytech/signature';

// Vector P1 from docs/providers/paytech.md (computed with node:crypto; cross-checked below with crypto-js)
const KEY = 'test_signing_key';
const BODY =
	'{"id":"9e9003d7f3324fc6828481c665d8bab5","paymentType":"DEPOSIT","state":"CANCELLED","paymentMethod":"BANKTRANSFER","amount":2000,"currency":"CLP","errorCode":"1.04","errorMessage":"Cancelled by Timeout"}';
const HEX = 'c31c8f37b9f9f40994e3ea9bb8a69a19801f4ba2b14a053f8595bb9e88080123';
const BASE64 = 'wxyPN7n59AmU4+qbuKaaGYAfS6KxSgU/hZW7nogIASM=';
const BASE64URL = BASE64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

const delivery = (body: Buffer | string, signature?: string | string[]): Delivery => ({
	rawBody: Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'),
	headers: signature === undefined ? {} : { signature },
});
const verifyPaytech = (
	body: Buffer | string,
	signature: string | string[] | undefined,
	secrets: string[],
) => paytechWebhookAuth.verify(delivery(body, signature), secrets);

describe('pay.tech webhook signature', () => {
	const raw = Buffer.from(BODY, 'utf8');

	it('matches the documented vector in hex and base64', () => {
		expect(hmacDigest('sha256', KEY, raw).toString('hex')).toBe(HEX);
		expect(hmacDigest('sha256', KEY, raw).toString('base64')).toBe(BASE64);
	});

	it('accepts hex in any case, base64 in either alphabet with or without padding, and a sha256= prefix', () => {
		const mixedCase = HEX.replace(/[a-f]/g, (c, i: number) => (i % 2 ? c.toUpperCase() : c));
		for (const signature of [
			HEX,
			HEX.toUpperCase(),
			mixedCase,
			BASE64,
			BASE64.replace(/=$/, ''),
			BASE64URL,
			`${BASE64URL}=`,
			` ${HEX} `,
			`sha256=${HEX}`,
			`SHA256=${BASE64}`,
		]) {
			expect(verifyPaytech(raw, signature, [KEY])).toBe(true);
		}
	});

	it('refuses a tampered body, a wrong key, a missing, repeated or garbled header', () => {
		expect(verifyPaytech(BODY.replace('2000', '2001'), HEX, [KEY])).toBe(false);
		// re-serialized JSON is different bytes: verification is over the raw body only
		expect(verifyPaytech(JSON.stringify(JSON.parse(BODY), null, 1), HEX, [KEY])).toBe(false);
		expect(verifyPaytech(raw, HEX, ['other_key'])).toBe(false);
		expect(verifyPaytech(raw, undefined, [KEY])).toBe(false);
		expect(verifyPaytech(raw, [HEX, HEX], [KEY])).toBe(false);
		expect(verifyPaytech(raw, '', [KEY])).toBe(false);
		expect(verifyPaytech(raw, HEX.slice(0, 63), [KEY])).toBe(false);
		expect(verifyPaytech(raw, `${HEX}00`, [KEY])).toBe(false);
		expect(verifyPaytech(raw, 'not a signature', [KEY])).toBe(false);
		expect(verifyPaytech(raw, `v1=${HEX}`, [KEY])).toBe(false);
		// base64 that mixes both alphabets, has wrong padding or non-zero unused bits
		expect(verifyPaytech(raw, BASE64.replace('/', '_'), [KEY])).toBe(false);
		expect(verifyPaytech(raw, `${BASE64}=`, [KEY])).toBe(false);
		expect(verifyPaytech(raw, BASE64.replace('ASM=', 'ASN='), [KEY])).toBe(false);
	});

	it('fails closed without a key', () => {
		expect(verifyPaytech(raw, HEX, [])).toBe(false);
		expect(verifyPaytech(raw, HEX, [''])).toBe(false);
		expect(paytechWebhookAuth.secrets({ signingSecret: '', previousSigningSecret: '  ' })).toEqual(
			[],
		);
		expect(paytechWebhookAuth.secrets({})).toEqual([]);
	});

	it('takes the Signing Key, then the previous one, from the credential; redacts the Signature header', () => {
		expect(
			paytechWebhookAuth.secrets({
				apiKey: 'a',
				signingSecret: 'new',
				previousSigningSecret: 'old',
			}),
		).toEqual(['new', 'old']);
		expect(paytechWebhookAuth.secrets({ signingSecret: 'new', previousSigningSecret: '' })).toEqual(
			['new'],
		);
		expect(paytechWebhookAuth.secretHeaders).toEqual(['signature']);
	});

	it('accepts the previous key during a rotation, and only the two configured keys', () => {
		expect(verifyPaytech(raw, HEX, ['new_key', KEY])).toBe(true);
		expect(
			verifyPaytech(raw, hmacDigest('sha256', 'new_key', raw).toString('hex'), ['new_key', KEY]),
		).toBe(true);
		expect(
			verifyPaytech(raw, hmacDigest('sha256', 'third_key', raw).toString('hex'), ['new_key', KEY]),
		).toBe(false);
	});

	it('keeps verifyPaytechSignature (raw body, signature, keys...) in step with the WebhookAuth', () => {
		expect(verifyPaytechSignature(raw, HEX, KEY)).toBe(true);
		expect(verifyPaytechSignature(raw, HEX, 'new_key', KEY)).toBe(true);
		expect(verifyPaytechSignature(raw, HEX, undefined, undefined)).toBe(false);
	});

	it('agrees with crypto-js (the oracle the provider samples use) on random bodies and keys', () => {
		for (let n = 0; n < 200; n++) {
			const body = randomBytes(n * 7).toString('utf8'); // includes invalid UTF-8 replaced by U+FFFD
			const key = randomBytes(1 + (n % 40)).toString('hex');
			const oracle = CryptoJS.HmacSHA256(
				CryptoJS.enc.Utf8.parse(body),
				CryptoJS.enc.Utf8.parse(key),
			);
			const bytes = Buffer.from(body, 'utf8');
			expect(hmacDigest('sha256', key, bytes).toString('hex')).toBe(
				oracle.toString(CryptoJS.enc.Hex),
			);
			expect(verifyPaytech(bytes, oracle.toString(CryptoJS.enc.Base64), [key])).toBe(true);
		}
	});
});

describe('verifyDigestSignature with a hash of body + secret (Numipay scheme)', () => {
	// Published vector from providers/numipay.md: x-signature = SHA-1(body + password), uppercase hex
	const NUMIPAY_BODY = Buffer.from(
		'{"transaction_id":"r21nmrtpcmrcava","user_id":"1111222","tracking_id":"b8f04416-116a-11ed-861d-0242ac120002","status":"rejected","currency":"GBP","amount":"200.00","transaction_type":"withdrawal"}',
	);
	const PASSWORD = 'spg_test_companyxxxxQyGAheyMqcHVmp8ZMQtkYcev27sCu7RF';
	const SIGNATURE = '5FDDA8F46411C132DCFBEE53C39BA06298CB48BC';
	const verify = (
		signature: string | undefined,
		encodings: DigestEncoding[],
		body = NUMIPAY_BODY,
		secrets = [PASSWORD],
	) =>
		verifyDigestSignature({
			signature,
			secrets,
			digestLength: 20,
			encodings,
			compute: (secret) => hashWithSecretAppended('sha1', body, secret),
		});

	it('reproduces the published vector, also with crypto-js', () => {
		expect(
			hashWithSecretAppended('sha1', NUMIPAY_BODY, PASSWORD).toString('hex').toUpperCase(),
		).toBe(SIGNATURE);
		expect(
			CryptoJS.SHA1(NUMIPAY_BODY.toString() + PASSWORD)
				.toString(CryptoJS.enc.Hex)
				.toUpperCase(),
		).toBe(SIGNATURE);
		expect(verify(SIGNATURE, ['hexUpper'])).toBe(true);
	});

	it('enforces the encodings a scheme accepts: uppercase-only refuses lowercase and base64', () => {
		const base64 = Buffer.from(SIGNATURE, 'hex').toString('base64');
		expect(verify(SIGNATURE.toLowerCase(), ['hexUpper'])).toBe(false);
		expect(verify(base64, ['hexUpper'])).toBe(false);
		expect(verify(SIGNATURE.toLowerCase(), ['hex'])).toBe(true);
		expect(verify(SIGNATURE.toLowerCase(), ['hexLower'])).toBe(true);
		expect(verify(SIGNATURE, ['hexLower'])).toBe(false);
		expect(verify(base64, ['base64'])).toBe(true);
		expect(verify(SIGNATURE, ['base64'])).toBe(false);
		expect(verify(SIGNATURE, [])).toBe(false);
	});

	it('refuses another body, another password, another algorithm, an HMAC, or no password', () => {
		expect(
			verify(
				SIGNATURE,
				['hexUpper'],
				Buffer.from(NUMIPAY_BODY.toString().replace('200.00', '200.01')),
			),
		).toBe(false);
		expect(verify(SIGNATURE, ['hexUpper'], NUMIPAY_BODY, ['other'])).toBe(false);
		expect(verify(SIGNATURE, ['hexUpper'], NUMIPAY_BODY, [])).toBe(false);
		expect(verify(SIGNATURE, ['hexUpper'], NUMIPAY_BODY, [''])).toBe(false);
		const hmac = hmacDigest('sha1', PASSWORD, NUMIPAY_BODY).toString('hex').toUpperCase();
		expect(verify(hmac, ['hexUpper'])).toBe(false);
		const sha256 = hashWithSecretAppended('sha256', NUMIPAY_BODY, PASSWORD)
			.toString('hex')
			.toUpperCase();
		expect(verify(sha256, ['hexUpper'])).toBe(false);
	});

	it('computes and compares every secret even after one matched', () => {
		const compute = jest.fn((secret: string) =>
			hashWithSecretAppended('sha1', NUMIPAY_BODY, secret),
		);
		const ok = verifyDigestSignature({
			signature: SIGNATURE,
			secrets: [PASSWORD, 'previous'],
			digestLength: 20,
			encodings: ['hexUpper'],
			compute,
		});
		expect(ok).toBe(true);
		expect(compute.mock.calls.map(([secret]) => secret)).toEqual([PASSWORD, 'previous']);
	});
});

describe('decodeDigest and safeEqual', () => {
	it('decodes only well-formed digests of the expected length in the accepted encodings', () => {
		const all: DigestEncoding[] = ['hex', 'base64', 'base64url'];
		expect(decodeDigest(HEX, 32, all)).toHaveLength(1);
		expect(decodeDigest(`sha256=${HEX}`, 32, all, ['sha256='])).toHaveLength(1);
		expect(decodeDigest(`sha256=${HEX}`, 32, all)).toHaveLength(0);
		expect(decodeDigest(BASE64, 32, all)).toHaveLength(1);
		expect(decodeDigest(BASE64, 32, ['hex'])).toHaveLength(0);
		expect(decodeDigest(HEX, 32, ['base64'])).toHaveLength(0);
		expect(decodeDigest('abcd', 32, all)).toHaveLength(0);
		expect(decodeDigest(undefined, 32, all)).toHaveLength(0);
	});

	it('compares buffers of different length as unequal', () => {
		expect(safeEqual(Buffer.from('ab'), Buffer.from('abc'))).toBe(false);
		expect(safeEqual(Buffer.from('abc'), Buffer.from('abc'))).toBe(true);
	});
});

describe('credentialSecrets and singleHeader', () => {
	it('keeps non-blank text values in the order named, as typed', () => {
		expect(
			credentialSecrets({ a: ' k ', b: '', c: 5, d: 'x' }, ['d', 'a', 'b', 'c', 'missing']),
		).toEqual(['x', ' k ']);
	});

	it('gives a header sent once, and nothing for one sent twice', () => {
		expect(singleHeader({ signature: 'x' }, 'Signature')).toBe('x');
		expect(singleHeader({ signature: ['x'] }, 'signature')).toBe('x');
		expect(singleHeader({ signature: ['x', 'y'] }, 'signature')).toBeUndefined();
		expect(singleHeader({}, 'signature')).toBeUndefined();
	});
});
