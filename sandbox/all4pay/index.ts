import { ALL4PAY_ASSUMED_ENDPOINTS, type All4payOperation } from '../../nodes/All4pay/endpoints';
import type { Endpoint } from '../../nodes/common/endpoints';
import { type Clock, systemClock } from '../common/clock';
import { ControlInputError } from '../common/control';
import { type FaultRule, FaultInjector } from '../common/faults';
import {
	CONTROL_PREFIX,
	type RecordedRequest,
	startSandboxHttpServer,
} from '../common/http-server';
import { Router } from '../common/router';
import type { WebhookDelivery } from '../common/webhooks';
import { addAll4payApiRoutes } from './api-routes';
import { addAll4payControlRoutes, applySettings } from './control-routes';
import { All4payEngine, type ForgedCallback } from './engine';
import { genericErrorReply } from './errors';
import { normalizeAmount } from './money';
import { addAll4payPages, PIX_PAGE_PREFIX } from './pages';
import {
	All4payRateLimiter,
	DEFAULT_RATE_LIMITS,
	type RateLimits,
	type RateLimitStats,
} from './rate-limit';
import type { All4payBalance, All4payDeposit, All4paySettings, All4payWithdrawal } from './types';

export type { All4payOperation } from '../../nodes/All4pay/endpoints';
export type { Endpoint } from '../../nodes/common/endpoints';
export type { FaultRule } from '../common/faults';
export type { RecordedRequest } from '../common/http-server';
export type { WebhookDelivery } from '../common/webhooks';
export { isValidCnpj, isValidCpf, PIX_KEY_TYPES, type PixKeyType } from './documents';
export { type ForgedCallback, LIMIT_TIME_ZONE } from './engine';
export { crc16, QR_CODE_PLACEHOLDER } from './pix';
export { DEFAULT_RATE_LIMITS, type RateLimits, type RateLimitStats } from './rate-limit';
export type {
	All4payBalance,
	All4payDeposit,
	All4paySettings,
	All4payTransaction,
	All4payWithdrawal,
	DepositStatus,
	WithdrawalStatus,
} from './types';

export interface All4paySandboxOptions {
	/** 0 = random free port. Default 0. */
	port?: number;
	/** Default '127.0.0.1'. */
	host?: string;
	/** The `Token` header's value. Default 'sandbox_token'. */
	token?: string;
	/** The dashboard-level callback URL; none = no callbacks. */
	callbackUrl?: string;
	/** Attempts per callback delivery on non-2xx or network error, 50 ms apart. Default 3. */
	callbackAttempts?: number;
	/** Default ALL4PAY_RATE_LIMITS (50 per second per paced operation, 216,000 per hour). */
	rateLimits?: Partial<RateLimits>;
	/** Per user_id and Sao Paulo day, BRL text. Default '5000.00'. */
	dailyDepositLimit?: string;
	blockedCpfs?: string[];
	blockedUserIds?: string[];
	/** Equal requests (same kind, user_id and amount) are refused for this long. Default 180000. */
	duplicateBlockMs?: number;
	/** Available BRL for withdrawals. Default '10000.00'. */
	balance?: string;
	/** Method + path per operation. Default ALL4PAY_ASSUMED_ENDPOINTS (the pack's assumption). */
	endpoints?: Partial<Record<All4payOperation, Endpoint>>;
	now?: Clock;
}

export interface All4paySandbox {
	/** http://127.0.0.1:PORT, no trailing slash: the base URL of the API. */
	url: string;
	token: string;
	/** The endpoint table served (the assumed one with the `endpoints` option applied). */
	endpoints: Record<All4payOperation, Endpoint>;
	/** Live and mutable: change fields directly or through updateSettings / PUT /__sandbox/settings. */
	settings: All4paySettings;
	/** Validated, all or nothing; throws on a bad value. */
	updateSettings(changes: Partial<All4paySettings>): All4paySettings;
	deposits: ReadonlyMap<string, All4payDeposit>;
	withdrawals: ReadonlyMap<string, All4payWithdrawal>;
	deposit(id: string): All4payDeposit | undefined;
	withdrawal(id: string): All4payWithdrawal | undefined;
	/** `${url}/pix/{id}`: the payer's page of a deposit. */
	pixPageUrl(id: string): string;
	/** API requests (not pages, not control), as received. */
	requests: RecordedRequest[];
	/** Every genuine callback attempt (paymentId = the deposit or withdrawal id). */
	callbacks: WebhookDelivery[];
	/** Every forged callback attempt. */
	forgedCallbacks: WebhookDelivery[];
	/** API requests answered 429 so far. */
	readonly rateLimited: number;
	/** Accepted / refused counters (refusals split per-second / per-hour). */
	rateLimitStats(): RateLimitStats;
	/** Forgets every rate window and zeroes the counters. */
	resetRateLimits(): void;
	injectFault(rule: FaultRule): void;
	clearFaults(): void;
	/** Pending deposit → confirmed (the amount joins the balance); callback in the background. */
	pay(id: string): All4payDeposit;
	/** Pending deposit → expired; callback in the background. */
	expire(id: string): All4payDeposit;
	/** Pending withdrawal → confirmed (the amount leaves the balance); callback in the background. */
	confirmWithdrawal(id: string): All4payWithdrawal;
	/** Pending withdrawal → canceled (the reservation is released); callback in the background. */
	rejectWithdrawal(id: string): All4payWithdrawal;
	/** (Re)delivers the current state `times` times, identical bytes; waits for them. */
	sendCallback(id: string, times?: number): Promise<WebhookDelivery[]>;
	/** An unsigned callback with a false status (default "confirmed") and / or amount (text). */
	sendForgedCallback(id: string, forged?: ForgedCallback): Promise<WebhookDelivery[]>;
	/** Sets the available balance (pending withdrawals stay reserved on top). */
	setBalance(amount: string): All4payBalance;
	balance(): All4payBalance;
	/** Resolves when background callbacks (retries included) are done. */
	callbacksSettled(): Promise<void>;
	/** Closes the server, every socket and callbacks in flight. */
	close(): Promise<void>;
}

export async function startAll4paySandbox(
	opts: All4paySandboxOptions = {},
): Promise<All4paySandbox> {
	const now: Clock = opts.now ?? systemClock;
	const token = opts.token ?? 'sandbox_token';
	const endpoints: Record<All4payOperation, Endpoint> = {
		...ALL4PAY_ASSUMED_ENDPOINTS,
		...opts.endpoints,
	};
	const settings: All4paySettings = {
		callbackUrl: undefined,
		callbackAttempts: 3,
		rateLimits: { ...DEFAULT_RATE_LIMITS },
		dailyDepositLimit: '5000.00',
		blockedCpfs: [],
		blockedUserIds: [],
		duplicateBlockMs: 180_000,
	};
	const applyChanges = (changes: Record<string, unknown>): All4paySettings => {
		applySettings(settings, changes);
		return settings;
	};
	/** For the handle and the options: a plain Error instead of a control input error. */
	const updateSettings = (changes: Record<string, unknown>): All4paySettings => {
		try {
			applyChanges(changes);
		} catch (error) {
			if (error instanceof ControlInputError) throw new Error(error.message);
			throw error;
		}
		return settings;
	};
	const initial: Record<string, unknown> = {
		callbackUrl: opts.callbackUrl,
		callbackAttempts: opts.callbackAttempts,
		rateLimits: opts.rateLimits,
		dailyDepositLimit: opts.dailyDepositLimit,
		blockedCpfs: opts.blockedCpfs,
		blockedUserIds: opts.blockedUserIds,
		duplicateBlockMs: opts.duplicateBlockMs,
	};
	for (const key of Object.keys(initial)) if (initial[key] === undefined) delete initial[key];
	updateSettings(initial);

	let baseUrl = '';
	const engine = new All4payEngine({
		now,
		settings,
		balance: normalizeAmount(opts.balance ?? '10000.00', 'balance'),
		baseUrl: () => baseUrl,
	});
	const limiter = new All4payRateLimiter(() => settings.rateLimits);
	const faults = new FaultInjector();
	const requests: RecordedRequest[] = [];

	const controls = {
		pay: (id: string) => engine.pay(id),
		expire: (id: string) => engine.expire(id),
		confirmWithdrawal: (id: string) => engine.confirmWithdrawal(id),
		rejectWithdrawal: (id: string) => engine.rejectWithdrawal(id),
		sendCallback: async (id: string, times = 1) => engine.announce(engine.transaction(id), times),
		sendForgedCallback: (id: string, forged: ForgedCallback = {}) => engine.forge(id, forged),
		setBalance: (amount: string) => engine.setAvailable(normalizeAmount(amount, 'balance')),
		updateSettings: applyChanges,
	};

	const router = new Router();
	addAll4payApiRoutes(router, engine, endpoints, token, limiter);
	addAll4payControlRoutes(router, engine, faults, requests, limiter, controls);
	addAll4payPages(router, engine);

	const server = await startSandboxHttpServer({
		host: opts.host ?? '127.0.0.1',
		port: opts.port ?? 0,
		router,
		faults,
		requests,
		now,
		errorReply: (status, message) => genericErrorReply(status, message),
		malformedBody: () => '{"message": "',
		shouldRecord: (path) =>
			!path.startsWith(CONTROL_PREFIX) && !path.startsWith(`${PIX_PAGE_PREFIX}/`),
	});
	baseUrl = server.url;

	return {
		url: server.url,
		token,
		endpoints,
		settings,
		updateSettings: (changes) => updateSettings(changes as Record<string, unknown>),
		deposits: engine.deposits,
		withdrawals: engine.withdrawals,
		deposit: (id) => engine.deposits.get(id),
		withdrawal: (id) => engine.withdrawals.get(id),
		pixPageUrl: (id) => `${server.url}${PIX_PAGE_PREFIX}/${encodeURIComponent(id)}`,
		requests,
		callbacks: engine.callbacks,
		forgedCallbacks: engine.forgedCallbacks,
		get rateLimited() {
			return limiter.stats.rateLimited;
		},
		rateLimitStats: () => ({ ...limiter.stats }),
		resetRateLimits: () => limiter.reset(),
		injectFault: (rule) => faults.add(rule),
		clearFaults: () => faults.clear(),
		pay: controls.pay,
		expire: controls.expire,
		confirmWithdrawal: controls.confirmWithdrawal,
		rejectWithdrawal: controls.rejectWithdrawal,
		sendCallback: controls.sendCallback,
		sendForgedCallback: controls.sendForgedCallback,
		setBalance: controls.setBalance,
		balance: () => engine.balance(),
		callbacksSettled: () => engine.settled(),
		close: async () => {
			await server.close();
			await engine.close();
		},
	};
}
