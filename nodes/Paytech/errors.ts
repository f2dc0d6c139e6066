import type { IDataObject } from 'n8n-workflow';

import type { ProviderErrorInfo } from '../common/request';

// Payment-level error codes (errorCode on a DECLINED or CANCELLED payment), from the error-code
// tables of the pay.tech API reference 1.0.61 and OpenAPI file 1.0.341 (docs/providers/paytech.md).
// The hint tells the operator what to do; the gateway's own message stays in errorMessage.
const CATEGORY_HINTS: Array<[RegExp, string]> = [
	[
		/^1\.10$/,
		'Your shop balance does not cover this payout: top up the withdrawal balance, then retry',
	],
	[
		/^1\.11$/,
		"The shop's processing limits are reached: ask pay.tech support to raise them, or retry later",
	],
	[/^1\.0[89]$/, 'Check the amount and currency against what the terminal accepts'],
	[
		/^1\.0[56]$/,
		'No terminal or recurring token matches: ask pay.tech support to check the shop routing',
	],
	[/^1\./, 'A gateway-side problem: retry later, and contact pay.tech support if it persists'],
	[/^2\./, 'The customer cancelled: nothing to do unless they try again'],
	[
		/^3\.16$/,
		'The acquirer saw this as a duplicate: check whether an earlier payment already went through',
	],
	[/^3\./, 'The acquirer declined: the customer may try another payment method'],
	[
		/^4\.01$/,
		"The customer's account has insufficient funds: ask them to top up or use another method",
	],
	[
		/^4\./,
		"The customer's bank declined: the customer should contact their bank or use another card",
	],
	[
		/^5\./,
		'3-D Secure failed or timed out: the customer should retry and complete the 3-D Secure step',
	],
	[
		/^6\./,
		"pay.tech's anti-fraud rules declined it: review the shop's risk rules in the merchant portal",
	],
	[/^7\./, 'An external anti-fraud service declined it: contact pay.tech support for details'],
	[/^8\./, 'Rejected by the merchant (you): nothing to do'],
];

/**
 * A declined or cancelled payment is an HTTP 200 with errorCode and errorMessage; the operator also
 * gets errorHint, what to do about it, next to them (in place, so the item keeps its key order).
 */
export function withDeclineHint(payment: IDataObject): IDataObject {
	const code = payment.errorCode;
	const hint =
		typeof code === 'string' ? CATEGORY_HINTS.find(([re]) => re.test(code))?.[1] : undefined;
	if (hint) payment.errorHint = hint;
	return payment;
}

interface PaytechErrorBody {
	message?: unknown;
	error?: unknown;
	errors?: Array<{ field?: unknown; defaultMessage?: unknown }>;
}

const STATUS_HINTS: Record<number, string> = {
	400: 'pay.tech rejected the request: fix the field it names and run the node again',
	401: 'The API key was refused: check the API key and that the Environment (sandbox or production) matches it',
	403: 'Access denied: check that the API key belongs to this shop and environment',
	404: 'Not found: check the ID, and that it belongs to the shop and environment of the credential',
	429: 'pay.tech is rate limiting this shop: lower the request rate or try again in a minute',
};

/** Code, message and hint for an HTTP error answer of the pay.tech API. */
export function describePaytechError(status: number, body: unknown): ProviderErrorInfo {
	const b = (body && typeof body === 'object' ? body : {}) as PaytechErrorBody;
	const fieldErrors = Array.isArray(b.errors)
		? b.errors
				.filter((e) => e && typeof e === 'object')
				.map((e) =>
					e.field
						? `${String(e.field)}: ${String(e.defaultMessage ?? 'invalid')}`
						: String(e.defaultMessage ?? ''),
				)
				.filter(Boolean)
		: [];
	const base =
		typeof b.message === 'string' && b.message
			? b.message
			: typeof b.error === 'string'
				? b.error
				: `HTTP ${status}`;
	const message = fieldErrors.length ? `${base} (${fieldErrors.join('; ')})` : base;
	const hint =
		STATUS_HINTS[status] ??
		(status >= 500 ? 'pay.tech had an internal error: try again later' : undefined);
	return { code: String(status), message, hint };
}
