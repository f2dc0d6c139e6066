import { createHash } from 'node:crypto';

import { numberText } from '../common/json';
import { safeEqual } from '../common/signing';

// AggrePay signs requests, responses and payment callbacks with a salted SHA-512, uppercase hex.
// The algorithm is the white-label gateway's (Traknpay / Omniware), as aggrepay.md describes.

function sha512Upper(text: string): string {
	return createHash('sha512').update(text, 'utf8').digest('hex').toUpperCase();
}

/**
 * The `hash` of a request or callback: every field but `hash`, sorted by key in byte order (PHP
 * ksort), values trimmed, empty ones skipped, joined with "|" after the salt.
 */
export function aggrepayFieldsHash(fields: Record<string, unknown>, salt: string): string {
	const keys = Object.keys(fields)
		.filter((key) => key !== 'hash')
		.sort((a, b) => (Buffer.compare(Buffer.from(a), Buffer.from(b))));
	let text = salt;
	for (const key of keys) {
		const value = fields[key] === undefined || fields[key] === null ? '' : String(fields[key]).trim();
		if (value !== '') text += `|${value}`;
	}
	return sha512Upper(text);
}

export function hashesEqual(expected: string, received: unknown): boolean {
	if (typeof received !== 'string') return false;
	return safeEqual(Buffer.from(expected), Buffer.from(received.trim().toUpperCase()));
}

/** JSON as PHP's json_encode writes it: "/" as "\/" (unless unescaped) and non-ASCII as \uXXXX. */
export function phpJsonEncode(value: unknown, escapeSlashes = true): string {
	const encode = (v: unknown): string => {
		if (Array.isArray(v)) return `[${v.map(encode).join(',')}]`;
		if (v !== null && typeof v === 'object') {
			return `{${Object.entries(v)
				.map(([k, x]) => `${encodeString(k)}:${typeof x === 'number' ? (numberText(v, k) ?? JSON.stringify(x)) : encode(x)}`)
				.join(',')}}`;
		}
		if (typeof v === 'string') return encodeString(v);
		return JSON.stringify(v) ?? 'null';
	};
	const encodeString = (s: string): string => {
		let out = JSON.stringify(s).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
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
export function verifyAggrepayResponseHash(text: string, body: Record<string, unknown>, salt: string): boolean {
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
