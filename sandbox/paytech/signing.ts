import { createHmac } from 'node:crypto';

/** pay.tech `Signature` header: lowercase hex HMAC-SHA256 of the exact body bytes. */
export function signPaytechWebhook(body: string, signingKey: string): string {
	return createHmac('sha256', signingKey).update(body, 'utf8').digest('hex');
}
