import { STATUS_CODES } from 'node:http';

import { formatEnvelopeTimestamp } from '../common/clock';
import { jsonReply, type SandboxReply } from '../common/router';

/** One entry of `errors[]` in a 400 body, in the Spring binding-result shape pay.tech returns. */
export interface FieldError {
	field: string;
	/** Bean-validation style constraint name: NotNull, Size, DecimalMin, Pattern, ... */
	code: string;
	defaultMessage: string;
	objectName: string;
}

/** Thrown by handlers; the API layer turns it into the documented error body. */
export class PaytechApiError extends Error {
	constructor(
		readonly status: number,
		message: string,
		readonly fieldErrors: FieldError[] = [],
	) {
		super(message);
	}
}

export class PaymentNotFoundError extends PaytechApiError {
	constructor() {
		super(404, 'Payment not found');
	}
}

/**
 * A transition the payment's state does not allow. Message starts like the published 1.00 code
 * ("Illegal Workflow State") so clients can recognise it.
 */
export class WorkflowStateError extends PaytechApiError {
	constructor(detail: string) {
		super(400, `Illegal Workflow State: ${detail}`);
	}
}

export function validationError(fieldErrors: FieldError[]): PaytechApiError {
	// Assumption: the exact message text is not published; naming each field helps operators most.
	const message = fieldErrors.map((error) => `${error.field}: ${error.defaultMessage}`).join('; ');
	return new PaytechApiError(400, message, fieldErrors);
}

export function paytechErrorReply(
	now: Date,
	status: number,
	message: string,
	path: string,
	fieldErrors?: FieldError[],
): SandboxReply {
	const errors =
		status === 400
			? (fieldErrors ?? []).map((error) => ({
					codes: [
						`${error.code}.${error.objectName}.${error.field}`,
						`${error.code}.${error.field}`,
						error.code,
					],
					defaultMessage: error.defaultMessage,
					objectName: error.objectName,
					field: error.field,
					bindingFailure: false,
					code: error.code,
				}))
			: undefined;
	return jsonReply(status, {
		timestamp: formatEnvelopeTimestamp(now),
		status,
		error: STATUS_CODES[status] ?? 'Error',
		message,
		errors,
		path,
	});
}
