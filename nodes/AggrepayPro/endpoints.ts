import type { Endpoint } from '../common/endpoints';

/**
 * Aggrepay.pro publishes a description of its API (auth, signatures, error codes, states) but not
 * its endpoint list, base URL or schemas. These are the pack's assumptions, stated here once (and
 * in docs/providers/aggrepay-pro.md); the operator replaces any of them in the credential's
 * Endpoint Overrides. The sandbox serves these paths. `{method}`: a payment method's code.
 */
export const AGGREPAY_PRO_ASSUMED_ENDPOINTS = {
	createPayment: { method: 'POST', path: '/api/v1/payments' },
	getPaymentStatus: { method: 'GET', path: '/api/v1/payments/status' },
	createPayout: { method: 'POST', path: '/api/v1/payouts' },
	getPayoutStatus: { method: 'GET', path: '/api/v1/payouts/status' },
	getPaymentMethods: { method: 'GET', path: '/api/v1/payment-methods' },
	getBanks: { method: 'GET', path: '/api/v1/payment-methods/{method}/banks' },
	getBalance: { method: 'GET', path: '/api/v1/balance' },
} satisfies Record<string, Endpoint>;

export type AggrepayProOperation = keyof typeof AGGREPAY_PRO_ASSUMED_ENDPOINTS;
