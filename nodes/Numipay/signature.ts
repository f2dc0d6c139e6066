import { compactJson } from '../common/json';
import { hashWithSecretAppended, verifyDigestSignature } from '../common/signing';
import { credentialSecrets, singleHeader } from '../common/webhookAuth';
import type { WebhookAuth } from '../common/webhookAuth';

/**
 * The bodies Numipay may have signed, for a body received as `rawBody`. It signs
 * `JSON.stringify(payload)`: the compact JSON in the order sent, which is the raw body itself when
 * it arrives compact. A body that arrives reformatted (pretty-printed, by Numipay or a proxy) is
 * also tried without the whitespace between its tokens, keeping key order and the digits of numbers.
 */
export function numipaySignedBodies(rawBody: Buffer): Buffer[] {
	let compact: string;
	try {
		compact = compactJson(rawBody.toString('utf8'));
	} catch {
		// not JSON: only the bytes as received can have been signed
		return [rawBody];
	}
	const compactBytes = Buffer.from(compact, 'utf8');
	return compactBytes.equals(rawBody) ? [rawBody] : [rawBody, compactBytes];
}

/**
 * Whether `signature` is Numipay's `x-signature` for the body under one of the passwords (the
 * Signature Password, and the previous one during a rotation): the uppercase hex SHA-1 of the
 * signed JSON followed by the password, a plain hash, not an HMAC. Uppercase only, as published.
 */
export function verifyNumipaySignature(
	rawBody: Buffer,
	signature: string | undefined,
	...passwords: Array<string | undefined>
): boolean {
	const secrets = passwords.filter((password): password is string => typeof password === 'string');
	let ok = false;
	// every candidate is compared, whatever matched before
	for (const body of numipaySignedBodies(rawBody))
		ok =
			verifyDigestSignature({
				signature,
				secrets,
				digestLength: 20,
				encodings: ['hexUpper'],
				compute: (password) => hashWithSecretAppended('sha1', body, password),
			}) || ok;
	return ok;
}

/** Numipay's webhook `x-signature` header, checked with the credential's signature passwords. */
export const numipayWebhookAuth: WebhookAuth = {
	secrets: (credentials) =>
		credentialSecrets(credentials, ['signaturePassword', 'previousSignaturePassword']),
	verify: ({ rawBody, headers }, secrets) =>
		verifyNumipaySignature(rawBody, singleHeader(headers, 'x-signature'), ...secrets),
	secretHeaders: ['x-signature'],
};
