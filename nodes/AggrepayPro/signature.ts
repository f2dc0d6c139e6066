import { hmacDigest, verifyDigestSignature } from '../common/signing';
import { credentialSecrets, singleHeader } from '../common/webhookAuth';
import type { WebhookAuth } from '../common/webhookAuth';

/** Aggrepay.pro's `Signature` of a request body: lowercase hex HMAC-SHA256 with the secret key. */
export function aggrepayProSignature(body: string | Buffer, secretKey: string): string {
	return hmacDigest('sha256', secretKey, body).toString('hex');
}

/**
 * Whether `signature` is the HMAC-SHA256 of the exact bytes under one of the keys (the Secret
 * Key, and the previous one during a rotation). The published samples write lowercase hex and
 * compare strings; hex in either case is accepted, as the digest is the same.
 */
export function verifyAggrepayProSignature(
	raw: Buffer,
	signature: string | undefined,
	...keys: Array<string | undefined>
): boolean {
	return verifyDigestSignature({
		signature,
		secrets: keys.filter((key): key is string => typeof key === 'string'),
		digestLength: 32,
		encodings: ['hex'],
		compute: (key) => hmacDigest('sha256', key, raw),
	});
}

/** Aggrepay.pro's callback `Signature` header, checked with the credential's secret keys. */
export const aggrepayProWebhookAuth: WebhookAuth = {
	secrets: (credentials) => credentialSecrets(credentials, ['secretKey', 'previousSecretKey']),
	verify: ({ rawBody, headers }, secrets) =>
		verifyAggrepayProSignature(rawBody, singleHeader(headers, 'signature'), ...secrets),
	secretHeaders: ['signature'],
};
