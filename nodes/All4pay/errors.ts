import type { ProviderErrorInfo } from '../common/request';

// All4Pay identifies an error by HTTP status and `reason`; its withdrawal checks add a `code`
const CODE_HINTS: Record<string, string> = {
	'0441':
		'Withdrawals are not allowed while your All4Pay balance is insufficient: nothing was paid out; top up the balance (Balance → Get shows it)',
	'0442':
		'Your available All4Pay balance is taken by pending withdrawals: nothing was paid out; wait for them to finish or top up',
	'0443':
		'The withdrawal is larger than your available All4Pay balance: nothing was paid out; lower it or top up the balance',
};

const REASON_HINTS: Array<[number, RegExp, string]> = [
	[
		401,
		/bad\s*credentials/i,
		'The API token was refused: check the Token of the credential (All4Pay account area → API page) and the Environment it belongs to',
	],
	[
		401,
		/illegal\s*conditions/i,
		'All4Pay refused this customer: a daily deposit limit, or a blocked CPF or user_id (its message says which); nothing was created',
	],
	[404, /./, 'Not found: check the ID, and the Base URL and Endpoint Overrides of the credential'],
	[422, /./, 'All4Pay refused the parameters: fix the field it names and run the node again'],
	[
		429,
		/./,
		"All4Pay's rate limit was exceeded although the node paces its requests: another client on the same IP address may share the limit",
	],
];

interface All4payErrorBody {
	message?: unknown;
	reason?: unknown;
	code?: unknown;
}

/** Code, message and hint for an HTTP error answer of the All4Pay API. */
export function describeAll4payError(status: number, body: unknown): ProviderErrorInfo {
	const b = (body && typeof body === 'object' ? body : {}) as All4payErrorBody;
	const reason = typeof b.reason === 'string' ? b.reason : '';
	const code = typeof b.code === 'string' || typeof b.code === 'number' ? String(b.code) : '';
	// the message is kept as sent: it may carry the customer's daily limit in reais ("R$ 5.000,00")
	const text = typeof b.message === 'string' && b.message ? b.message : `HTTP ${status}`;
	const message = reason ? `${reason}: ${text}` : text;
	const hint =
		CODE_HINTS[code] ??
		REASON_HINTS.find(([s, pattern]) => s === status && pattern.test(reason))?.[2] ??
		(status >= 500
			? 'All4Pay had an internal error: try again later, or contact its support'
			: undefined);
	return { code: code || String(status), message, hint };
}
