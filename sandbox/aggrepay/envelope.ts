import type { Serializable } from '../common/json';
import { stringifyPhpJson } from '../common/php-json';
import type { SandboxReply } from '../common/router';
import { hashedJsonBody, unhashedJsonBody } from './hash';

const JSON_HEADERS = { 'Content-Type': 'application/json' };

/**
 * Wallet answers are HTTP 200 whatever happened ("an error is an error object, whatever the
 * HTTP status"); only injected faults and unknown paths use other statuses.
 */
export function walletSuccess(
	salt: string,
	data: Serializable,
	page: Serializable = null,
): SandboxReply {
	return {
		status: 200,
		headers: JSON_HEADERS,
		body: hashedJsonBody({ data, error: null, page }, salt),
	};
}

export function walletFailure(code: string, message: string, status = 200): SandboxReply {
	return {
		status,
		headers: JSON_HEADERS,
		body: unhashedJsonBody({ data: null, error: { code, message }, page: null }),
	};
}

/** Gateway success: hashed only where the white-label guide shows a hash (paymentstatus, refundstatus). */
export function gatewaySuccess(
	body: { readonly [key: string]: Serializable },
	salt?: string,
): SandboxReply {
	return {
		status: 200,
		headers: JSON_HEADERS,
		body: salt === undefined ? stringifyPhpJson(body) : hashedJsonBody(body, salt),
	};
}

/** Gateway error body: the guide publishes numeric codes but no error envelope; this one is assumed. */
export function gatewayFailure(code: number, message: string, status = 200): SandboxReply {
	return {
		status,
		headers: JSON_HEADERS,
		body: unhashedJsonBody({ data: null, error: { code, message } }),
	};
}
