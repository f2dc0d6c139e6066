import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

import type { Clock } from '../common/clock';
import { type WebhookDelivery, WebhookSender } from '../common/webhooks';
import { NumipayApiError, TransactionNotFoundError } from './errors';
import { formatAmount } from './money';
import { signNumipayWebhookBody } from './signing';
import {
	type NumipaySession,
	type NumipaySettings,
	type NumipayTransaction,
	type PaymentRequest,
	type SessionKind,
	SIMULATOR_PROVIDER,
	type TransactionFlow,
	type TransactionType,
} from './types';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const LOWER_ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyz0123456789';

function randomText(alphabet: string, length: number): string {
	const bytes = randomBytes(length);
	let text = '';
	for (const byte of bytes) text += alphabet[byte % alphabet.length];
	return text;
}

export const REJECTED_BY_CUSTOMER = 'Rejected by customer';
export const REJECTED_BY_MERCHANT = 'Rejected by merchant';

export interface NumipayEngineOptions {
	now: Clock;
	signaturePassword: string;
	settings: NumipaySettings;
}

export interface NewTransaction extends PaymentRequest {
	type: TransactionType;
	flow: TransactionFlow;
	status: NumipayTransaction['status'];
	rejectedReason?: string;
	createdAt?: Date;
}

/** State, flows and webhooks of one emulated Numipay merchant, without HTTP. */
export class NumipayEngine {
	readonly transactions = new Map<string, NumipayTransaction>();
	readonly sessions = new Map<string, NumipaySession>();
	readonly webhooks: WebhookDelivery[] = [];
	readonly settings: NumipaySettings;
	readonly now: Clock;
	/** Tracking ids taken by a session or a transaction. */
	private readonly trackingIds = new Set<string>();
	private readonly sender: WebhookSender;
	private readonly pending = new Set<Promise<unknown>>();
	private readonly closing = new AbortController();

	constructor(options: NumipayEngineOptions) {
		this.now = options.now;
		this.settings = options.settings;
		this.sender = new WebhookSender({
			signatureHeader: 'x-signature',
			sign: (body) => signNumipayWebhookBody(body, options.signaturePassword),
			attempts: () => this.settings.webhookAttempts,
			log: this.webhooks,
			userAgent: 'numipay-sandbox',
			now: options.now,
		});
	}

	/** Refuses a tracking_id already used by a session or a transaction (409, assumed). */
	claimTrackingId(trackingId: string): void {
		if (this.trackingIds.has(trackingId))
			throw new NumipayApiError(
				409,
				`Duplicate tracking_id: a request with tracking_id "${trackingId}" already exists`,
			);
		this.trackingIds.add(trackingId);
	}

	openSession(kind: SessionKind, request: PaymentRequest, transactionId?: string): NumipaySession {
		let token: string;
		do token = randomText(ALPHANUMERIC, 50);
		while (this.sessions.has(token));
		const session: NumipaySession = {
			token,
			kind,
			request,
			used: false,
			cancelled: false,
			transactionId,
			createdAt: this.now(),
		};
		this.sessions.set(token, session);
		return session;
	}

	insert(input: NewTransaction): NumipayTransaction {
		let transactionId: string;
		do transactionId = randomText(LOWER_ALPHANUMERIC, 15);
		while (this.transactions.has(transactionId));
		const at = input.createdAt ?? this.now();
		const transaction: NumipayTransaction = {
			transactionId,
			gatewayTransactionId: randomText(LOWER_ALPHANUMERIC, 15),
			providerTransactionId: randomUUID(),
			trackingId: input.trackingId,
			userId: input.userId,
			type: input.type,
			status: input.status,
			rejectedReason: input.rejectedReason,
			amount: input.amount,
			currency: input.currency,
			test: input.test,
			paymentProvider: SIMULATOR_PROVIDER,
			flow: input.flow,
			approved: false,
			createdAt: at,
			updatedAt: at,
		};
		this.trackingIds.add(input.trackingId);
		this.transactions.set(transactionId, transaction);
		return transaction;
	}

	/** By the gateway's transaction_id or the merchant's tracking_id, optionally within one mode. */
	find(id: string, test?: boolean): NumipayTransaction | undefined {
		const candidates = [...this.transactions.values()].filter(
			(transaction) => test === undefined || transaction.test === test,
		);
		return (
			candidates.find((transaction) => transaction.trackingId === id) ??
			candidates.find((transaction) => transaction.transactionId === id)
		);
	}

	/** By the gateway's transaction_id only (approve / reject take it). */
	byTransactionId(id: string, test?: boolean): NumipayTransaction {
		const transaction = this.transactions.get(id);
		if (!transaction || (test !== undefined && transaction.test !== test))
			throw new TransactionNotFoundError();
		return transaction;
	}

	transaction(id: string): NumipayTransaction {
		const transaction = this.find(id);
		if (!transaction) throw new TransactionNotFoundError();
		return transaction;
	}

	session(token: string): NumipaySession | undefined {
		return this.sessions.get(token);
	}

	/** The customer paid / confirmed / passed 3-D Secure. */
	completeSession(token: string): NumipayTransaction {
		const session = this.openSessionOrThrow(token);
		session.used = true;
		if (session.kind === '3ds')
			return this.finish(this.byTransactionId(session.transactionId ?? ''), 'successful');
		if (session.kind === 'withdrawal') {
			const transaction = this.insert({
				...session.request,
				type: 'withdrawal',
				flow: 'withdrawal',
				status: 'pending',
			});
			session.transactionId = transaction.transactionId;
			this.announceInBackground(transaction);
			return transaction;
		}
		const transaction = this.insert({
			...session.request,
			type: 'deposit',
			flow: session.kind,
			status: 'successful',
		});
		session.transactionId = transaction.transactionId;
		this.announceInBackground(transaction);
		return transaction;
	}

	/**
	 * The customer rejected (deposit pages, 3-D Secure) or cancelled (withdrawal cashier: no
	 * transaction, undefined).
	 */
	rejectSession(token: string, reason?: string): NumipayTransaction | undefined {
		const session = this.openSessionOrThrow(token);
		session.used = true;
		if (session.kind === '3ds')
			return this.finish(
				this.byTransactionId(session.transactionId ?? ''),
				'rejected',
				reason ?? REJECTED_BY_CUSTOMER,
			);
		if (session.kind === 'withdrawal') {
			session.cancelled = true;
			return undefined;
		}
		const transaction = this.insert({
			...session.request,
			type: 'deposit',
			flow: session.kind,
			status: 'rejected',
			rejectedReason: reason ?? REJECTED_BY_CUSTOMER,
		});
		session.transactionId = transaction.transactionId;
		this.announceInBackground(transaction);
		return transaction;
	}

	private openSessionOrThrow(token: string): NumipaySession {
		const session = this.sessions.get(token);
		if (!session) throw new NumipayApiError(404, 'Session not found');
		if (session.used) throw new NumipayApiError(409, 'This session has already been used');
		return session;
	}

	/** pending -> successful / rejected, with a webhook in the background. */
	finish(
		transaction: NumipayTransaction,
		status: 'successful' | 'rejected',
		reason?: string,
	): NumipayTransaction {
		if (transaction.status !== 'pending')
			throw new NumipayApiError(400, `Transaction is ${transaction.status}, not pending`);
		transaction.status = status;
		transaction.rejectedReason = status === 'rejected' ? reason : undefined;
		transaction.updatedAt = this.now();
		this.announceInBackground(transaction);
		return transaction;
	}

	/** Merchant approval: stays pending, becomes successful after `payoutDelayMs`. */
	approveWithdrawal(transaction: NumipayTransaction): void {
		this.checkAwaitingApproval(transaction);
		transaction.approved = true;
		transaction.updatedAt = this.now();
		this.track(
			sleep(this.settings.payoutDelayMs, undefined, { signal: this.closing.signal }).then(
				() => {
					if (transaction.status === 'pending') this.finish(transaction, 'successful');
				},
				() => undefined,
			),
		);
	}

	rejectWithdrawal(transaction: NumipayTransaction, reason?: string): void {
		this.checkAwaitingApproval(transaction);
		this.finish(transaction, 'rejected', reason ?? REJECTED_BY_MERCHANT);
	}

	private checkAwaitingApproval(transaction: NumipayTransaction): void {
		if (
			transaction.type !== 'withdrawal' ||
			transaction.status !== 'pending' ||
			transaction.approved
		)
			throw new NumipayApiError(
				400,
				`Transaction ${transaction.transactionId} is not a pending withdrawal awaiting approval (${transaction.type}, ${transaction.status}${transaction.approved ? ', already approved' : ''})`,
			);
	}

	/** The webhook payload in the published key order. */
	webhookPayload(transaction: NumipayTransaction): Record<string, string> {
		return {
			transaction_id: transaction.transactionId,
			user_id: transaction.userId,
			tracking_id: transaction.trackingId,
			status: transaction.status,
			currency: transaction.currency,
			amount: formatAmount(transaction.amount, transaction.currency),
			transaction_type: transaction.type,
		};
	}

	webhookBody(transaction: NumipayTransaction): string {
		const payload = this.webhookPayload(transaction);
		return this.settings.webhookFormat === 'pretty'
			? JSON.stringify(payload, null, 2)
			: JSON.stringify(payload);
	}

	/** Delivers the current state `times` times with byte-identical bodies. */
	async announce(transaction: NumipayTransaction, times = 1): Promise<WebhookDelivery[]> {
		const url = this.settings.webhookUrl;
		if (!url) return [];
		const body = this.webhookBody(transaction);
		const deliveries: WebhookDelivery[] = [];
		for (let round = 0; round < times; round++)
			deliveries.push(...(await this.sender.deliver(transaction.transactionId, url, body)));
		return deliveries;
	}

	announceInBackground(transaction: NumipayTransaction): void {
		this.track(this.announce(transaction));
	}

	private track(work: Promise<unknown>): void {
		this.pending.add(work);
		void work.finally(() => this.pending.delete(work));
	}

	/** Resolves once payouts due and webhooks started so far have finished. */
	async settled(): Promise<void> {
		while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
		await this.sender.settled();
	}

	async close(): Promise<void> {
		this.closing.abort();
		await this.sender.close();
		await this.settled();
	}
}
