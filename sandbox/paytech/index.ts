import { type Clock, systemClock } from '../common/clock';
import { type FaultRule, FaultInjector } from '../common/faults';
import {
	CONTROL_PREFIX,
	type RecordedRequest,
	startSandboxHttpServer,
} from '../common/http-server';
import { Router } from '../common/router';
import type { WebhookDelivery } from '../common/webhooks';
import { addPaytechApiRoutes } from './api-routes';
import { addCheckoutRoutes } from './checkout-page';
import { addPaytechControlRoutes } from './control-routes';
import { PaytechEngine, type PaytechSettings } from './engine';
import { paytechErrorReply } from './errors';
import { seedPayments, type SeedTemplate } from './seed';
import { SANDBOX_SHOP_NAME, type PaytechPayment } from './types';

export type { FaultRule } from '../common/faults';
export type { RecordedRequest } from '../common/http-server';
export type { WebhookDelivery } from '../common/webhooks';
export type { PaytechSettings } from './engine';
export type {
	PaymentOperation,
	PaymentState,
	PaymentType,
	PaytechPayment,
	PaytechSubscription,
} from './types';

export interface PaytechSandboxOptions {
	/** 0 = random free port. Default 0. */
	port?: number;
	/** Default '127.0.0.1'. */
	host?: string;
	apiKey?: string;
	signingKey?: string;
	/** Shop-level default webhook URL. */
	webhookUrl?: string;
	/** Shop setting: withdrawals wait in AWAITING_APPROVAL. */
	withdrawalApproval?: boolean;
	/** Attempts per webhook delivery on non-2xx or network error; default 3. */
	webhookAttempts?: number;
	now?: () => Date;
}

export interface PaytechSandbox {
	/** http://127.0.0.1:PORT, no trailing slash; the API is at url + '/api/v1'. */
	url: string;
	apiKey: string;
	signingKey: string;
	/** Closes the server, every socket and every webhook still in flight. */
	close(): Promise<void>;
	payments: ReadonlyMap<string, PaytechPayment>;
	requests: RecordedRequest[];
	webhooks: WebhookDelivery[];
	injectFault(rule: FaultRule): void;
	clearFaults(): void;
	settings: PaytechSettings;
	seedPayments(count: number, template?: SeedTemplate): PaytechPayment[];
	complete(id: string): Promise<PaytechPayment>;
	decline(id: string, errorCode?: string): Promise<PaytechPayment>;
	sendWebhook(id: string, times?: number): Promise<WebhookDelivery[]>;
	/** Extra: resolves when webhooks the API triggered in the background have been delivered. */
	webhooksSettled(): Promise<void>;
}

const MALFORMED_BODY_PREFIX = '{"timestamp": "';

export async function startPaytechSandbox(
	opts: PaytechSandboxOptions = {},
): Promise<PaytechSandbox> {
	const now: Clock = opts.now ?? systemClock;
	const apiKey = opts.apiKey ?? 'sandbox_api_key';
	const signingKey = opts.signingKey ?? 'sandbox_signing_key';
	const engine = new PaytechEngine({
		now,
		signingKey,
		shopName: SANDBOX_SHOP_NAME,
		webhookAttempts: opts.webhookAttempts ?? 3,
		settings: { withdrawalApproval: opts.withdrawalApproval ?? false, webhookUrl: opts.webhookUrl },
	});
	const faults = new FaultInjector();
	const requests: RecordedRequest[] = [];
	const router = new Router();
	addPaytechApiRoutes(router, engine, apiKey);
	addPaytechControlRoutes(router, engine, faults);
	addCheckoutRoutes(router, engine);

	const server = await startSandboxHttpServer({
		host: opts.host ?? '127.0.0.1',
		port: opts.port ?? 0,
		router,
		faults,
		requests,
		now,
		errorReply: (status, message, path) => paytechErrorReply(now(), status, message, path),
		malformedBody: () =>
			`${MALFORMED_BODY_PREFIX}${now().toISOString().replace('Z', '+00:00')}", "result": {`,
		shouldRecord: (path) => !path.startsWith(CONTROL_PREFIX) && !path.startsWith('/checkout/'),
	});
	engine.setBaseUrl(server.url);

	return {
		url: server.url,
		apiKey,
		signingKey,
		close: async () => {
			await server.close();
			await engine.close();
		},
		payments: engine.store.payments,
		requests,
		webhooks: engine.webhooks,
		injectFault: (rule) => faults.add(rule),
		clearFaults: () => faults.clear(),
		settings: engine.settings,
		seedPayments: (count, template) => seedPayments(engine.store, now(), count, template),
		complete: (id) => engine.change(id, (payment) => engine.workflow.complete(payment)),
		decline: (id, errorCode) =>
			engine.change(id, (payment) => engine.workflow.decline(payment, errorCode)),
		sendWebhook: (id, times = 1) => engine.announce(engine.payment(id), times),
		webhooksSettled: () => engine.webhooksSettled(),
	};
}
