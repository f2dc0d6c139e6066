import {
	addFaultRoutes,
	CONTROL_BASE,
	controlRoute,
	ControlInputError,
	deliveryView,
	isInputError,
	positiveInteger,
} from '../common/control';
import type { FaultInjector } from '../common/faults';
import type { RecordedRequest } from '../common/http-server';
import type { Serializable } from '../common/json';
import type { Router } from '../common/router';
import type { WebhookDelivery } from '../common/webhooks';
import type { All4payEngine, ForgedCallback } from './engine';
import { All4payApiError, all4payErrorReply } from './errors';
import { normalizeAmount } from './money';
import type { All4payRateLimiter } from './rate-limit';
import type { All4payBalance, All4paySettings, All4payTransaction } from './types';

export interface All4payControls {
	pay(id: string): All4payTransaction;
	expire(id: string): All4payTransaction;
	confirmWithdrawal(id: string): All4payTransaction;
	rejectWithdrawal(id: string): All4payTransaction;
	sendCallback(id: string, times?: number): Promise<WebhookDelivery[]>;
	sendForgedCallback(id: string, forged: ForgedCallback): Promise<WebhookDelivery[]>;
	setBalance(amount: string): All4payBalance;
	updateSettings(changes: Record<string, unknown>): All4paySettings;
}

/** Test and demo controls under /__sandbox: no auth (loopback only, enforced by the HTTP layer). */
export function addAll4payControlRoutes(
	router: Router,
	engine: All4payEngine,
	faults: FaultInjector,
	requests: RecordedRequest[],
	limiter: All4payRateLimiter,
	controls: All4payControls,
): void {
	const control = controlRoute((error) => {
		if (error instanceof All4payApiError)
			return all4payErrorReply(error.status, error.reason, error.message, error.code);
		if (isInputError(error))
			return all4payErrorReply(400, 'Sandbox Control', (error as Error).message);
		return undefined;
	});
	const callbacks = () => [
		...engine.callbacks.map((delivery) => ({ ...delivery, forged: false })),
		...engine.forgedCallbacks.map((delivery) => ({ ...delivery, forged: true })),
	];

	addFaultRoutes(router, faults, control)
		.add(
			'GET',
			`${CONTROL_BASE}/settings`,
			control(() => settingsView(engine.settings)),
		)
		.add(
			'PUT',
			`${CONTROL_BASE}/settings`,
			control((_, body) => settingsView(controls.updateSettings(body))),
		)
		.add(
			'GET',
			`${CONTROL_BASE}/deposits`,
			control(() => [...engine.deposits.values()].map(transactionView)),
		)
		.add(
			'GET',
			`${CONTROL_BASE}/withdrawals`,
			control(() => [...engine.withdrawals.values()].map(transactionView)),
		)
		.add(
			'POST',
			`${CONTROL_BASE}/deposits/:id/pay`,
			control((request) => transactionView(controls.pay(request.params.id))),
		)
		.add(
			'POST',
			`${CONTROL_BASE}/deposits/:id/expire`,
			control((request) => transactionView(controls.expire(request.params.id))),
		)
		.add(
			'POST',
			`${CONTROL_BASE}/withdrawals/:id/confirm`,
			control((request) => transactionView(controls.confirmWithdrawal(request.params.id))),
		)
		.add(
			'POST',
			`${CONTROL_BASE}/withdrawals/:id/reject`,
			control((request) => transactionView(controls.rejectWithdrawal(request.params.id))),
		)
		.add(
			'POST',
			`${CONTROL_BASE}/transactions/:id/callback`,
			control(async (request, body) => {
				const times = body.times === undefined ? 1 : positiveInteger(body.times, 'times');
				return (await controls.sendCallback(request.params.id, times)).map(deliveryView);
			}),
		)
		.add(
			'POST',
			`${CONTROL_BASE}/transactions/:id/forged-callback`,
			control(async (request, body) => {
				const forged: ForgedCallback = {
					status: optionalString(body.status, 'status'),
					amount: optionalString(body.amount, 'amount'),
				};
				return (await controls.sendForgedCallback(request.params.id, forged)).map(deliveryView);
			}),
		)
		.add(
			'GET',
			`${CONTROL_BASE}/callbacks`,
			control(() => callbacks().map((delivery) => deliveryView(delivery))),
		)
		.add(
			'GET',
			`${CONTROL_BASE}/balance`,
			control(() => ({ ...engine.balance() })),
		)
		.add(
			'PUT',
			`${CONTROL_BASE}/balance`,
			control((_, body) => {
				const amount = optionalString(body.amount, 'amount');
				if (amount === undefined) throw new ControlInputError('amount is required, e.g. "100.00"');
				return { ...controls.setBalance(amount) };
			}),
		)
		.add(
			'GET',
			`${CONTROL_BASE}/rate-limits`,
			control(() => ({ ...limiter.stats, limits: { ...engine.settings.rateLimits } })),
		)
		.add(
			'DELETE',
			`${CONTROL_BASE}/rate-limits`,
			control(() => {
				limiter.reset();
				return { ok: true };
			}),
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

const SETTING_KEYS = [
	'callbackUrl',
	'callbackAttempts',
	'rateLimits',
	'dailyDepositLimit',
	'blockedCpfs',
	'blockedUserIds',
	'duplicateBlockMs',
];

/** Applies the settings a control call or the handle changes; throws ControlInputError. */
export function applySettings(settings: All4paySettings, body: Record<string, unknown>): void {
	for (const key of Object.keys(body))
		if (!SETTING_KEYS.includes(key))
			throw new ControlInputError(
				`Unknown setting ${key}; the settings are ${SETTING_KEYS.join(', ')}`,
			);
	const next: All4paySettings = {
		...settings,
		rateLimits: { ...settings.rateLimits },
	};
	if (body.callbackUrl !== undefined) {
		const url = optionalString(body.callbackUrl, 'callbackUrl');
		if (url) {
			try {
				new URL(url);
			} catch {
				throw new ControlInputError('callbackUrl must be an absolute URL');
			}
		}
		next.callbackUrl = url || undefined;
	}
	if (body.callbackAttempts !== undefined) {
		const attempts = positiveInteger(body.callbackAttempts, 'callbackAttempts');
		if (attempts > 20) throw new ControlInputError('callbackAttempts must be 1..20');
		next.callbackAttempts = attempts;
	}
	if (body.rateLimits !== undefined) {
		const limits = body.rateLimits as Record<string, unknown> | null;
		if (limits === null || typeof limits !== 'object' || Array.isArray(limits))
			throw new ControlInputError('rateLimits must be an object {perSecond?, perHour?}');
		for (const key of Object.keys(limits))
			if (key !== 'perSecond' && key !== 'perHour')
				throw new ControlInputError(`Unknown rate limit ${key}; they are perSecond, perHour`);
		if (limits.perSecond !== undefined)
			next.rateLimits.perSecond = positiveInteger(limits.perSecond, 'rateLimits.perSecond');
		if (limits.perHour !== undefined)
			next.rateLimits.perHour = positiveInteger(limits.perHour, 'rateLimits.perHour');
	}
	if (body.dailyDepositLimit !== undefined) {
		const limit = optionalString(body.dailyDepositLimit, 'dailyDepositLimit') ?? '';
		try {
			next.dailyDepositLimit = normalizeAmount(limit, 'dailyDepositLimit');
		} catch (error) {
			throw new ControlInputError((error as Error).message);
		}
	}
	for (const key of ['blockedCpfs', 'blockedUserIds'] as const) {
		const list = body[key];
		if (list === undefined) continue;
		if (!Array.isArray(list) || !list.every((item) => typeof item === 'string'))
			throw new ControlInputError(`${key} must be an array of strings`);
		next[key] = [...(list as string[])];
	}
	if (body.duplicateBlockMs !== undefined) {
		const ms = body.duplicateBlockMs;
		if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < 0)
			throw new ControlInputError('duplicateBlockMs must be a whole number of ms, 0 or more');
		next.duplicateBlockMs = ms;
	}
	// All or nothing: one bad field changes none.
	Object.assign(settings, next);
	settings.rateLimits = next.rateLimits;
}

export function settingsView(settings: All4paySettings): Serializable {
	return {
		...settings,
		callbackUrl: settings.callbackUrl ?? null,
		rateLimits: { ...settings.rateLimits },
		blockedCpfs: [...settings.blockedCpfs],
		blockedUserIds: [...settings.blockedUserIds],
	};
}

export function transactionView(transaction: All4payTransaction): Serializable {
	return {
		...transaction,
		createdAt: transaction.createdAt.toISOString(),
		updatedAt: transaction.updatedAt.toISOString(),
	};
}

function optionalString(value: unknown, name: string): string | undefined {
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'string') throw new ControlInputError(`${name} must be a string`);
	return value;
}
