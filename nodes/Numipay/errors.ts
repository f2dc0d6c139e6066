import type { ProviderErrorInfo } from '../common/request';

interface NumipayErrorBody {
	message?: unknown;
	error?: unknown;
	errors?: unknown;
}

// Numipay publishes only what the status classes mean; the shape of its error answers is not
// published, so the message is read from `message` or `error`, with `errors` per field when given.
const STATUS_HINTS: Record<number, string> = {
	400: 'Numipay refused the request: fix the field it names and run the node again',
	401: 'The API key was refused: check it, and that the Mode matches it (Test needs the DEV API key)',
	403: 'Access denied: check that the API key is active in the merchant portal (Settings → Credentials)',
	404: "Not found: check the ID, that it belongs to this credential's Mode, and the Base URL and Endpoint Overrides of the credential",
	405: "Numipay does not accept this method here: set the method Numipay gave you in the credential's Endpoint Overrides",
	409: 'Numipay already has a request with this Tracking ID: set a new one (a derived Tracking ID stays the same for the same event or execution), or look the earlier transaction up with Get Transaction',
	429: 'Numipay is limiting the request rate: lower it or try again in a minute',
};

/** Code, message and hint for an HTTP error answer of the Numipay API. */
export function describeNumipayError(status: number, body: unknown): ProviderErrorInfo {
	const b = (body && typeof body === 'object' ? body : {}) as NumipayErrorBody;
	const base =
		typeof b.message === 'string' && b.message
			? b.message
			: typeof b.error === 'string' && b.error
				? b.error
				: `HTTP ${status}`;
	const fieldErrors =
		b.errors && typeof b.errors === 'object' && !Array.isArray(b.errors)
			? Object.entries(b.errors as Record<string, unknown>).map(
					([field, messages]) =>
						`${field}: ${Array.isArray(messages) ? messages.map(String).join(', ') : String(messages)}`,
				)
			: [];
	const message = fieldErrors.length ? `${base} (${fieldErrors.join('; ')})` : base;
	const hint =
		STATUS_HINTS[status] ??
		(status >= 500
			? 'Numipay had an internal error: try again later, or contact its support'
			: undefined);
	return { code: String(status), message, hint };
}
