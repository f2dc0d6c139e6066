import type { Endpoint } from '../../nodes/common/endpoints';
import type { NumipayOperation } from '../../nodes/Numipay/endpoints';
import { DecimalLiteral, type Serializable } from '../common/json';
import { jsonReply, type Router, type SandboxReply, type SandboxRequest } from '../common/router';
import { CARD_DECLINED_ERROR } from './cards';
import {
	type CalendarDate,
	dateIn,
	daysBetween,
	formatTransactionDate,
	nextDay,
	parseDdMmYyyy,
	startOfDay,
} from './dates';
import type { NumipayEngine } from './engine';
import { NumipayApiError, numipayErrorReply } from './errors';
import type { NumipayTransaction } from './types';
import {
	type CreateKind,
	parseBody,
	validateCreateRequest,
	validatePayoutDecision,
} from './validation';

export interface ApiKeys {
	apiKey: string;
	devApiKey: string;
}

/** Largest published gap between `from` and `to`, in days. */
export const MAX_RANGE_DAYS = 7;

interface ApiCall {
	request: SandboxRequest;
	/** True for the DEV key: test mode, test transactions only. */
	test: boolean;
}

type ApiHandler = (call: ApiCall) => SandboxReply | Promise<SandboxReply>;

/** `{id}` placeholders of the endpoint table as the router's `:id` segments. */
export function routePattern(path: string): string {
	return path.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, ':$1');
}

/** The API at the paths of `endpoints` (NUMIPAY_ASSUMED_ENDPOINTS unless overridden). */
export function addNumipayApiRoutes(
	router: Router,
	engine: NumipayEngine,
	endpoints: Record<NumipayOperation, Endpoint>,
	keys: ApiKeys,
	providerIds: readonly string[],
	baseUrl: () => string,
): void {
	const api = (handler: ApiHandler) => async (request: SandboxRequest) => {
		const header = request.headers['x-api-key'];
		const key = Array.isArray(header) ? header[0] : header;
		if (key === undefined || (key !== keys.apiKey && key !== keys.devApiKey))
			return numipayErrorReply(401, 'Unauthorized');
		try {
			return await handler({ request, test: key === keys.devApiKey });
		} catch (error) {
			if (!(error instanceof NumipayApiError)) throw error;
			return numipayErrorReply(error.status, error.message, error.errors);
		}
	};
	const add = (operation: NumipayOperation, handler: ApiHandler) => {
		const endpoint = endpoints[operation];
		router.add(endpoint.method, routePattern(endpoint.path), api(handler));
	};

	const create = (kind: CreateKind) => (call: ApiCall) => {
		const input = validateCreateRequest(
			kind,
			parseBody(call.request.rawBody),
			call.test,
			providerIds,
		);
		engine.claimTrackingId(input.trackingId);
		const payment = {
			test: input.test,
			userId: input.userId,
			trackingId: input.trackingId,
			amount: input.amount,
			currency: input.currency,
			providerId: input.providerId,
		};
		if (kind === 'cashier' || kind === 'withdrawal')
			return jsonReply(200, { token: engine.openSession(kind, payment).token });
		if (kind === 'direct') {
			const session = engine.openSession('direct', payment);
			return jsonReply(200, { url: `${baseUrl()}/provider/${session.token}` });
		}
		const outcome = input.card?.outcome ?? 'approved';
		const transaction = engine.insert({
			...payment,
			type: 'deposit',
			flow: 'card',
			status:
				outcome === 'approved' ? 'successful' : outcome === 'declined' ? 'rejected' : 'pending',
			rejectedReason: outcome === 'declined' ? CARD_DECLINED_ERROR : undefined,
		});
		if (outcome === '3ds') {
			const session = engine.openSession('3ds', payment, transaction.transactionId);
			return jsonReply(200, {
				url: `${baseUrl()}/3ds/${session.token}`,
				transaction_status: transaction.status,
			});
		}
		engine.announceInBackground(transaction);
		return jsonReply(200, {
			url: '',
			transaction_status: transaction.status,
			error: outcome === 'declined' ? CARD_DECLINED_ERROR : undefined,
		});
	};

	add('createCashierSession', create('cashier'));
	add('createDirectDeposit', create('direct'));
	add('createCardDeposit', create('card'));
	add('createWithdrawalSession', create('withdrawal'));

	add('approveWithdrawal', (call) => {
		const { transactionId } = validatePayoutDecision(parseBody(call.request.rawBody));
		const transaction = engine.byTransactionId(transactionId, call.test);
		engine.approveWithdrawal(transaction);
		return jsonReply(200, {
			message: 'Transaction Withdrawal has been approved successfully',
			transaction_status: 'pending',
		});
	});

	add('rejectWithdrawal', (call) => {
		const { transactionId, reason } = validatePayoutDecision(parseBody(call.request.rawBody));
		engine.rejectWithdrawal(engine.byTransactionId(transactionId, call.test), reason);
		return jsonReply(200, {});
	});

	add('getTransaction', (call) => {
		const id = call.request.params.id ?? call.request.query.get('id') ?? '';
		const transaction = engine.find(id, call.test);
		if (!transaction) throw new NumipayApiError(404, 'Transaction not found');
		return jsonReply(200, {
			transaction_status: transaction.status,
			rejected_reason: transaction.rejectedReason ?? null,
		});
	});

	add('getTransactions', (call) => {
		const { start, end } = listWindow(call.request.query, engine.now(), engine.settings.timeZone);
		const listed = [...engine.transactions.values()]
			.map((transaction, index) => ({ transaction, index }))
			.filter(
				({ transaction }) =>
					transaction.test === call.test &&
					transaction.createdAt.getTime() >= start &&
					transaction.createdAt.getTime() < end,
			)
			.sort(
				(a, b) =>
					b.transaction.createdAt.getTime() - a.transaction.createdAt.getTime() ||
					b.index - a.index,
			)
			.map(({ transaction }) => toListItem(transaction));
		return jsonReply(200, listed);
	});
}

/** [start, end) in ms of the inclusive `from`..`to` day range; 400 for anything the spec rules out. */
export function listWindow(
	query: URLSearchParams,
	now: Date,
	timeZone: string,
): { start: number; end: number } {
	const today = dateIn(now, timeZone);
	const read = (name: 'from' | 'to'): CalendarDate => {
		const text = query.get(name);
		if (text === null || text === '') return today;
		const date = parseDdMmYyyy(text);
		if (!date)
			throw new NumipayApiError(400, `The ${name} date must be a date in DD-MM-YYYY format.`, {
				[name]: [`The ${name} must be a date in DD-MM-YYYY format, e.g. 01-08-2024.`],
			});
		return date;
	};
	const from = read('from');
	const to = read('to');
	const span = daysBetween(from, to);
	if (span < 0)
		throw new NumipayApiError(400, 'The to date must be a date after or equal to from.', {
			to: ['The to must be a date after or equal to from.'],
		});
	if (span > MAX_RANGE_DAYS)
		throw new NumipayApiError(400, `Maximum range between dates is ${MAX_RANGE_DAYS} days.`, {
			to: [`The to date may be at most ${MAX_RANGE_DAYS} days after from.`],
		});
	return { start: startOfDay(from, timeZone), end: startOfDay(nextDay(to), timeZone) };
}

function toListItem(transaction: NumipayTransaction): Serializable {
	const customerId = /^\d{1,15}$/.test(transaction.userId)
		? Number(transaction.userId)
		: transaction.userId;
	return {
		transaction_id: transaction.transactionId,
		gateway_transaction_id: transaction.gatewayTransactionId,
		provider_transaction_id: transaction.providerTransactionId,
		transaction_type: transaction.type,
		transaction_date: formatTransactionDate(transaction.createdAt),
		status: transaction.status,
		payment_provider: transaction.paymentProvider,
		customer_id: customerId,
		amount: new DecimalLiteral(transaction.amount),
		currency: transaction.currency,
		user_amount: new DecimalLiteral(transaction.amount),
		user_currency: transaction.currency,
		fx_amount: 0,
	};
}
