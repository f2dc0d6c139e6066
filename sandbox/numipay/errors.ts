import { jsonReply, type SandboxReply } from '../common/router';

/**
 * Thrown by handlers; answered as `{"message": ...}` (plus `errors` for validation). Numipay
 * publishes no error body: the shape is the sandbox's assumption.
 */
export class NumipayApiError extends Error {
	constructor(
		readonly status: number,
		message: string,
		/** Field path (`request.amount`) -> messages, for validation errors. */
		readonly errors?: Record<string, string[]>,
	) {
		super(message);
	}
}

export class TransactionNotFoundError extends NumipayApiError {
	constructor() {
		super(404, 'Transaction not found');
	}
}

/** One 400 naming every bad field; the message is the first one (Laravel style, assumed). */
export function validationError(errors: Record<string, string[]>): NumipayApiError {
	const messages = Object.values(errors).flat();
	const more = messages.length - 1;
	const message =
		more > 0 ? `${messages[0]} (and ${more} more error${more > 1 ? 's' : ''})` : messages[0];
	return new NumipayApiError(400, message, errors);
}

export function numipayErrorReply(
	status: number,
	message: string,
	errors?: Record<string, string[]>,
): SandboxReply {
	return jsonReply(status, { message, errors });
}
