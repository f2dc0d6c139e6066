import { timingSafeEqual } from 'node:crypto';

import type { Endpoint } from '../../nodes/common/endpoints';
import type { AggrepayProOperation } from '../../nodes/AggrepayPro/endpoints';
import { DecimalLiteral, type Serializable } from '../common/json';
import type { Router, SandboxReply, SandboxRequest } from '../common/router';
import type { AggrepayProEngine } from './engine';
import { AggrepayProApiError, signedErrorReply, signedJsonReply, unprocessable } from './errors';
import { currencyDecimals, formatInUnit, majorToMinor } from './money';
import { signAggrepayPro } from './signing';
import type { PaymentMethod, PaymentType } from './types';
import { parseBody, readUserId, validatePayment, validatePayout } from './validation';

export interface ApiKeys {
	apiKey: string;
	secretKey: string;
}

/** What the IP whitelist compares when the request names no other address (see callerAddress). */
export const LOOPBACK_CALLER = '127.0.0.1';

export const IP_REFUSED = 'Access denied: your IP address is not in the whitelist';
export const SIGNATURE_MISMATCH = 'Unauthorized: Signature does not match the request body';

type ApiHandler = (request: SandboxRequest) => Serializable | Promise<Serializable>;

/** `{name}` placeholders of the endpoint table as the router's `:name` segments. */
export function routePattern(path: string): string {
	return path.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, ':$1');
}

function header(request: SandboxRequest, name: string): string | undefined {
	const value = request.headers[name];
	return Array.isArray(value) ? value[0] : value;
}

/**
 * The caller's address for the IP whitelist: the first `X-Forwarded-For` entry, else loopback
 * (the sandbox listens on loopback, and the shared HTTP layer does not hand handlers the socket).
 */
export function callerAddress(request: SandboxRequest): string {
	const forwarded = header(request, 'x-forwarded-for')?.split(',')[0]?.trim();
	return forwarded || LOOPBACK_CALLER;
}

function normalizeAddress(address: string): string {
	const lower = address
		.trim()
		.toLowerCase()
		.replace(/^::ffff:/, '');
	return lower === '::1' || lower === 'localhost' ? LOOPBACK_CALLER : lower;
}

function sameText(given: string, expected: string): boolean {
	const a = Buffer.from(given, 'utf8');
	const b = Buffer.from(expected, 'utf8');
	return a.length === b.length && timingSafeEqual(a, b);
}

/** The API at the paths of `endpoints` (AGGREPAY_PRO_ASSUMED_ENDPOINTS unless overridden). */
export function addAggrepayProApiRoutes(
	router: Router,
	engine: AggrepayProEngine,
	endpoints: Record<AggrepayProOperation, Endpoint>,
	keys: ApiKeys,
): void {
	const refuse = (error: AggrepayProApiError): SandboxReply =>
		signedErrorReply(
			engine.settings.errorsAsHttp200 ? 200 : error.status,
			error.code,
			error.message,
			keys.secretKey,
		);

	const checkAccess = (request: SandboxRequest): void => {
		const whitelist = engine.settings.ipWhitelist;
		if (whitelist) {
			const caller = normalizeAddress(callerAddress(request));
			if (!whitelist.some((entry) => normalizeAddress(entry) === caller))
				throw new AggrepayProApiError(403, IP_REFUSED);
		}
		const authorization = header(request, 'authorization') ?? '';
		const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
		if (!match || !sameText(match[1], keys.apiKey))
			throw new AggrepayProApiError(401, 'Unauthorized');
		const signature = header(request, 'signature');
		if (signature === undefined || signature === '')
			throw new AggrepayProApiError(401, `${SIGNATURE_MISMATCH} (no Signature header)`);
		if (!sameText(signature.trim(), signAggrepayPro(request.rawBody, keys.secretKey)))
			throw new AggrepayProApiError(
				401,
				`${SIGNATURE_MISMATCH} (lowercase hex HMAC-SHA256 of the exact body bytes with the secret key; a GET signs "")`,
			);
	};

	const api =
		(handler: ApiHandler) =>
		async (request: SandboxRequest): Promise<SandboxReply> => {
			try {
				checkAccess(request);
				const data = await handler(request);
				return signedJsonReply(200, { status: true, data }, keys.secretKey);
			} catch (error) {
				if (!(error instanceof AggrepayProApiError)) throw error;
				return refuse(error);
			}
		};
	const add = (operation: AggrepayProOperation, handler: ApiHandler) => {
		const endpoint = endpoints[operation];
		router.add(endpoint.method, routePattern(endpoint.path), api(handler));
	};
	const context = () => ({
		merchantId: engine.merchantId,
		unit: engine.settings.amountUnit,
		methods: engine.methods,
	});
	const lookup = (type: PaymentType) => (request: SandboxRequest) => {
		const id = request.query.get('id') || undefined;
		const orderId = request.query.get('orderId') || undefined;
		if (id === undefined && orderId === undefined)
			throw unprocessable('the status lookup needs the query orderId=<your orderId> or id=<id>');
		return engine.view(engine.lookup(type, id, orderId));
	};

	add('createPayment', async (request) => {
		const body = parseBody(request.rawBody);
		engine.countForAntiSpam(readUserId(body));
		const input = validatePayment(body, context());
		const payment = await engine.withNewOrderId(input.orderId, () => engine.createPayment(input));
		return engine.view(payment);
	});

	add('getPaymentStatus', lookup('payment'));

	add('createPayout', async (request) => {
		const input = validatePayout(parseBody(request.rawBody), context());
		const payout = await engine.withNewOrderId(input.orderId, () => engine.createPayout(input));
		return engine.view(payout);
	});

	add('getPayoutStatus', lookup('payout'));

	add('getPaymentMethods', (request) => {
		const currency = request.query.get('currency') || undefined;
		const listed = engine.methods.filter(
			(method) => currency === undefined || method.currencies.includes(currency),
		);
		if (listed.length === 0)
			throw new AggrepayProApiError(
				40403,
				currency === undefined
					? 'No payment methods found'
					: `No payment methods found for ${currency}`,
			);
		return listed.map((method) => methodView(method, currency, engine.settings.amountUnit));
	});

	add('getBanks', (request) => {
		const code = request.params.method ?? request.query.get('method') ?? '';
		const currency = request.query.get('currency') || undefined;
		const method = engine.methods.find((candidate) => candidate.code === code);
		if (!method) throw new AggrepayProApiError(40402, `Payment method not found: "${code}"`);
		const currencies = currency === undefined ? method.currencies : [currency];
		const banks = new Map<string, Serializable>();
		for (const each of currencies)
			for (const bank of method.banks?.[each] ?? [])
				if (!banks.has(bank.code)) banks.set(bank.code, { code: bank.code, name: bank.name });
		if (banks.size === 0)
			throw new AggrepayProApiError(
				40402,
				`No banks available for ${code}${currency === undefined ? '' : ` in ${currency}`}`,
			);
		return [...banks.values()];
	});

	add('getBalance', () => engine.balanceView());
}

/**
 * A method as listed: limits in the current unit. In minor units they are converted with the
 * decimals of the `currency` asked for, else of the method's first currency.
 */
function methodView(
	method: PaymentMethod,
	currency: string | undefined,
	unit: 'major' | 'minor',
): Serializable {
	const decimals = currencyDecimals(currency ?? method.currencies[0]) ?? 2;
	const limit = (text: string | undefined) => {
		if (text === undefined) return null;
		if (unit === 'major') return new DecimalLiteral(text);
		return new DecimalLiteral(
			formatInUnit(majorToMinor(text, decimals) ?? BigInt(0), decimals, unit),
		);
	};
	return {
		code: method.code,
		name: method.name,
		type: method.type,
		currencies: [...method.currencies],
		minAmount: limit(method.minAmount),
		maxAmount: limit(method.maxAmount),
	};
}
