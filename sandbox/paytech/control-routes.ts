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
import type { Router } from '../common/router';
import type { PaytechEngine } from './engine';
import { PaytechApiError, paytechErrorReply } from './errors';
import { seedPayments, type SeedTemplate } from './seed';
import { toPaymentResult } from './serialize';
import { PAYMENT_STATES, PAYMENT_TYPES, type PaymentState, type PaymentType } from './types';

/** Test and demo controls: no auth (loopback only, enforced by the HTTP layer). */
export function addPaytechControlRoutes(
	router: Router,
	engine: PaytechEngine,
	faults: FaultInjector,
): void {
	const control = controlRoute((error, request) => {
		const status =
			error instanceof PaytechApiError ? error.status : isInputError(error) ? 400 : undefined;
		return status === undefined
			? undefined
			: paytechErrorReply(engine.now(), status, (error as Error).message, request.path);
	});

	addFaultRoutes(router, faults, control)
		.add(
			'POST',
			`${CONTROL_BASE}/payments/:id/complete`,
			control(async (request) =>
				toPaymentResult(
					await engine.change(request.params.id, (payment) => engine.workflow.complete(payment)),
				),
			),
		)
		.add(
			'POST',
			`${CONTROL_BASE}/payments/:id/decline`,
			control(async (request, body) => {
				const errorCode = optionalString(body.errorCode, 'errorCode');
				const payment = await engine.change(request.params.id, (found) =>
					engine.workflow.decline(found, errorCode),
				);
				return toPaymentResult(payment);
			}),
		)
		.add(
			'POST',
			`${CONTROL_BASE}/payments/:id/webhook`,
			control(async (request, body) => {
				const times = body.times === undefined ? 1 : positiveInteger(body.times, 'times');
				return (await engine.announce(engine.payment(request.params.id), times)).map(deliveryView);
			}),
		)
		.add(
			'POST',
			`${CONTROL_BASE}/seed`,
			control((_, body) => {
				const seeded = seedPayments(
					engine.store,
					engine.now(),
					positiveInteger(body.count, 'count'),
					seedTemplate(body),
				);
				return { count: seeded.length, ids: seeded.map((payment) => payment.id) };
			}),
		)
		.add(
			'GET',
			`${CONTROL_BASE}/webhooks`,
			control(() => engine.webhooks.map(deliveryView)),
		)
		.add(
			'GET',
			`${CONTROL_BASE}/payments`,
			control(() => [...engine.store.payments.values()].map(toPaymentResult)),
		)
		.add(
			'PUT',
			`${CONTROL_BASE}/settings`,
			control((_, body) => {
				if (body.withdrawalApproval !== undefined) {
					if (typeof body.withdrawalApproval !== 'boolean')
						throw new ControlInputError('withdrawalApproval must be a boolean');
					engine.settings.withdrawalApproval = body.withdrawalApproval;
				}
				if (body.webhookUrl !== undefined) {
					engine.settings.webhookUrl =
						optionalString(body.webhookUrl ?? undefined, 'webhookUrl') || undefined;
				}
				return { ...engine.settings };
			}),
		);
}

function optionalString(value: unknown, name: string): string | undefined {
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'string') throw new ControlInputError(`${name} must be a string`);
	return value;
}

function seedTemplate(body: Record<string, unknown>): SeedTemplate {
	const template: SeedTemplate = {};
	const date = (value: unknown, name: string) => {
		const text = optionalString(value, name);
		if (text === undefined) return undefined;
		const parsed = new Date(/[zZ]|[+-]\d\d:\d\d$/.test(text) ? text : `${text}Z`);
		if (Number.isNaN(parsed.getTime())) throw new ControlInputError(`${name} must be a date-time`);
		return parsed;
	};
	template.createdFrom = date(body.createdFrom, 'createdFrom');
	template.createdTo = date(body.createdTo, 'createdTo');
	const paymentType = optionalString(body.paymentType, 'paymentType');
	if (paymentType !== undefined) {
		if (!(PAYMENT_TYPES as readonly string[]).includes(paymentType))
			throw new ControlInputError('Unknown paymentType');
		template.paymentType = paymentType as PaymentType;
	}
	const state = optionalString(body.state, 'state');
	if (state !== undefined) {
		if (!(PAYMENT_STATES as readonly string[]).includes(state))
			throw new ControlInputError('Unknown state');
		template.state = state as PaymentState;
	}
	template.currency = optionalString(body.currency, 'currency');
	for (const key of Object.keys(template) as Array<keyof SeedTemplate>) {
		if (template[key] === undefined) delete template[key];
	}
	return template;
}
