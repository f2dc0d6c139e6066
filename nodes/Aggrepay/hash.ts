import { createHash } from 'node:crypto';

import { numberText } from '../common/json';
import { safeEqual } from '../common/signing';

// AggrePay signs requests, responses and payment callbacks with a salted SHA-512, uppercase hex.
// The algorithm is the white-label gateway's (Traknpay / Omniware), as docs/providers/aggrepay.md describes.

function sha512Upper(text: string): string {
	return createHash('sha512').update(text, 'utf8').digest('hex').toUpperCase();
}

// PHP trim()'s default set. JS's trim() also strips Unicode spaces (a no-break space, U+2028...)
// and form feeds, which the provider's PHP keeps and hashes.
const PHP_TRIM = /^[ \t\n\r\0\v]+|[ \t\n\r\0\v]+$/g;

/** A value as the provider's PHP hashes it: trim()med with PHP's default characters. */
export function phpTrim(text: string): string {
	return text.replace(PHP_TRIM, '');
}

/**
 * The `hash` of a request or callback: every field but `hash`, sorted by key in byte order (PHP
 * ksort), values trimmed, empty ones skipped, joined with "|" after the salt.
 */
export function aggrepayFieldsHash(fields: Record<string, unknown>, salt: string): string {
	// byte order of the UTF-8, which is not JS's UTF-16 order for every character
	const keys = Object.keys(fields)
		.filter((key) => key !== 'hash')
		.map((key) => ({ key, bytes: Buffer.from(key, 'utf8') }))
		.sort((a, b) => Buffer.compare(a.bytes, b.bytes));
	let text = salt;
	for (const { key } of keys) {
		const value =
			fields[key] === undefined || fields[key] === null ? '' : phpTrim(String(fields[key]));
		if (value !== '') text += `|${value}`;
	}
	return sha512Upper(text);
}

/**
 * Whether a received hash is `expected` (uppercase hex): hex in any case, surrounding whitespace
 * ignored, compared in constant time. Anything but hex digits is refused before comparing, so no
 * Unicode case mapping (like "\uFB00" to "FF") can spell a hash.
 */
export function hashesEqual(expected: string, received: unknown): boolean {
	if (typeof received !== 'string') return false;
	const value = received.trim();
	if (!/^[0-9A-Fa-f]*$/.test(value)) return false;
	return safeEqual(Buffer.from(expected), Buffer.from(value.toUpperCase()));
}

/** JSON as PHP's json_encode writes it: "/" as "\/" (unless unescaped) and non-ASCII as \uXXXX. */
export function phpJsonEncode(value: unknown, escapeSlashes = true): string {
	const encode = (v: unknown): string => {
		if (Array.isArray(v)) return `[${v.map(encode).join(',')}]`;
		if (v !== null && typeof v === 'object') {
			return `{${Object.entries(v)
				.map(
					([k, x]) =>
						`${encodeString(k)}:${typeof x === 'number' ? (numberText(v, k) ?? JSON.stringify(x)) : encode(x)}`,
				)
				.join(',')}}`;
		}
		if (typeof v === 'string') return encodeString(v);
		return JSON.stringify(v) ?? 'null';
	};
	const encodeString = (s: string): string => {
		let out = JSON.stringify(s).replace(
			/[\u0080-\uffff]/g,
			(c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
		);
		if (escapeSlashes) out = out.replace(/\//g, '\\/');
		return out;
	};
	return encode(value);
}

/**
 * Whether a JSON response's `hash` is the salted SHA-512 of the response without it. The
 * reference PHP code re-encodes the decoded response, so the hashed text may differ from the
 * bytes received; the candidates are: the received text with the hash member cut out, the PHP
 * json_encode form, and its unescaped-slash variant (one of AggrePay's guides uses that flag).
 */
export function verifyAggrepayResponseHash(
	text: string,
	body: Record<string, unknown>,
	salt: string,
): boolean {
	const hash = body.hash;
	if (typeof hash !== 'string' || !salt) return false;
	const { hash: _removed, ...rest } = body;
	void _removed;
	const candidates = [
		text.replace(/,\s*"hash"\s*:\s*"[0-9A-Fa-f]*"\s*(?=}\s*$)/, ''),
		phpJsonEncode(rest, true),
		phpJsonEncode(rest, false),
	];
	let ok = false;
	for (const candidate of candidates) ok = hashesEqual(sha512Upper(salt + candidate), hash) || ok;
	return ok;
}
