import CryptoJS from 'crypto-js';
import { randomBytes } from 'node:crypto';

import { decodeDigest, hmacSha256, safeEqual } from '../../nodes/common/signing';
import { verifyPaytechSignature } from '../../nodes/Paytech/signature';

// Vector from providers/paytech.md (computed with node:crypto; cross-checked below with crypto-js)
const KEY = 'test_signing_key';
const BODY =
	'{"id":"9e9003d7f3324fc6828481c665d8bab5","paymentType":"DEPOSIT","state":"CANCELLED","paymentMethod":"BANKTRANSFER","amount":2000,"currency":"CLP","errorCode":"1.04","errorMessage":"Cancelled by Timeout"}';
const HEX = 'c31c8f37b9f9f40994e3ea9bb8a69a19801f4ba2b14a053f8595bb9e88080123';
const BASE64 = 'wxyPN7n59AmU4+qbuKaaGYAfS6KxSgU/hZW7nogIASM=';

describe('pay.tech webhook signature', () => {
	const raw = Buffer.from(BODY, 'utf8');

	it('matches the documented vector in hex and base64', () => {
		expect(hmacSha256(KEY, raw).toString('hex')).toBe(HEX);
		expect(hmacSha256(KEY, raw).toString('base64')).toBe(BASE64);
	});

	it('accepts lowercase hex, uppercase hex, base64 and URL-safe base64', () => {
		for (const signature of [HEX, HEX.toUpperCase(), BASE64, BASE64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''), ` ${HEX} `]) {
			expect(verifyPaytechSignature(raw, signature, KEY)).toBe(true);
		}
	});

	it('refuses a tampered body, a wrong key, a missing or garbled header', () => {
		expect(verifyPaytechSignature(Buffer.from(BODY.replace('2000', '2001')), HEX, KEY)).toBe(false);
		// re-serialized JSON is different bytes: verification is over the raw body only
		expect(verifyPaytechSignature(Buffer.from(JSON.stringify(JSON.parse(BODY), null, 1)), HEX, KEY)).toBe(false);
		expect(verifyPaytechSignature(raw, HEX, 'other_key')).toBe(false);
		expect(verifyPaytechSignature(raw, undefined, KEY)).toBe(false);
		expect(verifyPaytechSignature(raw, '', KEY)).toBe(false);
		expect(verifyPaytechSignature(raw, HEX.slice(0, 63), KEY)).toBe(false);
		expect(verifyPaytechSignature(raw, `${HEX}00`, KEY)).toBe(false);
		expect(verifyPaytechSignature(raw, 'not a signature', KEY)).toBe(false);
	});

	it('fails closed without a key', () => {
		expect(verifyPaytechSignature(raw, HEX, '', '')).toBe(false);
		expect(verifyPaytechSignature(raw, HEX, undefined, undefined)).toBe(false);
	});

	it('accepts the previous key during a rotation, and only the two configured keys', () => {
		expect(verifyPaytechSignature(raw, HEX, 'new_key', KEY)).toBe(true);
		expect(verifyPaytechSignature(raw, hmacSha256('new_key', raw).toString('hex'), 'new_key', KEY)).toBe(true);
		expect(verifyPaytechSignature(raw, hmacSha256('third_key', raw).toString('hex'), 'new_key', KEY)).toBe(false);
	});

	it('agrees with crypto-js (the oracle the provider samples use) on random bodies and keys', () => {
		for (let n = 0; n < 200; n++) {
			const body = randomBytes(n * 7).toString('utf8'); // includes invalid UTF-8 replaced by U+FFFD
			const key = randomBytes(1 + (n % 40)).toString('hex');
			const oracle = CryptoJS.HmacSHA256(CryptoJS.enc.Utf8.parse(body), CryptoJS.enc.Utf8.parse(key));
			const bytes = Buffer.from(body, 'utf8');
			expect(hmacSha256(key, bytes).toString('hex')).toBe(oracle.toString(CryptoJS.enc.Hex));
			expect(verifyPaytechSignature(bytes, oracle.toString(CryptoJS.enc.Base64), key)).toBe(true);
		}
	});
});

describe('decodeDigest and safeEqual', () => {
	it('decodes only well-formed digests of the expected length', () => {
		expect(decodeDigest(HEX, 32)).toHaveLength(1);
		expect(decodeDigest(`sha256=${HEX}`, 32)).toHaveLength(1);
		expect(decodeDigest(BASE64, 32)).toHaveLength(1);
		expect(decodeDigest('abcd', 32)).toHaveLength(0);
		expect(decodeDigest(undefined, 32)).toHaveLength(0);
	});

	it('compares buffers of different length as unequal', () => {
		expect(safeEqual(Buffer.from('ab'), Buffer.from('abc'))).toBe(false);
		expect(safeEqual(Buffer.from('abc'), Buffer.from('abc'))).toBe(true);
	});
});
