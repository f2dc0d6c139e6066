import type { ProviderErrorInfo } from '../common/request';

// Aggrepay.pro's published error codes, each with what the operator should do about it
const CODE_HINTS: Record<string, string> = {
	'400':
		'The amount is outside what the payment method allows: check its minimum and maximum with Payment Method → Get Many',
	'40001':
		'The Order ID is malformed or already used: use letters, digits, "-" and "_", and a new Order ID for a new payment',
	'40002':
		'Aggrepay.pro has no free requisite for this payment right now: try again later or with another payment method',
	'40003':
		'The payment method is not enabled for your merchant or this currency: pick one from Payment Method → Get Many',
	'40004':
		'Your Aggrepay.pro balance does not cover this payout: nothing was paid out; top up the balance (Balance → Get shows it), then run it again',
	'40008':
		'Aggrepay.pro is still processing a request with this Order ID: the node waited and retried; run it again in a minute',
	'401':
		'The API key or the signature was refused: check the API Key and the Secret Key of the credential (they must belong to the same account)',
	'403':
		"Aggrepay.pro refused this address: ask it to add your n8n server's IP address to the whitelist",
	'40301': 'Aggrepay.pro has blocked this customer (User ID) from paying',
	'40302':
		"Aggrepay.pro's anti-spam protection blocked this customer after too many payment requests in a short time",
	'40401':
		'No such merchant or payment: check the Merchant ID of the credential, or the Order ID / ID you looked up',
	'40402':
		'No such payment method, or it has no banks for this currency: list them with Payment Method → Get Many',
	'40403': 'Your merchant has no payment methods: ask Aggrepay.pro to enable some',
	'40404': "Not found: check the Base URL and the credential's Endpoint Overrides",
	'40901': 'A payment with this Order ID already exists and has been processed: use a new Order ID',
	'422': 'Aggrepay.pro refused the state given',
	'429': 'Aggrepay.pro is limiting the request rate: lower it or try again in a minute',
	'50001': 'Aggrepay.pro had an internal error: try again later, or contact its support',
};

interface AggrepayProErrorBody {
	status?: unknown;
	code?: unknown;
	message?: unknown;
	error?: unknown;
}

function describe(status: number | undefined, body: unknown): ProviderErrorInfo {
	const b = (body && typeof body === 'object' ? body : {}) as AggrepayProErrorBody;
	const code =
		typeof b.code === 'number' || (typeof b.code === 'string' && b.code !== '')
			? String(b.code)
			: status !== undefined
				? String(status)
				: undefined;
	const message =
		typeof b.message === 'string' && b.message
			? b.message
			: typeof b.error === 'string' && b.error
				? b.error
				: status !== undefined
					? `HTTP ${status}`
					: 'status false without a message';
	const hint =
		(code && CODE_HINTS[code]) ??
		(status !== undefined && status >= 500 ? CODE_HINTS['50001'] : undefined);
	return { code, message, hint };
}

/** Code, message and hint for an HTTP error answer of the Aggrepay.pro API. */
export function describeAggrepayProError(status: number, body: unknown): ProviderErrorInfo {
	return describe(status, body);
}

/** An answer with `status: false` is an error, also with HTTP 200 (as published). */
export function aggrepayProEnvelopeError(body: unknown): ProviderErrorInfo | undefined {
	if (!body || typeof body !== 'object' || (body as AggrepayProErrorBody).status !== false)
		return undefined;
	return describe(undefined, body);
}

/** 40008 "request is being processed": Aggrepay.pro has not acted on this request yet. */
export function aggrepayProNotActedYet(info: ProviderErrorInfo): boolean {
	return info.code === '40008';
}
