/** Wallet error codes the seed shows; the sandbox invents none of its own. */
export type WalletErrorCode =
	| 'INVALID-PARAMS'
	| 'UNAUTHORIZED'
	| 'HASH-MISMATCH'
	| 'INVALID-OTP'
	| 'INVALID-INPUT-DATA'
	| 'INVALID-MPIN'
	| 'INSUFFICIENT-FUND'
	| 'TRANSACTION-LIMIT'
	| 'MONTHLY-TRANSACTION-LIMIT-EXCEEDED'
	| 'NO-PG-TRANSACTION-RECORD-FOUND'
	| 'TRANSACTION-ALREADY-REVERSED'
	| 'NO-SUB-MERCHANT-RECORD';

/** An application error: HTTP 200 with `error:{code,message}` (the seed's shape). */
export class WalletError extends Error {
	constructor(
		readonly code: WalletErrorCode,
		message: string,
	) {
		super(message);
	}
}

/** A bad or missing field, before the API layer knows whose error shape to use. */
export class FieldError extends Error {}

/** Gateway error with a numeric code (published: 1023 hash mismatch, 1028 not found). */
export class GatewayError extends Error {
	constructor(
		readonly code: number,
		message: string,
	) {
		super(message);
	}
}

export const GATEWAY_CODES = {
	// Assumed: the white-label guide lists no code for these three.
	unauthorized: 1001,
	invalidParams: 1002,
	duplicateOrder: 1003,
	// Published.
	hashMismatch: 1023,
	notFound: 1028,
} as const;

export const invalidCustomerId = () =>
	new WalletError('INVALID-PARAMS', 'The selected customer id is invalid.');
export const invalidMpin = () => new WalletError('INVALID-MPIN', 'Invalid MPIN');
export const invalidOtp = () => new WalletError('INVALID-OTP', 'Invalid OTP');
