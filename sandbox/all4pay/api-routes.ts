import type { All4payOperation } from '../../nodes/All4pay/endpoints';
import type { Endpoint } from '../../nodes/common/endpoints';
import { DecimalLiteral, type Serializable } from '../common/json';
import { jsonReply, type Router, type SandboxReply, type SandboxRequest } from '../common/router';
import type { All4payEngine } from './engine';
import {
	All4payApiError,
	all4payErrorReply,
	badCredentials,
	rateLimitExceeded,
	resultsNotFound,
} from './errors';
import type { All4payRateLimiter } from './rate-limit';
import type { All4payBalance, All4payDeposit, All4payWithdrawal } from './types';
import { listBound, parseBody, validateDeposit, validateWithdrawal } from './validation';

type ApiHandler = (request: SandboxRequest) => SandboxReply;

/** `{id}` placeholders of the endpoint table as the router's `:id` segments. */
export function routePattern(path: string): string {
	return path.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, ':$1');
}

/** The rate limits' client: the first X-Forwarded-For entry, else one shared "local" client. */
export function clientOf(request: SandboxRequest): string {
	const header = request.headers['x-forwarded-for'];
	const value = Array.isArray(header) ? header[0] : header;
	const first = value?.split(',')[0]?.trim();
	return first || 'local';
}

/** The API at the paths of `endpoints` (ALL4PAY_ASSUMED_ENDPOINTS unless overridden). */
export function addAll4payApiRoutes(
	router: Router,
	engine: All4payEngine,
	endpoints: Record<All4payOperation, Endpoint>,
	token: string,
	limiter: All4payRateLimiter,
): void {
	const add = (operation: All4payOperation, handler: ApiHandler) => {
		const endpoint = endpoints[operation];
		router.add(endpoint.method, routePattern(endpoint.path), (request) => {
			// Per address before anything else: a refused token still spends the address's quota.
			if (!limiter.admit(clientOf(request), operation, engine.now().getTime()))
				return rateLimitExceeded();
			const header = request.headers.token;
			if ((Array.isArray(header) ? header[0] : header) !== token) return badCredentials();
			try {
				return handler(request);
			} catch (error) {
				if (!(error instanceof All4payApiError)) throw error;
				return all4payErrorReply(error.status, error.reason, error.message, error.code);
			}
		});
	};

	add('createDeposit', (request) =>
		jsonReply(200, depositView(engine.createDeposit(validateDeposit(parseBody(request.rawBody))))),
	);

	add('getDeposit', (request) => {
		const deposit = engine.deposits.get(request.params.id ?? '');
		if (!deposit) throw resultsNotFound();
		return jsonReply(200, depositView(deposit));
	});

	add('getDeposits', (request) => {
		const userId = request.query.get('user_id');
		const from = listBound(request.query, 'date_from');
		const to = listBound(request.query, 'date_to');
		const listed = [...engine.deposits.values()]
			.map((deposit, index) => ({ deposit, index }))
			.filter(({ deposit }) => {
				const at = deposit.createdAt.getTime();
				return (
					(userId === null || userId === '' || deposit.userId === userId) &&
					(from === undefined || at >= from) &&
					(to === undefined || at <= to)
				);
			})
			.sort(
				(a, b) =>
					b.deposit.createdAt.getTime() - a.deposit.createdAt.getTime() || b.index - a.index,
			)
			.map(({ deposit }) => depositView(deposit));
		return jsonReply(200, listed);
	});

	add('createWithdrawal', (request) =>
		jsonReply(
			200,
			withdrawalView(engine.createWithdrawal(validateWithdrawal(parseBody(request.rawBody)))),
		),
	);

	add('getWithdrawal', (request) => {
		const withdrawal = engine.withdrawals.get(request.params.id ?? '');
		if (!withdrawal) throw resultsNotFound();
		return jsonReply(200, withdrawalView(withdrawal));
	});

	add('getBalance', () => jsonReply(200, balanceView(engine.balance())));
}

export function depositView(deposit: All4payDeposit): Serializable {
	return {
		id: deposit.id,
		user_id: deposit.userId,
		cpf: deposit.cpf,
		amount: new DecimalLiteral(deposit.amount),
		status: deposit.status,
		pix_code: deposit.pixCode,
		qr_code: deposit.qrCode,
		created_at: deposit.createdAt.toISOString(),
		updated_at: deposit.updatedAt.toISOString(),
	};
}

export function withdrawalView(withdrawal: All4payWithdrawal): Serializable {
	return {
		id: withdrawal.id,
		user_id: withdrawal.userId,
		amount: new DecimalLiteral(withdrawal.amount),
		status: withdrawal.status,
		pix_key: withdrawal.pixKey,
		pix_key_type: withdrawal.pixKeyType,
		created_at: withdrawal.createdAt.toISOString(),
		updated_at: withdrawal.updatedAt.toISOString(),
	};
}

export function balanceView(balance: All4payBalance): Serializable {
	return {
		available: new DecimalLiteral(balance.available),
		pending_withdrawals: new DecimalLiteral(balance.pending_withdrawals),
		currency: balance.currency,
	};
}
