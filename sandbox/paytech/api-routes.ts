import { timingSafeEqual } from 'node:crypto';

import {
	type JsonValue,
	JsonSyntaxError,
	parseJsonLossless,
	type Serializable,
} from '../common/json';
import { jsonReply, type Router, type SandboxReply, type SandboxRequest } from '../common/router';
import { availableWithdrawalBalances, balanceList } from './balances';
import type { PaytechEngine } from './engine';
import { PaytechApiError, paytechErrorReply } from './errors';
import { listPayments, parsePaymentListQuery } from './payment-list';
import { envelope, toOperationResult, toPaymentResult, toSubscriptionResult } from './serialize';
import type { PaytechPayment } from './types';
import {
	validateCaptureRequest,
	validateDepositPatch,
	validatePaymentRequest,
	validateRejectRequest,
	validateSubscriptionPatch,
} from './validation';

export const API_BASE = '/api/v1';
const ID_PATTERN = /^[a-zA-Z0-9]{32}$/;

interface ApiCall {
	request: SandboxRequest;
	/** Parsed lazily so endpoints without a body ignore whatever was sent. */
	body(): JsonValue | undefined;
	now: Date;
}

type ApiHandler = (call: ApiCall) => SandboxReply | Promise<SandboxReply>;

/** The documented /api/v1 surface of pay.tech 1.0.341 (chargebacks and card tokens left out). */
export function addPaytechApiRoutes(router: Router, engine: PaytechEngine, apiKey: string): void {
	const api = (handler: ApiHandler) => async (request: SandboxRequest) => {
		const now = engine.now();
		if (!hasValidToken(request, apiKey))
			return paytechErrorReply(now, 401, 'Invalid token', request.path);
		try {
			return await handler({ request, now, body: () => parseBody(request.rawBody) });
		} catch (error) {
			if (!(error instanceof PaytechApiError)) throw error;
			return paytechErrorReply(now, error.status, error.message, request.path, error.fieldErrors);
		}
	};
	const ok = (call: ApiCall, result: Serializable, extra?: Record<string, Serializable>) =>
		jsonReply(200, envelope(call.now, result, extra));
	const paymentReply = (call: ApiCall, payment: PaytechPayment) =>
		ok(call, toPaymentResult(payment));
	/** Loads the payment, applies a transition, answers, and announces the new state in the background. */
	const transition = (apply: (payment: PaytechPayment, call: ApiCall) => void) =>
		api((call) => {
			const payment = engine.payment(checkedId(call.request.params.id));
			const before = payment.state;
			apply(payment, call);
			engine.announceInBackground(payment, before);
			return paymentReply(call, payment);
		});

	router
		.add(
			'GET',
			`${API_BASE}/payments`,
			api((call) => {
				const query = parsePaymentListQuery(call.request.query, call.now);
				const page = listPayments(engine.store.newestFirst(), query);
				return ok(call, page.items.map(toPaymentResult), { hasMore: page.hasMore });
			}),
		)
		.add(
			'POST',
			`${API_BASE}/payments`,
			api((call) => {
				const payment = engine.workflow.create(validatePaymentRequest(call.body()));
				engine.announceInBackground(payment, undefined);
				return paymentReply(call, payment);
			}),
		)
		.add(
			'GET',
			`${API_BASE}/payments/:id`,
			api((call) => paymentReply(call, engine.payment(checkedId(call.request.params.id)))),
		)
		.add(
			'PATCH',
			`${API_BASE}/payments/:id`,
			transition((payment, call) => {
				validateDepositPatch(call.body());
				engine.workflow.execute(payment);
			}),
		)
		.add(
			'POST',
			`${API_BASE}/payments/:id/capture`,
			transition((payment, call) =>
				engine.workflow.capture(payment, validateCaptureRequest(call.body())),
			),
		)
		.add(
			'POST',
			`${API_BASE}/payments/:id/void`,
			transition((payment) => engine.workflow.voidAuthorization(payment)),
		)
		.add(
			'POST',
			`${API_BASE}/payments/:id/approve`,
			transition((payment) => engine.workflow.approve(payment)),
		)
		.add(
			'POST',
			`${API_BASE}/payments/:id/reject`,
			transition((payment, call) =>
				engine.workflow.reject(payment, validateRejectRequest(call.body())),
			),
		)
		.add(
			'GET',
			`${API_BASE}/payments/:id/operations`,
			api((call) => {
				const payment = engine.payment(checkedId(call.request.params.id));
				return ok(call, [...payment.operations].reverse().map(toOperationResult));
			}),
		)
		.add(
			'GET',
			`${API_BASE}/subscriptions/:id`,
			api((call) => ok(call, toSubscriptionResult(subscription(engine, call)))),
		)
		.add(
			'PATCH',
			`${API_BASE}/subscriptions/:id`,
			api((call) => {
				const found = subscription(engine, call);
				validateSubscriptionPatch(call.body());
				engine.workflow.cancelSubscription(found);
				return ok(call, toSubscriptionResult(found));
			}),
		)
		.add(
			'GET',
			`${API_BASE}/balances`,
			api((call) => ok(call, balanceList(engine.store.payments.values(), engine.shopName))),
		)
		.add(
			'GET',
			`${API_BASE}/available-withdrawal-balances`,
			api((call) => ok(call, availableWithdrawalBalances(engine.store.payments.values()))),
		);
}

function subscription(engine: PaytechEngine, call: ApiCall) {
	const found = engine.store.subscriptions.get(checkedId(call.request.params.id));
	if (!found) throw new PaytechApiError(404, 'Subscription not found');
	return found;
}

function checkedId(id: string): string {
	if (!ID_PATTERN.test(id)) {
		throw new PaytechApiError(400, 'id: must match "[a-zA-Z0-9]{32}"', [
			{
				field: 'id',
				code: 'Pattern',
				defaultMessage: 'must match "[a-zA-Z0-9]{32}"',
				objectName: 'request',
			},
		]);
	}
	return id;
}

function parseBody(rawBody: string): JsonValue | undefined {
	if (rawBody.trim() === '') return undefined;
	try {
		return parseJsonLossless(rawBody);
	} catch (error) {
		if (error instanceof JsonSyntaxError)
			throw new PaytechApiError(400, `JSON parse error: ${error.message}`);
		throw error;
	}
}

function hasValidToken(request: SandboxRequest, apiKey: string): boolean {
	const match = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '');
	if (!match) return false;
	const given = Buffer.from(match[1].trim());
	const expected = Buffer.from(apiKey);
	return given.length === expected.length && timingSafeEqual(given, expected);
}
