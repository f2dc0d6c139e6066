import type { Endpoint } from '../common/endpoints';

/**
 * All4Pay publishes two paths (`POST /deposit/`, and `GET /witddraw`, spelled so, in its rate-limit
 * table); the others are the pack's assumptions, stated here once (and in
 * docs/providers/all4pay.md) and replaced by the credential's Endpoint Overrides. The sandbox
 * serves these paths. `{id}`: All4Pay's id of the deposit or withdrawal.
 */
export const ALL4PAY_ASSUMED_ENDPOINTS = {
	createDeposit: { method: 'POST', path: '/deposit/' },
	getDeposit: { method: 'GET', path: '/deposit/{id}' },
	getDeposits: { method: 'GET', path: '/deposit/' },
	createWithdrawal: { method: 'POST', path: '/withdraw/' },
	getWithdrawal: { method: 'GET', path: '/witddraw/{id}' },
	getBalance: { method: 'GET', path: '/balance/' },
} satisfies Record<string, Endpoint>;

export type All4payOperation = keyof typeof ALL4PAY_ASSUMED_ENDPOINTS;

/**
 * The published limits: 50 requests per second to each of the live create-deposit and withdrawal
 * endpoints, 216,000 per hour to all of them together, per client IP.
 */
export const ALL4PAY_RATE_LIMITS = {
	perEndpointPerSecond: 50,
	overallPerHour: 216_000,
	/** The operations the per-second limit covers. */
	paced: ['createDeposit', 'createWithdrawal', 'getWithdrawal'] as All4payOperation[],
};
