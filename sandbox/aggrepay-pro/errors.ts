import { type Serializable } from '../common/json';
import { jsonReply, type SandboxReply } from '../common/router';
import { SIGNATURE_HEADER, signAggrepayPro } from './signing';

/** The published error table: code -> HTTP status. */
export const ERROR_CODE_STATUS: Readonly<Record<number, number>> = {
	400: 400,
	40001: 400,
	40002: 400,
	40003: 400,
	40004: 400,
	40008: 400,
	401: 401,
	403: 403,
	40301: 403,
	40302: 403,
	40401: 404,
	40402: 404,
	40403: 404,
	40404: 404,
	40901: 409,
	422: 422,
	50001: 500,
};

/** The error `code` for an HTTP status the sandbox layer answers itself (404, 500, faults...). */
export function codeForStatus(status: number): number {
	if (status === 404) return 40404;
	if (status === 500) return 50001;
	return status;
}

/**
 * Thrown by handlers; answered `{"status": false, "code": code, "message": message}` with the
 * HTTP status of the published table (or `status` when given: control-only errors).
 */
export class AggrepayProApiError extends Error {
	readonly status: number;

	constructor(
		readonly code: number,
		message: string,
		status?: number,
	) {
		super(message);
		this.status = status ?? ERROR_CODE_STATUS[code] ?? 400;
	}
}

/** 422, the table's code for a request it cannot process (a field missing or of the wrong kind). */
export function unprocessable(detail: string): AggrepayProApiError {
	return new AggrepayProApiError(422, `Unprocessable Content: ${detail}`);
}

/** A control action (or the customer's page) the payment's state does not allow: 409, code 409. */
export class TransitionError extends AggrepayProApiError {
	constructor(message: string) {
		super(409, message, 409);
	}
}

export const PAYMENT_NOT_FOUND = 'Payment not found';

/** A JSON answer whose `Signature` header is the HMAC of its exact body bytes. */
export function signedJsonReply(
	status: number,
	value: Serializable,
	secretKey: string,
	headers: Record<string, string> = {},
): SandboxReply {
	const reply = jsonReply(status, value, headers);
	return {
		...reply,
		headers: { ...reply.headers, [SIGNATURE_HEADER]: signAggrepayPro(reply.body, secretKey) },
	};
}

export function errorBody(code: number, message: string): Serializable {
	return { status: false, code, message };
}

export function signedErrorReply(
	status: number,
	code: number,
	message: string,
	secretKey: string,
): SandboxReply {
	return signedJsonReply(status, errorBody(code, message), secretKey);
}
