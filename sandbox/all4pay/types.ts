import type { PixKeyType } from './documents';
import type { RateLimits } from './rate-limit';

export type DepositStatus = 'pending' | 'confirmed' | 'expired';
/** `canceled`: the sandbox's name for a refused payout (All4Pay names only pending / confirmed / expired). */
export type WithdrawalStatus = 'pending' | 'confirmed' | 'canceled';

export interface All4payDeposit {
	kind: 'deposit';
	id: string;
	userId: string;
	cpf: string;
	name: string;
	email: string;
	/** Two decimals, exact: "10.50". */
	amount: string;
	status: DepositStatus;
	pixCode: string;
	qrCode: string;
	createdAt: Date;
	updatedAt: Date;
}

export interface All4payWithdrawal {
	kind: 'withdrawal';
	id: string;
	userId: string;
	cpf: string;
	name: string;
	amount: string;
	status: WithdrawalStatus;
	pixKey: string;
	pixKeyType: PixKeyType;
	createdAt: Date;
	updatedAt: Date;
}

export type All4payTransaction = All4payDeposit | All4payWithdrawal;

/** Live and mutable (handle, updateSettings, PUT /__sandbox/settings). */
export interface All4paySettings {
	/** The dashboard's callback URL; undefined = no callbacks. */
	callbackUrl?: string;
	callbackAttempts: number;
	rateLimits: RateLimits;
	/** Per user_id and Sao Paulo day, BRL text with two decimals. */
	dailyDepositLimit: string;
	blockedCpfs: string[];
	blockedUserIds: string[];
	duplicateBlockMs: number;
}

/** Balance as the API answers it, exact text. */
export interface All4payBalance {
	available: string;
	pending_withdrawals: string;
	currency: 'BRL';
}
