import { createHash, timingSafeEqual } from 'node:crypto';

import type { Serializable } from '../common/json';
import { phpJsonString, stringifyPhpJson } from '../common/php-json';

/** PHP trim()'s default set: the reference code compares trimmed values, not JS's Unicode spaces. */
const PHP_TRIM_CHARS = new Set([' ', '\t', '\n', '\r', '\0', '\v']);

function phpTrim(text: string): string {
	let start = 0;
	let end = text.length;
	while (start < end && PHP_TRIM_CHARS.has(text[start])) start++;
	while (end > start && PHP_TRIM_CHARS.has(text[end - 1])) end--;
	return text.slice(start, end);
}

function sha512Upper(text: string): string {
	return createHash('sha512').update(text, 'utf8').digest('hex').toUpperCase();
}

/**
 * Request (and callback) hash: salt, then `|value` for every non-empty trimmed field except
 * `hash`, fields sorted by key in byte order like PHP ksort; SHA-512, uppercase hex.
 */
export function requestHash(fields: Record<string, string>, salt: string): string {
	const keys = Object.keys(fields)
		.filter((key) => key !== 'hash')
		.sort((a, b) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
	let data = salt;
	for (const key of keys) {
		const value = phpTrim(fields[key]);
		if (value !== '') data += `|${value}`;
	}
	return sha512Upper(data);
}

export function hashMatches(expected: string, given: string | undefined): boolean {
	if (given === undefined) return false;
	const a = Buffer.from(expected, 'utf8');
	const b = Buffer.from(given.trim(), 'utf8');
	return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * A hashed JSON response: the hash covers salt + the PHP json_encode() of the body without
 * `hash`, and the body sent is that same encoding with `"hash"` appended as the last key, so a
 * client re-encoding the decoded body PHP-style gets back exactly the hashed bytes.
 */
export function hashedJsonBody(
	body: { readonly [key: string]: Serializable },
	salt: string,
): string {
	const encoded = stringifyPhpJson(body);
	const hash = sha512Upper(salt + encoded);
	const separator = encoded === '{}' ? '' : ',';
	return `${encoded.slice(0, -1)}${separator}${phpJsonString('hash')}:${phpJsonString(hash)}}`;
}

/** The same body with `"hash":null`, for answers the provider leaves unhashed (errors). */
export function unhashedJsonBody(body: { readonly [key: string]: Serializable }): string {
	return stringifyPhpJson({ ...body, hash: null });
}
