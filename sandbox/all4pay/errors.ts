import { STATUS_CODES } from 'node:http';

import { jsonReply, type SandboxReply } from '../common/router';

/** Published reasons (docs/providers/all4pay.md, Errors). */
export const REASONS = {
	badCredentials: 'Bad Credentials',
	illegalConditions: 'Illegal Conditions',
	/** The withdrawal balance checks' reason, spelled as published (no space). */
	balanceIllegalConditions: 'IllegalConditions',
	pageNotFound: 'PageNotFound',
	resultsNotFound: 'Results not found',
	rateLimit: 'Rate Limit Exception',
	internal: 'Internal ServerError',
} as const;

/**
 * Thrown by handlers; answered as All4Pay's `{message, reason, code}`. `code` is the HTTP status
 * as text ("422") unless the error has its own published code (the withdrawal checks' "0441").
 */
export class All4payApiError extends Error {
	constructor(
		readonly status: number,
		readonly reason: string,
		message: string,
		readonly code: string = String(status),
	) {
		super(message);
	}
}

export function all4payErrorReply(
	status: number,
	reason: string,
	message: string,
	code: string = String(status),
): SandboxReply {
	return jsonReply(status, { message, reason, code });
}

export const badCredentials = (): SandboxReply =>
	all4payErrorReply(401, REASONS.badCredentials, 'API Credentials is not valid');

export const rateLimitExceeded = (): SandboxReply =>
	all4payErrorReply(429, REASONS.rateLimit, 'API request limit is exceeded');

export const resultsNotFound = (): All4payApiError =>
	new All4payApiError(404, REASONS.resultsNotFound, 'Results not found');

/** 422 naming every bad field: "Parameters not valid: cpf (...), amount (...)". */
export function parametersNotValid(problems: Array<[field: string, why: string]>): All4payApiError {
	const list = problems.map(([field, why]) => `${field} (${why})`).join(', ');
	return new All4payApiError(422, REASONS.illegalConditions, `Parameters not valid: ${list}`);
}

/**
 * The HTTP layer's errors (unknown path, wrong method, injected statuses, 500) in All4Pay's shape,
 * with the published reason and message where the table has one.
 */
export function genericErrorReply(status: number, message: string): SandboxReply {
	switch (status) {
		case 401:
			return badCredentials();
		case 404:
			return all4payErrorReply(404, REASONS.pageNotFound, 'Page, action or record not found');
		case 429:
			return rateLimitExceeded();
		case 500:
			return all4payErrorReply(500, REASONS.internal, 'Something wrong in All4Pay');
		default:
			return all4payErrorReply(status, STATUS_CODES[status] ?? 'Error', message);
	}
}
