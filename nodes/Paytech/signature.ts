import { hmacDigest, verifyDigestSignature } from '../common/signing';
import type { DigestEncoding } from '../common/signing';
import { credentialSecrets, singleHeader } from '../common/webhookAuth';
import type { WebhookAuth } from '../common/webhookAuth';

// pay.tech's reference does not name the encoding (the same engine's PayAdmit docs say lowercase
// hex, third-party code uses hex), so hex in any case and base64 in either alphabet are accepted.
// An optional "sha256=" prefix, a common convention, is tolerated; it does not change the digest.
const ENCODINGS: readonly DigestEncoding[] = ['hex', 'base64', 'base64url'];
const PREFIXES = ['sha256='];

/**
 * Whether `signature` is the HMAC-SHA256 of the exact raw body under one of the keys (the Signing
 * Key, and the previous one during a rotation).
 */
export function verifyPaytechSignature(
	rawBody: Buffer,
	signature: string | undefined,
	...keys: Array<string | undefined>
): boolean {
	return verifyDigestSignature({
		signature,
		secrets: keys.filter((key): key is string => typeof key === 'string'),
		digestLength: 32,
		encodings: ENCODINGS,
		prefixes: PREFIXES,
		compute: (key) => hmacDigest('sha256', key, rawBody),
	});
}

/** pay.tech's webhook `Signature` header: HMAC-SHA256 of the exact raw body with the Signing Key. */
export const paytechWebhookAuth: WebhookAuth = {
	secrets: (credentials) =>
		credentialSecrets(credentials, ['signingSecret', 'previousSigningSecret']),
	verify: ({ rawBody, headers }, secrets) =>
		verifyPaytechSignature(rawBody, singleHeader(headers, 'signature'), ...secrets),
	secretHeaders: ['signature'],
};
