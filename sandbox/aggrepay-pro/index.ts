import { type Endpoint } from '../../nodes/common/endpoints';
import {
	AGGREPAY_PRO_ASSUMED_ENDPOINTS,
	type AggrepayProOperation,
} from '../../nodes/AggrepayPro/endpoints';
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
import { addAggrepayProApiRoutes } from './api-routes';
import { addAggrepayProControlRoutes, applySettings } from './control-routes';
import { AggrepayProEngine, type Balance, type Transition } from './engine';
import { codeForStatus, signedErrorReply } from './errors';
import { checkPaymentMethods, DEFAULT_BALANCES, DEFAULT_PAYMENT_METHODS } from './methods';
import { addAggrepayProPages, PAY_PAGE_PREFIX } from './pages';
import { signAggrepayPro } from './signing';
import type {
	AggrepayProPayment,
	AggrepayProSettings,
	AmountUnit,
	AntiSpamSettings,
	PaymentMethod,
} from './types';

export type { Endpoint } from '../../nodes/common/endpoints';
export type { AggrepayProOperation } from '../../nodes/AggrepayPro/endpoints';
export type { FaultRule } from '../common/faults';
export type { RecordedRequest } from '../common/http-server';
export type { WebhookDelivery } from '../common/webhooks';
export { IP_REFUSED, LOOPBACK_CALLER, SIGNATURE_MISMATCH } from './api-routes';
export { FALLBACK_BANK, REQUISITE_HOLDER, TRANSITIONS, type Transition } from './engine';
export { ERROR_CODE_STATUS } from './errors';
export { DEFAULT_BALANCES, DEFAULT_PAYMENT_METHODS } from './methods';
export { CURRENCY_DECIMALS } from './money';
export { SIGNATURE_HEADER, signAggrepayPro } from './signing';
export { ORDER_ID } from './validation';
export type {
	AggrepayProPayment,
	AggrepayProSettings,
	AmountUnit,
	AntiSpamSettings,
	Bank,
	Customer,
	PaymentMethod,
	PaymentState,
	PaymentType,
	Recipient,
	Requisite,
} from './types';

export interface AggrepayProSandboxOptions {
	/** 0 = random free port. Default 0. */
	port?: number;
	/** Default '127.0.0.1'. */
	host?: string;
	/** Bearer token. Default 'sandbox_api_key'. */
	apiKey?: string;
	/** HMAC key of every Signature. Default 'sandbox_secret_key'. */
	secretKey?: string;
	/** The only merchantId create calls may carry. Default 'sandbox_merchant'. */
	merchantId?: string;
	/** Default 'major' (10.50); 'minor' = integer minor units (1050). */
	amountUnit?: AmountUnit;
	/** Method + path per operation. Default AGGREPAY_PRO_ASSUMED_ENDPOINTS (the pack's assumption). */
	endpoints?: Partial<Record<AggrepayProOperation, Endpoint>>;
	/** Caller addresses allowed on the API (others: 403 code 403). Default none = everyone. */
	ipWhitelist?: string[];
	/** Per userId; null = off. Default {maxRequests: 5, windowMs: 60000}. */
	antiSpam?: AntiSpamSettings | null;
	/** How long a create stays in flight (same orderId meanwhile: 40008). Default 0. */
	processingDelayMs?: number;
	/** A payout becomes finished this long after creation; null = only by control. Default 50. */
	payoutDelayMs?: number | null;
	/** Attempts per callback delivery on non-2xx or network error. Default 3. */
	callbackAttempts?: number;
	/** Every requisite busy (40002). Default false. */
	requisitesBusy?: boolean;
	/** Errors answered with HTTP 200 (body unchanged). Default false. */
	errorsAsHttp200?: boolean;
	/** Available balance per currency in major units. Default DEFAULT_BALANCES. */
	balances?: Record<string, string>;
	/** The merchant's methods (replaces the list). Default DEFAULT_PAYMENT_METHODS. */
	paymentMethods?: PaymentMethod[];
	now?: () => Date;
}

export interface AggrepayProBalance {
	currency: string;
	/** Major units, the currency's decimals ("1000.00"). */
	available: string;
	reserved: string;
}

export interface AggrepayProSandbox {
	/** http://127.0.0.1:PORT, no trailing slash: the base URL of the API. */
	url: string;
	apiKey: string;
	secretKey: string;
	merchantId: string;
	/** The endpoint table served (assumed one with the `endpoints` option applied). */
	endpoints: Record<AggrepayProOperation, Endpoint>;
	paymentMethods: readonly PaymentMethod[];
	/** Live and mutable: change fields directly or through updateSettings / PUT /__sandbox/settings. */
	settings: AggrepayProSettings;
	updateSettings(changes: Partial<AggrepayProSettings>): AggrepayProSettings;
	/** Payments and payouts by id. */
	payments: ReadonlyMap<string, AggrepayProPayment>;
	/** By id, else by orderId; undefined if none. */
	payment(idOrOrderId: string): AggrepayProPayment | undefined;
	/** `${url}/pay/{id}`: a payment's page (its paymentUri). */
	payUrl(id: string): string;
	/** API requests (not pages, not control): raw body, headers without Authorization. */
	requests: RecordedRequest[];
	/** Every callback delivery attempt (paymentId = the payment's id). */
	callbacks: WebhookDelivery[];
	injectFault(rule: FaultRule): void;
	clearFaults(): void;
	/** Balances in major units. */
	balances(): AggrepayProBalance[];
	/** Sets the available balance of a currency (major units text, "1000.00"). */
	setBalance(currency: string, amount: string): void;
	/** State changes (by id or orderId); each sends a callback in the background. */
	finish(id: string): AggrepayProPayment;
	cancel(id: string): AggrepayProPayment;
	expire(id: string): AggrepayProPayment;
	fail(id: string): AggrepayProPayment;
	dispute(id: string): AggrepayProPayment;
	/** pending -> in_check, as "I have paid" on the page. */
	check(id: string): AggrepayProPayment;
	/** The customer's choice of a method for a created payment (-> pending with a requisite). */
	choose(id: string, paymentMethod: string): AggrepayProPayment;
	/** (Re)delivers the current state `times` times, identical bytes; waits for them. */
	sendCallback(id: string, times?: number): Promise<WebhookDelivery[]>;
	/** Unblocks every user and forgets the anti-spam counts. */
	resetAntiSpam(): void;
	/** Signature of a body with this sandbox's secret key. */
	sign(body: string): string;
	/** Resolves when due payouts and background callbacks (retries included) are done. */
	callbacksSettled(): Promise<void>;
	/** Closes the server, every socket, pending payouts and callbacks in flight. */
	close(): Promise<void>;
}

/** Recorded requests keep everything but the Authorization header (the bearer API key). */
function requestLog(): RecordedRequest[] {
	const log: RecordedRequest[] = [];
	const push = log.push.bind(log);
	log.push = (...items: RecordedRequest[]) =>
		push(
			...items.map((item) => {
				delete item.headers.authorization;
				return item;
			}),
		);
	return log;
}

/** Runs a handle call, turning input errors into plain Errors as numipay's handle does. */
function plainErrors<T>(work: () => T): T {
	try {
		return work();
	} catch (error) {
		if (error instanceof ControlInputError) throw new Error(error.message);
		throw error;
	}
}

export async function startAggrepayProSandbox(
	opts: AggrepayProSandboxOptions = {},
): Promise<AggrepayProSandbox> {
	const now: Clock = opts.now ?? systemClock;
	const apiKey = opts.apiKey ?? 'sandbox_api_key';
	const secretKey = opts.secretKey ?? 'sandbox_secret_key';
	const merchantId = opts.merchantId ?? 'sandbox_merchant';
	const endpoints: Record<AggrepayProOperation, Endpoint> = {
		...AGGREPAY_PRO_ASSUMED_ENDPOINTS,
		...opts.endpoints,
	};
	const paymentMethods = opts.paymentMethods ?? DEFAULT_PAYMENT_METHODS;
	checkPaymentMethods(paymentMethods);
	const settings: AggrepayProSettings = {
		callbackAttempts: 3,
		amountUnit: 'major',
		requisitesBusy: false,
		payoutDelayMs: 50,
		processingDelayMs: 0,
		antiSpam: { maxRequests: 5, windowMs: 60_000 },
		ipWhitelist: null,
		errorsAsHttp200: false,
	};
	plainErrors(() =>
		applySettings(
			settings,
			Object.fromEntries(
				Object.entries({
					callbackAttempts: opts.callbackAttempts,
					amountUnit: opts.amountUnit,
					requisitesBusy: opts.requisitesBusy,
					payoutDelayMs: opts.payoutDelayMs,
					processingDelayMs: opts.processingDelayMs,
					antiSpam: opts.antiSpam,
					ipWhitelist: opts.ipWhitelist,
					errorsAsHttp200: opts.errorsAsHttp200,
				}).filter(([, value]) => value !== undefined),
			),
		),
	);
	let baseUrl = '';
	const engine = plainErrors(
		() =>
			new AggrepayProEngine({
				now,
				secretKey,
				merchantId,
				settings,
				methods: paymentMethods,
				balances: opts.balances ?? DEFAULT_BALANCES,
				baseUrl: () => baseUrl,
			}),
	);
	const faults = new FaultInjector();
	const requests = requestLog();

	const controls = {
		transition: (id: string, transition: Transition) => engine.apply(engine.get(id), transition),
		choose: (id: string, paymentMethod: string) => engine.choose(engine.get(id), paymentMethod),
		sendCallback: (id: string, times = 1) => engine.announce(engine.get(id), times),
		updateSettings: (changes: Record<string, unknown>) => {
			applySettings(settings, changes);
			return settings;
		},
		setBalances: (balances: Record<string, string>) => {
			// All or nothing: every entry is checked before any changes.
			const checked = Object.entries(balances).map(([currency, amount]) =>
				engine.readBalance(currency, amount),
			);
			for (const { currency, minor } of checked) engine.setAvailable(currency, minor);
		},
	};

	const router = new Router();
	addAggrepayProApiRoutes(router, engine, endpoints, { apiKey, secretKey });
	addAggrepayProPages(router, engine);
	addAggrepayProControlRoutes(router, engine, faults, requests, controls);

	const server = await startSandboxHttpServer({
		host: opts.host ?? '127.0.0.1',
		port: opts.port ?? 0,
		router,
		faults,
		requests,
		now,
		errorReply: (status, message) =>
			signedErrorReply(status, codeForStatus(status), message, secretKey),
		malformedBody: () => '{"status":true,"data":{"id":"',
		shouldRecord: (path) =>
			!path.startsWith(CONTROL_PREFIX) && !path.startsWith(`${PAY_PAGE_PREFIX}/`),
	});
	baseUrl = server.url;

	const transition = (name: Transition) => (id: string) => controls.transition(id, name);
	const majorBalance = (currency: string, balance: Balance): AggrepayProBalance => ({
		currency,
		available: engine.formatMinor(balance.available, currency, 'major'),
		reserved: engine.formatMinor(balance.reserved, currency, 'major'),
	});

	return {
		url: server.url,
		apiKey,
		secretKey,
		merchantId,
		endpoints,
		paymentMethods,
		settings,
		updateSettings: (changes) =>
			plainErrors(() => controls.updateSettings(changes as Record<string, unknown>)),
		payments: engine.payments,
		payment: (id) => engine.find(id),
		payUrl: (id) => `${server.url}${PAY_PAGE_PREFIX}/${encodeURIComponent(id)}`,
		requests,
		callbacks: engine.callbacks,
		injectFault: (rule) => faults.add(rule),
		clearFaults: () => faults.clear(),
		balances: () =>
			[...engine.balances.entries()].map(([currency, balance]) => majorBalance(currency, balance)),
		setBalance: (currency, amount) => plainErrors(() => engine.setBalance(currency, amount)),
		finish: transition('finish'),
		cancel: transition('cancel'),
		expire: transition('expire'),
		fail: transition('fail'),
		dispute: transition('dispute'),
		check: transition('check'),
		choose: controls.choose,
		sendCallback: controls.sendCallback,
		resetAntiSpam: () => engine.resetAntiSpam(),
		sign: (body) => signAggrepayPro(body, secretKey),
		callbacksSettled: () => engine.settled(),
		close: async () => {
			await server.close();
			await engine.close();
		},
	};
}
