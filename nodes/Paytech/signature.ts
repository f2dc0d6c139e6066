import { verifyHmacSha256 } from '../common/signing';

/**
 * pay.tech's webhook `Signature` header: HMAC-SHA256 of the exact raw body with the shop's Signing
 * Key. The reference does not name the encoding (the same engine's PayAdmit docs say lowercase hex),
 * so hex in either case and base64 are accepted; the previous key is tried during a rotation.
 */
export function verifyPaytechSignature(rawBody: Buffer, signature: string | undefined, signingKey?: string, previousSigningKey?: string): boolean {
	return verifyHmacSha256(rawBody, signature, [signingKey, previousSigningKey]);
}
