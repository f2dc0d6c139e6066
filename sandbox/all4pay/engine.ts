import { randomBytes } from 'node:crypto';

import type { Clock } from '../common/clock';
import { type WebhookDelivery, WebhookSender } from '../common/webhooks';
import type { PixKeyType } from './documents';
import { All4payApiError, REASONS } from './errors';
import { cents, formatAmount, formatReais, ZERO } from './money';
import { pixCode, QR_CODE_PLACEHOLDER } from './pix';
import type {
	All4payBalance,
	All4payDeposit,
	All4paySettings,
	All4payTransaction,
	All4payWithdrawal,
} from './types';

/** The zone of the daily deposit limit's "today" (no DST since 2019: UTC-3). */
export const LIMIT_TIME_ZONE = 'America/Sao_Paulo';

const dayFormat = new Intl.DateTimeFormat('en-CA', {
	timeZone: LIMIT_TIME_ZONE,
	year: 'numeric',
	month: '2-digit',
	day: '2-digit',
});

export const saoPauloDay = (date: Date): string => dayFormat.format(date);

export interface DepositInput {
	userId: string;
	cpf: string;
	name: string;
	email: string;
	amount: string;
}

export interface WithdrawalInput {
	userId: string;
	cpf: string;
	name: string;
	amount: string;
	pixKey: string;
	pixKeyType: PixKeyType;
}

export interface ForgedCallback {
	status?: string;
	/** Exact text written as the JSON number (e.g. "9999.99"). */
	amount?: string;
}

export interface All4payEngineOptions {
	now: Clock;
	settings: All4paySettings;
	/** Available balance, BRL text. */
	balance: string;
	/** Base URL of the sandbox (read when a PIX code is made). */
	baseUrl(): string;
}

/** State, checks and callbacks of one emulated All4Pay merchant, without HTTP. */
export class All4payEngine {
	readonly deposits = new Map<string, All4payDeposit>();
	readonly withdrawals = new Map<string, All4payWithdrawal>();
	/** Every genuine callback attempt (paymentId = the deposit or withdrawal id). */
	readonly callbacks: WebhookDelivery[] = [];
	/** Every forged callback attempt (sendForgedCallback). */
	readonly forgedCallbacks: WebhookDelivery[] = [];
	readonly settings: All4paySettings;
	readonly now: Clock;
	/** Balance including what pending withdrawals reserve, in centavos. */
	private funds: bigint;
	/** `${kind} ${user_id} ${amount}` -> time (ms) of the last accepted equal request. */
	private readonly lastAccepted = new Map<string, number>();
	private readonly sender: WebhookSender;
	private readonly forgedSender: WebhookSender;
	private readonly pending = new Set<Promise<unknown>>();
	private readonly baseUrl: () => string;

	constructor(options: All4payEngineOptions) {
		this.now = options.now;
		this.settings = options.settings;
		this.baseUrl = options.baseUrl;
		this.funds = cents(options.balance);
		const sender = (log: WebhookDelivery[]) =>
			new WebhookSender({
				// Unsigned, as published: no signature header, nothing to sign.
				sign: () => '',
				attempts: () => this.settings.callbackAttempts,
				log,
				userAgent: 'all4pay-sandbox',
				now: options.now,
			});
		this.sender = sender(this.callbacks);
		this.forgedSender = sender(this.forgedCallbacks);
	}

	createDeposit(input: DepositInput): All4payDeposit {
		this.checkBlocked(input.userId, input.cpf);
		const amount = cents(input.amount);
		this.checkEqualRequest('deposit', input.userId, amount);
		this.checkDailyLimit(input.userId, amount);
		let id: string;
		do id = `dep_${randomBytes(12).toString('hex')}`;
		while (this.deposits.has(id));
		const at = this.now();
		const location = `${this.baseUrl().replace(/^https?:\/\//, '')}/pix/${id}`;
		const deposit: All4payDeposit = {
			kind: 'deposit',
			id,
			userId: input.userId,
			cpf: input.cpf,
			name: input.name,
			email: input.email,
			amount: formatAmount(amount),
			status: 'pending',
			pixCode: pixCode(id, formatAmount(amount), location),
			qrCode: QR_CODE_PLACEHOLDER,
			createdAt: at,
			updatedAt: at,
		};
		this.deposits.set(id, deposit);
		this.lastAccepted.set(this.equalKey('deposit', input.userId, amount), at.getTime());
		this.announceInBackground(deposit);
		return deposit;
	}

	createWithdrawal(input: WithdrawalInput): All4payWithdrawal {
		this.checkBlocked(input.userId, input.cpf);
		const amount = cents(input.amount);
		this.checkEqualRequest('withdrawal', input.userId, amount);
		this.checkBalance(amount);
		let id: string;
		do id = `wd_${randomBytes(12).toString('hex')}`;
		while (this.withdrawals.has(id));
		const at = this.now();
		const withdrawal: All4payWithdrawal = {
			kind: 'withdrawal',
			id,
			userId: input.userId,
			cpf: input.cpf,
			name: input.name,
			amount: formatAmount(amount),
			status: 'pending',
			pixKey: input.pixKey,
			pixKeyType: input.pixKeyType,
			createdAt: at,
			updatedAt: at,
		};
		this.withdrawals.set(id, withdrawal);
		this.lastAccepted.set(this.equalKey('withdrawal', input.userId, amount), at.getTime());
		this.announceInBackground(withdrawal);
		return withdrawal;
	}

	private checkBlocked(userId: string, cpf: string): void {
		if (this.settings.blockedCpfs.includes(cpf))
			throw new All4payApiError(401, REASONS.illegalConditions, 'user CPF blocked by All4pay.');
		if (this.settings.blockedUserIds.includes(userId))
			throw new All4payApiError(401, REASONS.illegalConditions, 'user_id blocked by All4pay.');
	}

	private equalKey(kind: string, userId: string, amount: bigint): string {
		return `${kind} ${userId} ${amount}`;
	}

	private checkEqualRequest(kind: 'deposit' | 'withdrawal', userId: string, amount: bigint): void {
		const last = this.lastAccepted.get(this.equalKey(kind, userId, amount));
		if (last === undefined) return;
		const elapsed = this.now().getTime() - last;
		if (elapsed >= this.settings.duplicateBlockMs) return;
		const seconds = Math.ceil((this.settings.duplicateBlockMs - elapsed) / 1000);
		throw new All4payApiError(
			422,
			REASONS.illegalConditions,
			`Equal request blocked: a ${kind} of ${formatReais(amount)} for this user_id was already requested; try again in ${seconds} seconds.`,
		);
	}

	/** Sum of the user's deposits made today (Sao Paulo) that did not expire, in centavos. */
	depositedToday(userId: string): bigint {
		const today = saoPauloDay(this.now());
		let sum = ZERO;
		for (const deposit of this.deposits.values())
			if (
				deposit.userId === userId &&
				deposit.status !== 'expired' &&
				saoPauloDay(deposit.createdAt) === today
			)
				sum += cents(deposit.amount);
		return sum;
	}

	private checkDailyLimit(userId: string, amount: bigint): void {
		const limit = cents(this.settings.dailyDepositLimit);
		const used = this.depositedToday(userId);
		if (used + amount <= limit) return;
		const left = limit > used ? limit - used : ZERO;
		// The published text, typo ("dayli"), capital "Still" and the space before the dot kept.
		throw new All4payApiError(
			401,
			REASONS.illegalConditions,
			`We were unable to complete your transaction due to your dayli limit of ${formatReais(limit)} . You Still have ${formatReais(left)} available to deposit today.`,
		);
	}

	private pendingWithdrawals(): bigint {
		let sum = ZERO;
		for (const withdrawal of this.withdrawals.values())
			if (withdrawal.status === 'pending') sum += cents(withdrawal.amount);
		return sum;
	}

	private checkBalance(amount: bigint): void {
		const pending = this.pendingWithdrawals();
		const refuse = (code: string, message: string) =>
			new All4payApiError(422, REASONS.balanceIllegalConditions, message, code);
		if (this.funds <= ZERO)
			throw refuse('0441', 'withdrawal not allowed due to insufficient balance available');
		if (amount > this.funds)
			throw refuse('0443', 'withdrawal amount greater than your balance available');
		if (amount > this.funds - pending)
			throw refuse('0442', 'insufficient balance available due to pending withdrawals');
	}

	balance(): All4payBalance {
		const pending = this.pendingWithdrawals();
		return {
			available: formatAmount(this.funds - pending),
			pending_withdrawals: formatAmount(pending),
			currency: 'BRL',
		};
	}

	/** Sets what is available; pending withdrawals stay reserved on top of it. */
	setAvailable(amount: string): All4payBalance {
		this.funds = cents(amount) + this.pendingWithdrawals();
		return this.balance();
	}

	/** A deposit or withdrawal by id, tagged with its kind. */
	find(id: string): All4payTransaction | undefined {
		return this.deposits.get(id) ?? this.withdrawals.get(id);
	}

	transaction(id: string): All4payTransaction {
		const found = this.find(id);
		if (!found) throw new All4payApiError(404, REASONS.resultsNotFound, 'Results not found');
		return found;
	}

	private pendingDeposit(id: string): All4payDeposit {
		const deposit = this.deposits.get(id);
		if (!deposit) throw new All4payApiError(404, REASONS.resultsNotFound, 'Results not found');
		if (deposit.status !== 'pending')
			throw new All4payApiError(409, 'Conflict', `Deposit ${id} is ${deposit.status}, not pending`);
		return deposit;
	}

	private pendingWithdrawal(id: string): All4payWithdrawal {
		const withdrawal = this.withdrawals.get(id);
		if (!withdrawal) throw new All4payApiError(404, REASONS.resultsNotFound, 'Results not found');
		if (withdrawal.status !== 'pending')
			throw new All4payApiError(
				409,
				'Conflict',
				`Withdrawal ${id} is ${withdrawal.status}, not pending`,
			);
		return withdrawal;
	}

	/** The customer paid: confirmed, the amount joins the balance, callback. */
	pay(id: string): All4payDeposit {
		const deposit = this.pendingDeposit(id);
		deposit.status = 'confirmed';
		deposit.updatedAt = this.now();
		this.funds += cents(deposit.amount);
		this.announceInBackground(deposit);
		return deposit;
	}

	expire(id: string): All4payDeposit {
		const deposit = this.pendingDeposit(id);
		deposit.status = 'expired';
		deposit.updatedAt = this.now();
		this.announceInBackground(deposit);
		return deposit;
	}

	/** Paid out: confirmed, the reserved amount leaves the balance, callback. */
	confirmWithdrawal(id: string): All4payWithdrawal {
		const withdrawal = this.pendingWithdrawal(id);
		withdrawal.status = 'confirmed';
		withdrawal.updatedAt = this.now();
		this.funds -= cents(withdrawal.amount);
		this.announceInBackground(withdrawal);
		return withdrawal;
	}

	/** Refused: canceled, the reservation is released, callback. */
	rejectWithdrawal(id: string): All4payWithdrawal {
		const withdrawal = this.pendingWithdrawal(id);
		withdrawal.status = 'canceled';
		withdrawal.updatedAt = this.now();
		this.announceInBackground(withdrawal);
		return withdrawal;
	}

	/** The assumed callback body: `{id, type, status, amount, user_id}`, amount a JSON number. */
	callbackBody(transaction: All4payTransaction, forged: ForgedCallback = {}): string {
		const amount = forged.amount ?? transaction.amount;
		return (
			`{"id":${JSON.stringify(transaction.id)},"type":${JSON.stringify(transaction.kind)},` +
			`"status":${JSON.stringify(forged.status ?? transaction.status)},"amount":${amount},` +
			`"user_id":${JSON.stringify(transaction.userId)}}`
		);
	}

	/** Delivers the current state `times` times, identical bytes; [] without a callback URL. */
	async announce(transaction: All4payTransaction, times = 1): Promise<WebhookDelivery[]> {
		const url = this.settings.callbackUrl;
		if (!url) return [];
		const body = this.callbackBody(transaction);
		const deliveries: WebhookDelivery[] = [];
		for (let round = 0; round < times; round++)
			deliveries.push(...(await this.sender.deliver(transaction.id, url, body)));
		return deliveries;
	}

	/** An unsigned callback with a false status (default "confirmed") and / or amount. */
	async forge(id: string, forged: ForgedCallback): Promise<WebhookDelivery[]> {
		const transaction = this.transaction(id);
		if (forged.amount !== undefined && !/^-?\d+(?:\.\d+)?$/.test(forged.amount))
			throw new RangeError('amount must be decimal text such as "9999.99"');
		const url = this.settings.callbackUrl;
		if (!url) return [];
		const body = this.callbackBody(transaction, {
			status: forged.status ?? 'confirmed',
			amount: forged.amount,
		});
		return this.forgedSender.deliver(transaction.id, url, body);
	}

	announceInBackground(transaction: All4payTransaction): void {
		const work = this.announce(transaction);
		this.pending.add(work);
		void work.finally(() => this.pending.delete(work));
	}

	async settled(): Promise<void> {
		while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
		await this.sender.settled();
		await this.forgedSender.settled();
	}

	async close(): Promise<void> {
		await this.sender.close();
		await this.forgedSender.close();
		await this.settled();
	}
}
