import { type Clock, systemClock } from '../common/clock';
import { type FaultRule, FaultInjector } from '../common/faults';
import { type RecordedRequest, startSandboxHttpServer } from '../common/http-server';
import { Router } from '../common/router';
import type { WebhookDelivery } from '../common/webhooks';
import { addAggrepayControlRoutes } from './control-routes';
import { CustomerBook } from './customers';
import { gatewayFailure, walletFailure } from './envelope';
import { Gateway, type AggrepaySettings, type PaymentOutcome } from './gateway';
import { addGatewayRoutes, GATEWAY_BASE } from './gateway-routes';
import { Ledger } from './ledger';
import { formatAmount } from './money';
import { addPayPageRoutes } from './pay-page';
import { seedCustomer, seedTransactions, type SeedCustomer } from './seed';
import { AggrepayStore } from './store';
import type { GatewayTransaction } from './types';
import { addWalletRoutes, WALLET_BASE } from './wallet-routes';

export type { FaultRule } from '../common/faults';
export type { RecordedRequest } from '../common/http-server';
export type { WebhookDelivery } from '../common/webhooks';
export type { AggrepaySettings, PaymentOutcome } from './gateway';
export type { GatewayRefund, GatewayTransaction } from './types';
export { requestHash } from './hash';

export interface AggrepaySandboxOptions {
	/** 0 = random free port. Default 0. */
	port?: number;
	/** Default '127.0.0.1'. */
	host?: string;
	apiKey?: string;
	salt?: string;
	/** "Payment Callback URL" of the merchant dashboard. */
	callbackUrl?: string;
	/** Attempts per callback delivery on non-2xx or network error; default 3. */
	callbackAttempts?: number;
	now?: () => Date;
}

export interface AggrepaySandbox {
	/** One server: wallet API at `${url}/api/v1/<path>`, gateway at `${url}/v2/<path>`. */
	url: string;
	apiKey: string;
	salt: string;
	/** Closes the server, every socket and every callback still in flight. */
	close(): Promise<void>;
	/** Every wallet and gateway request. */
	requests: RecordedRequest[];
	/** Every payment-callback delivery attempt, with the exact body sent. */
	callbacks: WebhookDelivery[];
	injectFault(rule: FaultRule): void;
	clearFaults(): void;
	settings: AggrepaySettings;
	/** The OTP last "sent" to this email, mobile number or customer_id. */
	lastOtp(to: string): string | undefined;
	/** A registered, active customer with an MPIN and an opening balance, without the OTP flow. */
	seedCustomer(c: SeedCustomer): string;
	/** n successful wallet credits for a customer, oldest first, for paging tests. */
	seedTransactions(customerId: string, count: number): void;
	/** Exact decimal text in the wallet's own format ("41.0"). */
	balanceOf(customerId: string): string;
	/** The customer pays (or fails) a payment request; resolves after the callback's delivery. */
	completePayment(orderIdOrUuid: string, outcome?: PaymentOutcome): Promise<GatewayTransaction>;
	/** Redelivers a transaction's callback `times` times, identical bytes. */
	sendCallback(transactionId: string, times?: number): Promise<WebhookDelivery[]>;
	/** Successful INR gateway payments spread over the last seven days (paymentstatus paging). */
	seedGatewayTransactions(count: number): GatewayTransaction[];
}

const MALFORMED_WALLET_BODY = '{"data":{"';

export async function startAggrepaySandbox(
	opts: AggrepaySandboxOptions = {},
): Promise<AggrepaySandbox> {
	const now: Clock = opts.now ?? systemClock;
	const apiKey = opts.apiKey ?? 'sandbox_api_key';
	const salt = opts.salt ?? 'sandbox_salt';
	const store = new AggrepayStore();
	const customers = new CustomerBook(store);
	const ledger = new Ledger(store, now);
	const gateway = new Gateway(
		store,
		now,
		salt,
		{ callbackUrl: opts.callbackUrl, callbackContentType: 'form' },
		opts.callbackAttempts ?? 3,
	);
	const faults = new FaultInjector();
	const requests: RecordedRequest[] = [];
	const router = new Router();
	addWalletRoutes(router, { store, customers, ledger, apiKey, salt });
	addGatewayRoutes(router, { gateway, apiKey, salt, now });
	addPayPageRoutes(router, gateway, salt);
	addAggrepayControlRoutes(router, { faults, gateway, customers, ledger, now });

	const server = await startSandboxHttpServer({
		host: opts.host ?? '127.0.0.1',
		port: opts.port ?? 0,
		router,
		faults,
		requests,
		now,
		errorReply: (status, message, path) =>
			path.startsWith(`${GATEWAY_BASE}/`)
				? gatewayFailure(status, message, status)
				: walletFailure(httpErrorCode(status), message, status),
		malformedBody: () => MALFORMED_WALLET_BODY,
		shouldRecord: (path) =>
			path.startsWith(`${WALLET_BASE}/`) || path.startsWith(`${GATEWAY_BASE}/`),
	});
	gateway.baseUrl = server.url;

	return {
		url: server.url,
		apiKey,
		salt,
		close: async () => {
			await server.close();
			await gateway.close();
		},
		requests,
		callbacks: gateway.callbacks,
		injectFault: (rule) => faults.add(rule),
		clearFaults: () => faults.clear(),
		settings: gateway.settings,
		lastOtp: (to) => customers.otps.lastSent(to),
		seedCustomer: (c) => seedCustomer(customers, c),
		seedTransactions: (customerId, count) =>
			seedTransactions(customers, ledger, now, customerId, count),
		balanceOf: (customerId) => formatAmount(customers.get(customerId).balance),
		completePayment: (orderIdOrUuid, outcome) => gateway.complete(orderIdOrUuid, outcome),
		sendCallback: (transactionId, times = 1) =>
			gateway.announce(gateway.transaction(transactionId), times),
		seedGatewayTransactions: (count) => gateway.seed(count),
	};
}

/** Transport-level errors (unknown path, injected status) in the wallet envelope; codes assumed. */
function httpErrorCode(status: number): string {
	if (status === 404) return 'NOT-FOUND';
	if (status === 405) return 'METHOD-NOT-ALLOWED';
	if (status === 429) return 'TOO-MANY-REQUESTS';
	return status >= 500 ? 'SERVER-ERROR' : 'INVALID-PARAMS';
}
