import { createHash } from 'node:crypto';

/**
 * Numipay's `x-signature`: SHA-1 of (text + signature password), uppercase hex. A plain hash with
 * the password appended, not an HMAC (the published JavaScript sample).
 */
export function signNumipayPayload(text: string, signaturePassword: string): string {
	return createHash('sha1')
		.update(text + signaturePassword, 'utf8')
		.digest('hex')
		.toUpperCase();
}

/**
 * The signature of a webhook body as sent: the provider signs `JSON.stringify(data)`, i.e. the
 * compact JSON, so a pretty-printed body is signed over its compact form. The payload holds only
 * strings, so JSON.parse / JSON.stringify reproduces it exactly, key order included.
 */
export function signNumipayWebhookBody(body: string, signaturePassword: string): string {
	return signNumipayPayload(JSON.stringify(JSON.parse(body)), signaturePassword);
}
