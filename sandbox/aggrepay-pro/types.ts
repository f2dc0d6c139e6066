/** Aggrepay.pro as the sandbox keeps it: payments, payouts, methods, balances, settings. */

export const PAYMENT_STATES = [
	'created',
	'pending',
	'dispute',
	'in_check',
	'finished',
	'canceled',
	'expired',
	'failed',
] as const;
export type PaymentState = (typeof PAYMENT_STATES)[number];

export type PaymentType = 'payment' | 'payout';

export type AmountUnit = 'major' | 'minor';

export interface Bank {
	code: string;
	name: string;
}

export interface PaymentMethod {
	/** What `paymentMethod` carries: `card_rub`, `sbp`, ... */
	code: string;
	name: string;
	/** `payment` methods take payments, `payout` methods payouts. */
	type: PaymentType;
	/** ISO 4217 codes the method takes. */
	currencies: string[];
	/** Major units as decimal text ('100', '1.00'); none = no limit. */
	minAmount?: string;
	maxAmount?: string;
	/** Banks per currency (`getBanks`); none = 40402 "No banks available". */
	banks?: Record<string, Bank[]>;
}

/** What the customer pays to (a card or an SBP phone number of the gateway's network). */
export interface Requisite {
	bank: string;
	account: string;
	holder: string;
}

export interface Recipient {
	account: string;
	name: string;
	bank?: string;
}

export interface Customer {
	name?: string;
	email?: string;
	phone?: string;
	ip?: string;
}

/** A payment or a payout, as stored. */
export interface AggrepayProPayment {
	/** `pay_` + 24 hex for a payment, `po_` + 24 hex for a payout. */
	id: string;
	orderId: string;
	merchantId: string;
	type: PaymentType;
	state: PaymentState;
	/** Exactly the digits the merchant sent, in `amountUnit` ("10.50", or "1050" in minor units). */
	amount: string;
	/** The unit `amount` was sent in (the setting at creation). */
	amountUnit: AmountUnit;
	/** The same amount in the currency's minor units: balances and limits are exact BigInt. */
	minorAmount: bigint;
	currency: string;
	paymentMethod: string | null;
	requisite: Requisite | null;
	callbackUri?: string;
	returnUri?: string;
	userId?: string;
	customer?: Customer;
	recipient?: Recipient;
	createdAt: Date;
	updatedAt: Date;
}

export interface AntiSpamSettings {
	/** Create-payment requests per `userId` allowed within `windowMs`; the next one blocks the user. */
	maxRequests: number;
	windowMs: number;
}

export interface AggrepayProSettings {
	/** Attempts per callback delivery (first included) on non-2xx or network error. */
	callbackAttempts: number;
	/** How amounts are read and written: decimal major units (10.50) or integer minor units (1050). */
	amountUnit: AmountUnit;
	/** Every requisite taken: a create with a method (or a method chosen on the page) gets 40002. */
	requisitesBusy: boolean;
	/** A payout in_check becomes finished this long after creation; null = only by control. */
	payoutDelayMs: number | null;
	/** How long a create stays "in flight" (another create with its orderId gets 40008). */
	processingDelayMs: number;
	/** null = off. */
	antiSpam: AntiSpamSettings | null;
	/** Caller addresses allowed on the API; null = everyone. */
	ipWhitelist: string[] | null;
	/** Answer errors with HTTP 200 (the body still says status false and the code). */
	errorsAsHttp200: boolean;
}
