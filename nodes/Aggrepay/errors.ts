import type { ProviderErrorInfo } from '../common/request';

// Error codes from AggrePay's wallet document and gateway guide, with what the operator should do.
const HINTS: Record<string, string> = {
	'INVALID-PARAMS': 'A field is missing or malformed: check the fields of this operation',
	UNAUTHORIZED:
		'The API key was refused: check it, and that the wallet environment (test or live) matches it',
	'HASH-MISMATCH':
		'The request hash did not match: the salt in the credential does not belong to the API key',
	'INVALID-OTP': 'The OTP is wrong, used or expired: request a new one and use the latest',
	'INVALID-INPUT-DATA':
		'A value is not accepted (amounts need at most 2 decimals, dates YYYY-MM-DD)',
	'INVALID-MPIN':
		"The customer's MPIN is wrong: nothing was debited; ask the customer for the right MPIN",
	'INSUFFICIENT-FUND': "The customer's wallet balance is too low: nothing was debited",
	'TRANSACTION-LIMIT': 'The amount is above the per-transaction limit of the wallet',
	'MONTHLY-TRANSACTION-LIMIT-EXCEEDED': "The customer's monthly wallet limit is used up",
	'NO-PG-TRANSACTION-RECORD-FOUND':
		'A wallet credit needs the ID of a successful gateway payment: check the Gateway Transaction ID',
	'TRANSACTION-ALREADY-REVERSED': 'This debit was reversed before: nothing was changed',
	'NO-SUB-MERCHANT-RECORD': 'No sub-merchant has this ID: list them with Get Sub-Merchants',
	'RESPONSE-HASH-MISMATCH':
		"AggrePay's answer did not carry a valid hash: it may have been altered on the way. Check the salt; choose Warn only if AggrePay confirms its hashes are wrong",
};

export function aggrepayHint(code: string | undefined): string | undefined {
	return code ? HINTS[code] : undefined;
}

interface Envelope {
	error?: { code?: unknown; message?: unknown } | null;
	message?: unknown;
}

/** The error object AggrePay answers with, usually with HTTP 200. */
export function aggrepayEnvelopeError(body: unknown): ProviderErrorInfo | undefined {
	const error = (body as Envelope | undefined)?.error;
	if (!error || typeof error !== 'object') return undefined;
	const code = typeof error.code === 'string' ? error.code : 'ERROR';
	const message = typeof error.message === 'string' && error.message ? error.message : code;
	return { code, message, hint: aggrepayHint(code) };
}

export function describeAggrepayError(status: number, body: unknown): ProviderErrorInfo {
	const envelope = aggrepayEnvelopeError(body);
	if (envelope) return envelope;
	const message =
		typeof (body as Envelope | undefined)?.message === 'string'
			? String((body as Envelope).message)
			: `HTTP ${status}`;
	return {
		code: String(status),
		message,
		hint:
			status >= 500 || status === 429
				? 'AggrePay is unavailable or busy: try again later'
				: undefined,
	};
}
