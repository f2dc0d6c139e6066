import {
	addFaultRoutes,
	CONTROL_BASE,
	ControlInputError,
	controlRoute,
	deliveryView,
	isInputError,
	positiveInteger,
} from '../common/control';
import type { FaultInjector } from '../common/faults';
import type { RecordedRequest } from '../common/http-server';
import { isJsonObject, JsonNumber, parseJsonLossless, type Serializable } from '../common/json';
import { jsonReply, type Router } from '../common/router';
import type { WebhookDelivery } from '../common/webhooks';
import { type AggrepayProEngine, type Transition, TRANSITIONS } from './engine';
import { AggrepayProApiError, errorBody } from './errors';
import type { AggrepayProPayment, AggrepayProSettings } from './types';

export interface AggrepayProControls {
	transition(id: string, transition: Transition): AggrepayProPayment;
	choose(id: string, paymentMethod: string): AggrepayProPayment;
	sendCallback(id: string, times?: number): Promise<WebhookDelivery[]>;
	updateSettings(changes: Record<string, unknown>): AggrepayProSettings;
	setBalances(balances: Record<string, string>): void;
}

/** Test and demo controls under /__sandbox: no auth (loopback only, enforced by the HTTP layer). */
export function addAggrepayProControlRoutes(
	router: Router,
	engine: AggrepayProEngine,
	faults: FaultInjector,
	requests: RecordedRequest[],
	controls: AggrepayProControls,
): void {
	const control = controlRoute((error) => {
		if (error instanceof AggrepayProApiError)
			return jsonReply(error.status, errorBody(error.code, error.message));
		return isInputError(error)
			? jsonReply(400, errorBody(400, (error as Error).message))
			: undefined;
	});
	const view = (payment: AggrepayProPayment) => paymentControlView(engine, payment);

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
			`${CONTROL_BASE}/payments`,
			control(() => [...engine.payments.values()].map(view)),
		)
		.add(
			'GET',
			`${CONTROL_BASE}/payments/:id`,
			control((request) => view(engine.get(request.params.id))),
		)
		.add(
			'POST',
			`${CONTROL_BASE}/payments/:id/choose`,
			control((request, body) => {
				if (typeof body.paymentMethod !== 'string')
					throw new ControlInputError('paymentMethod must be a method code');
				return view(controls.choose(request.params.id, body.paymentMethod));
			}),
		)
		.add(
			'POST',
			`${CONTROL_BASE}/payments/:id/callback`,
			control(async (request, body) => {
				const times = body.times === undefined ? 1 : positiveInteger(body.times, 'times');
				return (await controls.sendCallback(request.params.id, times)).map(deliveryView);
			}),
		)
		.add(
			'GET',
			`${CONTROL_BASE}/callbacks`,
			control(() => engine.callbacks.map(deliveryView)),
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
		)
		.add(
			'GET',
			`${CONTROL_BASE}/balances`,
			control(() => engine.balanceView()),
		)
		.add(
			'PUT',
			`${CONTROL_BASE}/balances`,
			// Read again without toPlain: amounts keep their digits.
			control((request) => {
				controls.setBalances(balancesBody(request.rawBody));
				return engine.balanceView();
			}),
		)
		.add(
			'DELETE',
			`${CONTROL_BASE}/anti-spam`,
			control(() => {
				engine.resetAntiSpam();
				return { ok: true };
			}),
		);

	for (const transition of Object.keys(TRANSITIONS) as Transition[])
		router.add(
			'POST',
			`${CONTROL_BASE}/payments/:id/${transition}`,
			control((request) => view(controls.transition(request.params.id, transition))),
		);
}

/** `{"EUR": "1000.00", "RUB": 5000}`: decimal text or JSON numbers, major units. */
function balancesBody(rawBody: string): Record<string, string> {
	const parsed = parseJsonLossless(rawBody.trim() === '' ? '{}' : rawBody);
	if (!isJsonObject(parsed))
		throw new ControlInputError('Body must be a JSON object of currency -> amount');
	const balances: Record<string, string> = {};
	for (const [currency, value] of Object.entries(parsed)) {
		if (typeof value === 'string') balances[currency] = value;
		else if (value instanceof JsonNumber) balances[currency] = value.text;
		else throw new ControlInputError(`The ${currency} balance must be decimal text or a number`);
	}
	return balances;
}

export function settingsView(settings: AggrepayProSettings): Serializable {
	return {
		...settings,
		antiSpam: settings.antiSpam ? { ...settings.antiSpam } : null,
		ipWhitelist: settings.ipWhitelist ? [...settings.ipWhitelist] : null,
	};
}

/** Everything stored about a payment or payout (the API's fields first). */
export function paymentControlView(
	engine: AggrepayProEngine,
	payment: AggrepayProPayment,
): Serializable {
	return {
		...(engine.view(payment) as Record<string, Serializable>),
		amountUnit: payment.amountUnit,
		minorAmount: payment.minorAmount.toString(),
		callbackUri: payment.callbackUri ?? null,
		returnUri: payment.returnUri ?? null,
		userId: payment.userId ?? null,
		customer: payment.customer ? { ...payment.customer } : null,
		recipient: payment.recipient ? { ...payment.recipient } : null,
	};
}

const SETTING_KEYS: ReadonlyArray<keyof AggrepayProSettings> = [
	'callbackAttempts',
	'amountUnit',
	'requisitesBusy',
	'payoutDelayMs',
	'processingDelayMs',
	'antiSpam',
	'ipWhitelist',
	'errorsAsHttp200',
];

function delay(value: unknown, name: string): number {
	if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 600_000)
		throw new ControlInputError(`${name} must be an integer 0..600000`);
	return value;
}

/** Applies the settings a control call, the handle or the options change; throws ControlInputError. */
export function applySettings(settings: AggrepayProSettings, body: Record<string, unknown>): void {
	for (const key of Object.keys(body))
		if (!(SETTING_KEYS as readonly string[]).includes(key))
			throw new ControlInputError(
				`Unknown setting ${key}; the settings are ${SETTING_KEYS.join(', ')}`,
			);
	const changes: Partial<AggrepayProSettings> = {};
	if (body.callbackAttempts !== undefined) {
		const attempts = positiveInteger(body.callbackAttempts, 'callbackAttempts');
		if (attempts > 20) throw new ControlInputError('callbackAttempts must be 1..20');
		changes.callbackAttempts = attempts;
	}
	if (body.amountUnit !== undefined) {
		if (body.amountUnit !== 'major' && body.amountUnit !== 'minor')
			throw new ControlInputError('amountUnit must be "major" or "minor"');
		changes.amountUnit = body.amountUnit;
	}
	for (const key of ['requisitesBusy', 'errorsAsHttp200'] as const) {
		if (body[key] === undefined) continue;
		if (typeof body[key] !== 'boolean') throw new ControlInputError(`${key} must be a boolean`);
		changes[key] = body[key];
	}
	if (body.payoutDelayMs !== undefined)
		changes.payoutDelayMs =
			body.payoutDelayMs === null ? null : delay(body.payoutDelayMs, 'payoutDelayMs');
	if (body.processingDelayMs !== undefined)
		changes.processingDelayMs = delay(body.processingDelayMs, 'processingDelayMs');
	if (body.antiSpam !== undefined) {
		const rule = body.antiSpam;
		if (rule === null || rule === false) changes.antiSpam = null;
		else if (typeof rule === 'object' && !Array.isArray(rule)) {
			const { maxRequests, windowMs } = rule as Record<string, unknown>;
			changes.antiSpam = {
				maxRequests: positiveInteger(maxRequests, 'antiSpam.maxRequests'),
				windowMs: positiveInteger(windowMs, 'antiSpam.windowMs'),
			};
		} else throw new ControlInputError('antiSpam must be {maxRequests, windowMs} or null (off)');
	}
	if (body.ipWhitelist !== undefined) {
		const list = body.ipWhitelist;
		if (list === null) changes.ipWhitelist = null;
		else if (Array.isArray(list) && list.every((entry) => typeof entry === 'string' && entry))
			changes.ipWhitelist = [...(list as string[])];
		else throw new ControlInputError('ipWhitelist must be an array of addresses or null (off)');
	}
	Object.assign(settings, changes);
}
