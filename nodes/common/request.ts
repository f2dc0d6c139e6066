import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IPollFunctions,
	IWebhookFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

import { parseJson, parseJsonMoney, stringifyJson } from './json';

export type RequestContext =
	| IExecuteFunctions
	| ILoadOptionsFunctions
	| IPollFunctions
	| IHookFunctions
	| IWebhookFunctions;

export interface ProviderErrorInfo {
	/** The provider's own error code, shown to the operator and kept on the error. */
	code?: string;
	message: string;
	/** What the operator should do about it. */
	hint?: string;
}

export interface RetryPolicy {
	maxAttempts: number;
	baseDelayMs: number;
	maxDelayMs: number;
	/** Budget for all attempts and waits together; no wait starts that would end after it. */
	maxElapsedMs: number;
}

export interface ProviderHttp {
	credentialType: string;
	providerName: string;
	/** Turns a non-2xx answer into the provider's code, message and an operator hint. */
	describeError(status: number, body: unknown): ProviderErrorInfo;
	/**
	 * For providers that answer errors with HTTP 200 and an error object in the body: the error in
	 * a 2xx answer, or undefined when it is a success. Such errors are final (the provider answered).
	 */
	envelopeError?(body: unknown): ProviderErrorInfo | undefined;
	/**
	 * Whether an error answer says the provider has not acted on the request yet (e.g. Aggrepay.pro's
	 * 40008 "request is being processed"): retried with backoff like a 429, for every call.
	 */
	notActedYet?(info: ProviderErrorInfo): boolean;
	retry?: Partial<RetryPolicy>;
	timeoutMs?: number;
	/** The provider's amount fields: output as the exact decimal text received (see moneyAsText). */
	moneyFields?: ReadonlySet<string>;
}

export interface ApiCall {
	method: IHttpRequestMethods;
	/** Path below the credential's base URL; the credential's authenticate() sets the base URL. */
	url: string;
	qs?: IDataObject;
	/**
	 * JSON body, serialized with stringifyJson so JsonNumber amounts keep their exact digits; with
	 * `form`, the fields of an application/x-www-form-urlencoded body (the credential may add to them).
	 */
	body?: unknown;
	form?: boolean;
	/**
	 * Whether sending the call twice is harmless. Defaults to true for GET, HEAD and DELETE. A call
	 * that is not idempotent is never re-sent after an answer that may mean "done" (timeout,
	 * connection reset, 5xx): it fails with AmbiguousOutcomeError so the caller can look it up.
	 */
	idempotent?: boolean;
	itemIndex?: number;
	/** How long to wait for an answer; default ProviderHttp.timeoutMs, else 30 s. */
	timeoutMs?: number;
	/** Waits for the provider's published rate limit before every attempt (see pacer.ts). */
	pace?(): Promise<void>;
}

export interface ApiResponse {
	status: number;
	headers: IDataObject;
	/** The parsed answer, with the provider's amount fields as exact decimal text. */
	body: unknown;
	/** The response exactly as received, for providers that sign their answers. */
	text: string;
}

export const DEFAULT_RETRY: RetryPolicy = {
	maxAttempts: 5,
	baseDelayMs: 300,
	maxDelayMs: 10_000,
	maxElapsedMs: 60_000,
};

/**
 * A call whose outcome is unknown: the provider may or may not have carried it out. When
 * `mayStillBeProcessing` (we stopped waiting, the provider did not answer), a lookup right away
 * cannot prove the call failed; otherwise the provider is done with it and a lookup is reliable.
 */
export class AmbiguousOutcomeError extends NodeApiError {
	mayStillBeProcessing = false;
}

/** The provider answered, with an application error inside a 2xx envelope (see envelopeError). */
export class ProviderAnswerError extends NodeApiError {}

// Connection failures where the request never reached the provider: always safe to send again.
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);
// We gave up waiting: the provider may still be working on the request.
const TIMED_OUT = new Set(['ETIMEDOUT', 'ECONNABORTED', 'ESOCKETTIMEDOUT']);
// The connection broke after the request was sent: it may have been processed.
const BROKEN = new Set(['ECONNRESET', 'EPIPE']);

export interface NetworkFailureClass {
	/** May be sent again by the retry loop. */
	retryable: boolean;
	/** The provider may have acted on it. */
	ambiguous: boolean;
	mayStillBeProcessing: boolean;
}

/** What a network error code means for sending the request again. */
export function classifyNetworkFailure(
	code: string | undefined,
	idempotent: boolean,
): NetworkFailureClass {
	if (code !== undefined && NOT_SENT.has(code))
		return { retryable: true, ambiguous: false, mayStillBeProcessing: false };
	const known = code !== undefined && (TIMED_OUT.has(code) || BROKEN.has(code));
	return {
		retryable: known && idempotent,
		ambiguous: true,
		mayStillBeProcessing: code === undefined || TIMED_OUT.has(code),
	};
}

interface Failure {
	/** true: may be tried again for this call; false: final. */
	retryable: boolean;
	/** The provider may have acted on it. */
	ambiguous: boolean;
	retryAfterMs?: number;
	error: NodeApiError;
}

/**
 * One provider call through n8n's httpRequestWithAuthentication, with retries: 429, 5xx and
 * network errors are retried with exponential backoff and full jitter, honouring Retry-After,
 * bounded in attempts and total time. A non-idempotent call is retried only when the provider
 * cannot have acted on it (connection refused, 429). Errors carry the provider's code and message
 * and an operator hint, and never the request headers (which hold the key).
 */
export async function apiRequest(
	this: RequestContext,
	http: ProviderHttp,
	call: ApiCall,
): Promise<ApiResponse> {
	const policy = { ...DEFAULT_RETRY, ...http.retry };
	const idempotent = call.idempotent ?? ['GET', 'HEAD', 'DELETE'].includes(call.method);
	const started = Date.now();
	const options: IHttpRequestOptions = {
		method: call.method,
		url: call.url,
		qs: call.qs,
		headers: { Accept: 'application/json' },
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		encoding: 'text',
		json: false,
		timeout: call.timeoutMs ?? http.timeoutMs ?? 30_000,
	};
	if (call.form) {
		options.body = (call.body ?? {}) as IDataObject;
		options.headers!['Content-Type'] = 'application/x-www-form-urlencoded';
	} else if (call.body !== undefined) {
		options.body = stringifyJson(call.body);
		options.headers!['Content-Type'] = 'application/json';
	}

	for (let attempt = 1; ; attempt++) {
		await call.pace?.();
		const failure = await attemptOnce.call(this, http, call, options, idempotent);
		if ('status' in failure) return failure;
		const elapsed = Date.now() - started;
		const backoff =
			Math.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
		const wait = Math.max(backoff, failure.retryAfterMs ?? 0);
		if (
			!failure.retryable ||
			attempt >= policy.maxAttempts ||
			elapsed + wait > policy.maxElapsedMs
		) {
			if (failure.retryable && attempt > 1) {
				failure.error.description =
					`${failure.error.description ?? ''} Gave up after ${attempt} attempts in ${Math.round(elapsed / 1000)} s.`.trim();
			}
			throw failure.error;
		}
		await sleep(wait);
	}
}

async function attemptOnce(
	this: RequestContext,
	http: ProviderHttp,
	call: ApiCall,
	options: IHttpRequestOptions,
	idempotent: boolean,
): Promise<ApiResponse | Failure> {
	const node = this.getNode();
	const where = `${call.method} ${call.url}`;
	let response: { statusCode: number; headers: IDataObject; body: unknown };
	try {
		// a fresh copy each time: authenticate() may rewrite options
		const body =
			options.body !== null && typeof options.body === 'object'
				? { ...(options.body as IDataObject) }
				: options.body;
		response = await this.helpers.httpRequestWithAuthentication.call(this, http.credentialType, {
			...options,
			body,
			headers: { ...options.headers },
		});
	} catch (error) {
		const code = networkErrorCode(error);
		const failure = classifyNetworkFailure(code, idempotent);
		const message = `${http.providerName} could not be reached (${code ?? 'network error'}) on ${where}`;
		const description = !failure.ambiguous
			? 'Check the base URL in the credential and that the service is reachable from n8n.'
			: idempotent
				? 'The connection failed; the request is safe to repeat.'
				: `The connection failed after the request was sent, so ${http.providerName} may have carried it out.`;
		const options = { message, description, itemIndex: call.itemIndex };
		const errorResponse = { code: code ?? 'NETWORK_ERROR' } as JsonObject;
		const ErrorClass = !failure.ambiguous || idempotent ? NodeApiError : AmbiguousOutcomeError;
		const failed = new ErrorClass(node, errorResponse, options);
		// n8n replaces a message that names a connection code (ECONNRESET...) with its generic "you
		// can retry the request immediately", which must not be said of a payout that may be done
		failed.message = message;
		if (failed instanceof AmbiguousOutcomeError)
			failed.mayStillBeProcessing = failure.mayStillBeProcessing;
		return { ...failure, error: failed };
	}

	const status = response.statusCode;
	const text =
		typeof response.body === 'string'
			? response.body
			: Buffer.isBuffer(response.body)
				? response.body.toString('utf8')
				: '';
	let body: unknown = text;
	let parsed = text.trim() === '';
	if (!parsed) {
		try {
			body = http.moneyFields ? parseJsonMoney(text, http.moneyFields) : parseJson(text);
			parsed = true;
		} catch {
			parsed = false;
		}
	}

	if (status >= 200 && status < 300) {
		if (parsed) {
			const result = text.trim() === '' ? {} : body;
			const failure = http.envelopeError?.(result);
			if (!failure) {
				return {
					status,
					headers: response.headers,
					body: result,
					text,
				};
			}
			const message = `${http.providerName} error${failure.code ? ` ${failure.code}` : ''}: ${failure.message}`;
			return {
				retryable: http.notActedYet?.(failure) ?? false,
				ambiguous: false,
				error: keepMessage(
					new ProviderAnswerError(
						node,
						{ status, code: failure.code ?? 'ERROR', message: failure.message } as JsonObject,
						{
							message,
							description: failure.hint,
							// n8n shows httpCode as "Error code", and would find the 200 otherwise
							httpCode: failure.code ?? 'ERROR',
							itemIndex: call.itemIndex,
						},
					),
					message,
				),
			};
		}
		const message = `${http.providerName} sent a response that is not valid JSON on ${where}`;
		return {
			retryable: idempotent,
			ambiguous: true,
			error: new (idempotent ? NodeApiError : AmbiguousOutcomeError)(
				node,
				{ status } as JsonObject,
				{
					message,
					description: idempotent
						? 'Try again later.'
						: `${http.providerName} may have carried out the request.`,
					httpCode: String(status),
					itemIndex: call.itemIndex,
				},
			),
		};
	}

	const info = http.describeError(status, parsed ? body : undefined);
	const notActedYet = status === 429 || (http.notActedYet?.(info) ?? false);
	const transient = notActedYet || status >= 500;
	// 429 means the request was turned away before it was processed
	const ambiguous = status >= 500;
	const ErrorClass = ambiguous && !idempotent ? AmbiguousOutcomeError : NodeApiError;
	const message = `${http.providerName} error${info.code ? ` ${info.code}` : ''} (HTTP ${status}): ${info.message}`;
	const error = keepMessage(
		new ErrorClass(
			node,
			{ status, code: info.code ?? String(status), message: info.message } as JsonObject,
			{ message, description: info.hint, httpCode: String(status), itemIndex: call.itemIndex },
		),
		message,
	);
	return {
		retryable: transient && (idempotent || notActedYet),
		ambiguous,
		retryAfterMs: retryAfterMs(response.headers),
		error,
	};
}

/**
 * n8n replaces an error message that contains a Node.js error code anywhere (a provider's reason
 * "PageNotFound" holds ENOTFOUND) with its own text about an unreachable host: the provider's
 * words are put back.
 */
function keepMessage<E extends NodeApiError>(error: E, message: string): E {
	error.message = message;
	return error;
}

/** The provider's own error code that apiRequest put on its error (ProviderErrorInfo.code). */
export function providerErrorCode(error: unknown): string | undefined {
	const response = (error as { errorResponse?: { code?: unknown } } | undefined)?.errorResponse;
	return error instanceof NodeApiError && response?.code !== undefined
		? String(response.code)
		: undefined;
}

/** Retry-After in seconds or as an HTTP date, in milliseconds. */
export function retryAfterMs(
	headers: IDataObject | undefined,
	now = Date.now(),
): number | undefined {
	const value = headers?.['retry-after'] ?? headers?.['Retry-After'];
	if (typeof value !== 'string' && typeof value !== 'number') return undefined;
	const text = String(value).trim();
	if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
	// an HTTP date names its weekday and month; Date.parse would also take "-3" as a year
	const date = /[a-z]/i.test(text) ? Date.parse(text) : Number.NaN;
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function networkErrorCode(error: unknown): string | undefined {
	// httpRequestWithAuthentication wraps the axios error; the code sits on it or its cause
	for (
		let e = error as { code?: unknown; cause?: unknown; message?: unknown } | undefined, depth = 0;
		e && depth < 4;
		e = e.cause as typeof e, depth++
	) {
		if (typeof e.code === 'string' && /^E[A-Z_]+$/.test(e.code)) return e.code;
		if (typeof e.message === 'string') {
			if (/socket hang up/i.test(e.message)) return 'ECONNRESET';
			if (/timeout of \d+ms exceeded/i.test(e.message)) return 'ETIMEDOUT';
		}
	}
	return undefined;
}
