/**
 * What every emulator's `/__sandbox/` control API shares: the JSON body, which errors mean "bad
 * input", and the fault-injection routes.
 */
import { type FaultInjector, FaultSyntaxError, toFaultRule } from './faults';
import {
	isJsonObject,
	JsonSyntaxError,
	parseJsonLossless,
	type Serializable,
	toPlain,
} from './json';
import {
	jsonReply,
	type RouteHandler,
	type Router,
	type SandboxReply,
	type SandboxRequest,
} from './router';
import type { WebhookDelivery } from './webhooks';

export const CONTROL_BASE = '/__sandbox';

export class ControlInputError extends Error {}

export type ControlHandler = (
	request: SandboxRequest,
	body: Record<string, unknown>,
) => Serializable | Promise<Serializable>;

/** Errors a control request's own input causes (answered 400, not 500). */
export function isInputError(error: unknown): boolean {
	return (
		error instanceof ControlInputError ||
		error instanceof FaultSyntaxError ||
		error instanceof JsonSyntaxError ||
		error instanceof RangeError
	);
}

/** A control request's JSON body as plain values; empty means {}. */
export function plainBody(rawBody: string): Record<string, unknown> {
	if (rawBody.trim() === '') return {};
	const parsed = parseJsonLossless(rawBody);
	if (!isJsonObject(parsed)) throw new ControlInputError('Body must be a JSON object');
	return toPlain(parsed) as Record<string, unknown>;
}

/**
 * Wraps a control handler: its JSON body in, its result out as 200, and an error it throws answered
 * in the emulator's own error format by `answerError` (undefined: not an expected error, rethrown).
 */
export function controlRoute(
	answerError: (error: unknown, request: SandboxRequest) => SandboxReply | undefined,
): (handler: ControlHandler) => RouteHandler {
	return (handler) => async (request) => {
		try {
			return jsonReply(200, await handler(request, plainBody(request.rawBody)));
		} catch (error) {
			const reply = answerError(error, request);
			if (reply === undefined) throw error;
			return reply;
		}
	};
}

/** POST /__sandbox/faults adds a rule, DELETE removes them all. */
export function addFaultRoutes(
	router: Router,
	faults: FaultInjector,
	control: (handler: ControlHandler) => RouteHandler,
): Router {
	return router
		.add(
			'POST',
			`${CONTROL_BASE}/faults`,
			control((_, body) => {
				faults.add(toFaultRule(body));
				return { ok: true };
			}),
		)
		.add(
			'DELETE',
			`${CONTROL_BASE}/faults`,
			control(() => {
				faults.clear();
				return { ok: true };
			}),
		);
}

/** A webhook delivery of the log as JSON. */
export function deliveryView(delivery: WebhookDelivery): Serializable {
	return { ...delivery, at: delivery.at.toISOString() };
}

/** A control field that must be a whole number of 1 or more. */
export function positiveInteger(value: unknown, name: string): number {
	if (typeof value !== 'number' || !Number.isInteger(value) || value < 1)
		throw new ControlInputError(`${name} must be a positive integer`);
	return value;
}
