import { createHmac, timingSafeEqual } from 'node:crypto';

export type Bytes = string | Buffer;

export function hmacSha256(key: Bytes, data: Bytes): Buffer {
	return createHmac('sha256', key).update(data).digest();
}

/** Constant-time equality; different lengths are unequal without comparing contents. */
export function safeEqual(a: Buffer, b: Buffer): boolean {
	return a.length === b.length && timingSafeEqual(a, b);
}

const HEX = /^[0-9a-fA-F]+$/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/**
 * The digest bytes a signature header may carry, for a digest of `length` bytes: hex in either case
 * or base64 (standard or URL-safe). An optional "sha256=" style prefix is ignored. Anything else
 * yields no candidates, so it can never match.
 */
export function decodeDigest(header: string | undefined, length: number): Buffer[] {
	if (typeof header !== 'string') return [];
	const value = header.trim().replace(/^[a-z0-9-]+=(?=.)/i, '');
	const candidates: Buffer[] = [];
	if (value.length === length * 2 && HEX.test(value)) candidates.push(Buffer.from(value, 'hex'));
	if (BASE64.test(value)) {
		const bytes = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
		if (bytes.length === length) candidates.push(bytes);
	}
	return candidates;
}

/**
 * True when `signature` is the HMAC-SHA256 of the exact `rawBody` bytes under one of `secrets`
 * (the current key and, during rotation, the previous one). Empty secrets are skipped, so with no
 * secret configured nothing verifies: callers fail closed.
 */
export function verifyHmacSha256(rawBody: Buffer, signature: string | undefined, secrets: Array<string | undefined>): boolean {
	const candidates = decodeDigest(signature, 32);
	if (candidates.length === 0) return false;
	let ok = false;
	for (const secret of secrets) {
		if (!secret) continue;
		const expected = hmacSha256(secret, rawBody);
		// no early exit: the time taken does not tell which key matched
		for (const candidate of candidates) ok = safeEqual(expected, candidate) || ok;
	}
	return ok;
}
