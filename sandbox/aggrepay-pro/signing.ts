import { createHmac } from 'node:crypto';

/** The `Signature` header name on requests, answers and callbacks. */
export const SIGNATURE_HEADER = 'Signature';

/**
 * Aggrepay.pro's signature: lowercase hex HMAC-SHA256 of the exact body bytes (UTF-8), keyed with
 * the secret key. A GET has no body and signs the empty string (the pack's assumption).
 */
export function signAggrepayPro(body: string | Buffer, secretKey: string): string {
	const hmac = createHmac('sha256', secretKey);
	if (typeof body === 'string') hmac.update(body, 'utf8');
	else hmac.update(body);
	return hmac.digest('hex');
}
