import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export type DigestAlgorithm = 'sha1' | 'sha256' | 'sha512';

/**
 * How a digest may be written in a signature:
 * - hex: hexadecimal, any letter case (mixed included);
 * - hexLower / hexUpper: hexadecimal in that case only;
 * - base64: the standard alphabet; base64url: the URL-safe one ("-" and "_").
 * Base64 may omit its "=" padding but must be canonical (unused trailing bits zero), so that a
 * digest has a single base64 spelling per alphabet.
 */
export type DigestEncoding = 'hex' | 'hexLower' | 'hexUpper' | 'base64' | 'base64url';

export function hmacDigest(
	algorithm: DigestAlgorithm,
	key: string | Buffer,
	data: string | Buffer,
): Buffer {
	return createHmac(algorithm, key).update(data).digest();
}

/** A plain hash of the data followed by the secret (not an HMAC), e.g. Numipay's SHA-1. */
export function hashWithSecretAppended(
	algorithm: DigestAlgorithm,
	data: Buffer,
	secret: string,
): Buffer {
	return createHash(algorithm).update(data).update(secret, 'utf8').digest();
}

/** Constant-time equality; different lengths are unequal without comparing contents. */
export function safeEqual(a: Buffer, b: Buffer): boolean {
	return a.length === b.length && timingSafeEqual(a, b);
}

const HEX_PATTERN: Record<'hex' | 'hexLower' | 'hexUpper', RegExp> = {
	hex: /^[0-9a-fA-F]+$/,
	hexLower: /^[0-9a-f]+$/,
	hexUpper: /^[0-9A-F]+$/,
};
const BASE64_PATTERN: Record<'base64' | 'base64url', RegExp> = {
	base64: /^[A-Za-z0-9+/]+={0,2}$/,
	base64url: /^[A-Za-z0-9_-]+={0,2}$/,
};

function decodeAs(value: string, encoding: DigestEncoding, length: number): Buffer | undefined {
	if (encoding === 'hex' || encoding === 'hexLower' || encoding === 'hexUpper') {
		if (value.length !== length * 2 || !HEX_PATTERN[encoding].test(value)) return undefined;
		return Buffer.from(value, 'hex');
	}
	if (!BASE64_PATTERN[encoding].test(value)) return undefined;
	const bytes = Buffer.from(value, encoding);
	if (bytes.length !== length) return undefined;
	// Node's decoder ignores non-zero trailing bits and bad padding: re-encoding catches both
	const canonical = bytes.toString(encoding).replace(/=+$/, '');
	const unpadded = value.replace(/=+$/, '');
	const padding = value.length - unpadded.length;
	if (canonical !== unpadded) return undefined;
	if (padding !== 0 && padding !== (4 - (unpadded.length % 4)) % 4) return undefined;
	return bytes;
}

/**
 * The digests a signature may stand for: one per accepted encoding it is a well-formed, canonical
 * spelling of, for a digest of `length` bytes. Surrounding whitespace and one of `prefixes` (like
 * "sha256=", any case) are ignored. Anything else yields nothing, so it can never match.
 */
export function decodeDigest(
	signature: string | undefined,
	length: number,
	encodings: readonly DigestEncoding[],
	prefixes: readonly string[] = [],
): Buffer[] {
	if (typeof signature !== 'string') return [];
	let value = signature.trim();
	for (const prefix of prefixes) {
		if (value.toLowerCase().startsWith(prefix.toLowerCase())) {
			value = value.slice(prefix.length);
			break;
		}
	}
	const digests: Buffer[] = [];
	for (const encoding of encodings) {
		const digest = decodeAs(value, encoding, length);
		if (digest) digests.push(digest);
	}
	return digests;
}

export interface DigestSignature {
	/** The signature as received (a header or field value); undefined when missing. */
	signature: string | undefined;
	/** Current secret first, then a previous one during rotation; empty ones are skipped. */
	secrets: readonly string[];
	/** The digest's size in bytes (20 for SHA-1, 32 for SHA-256, 64 for SHA-512). */
	digestLength: number;
	encodings: readonly DigestEncoding[];
	/** Ignored in front of the signature, e.g. "sha256=". */
	prefixes?: readonly string[];
	/** The digest the sender computes with this secret. */
	compute(secret: string): Buffer;
}

/**
 * Whether the signature is the digest under one of the secrets. Every secret and every decoding
 * is compared, in constant time, whatever matched before: the time taken does not tell which
 * secret matched. No usable secret verifies nothing, so callers fail closed.
 */
export function verifyDigestSignature(opts: DigestSignature): boolean {
	const candidates = decodeDigest(opts.signature, opts.digestLength, opts.encodings, opts.prefixes);
	let ok = false;
	for (const secret of opts.secrets) {
		if (!secret) continue;
		const expected = opts.compute(secret);
		for (const candidate of candidates) ok = safeEqual(expected, candidate) || ok;
	}
	return ok;
}
