import type { Endpoint } from '../common/endpoints';

/**
 * Numipay publishes its operations and fields but not its base URL, paths or HTTP methods. These
 * are the pack's assumptions, stated here once (and in docs/providers/numipay.md); the operator
 * replaces any of them in the credential's Endpoint Overrides. The sandbox serves these paths.
 * `{id}`: Get Transaction's path parameter, "unique transaction id in your system".
 */
export const NUMIPAY_ASSUMED_ENDPOINTS = {
	createCashierSession: { method: 'POST', path: '/payments/cashier' },
	createDirectDeposit: { method: 'POST', path: '/payments/direct' },
	createCardDeposit: { method: 'POST', path: '/payments/s2s' },
	createWithdrawalSession: { method: 'POST', path: '/payouts/cashier' },
	approveWithdrawal: { method: 'POST', path: '/payouts/approve' },
	rejectWithdrawal: { method: 'POST', path: '/payouts/reject' },
	getTransaction: { method: 'GET', path: '/transactions/{id}' },
	getTransactions: { method: 'GET', path: '/transactions' },
} satisfies Record<string, Endpoint>;

export type NumipayOperation = keyof typeof NUMIPAY_ASSUMED_ENDPOINTS;
