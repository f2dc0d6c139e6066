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
import type { Serializable } from '../common/json';
import type { Router } from '../common/router';
import type { CustomerBook } from './customers';
import { walletFailure } from './envelope';
import { GatewayError, WalletError } from './errors';
import type { Gateway } from './gateway';
import type { Ledger } from './ledger';
import { formatAmount } from './money';
import { seedCustomer, seedTransactions } from './seed';
import type { GatewayTransaction } from './types';

export interface ControlContext {
	faults: FaultInjector;
	gateway: Gateway;
	customers: CustomerBook;
	ledger: Ledger;
	now(): Date;
}

/** Test and demo controls: no auth (loopback only, enforced by the HTTP layer), JSON in and out. */
export function addAggrepayControlRoutes(router: Router, context: ControlContext): void {
	const { faults, gateway, customers, ledger } = context;
	const control = controlRoute((error) => {
		if (error instanceof GatewayError)
			return walletFailure(String(error.code), error.message, error.code === 1028 ? 404 : 409);
		if (error instanceof WalletError) return walletFailure(error.code, error.message, 400);
		if (isInputError(error)) return walletFailure('INVALID-PARAMS', (error as Error).message, 400);
		return undefined;
	});

	addFaultRoutes(router, faults, control)
		.add(
			'GET',
			`${CONTROL_BASE}/settings`,
			control(() => ({ ...gateway.settings })),
		)
		.add(
			'PUT',
			`${CONTROL_BASE}/settings`,
			control((_, body) => {
				if (body.callbackUrl !== undefined) {
					if (body.callbackUrl !== null && typeof body.callbackUrl !== 'string') {
						throw new ControlInputError('callbackUrl must be a string or null');
					}
					gateway.settings.callbackUrl = body.callbackUrl || undefined;
				}
				if (body.callbackContentType !== undefined) {
					if (body.callbackContentType !== 'form' && body.callbackContentType !== 'json') {
						throw new ControlInputError("callbackContentType must be 'form' or 'json'");
					}
					gateway.settings.callbackContentType = body.callbackContentType;
				}
				return { ...gateway.settings };
			}),
		)
		.add(
			'POST',
			`${CONTROL_BASE}/payments/:id/complete`,
			control(async (request, body) => {
				if (body.success !== undefined && typeof body.success !== 'boolean')
					throw new ControlInputError('success must be a boolean');
				const responseCode =
					body.responseCode === undefined
						? undefined
						: nonNegativeInteger(body.responseCode, 'responseCode');
				const transaction = await gateway.complete(request.params.id, {
					success: body.success as boolean | undefined,
					responseCode,
				});
				return gatewayTransactionView(transaction);
			}),
		)
		.add(
			'POST',
			`${CONTROL_BASE}/transactions/:id/callback`,
			control(async (request, body) => {
				const times = body.times === undefined ? 1 : positiveInteger(body.times, 'times');
				return (await gateway.announce(gateway.transaction(request.params.id), times)).map(
					deliveryView,
				);
			}),
		)
		.add(
			'GET',
			`${CONTROL_BASE}/transactions`,
			control(() => [...gateway.transactions()].map(gatewayTransactionView)),
		)
		.add(
			'POST',
			`${CONTROL_BASE}/transactions/seed`,
			control((_, body) =>
				gateway.seed(positiveInteger(body.count, 'count')).map((found) => found.transactionId),
			),
		)
		.add(
			'GET',
			`${CONTROL_BASE}/callbacks`,
			control(() => gateway.callbacks.map(deliveryView)),
		)
		.add(
			'GET',
			`${CONTROL_BASE}/otp`,
			control((request) => {
				const to = request.query.get('to');
				if (!to) throw new ControlInputError('Query parameter to is required');
				return { to, otp: customers.otps.lastSent(to) ?? null };
			}),
		)
		.add(
			'POST',
			`${CONTROL_BASE}/customers`,
			control((_, body) => {
				const text = (name: string, required: boolean) => {
					const value = body[name];
					if (value === undefined && !required) return undefined;
					if (typeof value !== 'string') throw new ControlInputError(`${name} must be a string`);
					return value;
				};
				const customerId = seedCustomer(customers, {
					customerId: text('customerId', false),
					email: text('email', true) as string,
					mobileNumber: text('mobileNumber', false),
					firstName: text('firstName', false),
					lastName: text('lastName', false),
					mpin: text('mpin', true) as string,
					balance: text('balance', false),
				});
				return { customerId };
			}),
		)
		.add(
			'POST',
			`${CONTROL_BASE}/customers/:id/transactions`,
			control((request, body) => {
				seedTransactions(
					customers,
					ledger,
					context.now,
					request.params.id,
					positiveInteger(body.count, 'count'),
				);
				return {
					customerId: request.params.id,
					balance: formatAmount(customers.get(request.params.id).balance),
				};
			}),
		)
		.add(
			'GET',
			`${CONTROL_BASE}/customers/:id/balance`,
			control((request) => ({
				customerId: request.params.id,
				balance: formatAmount(customers.get(request.params.id).balance),
			})),
		);
}

export function gatewayTransactionView(transaction: GatewayTransaction): Serializable {
	const { paymentDatetime, refunds, callback, ...rest } = transaction;
	return {
		...rest,
		paymentDatetime: paymentDatetime.toISOString(),
		refunds: refunds.map((refund) => ({ ...refund, createdAt: refund.createdAt.toISOString() })),
		callback,
	};
}

function nonNegativeInteger(value: unknown, name: string): number {
	if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
		throw new ControlInputError(`${name} must be a non-negative integer`);
	}
	return value;
}
