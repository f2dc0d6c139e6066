import { type Endpoint } from '../../nodes/common/endpoints';
import { NUMIPAY_ASSUMED_ENDPOINTS, type NumipayOperation } from '../../nodes/Numipay/endpoints';
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
import { addNumipayApiRoutes } from './api-routes';
import { maskingRequestLog } from './cards';
import { addNumipayControlRoutes, applySettings } from './control-routes';
import { checkTimeZone } from './dates';
import { NumipayEngine } from './engine';
import { NumipayApiError, numipayErrorReply } from './errors';
import { addNumipayPages, PAGE_PREFIXES } from './pages';
import { type SeedOptions, seedTransactions } from './seed';
import {
	type NumipaySession,
	type NumipaySettings,
	type NumipayTransaction,
	SIMULATOR_PROVIDER,
	type WebhookFormat,
} from './types';

export type { Endpoint } from '../../nodes/common/endpoints';
export type { NumipayOperation } from '../../nodes/Numipay/endpoints';
export type { FaultRule } from '../common/faults';
export type { RecordedRequest } from '../common/http-server';
export type { WebhookDelivery } from '../common/webhooks';
export { CARD_DECLINED_ERROR, TEST_CARDS, THREE_DS_FAILED_REASON } from './cards';
export { REJECTED_BY_CUSTOMER, REJECTED_BY_MERCHANT } from './engine';
export { CURRENCY_DECIMALS } from './money';
export { signNumipayPayload, signNumipayWebhookBody } from './signing';
export type { SeedOptions } from './seed';
export type {
	NumipaySession,
	NumipaySettings,
	NumipayTransaction,
	SessionKind,
	TransactionStatus,
	TransactionType,
	WebhookFormat,
} from './types';

export interface NumipaySandboxOptions {
	/** 0 = random free port. Default 0. */
	port?: number;
	/** Default '127.0.0.1'. */
	host?: string;
	/** Live API key. Default 'sandbox_api_key'. */
	apiKey?: string;
	/** DEV API key (test mode). Default 'sandbox_dev_api_key'. */
	devApiKey?: string;
	/** Webhook signature password. Default 'sandbox_signature_password'. */
	signaturePassword?: string;
	/** Where webhooks go; none = not sent (as when the back office has no URL). */
	webhookUrl?: string;
	/** Default 'compact'. */
	webhookFormat?: WebhookFormat;
	/** Approved payout -> successful after this many ms. Default 20. */
	payoutDelayMs?: number;
	/** Attempts per webhook delivery on non-2xx or network error. Default 3. */
	webhookAttempts?: number;
	/** Zone of the list's from / to dates. Default 'UTC'. */
	timeZone?: string;
	/** Method + path per operation. Default NUMIPAY_ASSUMED_ENDPOINTS (the pack's assumption). */
	endpoints?: Partial<Record<NumipayOperation, Endpoint>>;
	/** provider_id values Direct Integration accepts. Default ['210', 'numipay_simulator']. */
	providerIds?: string[];
	now?: () => Date;
}

export interface NumipaySandbox {
	/** http://127.0.0.1:PORT, no trailing slash: the base URL of the API. */
	url: string;
	apiKey: string;
	devApiKey: string;
	signaturePassword: string;
	/** `${url}/cashier/{token}`: the hosted cashier page of a deposit or withdrawal token. */
	cashierUrlTemplate: string;
	cashierUrl(token: string): string;
	/** The endpoint table served (assumed one with the `endpoints` option applied). */
	endpoints: Record<NumipayOperation, Endpoint>;
	providerIds: readonly string[];
	/** Live and mutable: change fields directly or through updateSettings / PUT /__sandbox/settings. */
	settings: NumipaySettings;
	updateSettings(changes: Partial<NumipaySettings>): NumipaySettings;
	/** By transaction_id. */
	transactions: ReadonlyMap<string, NumipayTransaction>;
	/** By token. */
	sessions: ReadonlyMap<string, NumipaySession>;
	/** By transaction_id or tracking_id; undefined if none. */
	transaction(id: string): NumipayTransaction | undefined;
	/** API requests (not pages, not control), card number and CVC masked. */
	requests: RecordedRequest[];
	/** Every webhook delivery attempt (paymentId = transaction_id). */
	webhooks: WebhookDelivery[];
	injectFault(rule: FaultRule): void;
	clearFaults(): void;
	/**
	 * A session token: the customer's Pay / Confirm / 3-D Secure pass. A pending transaction
	 * (transaction_id or tracking_id): it becomes successful. Webhooks go out in the background.
	 */
	complete(id: string): NumipayTransaction;
	/** Same for Reject / Cancel (a cancelled withdrawal cashier returns undefined) or a rejection. */
	reject(id: string, reason?: string): NumipayTransaction | undefined;
	/** (Re)delivers the transaction's current state `times` times, identical bytes; waits for them. */
	sendWebhook(id: string, times?: number): Promise<WebhookDelivery[]>;
	/** Deterministic transactions spread over the last `days` days. */
	seedTransactions(options: SeedOptions): NumipayTransaction[];
	/** Resolves when due payouts and background webhooks (retries included) are done. */
	webhooksSettled(): Promise<void>;
	/** Closes the server, every socket, pending payouts and webhooks in flight. */
	close(): Promise<void>;
}

const DEFAULT_PROVIDER_IDS = ['210', SIMULATOR_PROVIDER];

export async function startNumipaySandbox(
	opts: NumipaySandboxOptions = {},
): Promise<NumipaySandbox> {
	const now: Clock = opts.now ?? systemClock;
	const apiKey = opts.apiKey ?? 'sandbox_api_key';
	const devApiKey = opts.devApiKey ?? 'sandbox_dev_api_key';
	if (apiKey === devApiKey) throw new Error('apiKey and devApiKey must differ');
	const signaturePassword = opts.signaturePassword ?? 'sandbox_signature_password';
	const endpoints: Record<NumipayOperation, Endpoint> = {
		...NUMIPAY_ASSUMED_ENDPOINTS,
		...opts.endpoints,
	};
	const providerIds = opts.providerIds ?? DEFAULT_PROVIDER_IDS;
	const settings: NumipaySettings = {
		webhookUrl: opts.webhookUrl,
		webhookFormat: opts.webhookFormat ?? 'compact',
		payoutDelayMs: opts.payoutDelayMs ?? 20,
		webhookAttempts: opts.webhookAttempts ?? 3,
		timeZone: opts.timeZone ?? 'UTC',
	};
	checkTimeZone(settings.timeZone);
	const engine = new NumipayEngine({ now, signaturePassword, settings });
	const faults = new FaultInjector();
	const requests = maskingRequestLog();
	let seedRuns = 0;
	let baseUrl = '';

	const pending = (id: string): NumipayTransaction => {
		const transaction = engine.find(id);
		if (!transaction) throw new NumipayApiError(404, 'Transaction or session not found');
		return transaction;
	};
	const controls = {
		complete: (id: string) =>
			engine.session(id) ? engine.completeSession(id) : engine.finish(pending(id), 'successful'),
		reject: (id: string, reason?: string) =>
			engine.session(id)
				? engine.rejectSession(id, reason)
				: engine.finish(pending(id), 'rejected', reason ?? 'Rejected by sandbox control'),
		sendWebhook: (id: string, times = 1) => engine.announce(engine.transaction(id), times),
		seed: (options: SeedOptions) => seedTransactions(engine, options, ++seedRuns),
		updateSettings: (changes: Record<string, unknown>) => {
			applySettings(settings, changes);
			return settings;
		},
	};

	const router = new Router();
	addNumipayApiRoutes(router, engine, endpoints, { apiKey, devApiKey }, providerIds, () => baseUrl);
	addNumipayControlRoutes(router, engine, faults, requests, controls);
	addNumipayPages(router, engine);

	const pagePrefixes = [...new Set(Object.values(PAGE_PREFIXES))].map((prefix) => `${prefix}/`);
	const server = await startSandboxHttpServer({
		host: opts.host ?? '127.0.0.1',
		port: opts.port ?? 0,
		router,
		faults,
		requests,
		now,
		errorReply: (status, message) => numipayErrorReply(status, message),
		malformedBody: () => '{"message": "',
		shouldRecord: (path) =>
			!path.startsWith(CONTROL_PREFIX) && !pagePrefixes.some((prefix) => path.startsWith(prefix)),
	});
	baseUrl = server.url;

	return {
		url: server.url,
		apiKey,
		devApiKey,
		signaturePassword,
		cashierUrlTemplate: `${server.url}/cashier/{token}`,
		cashierUrl: (token) => `${server.url}/cashier/${encodeURIComponent(token)}`,
		endpoints,
		providerIds,
		settings,
		updateSettings: (changes) => {
			try {
				return controls.updateSettings(changes as Record<string, unknown>);
			} catch (error) {
				if (error instanceof ControlInputError) throw new Error(error.message);
				throw error;
			}
		},
		transactions: engine.transactions,
		sessions: engine.sessions,
		transaction: (id) => engine.find(id),
		requests,
		webhooks: engine.webhooks,
		injectFault: (rule) => faults.add(rule),
		clearFaults: () => faults.clear(),
		complete: controls.complete,
		reject: controls.reject,
		sendWebhook: controls.sendWebhook,
		seedTransactions: controls.seed,
		webhooksSettled: () => engine.settled(),
		close: async () => {
			await server.close();
			await engine.close();
		},
	};
}
