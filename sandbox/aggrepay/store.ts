import { randomInt } from 'node:crypto';

import type {
	Customer,
	GatewayTransaction,
	LedgerEntry,
	PaymentRequest,
	SubMerchant,
	WalletTransaction,
} from './types';

/** Everything one emulated merchant account holds, in memory. */
export class AggrepayStore {
	readonly customers = new Map<string, Customer>();
	readonly transactions = new Map<number, WalletTransaction>();
	/** merchant_transaction_id is unique per merchant, across credits, debits and transfers. */
	readonly byMerchantTransactionId = new Map<string, WalletTransaction>();
	/** Per customer, oldest first. */
	readonly ledger = new Map<string, LedgerEntry[]>();
	/** Per transaction: the payer's entry first. */
	readonly entriesOf = new Map<number, LedgerEntry[]>();
	readonly subMerchants: SubMerchant[] = [];
	readonly paymentRequests = new Map<string, PaymentRequest>();
	readonly requestsByOrderId = new Map<string, PaymentRequest>();
	readonly gatewayTransactions = new Map<string, GatewayTransaction>();
	private nextRefundId = 1;

	newCustomerId(): string {
		return this.unique(
			() => String(randomInt(100_000_000, 1_000_000_000)),
			(id) => this.customers.has(id),
		);
	}

	newTransactionId(): number {
		return this.unique(
			() => randomInt(100_000_000, 1_000_000_000),
			(id) => this.transactions.has(id),
		);
	}

	/** Alphanumeric like the white-label's ids; prefix and length are assumed. */
	newGatewayTransactionId(): string {
		return this.unique(
			() => `AGP${String(randomInt(0, 1e12)).padStart(12, '0')}`,
			(id) => this.gatewayTransactions.has(id),
		);
	}

	newRefundId(): number {
		return this.nextRefundId++;
	}

	entriesFor(customerId: string): LedgerEntry[] {
		let entries = this.ledger.get(customerId);
		if (!entries) {
			entries = [];
			this.ledger.set(customerId, entries);
		}
		return entries;
	}

	private unique<T>(make: () => T, taken: (value: T) => boolean): T {
		for (;;) {
			const value = make();
			if (!taken(value)) return value;
		}
	}
}
