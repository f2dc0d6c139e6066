import {
	addFaultRoutes,
	CONTROL_BASE,
	controlRoute,
	ControlInputError,
	deliveryView,
	positiveInteger,
	isInputError,
} from '../common/control';
import type { FaultInjector } from '../common/faults';
import type { RecordedRequest } from '../common/http-server';
import type { Serializable } from '../common/json';
import type { Router } from '../common/router';
import type { WebhookDelivery } from '../common/webhooks';
import { checkTimeZone } from './dates';
import type { NumipayEngine } from './engine';
import { NumipayApiError, numipayErrorReply } from './errors';
import { type SeedOptions } from './seed';
import {
	type NumipaySettings,
	type NumipayTransaction,
	TRANSACTION_STATUSES,
	TRANSACTION_TYPES,
	type TransactionStatus,
	type TransactionType,
} from './types';

export interface NumipayControls {
	complete(id: string): NumipayTransaction;
	reject(id: string, reason?: string): NumipayTransaction | undefined;
	sendWebhook(id: string, times?: number): Promise<WebhookDelivery[]>;
	seed(options: SeedOptions): NumipayTransaction[];
	updateSettings(changes: Record<string, unknown>): NumipaySettings;
}

/** Test and demo controls under /__sandbox: no auth (loopback only, enforced by the HTTP layer). */
export function addNumipayControlRoutes(
	router: Router,
	engine: NumipayEngine,
	faults: FaultInjector,
	requests: RecordedRequest[],
	controls: NumipayControls,
): void {
	const control = controlRoute((error) => {
		const status =
			error instanceof NumipayApiError ? error.status : isInputError(error) ? 400 : undefined;
		return status === undefined ? undefined : numipayErrorReply(status, (error as Error).message);
	});

	addFaultRoutes(router, faults, control)
		.add(
			'GET',
			`${CONTROL_BASE}/settings`,
			control(() => ({ ...engine.settings })),
		)
		.add(
			'PUT',
			`${CONTROL_BASE}/settings`,
			control((_, body) => ({ ...controls.updateSettings(body) })),
		)
		.add(
			'GET',
			`${CONTROL_BASE}/transactions`,
			control(() => [...engine.transactions.values()].map(transactionView)),
		)
		.add(
			'POST',
			`${CONTROL_BASE}/transactions/:id/complete`,
			control((request) => transactionView(controls.complete(request.params.id))),
		)
		.add(
			'POST',
			`${CONTROL_BASE}/transactions/:id/reject`,
			control((request, body) => {
				const result = controls.reject(request.params.id, optionalString(body.reason, 'reason'));
				return result ? transactionView(result) : { cancelled: true };
			}),
		)
		.add(
			'POST',
			`${CONTROL_BASE}/transactions/:id/webhook`,
			control(async (request, body) => {
				const times = body.times === undefined ? 1 : positiveInteger(body.times, 'times');
				return (await controls.sendWebhook(request.params.id, times)).map(deliveryView);
			}),
		)
		.add(
			'POST',
			`${CONTROL_BASE}/seed`,
			control((_, body) => {
				const seeded = controls.seed(seedOptions(body));
				return {
					count: seeded.length,
					transaction_ids: seeded.map((transaction) => transaction.transactionId),
				};
			}),
		)
		.add(
			'GET',
			`${CONTROL_BASE}/webhooks`,
			control(() => engine.webhooks.map(deliveryView)),
		)
		.add(
			'GET',
			`${CONTROL_BASE}/requests`,
			control(() =>
				requests.map((request) => ({ ...request, at: request.at.toISOString() }) as Serializable),
			),
		)
		.add(
			'DELETE',
			`${CONTROL_BASE}/requests`,
			control(() => {
				requests.length = 0;
				return { ok: true };
			}),
		);
}

/** Applies the settings a control call or the handle changes; throws ControlInputError. */
export function applySettings(settings: NumipaySettings, body: Record<string, unknown>): void {
	const known = ['webhookUrl', 'webhookFormat', 'payoutDelayMs', 'webhookAttempts', 'timeZone'];
	for (const key of Object.keys(body))
		if (!known.includes(key))
			throw new ControlInputError(`Unknown setting ${key}; the settings are ${known.join(', ')}`);
	if (body.webhookUrl !== undefined) {
		const url = optionalString(body.webhookUrl, 'webhookUrl');
		if (url) {
			try {
				new URL(url);
			} catch {
				throw new ControlInputError('webhookUrl must be an absolute URL');
			}
		}
		settings.webhookUrl = url || undefined;
	}
	if (body.webhookFormat !== undefined) {
		if (body.webhookFormat !== 'compact' && body.webhookFormat !== 'pretty')
			throw new ControlInputError('webhookFormat must be "compact" or "pretty"');
		settings.webhookFormat = body.webhookFormat;
	}
	if (body.payoutDelayMs !== undefined) {
		const delay = body.payoutDelayMs;
		if (typeof delay !== 'number' || !Number.isInteger(delay) || delay < 0 || delay > 600_000)
			throw new ControlInputError('payoutDelayMs must be an integer 0..600000');
		settings.payoutDelayMs = delay;
	}
	if (body.webhookAttempts !== undefined) {
		const attempts = positiveInteger(body.webhookAttempts, 'webhookAttempts');
		if (attempts > 20) throw new ControlInputError('webhookAttempts must be 1..20');
		settings.webhookAttempts = attempts;
	}
	if (body.timeZone !== undefined) {
		const zone = optionalString(body.timeZone, 'timeZone');
		if (!zone) throw new ControlInputError('timeZone must be an IANA zone name');
		try {
			checkTimeZone(zone);
		} catch {
			throw new ControlInputError(`Unknown timeZone ${zone}`);
		}
		settings.timeZone = zone;
	}
}

function seedOptions(body: Record<string, unknown>): SeedOptions {
	const options: SeedOptions = { count: positiveInteger(body.count, 'count') };
	if (body.days !== undefined) {
		if (typeof body.days !== 'number') throw new ControlInputError('days must be a number');
		options.days = body.days;
	}
	if (body.mode !== undefined) {
		if (body.mode !== 'test' && body.mode !== 'live')
			throw new ControlInputError('mode must be "test" or "live"');
		options.mode = body.mode;
	}
	const status = optionalString(body.status, 'status');
	if (status !== undefined) {
		if (!(TRANSACTION_STATUSES as readonly string[]).includes(status))
			throw new ControlInputError(`status must be one of ${TRANSACTION_STATUSES.join(', ')}`);
		options.status = status as TransactionStatus;
	}
	const type = optionalString(body.type, 'type');
	if (type !== undefined) {
		if (!(TRANSACTION_TYPES as readonly string[]).includes(type))
			throw new ControlInputError(`type must be one of ${TRANSACTION_TYPES.join(', ')}`);
		options.type = type as TransactionType;
	}
	options.currency = optionalString(body.currency, 'currency');
	if (options.currency === undefined) delete options.currency;
	return options;
}

export function transactionView(transaction: NumipayTransaction): Serializable {
	return {
		...transaction,
		rejectedReason: transaction.rejectedReason ?? null,
		createdAt: transaction.createdAt.toISOString(),
		updatedAt: transaction.updatedAt.toISOString(),
	};
}

function optionalString(value: unknown, name: string): string | undefined {
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'string') throw new ControlInputError(`${name} must be a string`);
	return value;
}
