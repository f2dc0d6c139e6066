/** Numipay Gateway 1.0.1 as the sandbox keeps it: transactions, cashier sessions, settings. */

export const TRANSACTION_STATUSES = ['pending', 'successful', 'rejected'] as const;
export type TransactionStatus = (typeof TRANSACTION_STATUSES)[number];

export const TRANSACTION_TYPES = ['deposit', 'withdrawal'] as const;
export type TransactionType = (typeof TRANSACTION_TYPES)[number];

/** How the transaction came to be: the API flow that created it, or the seed control. */
export type TransactionFlow = 'cashier' | 'direct' | 'card' | 'withdrawal' | 'seed';

/** The published name of the only provider the sandbox emulates. */
export const SIMULATOR_PROVIDER = 'numipay_simulator';

export interface NumipayTransaction {
	/** The gateway's id: sent in webhooks, taken by approve / reject. 15 lowercase letters and digits. */
	transactionId: string;
	gatewayTransactionId: string;
	providerTransactionId: string;
	/** The merchant's own reference (request.tracking_id). */
	trackingId: string;
	userId: string;
	type: TransactionType;
	status: TransactionStatus;
	rejectedReason?: string;
	/** Exact decimal text as the merchant sent it ("10.05", "200.00"); never a float. */
	amount: string;
	currency: string;
	/** Created with a DEV key and mode "test". */
	test: boolean;
	paymentProvider: string;
	flow: TransactionFlow;
	/** A pending withdrawal the merchant approved; it completes after `payoutDelayMs`. */
	approved: boolean;
	createdAt: Date;
	updatedAt: Date;
}

/** A validated `request` object of a create call (deposit or withdrawal). */
export interface PaymentRequest {
	test: boolean;
	userId: string;
	trackingId: string;
	amount: string;
	currency: string;
	providerId?: string;
}

export type SessionKind = 'cashier' | 'direct' | 'withdrawal' | '3ds';

/**
 * A token handed to the merchant (cashier, withdrawal cashier), a direct-integration provider page
 * or a 3-D Secure page. Cashier kinds create their transaction when the customer acts; a 3-D
 * Secure session points at a pending card transaction.
 */
export interface NumipaySession {
	token: string;
	kind: SessionKind;
	request: PaymentRequest;
	/** Set once the customer acted (or the session was cancelled). */
	used: boolean;
	cancelled: boolean;
	transactionId?: string;
	createdAt: Date;
}

export type WebhookFormat = 'compact' | 'pretty';

export interface NumipaySettings {
	/** Where webhooks go (configured in the merchant back office); none = not sent. */
	webhookUrl?: string;
	/** 'pretty' sends indented JSON; the signature stays over the compact JSON either way. */
	webhookFormat: WebhookFormat;
	/** Delay between approving a pending payout and it becoming successful. */
	payoutDelayMs: number;
	/** Attempts per webhook delivery (first included) on non-2xx or network error. */
	webhookAttempts: number;
	/** IANA zone in which list `from` / `to` dates (and "today") are read. */
	timeZone: string;
}
