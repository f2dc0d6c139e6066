import { ZERO } from '../common/decimal';
import type { Clock } from '../common/clock';
import { WalletError } from './errors';
import { amountUnits } from './money';
import type { AggrepayStore } from './store';
import { istMonth } from './time';
import type {
	Customer,
	LedgerEntry,
	PaymentType,
	TransactionType,
	WalletTransaction,
} from './types';

/** Assumed limits (AggrePay publishes none): per transaction and per IST calendar month and direction. */
export const PER_TRANSACTION_LIMIT = amountUnits('100000.00');
export const MONTHLY_LIMIT = amountUnits('200000.00');

const REVERSAL_SUFFIX = '_REVERSAL';

export interface Movement {
	transactionType: TransactionType;
	amount: bigint;
	merchantTransactionId: string | null;
	description?: string;
	from?: Customer;
	to?: Customer;
	subMerchantId?: number;
	pgTransactionId?: string;
	reverses?: number;
	time?: Date;
}

/** Wallet transactions: balances that really move, limits, reversal and the success-only history. */
export class Ledger {
	constructor(
		private readonly store: AggrepayStore,
		private readonly now: Clock,
	) {}

	checkActive(customer: Customer): void {
		// Assumed code: the seed shows no error for an inactive customer.
		if (!customer.active) throw new WalletError('INVALID-INPUT-DATA', 'Customer is not active');
	}

	checkUnusedMerchantTransactionId(id: string): void {
		if (this.store.byMerchantTransactionId.has(id)) {
			throw new WalletError(
				'INVALID-PARAMS',
				'The merchant transaction id has already been taken.',
			);
		}
	}

	checkLimit(customer: Customer, paymentType: PaymentType, amount: bigint): void {
		if (amount > PER_TRANSACTION_LIMIT)
			throw new WalletError('TRANSACTION-LIMIT', 'Transaction Limit Reached');
		const month = istMonth(this.now());
		if (this.monthlyTotal(customer, paymentType, month) + amount > MONTHLY_LIMIT) {
			throw new WalletError(
				'MONTHLY-TRANSACTION-LIMIT-EXCEEDED',
				'Monthly Transaction Limit exceeded',
			);
		}
	}

	/** Applies a checked movement: balances, the transaction and one ledger entry per side. */
	record(movement: Movement): WalletTransaction {
		const transaction: WalletTransaction = {
			transactionId: this.store.newTransactionId(),
			merchantTransactionId: movement.merchantTransactionId,
			transactionType: movement.transactionType,
			amount: movement.amount,
			time: movement.time ?? this.now(),
			description: movement.description,
			fromCustomerId: movement.from?.customerId,
			toCustomerId: movement.to?.customerId,
			subMerchantId: movement.subMerchantId,
			pgTransactionId: movement.pgTransactionId,
			reverses: movement.reverses,
		};
		const entries: LedgerEntry[] = [];
		if (movement.from) {
			movement.from.balance -= movement.amount;
			entries.push(this.entry(movement.from, transaction, 'DEBIT'));
		}
		if (movement.to) {
			movement.to.balance += movement.amount;
			entries.push(this.entry(movement.to, transaction, 'CREDIT'));
		}
		this.store.transactions.set(transaction.transactionId, transaction);
		this.store.entriesOf.set(transaction.transactionId, entries);
		if (
			transaction.merchantTransactionId !== null &&
			!this.store.byMerchantTransactionId.has(transaction.merchantTransactionId)
		) {
			this.store.byMerchantTransactionId.set(transaction.merchantTransactionId, transaction);
		}
		return transaction;
	}

	/** Gives a debit back once; the reversal is an M2C credit named `<id>_REVERSAL` like the seed's. */
	reverse(
		merchantTransactionId: string,
		transactionId: number | undefined,
		description?: string,
	): WalletTransaction {
		const debit = this.store.byMerchantTransactionId.get(merchantTransactionId);
		if (!debit)
			throw new WalletError('INVALID-PARAMS', 'The selected merchant transaction id is invalid.');
		if (transactionId !== undefined && debit.transactionId !== transactionId) {
			throw new WalletError('INVALID-PARAMS', 'The selected transaction id is invalid.');
		}
		if (debit.transactionType !== 'C2M' || debit.fromCustomerId === undefined) {
			throw new WalletError('INVALID-INPUT-DATA', 'Only debit wallet transactions can be reversed');
		}
		if (debit.reversedBy !== undefined) {
			throw new WalletError('TRANSACTION-ALREADY-REVERSED', 'This Transaction is already reversed');
		}
		const customer = this.store.customers.get(debit.fromCustomerId);
		if (!customer) throw new WalletError('INVALID-PARAMS', 'The selected customer id is invalid.');
		const reversal = this.record({
			transactionType: 'M2C',
			amount: debit.amount,
			merchantTransactionId: merchantTransactionId + REVERSAL_SUFFIX,
			description,
			to: customer,
			reverses: debit.transactionId,
		});
		debit.reversedBy = reversal.transactionId;
		return reversal;
	}

	/** Newest first, as fetchtransactions lists them. */
	page(
		customer: Customer,
		pageNumber: number,
		pageSize: number,
	): { entries: LedgerEntry[]; total: number } {
		const all = this.store.entriesFor(customer.customerId);
		const total = all.length;
		const endExclusive = total - pageNumber * pageSize;
		const start = Math.max(0, endExclusive - pageSize);
		const entries = endExclusive > 0 ? all.slice(start, endExclusive).reverse() : [];
		return { entries, total };
	}

	/** The payer's side of a transaction (the receiver's for a credit). */
	entryOf(transaction: WalletTransaction): LedgerEntry {
		const entries = this.store.entriesOf.get(transaction.transactionId);
		if (!entries || entries.length === 0)
			throw new Error(`Transaction ${transaction.transactionId} has no ledger entry`);
		return entries[0];
	}

	private entry(
		customer: Customer,
		transaction: WalletTransaction,
		paymentType: PaymentType,
	): LedgerEntry {
		const entry: LedgerEntry = {
			customerId: customer.customerId,
			transaction,
			paymentType,
			balanceAfter: customer.balance,
		};
		this.store.entriesFor(customer.customerId).push(entry);
		return entry;
	}

	/** Reversed debits and their reversals cancel out, so neither counts. */
	private monthlyTotal(customer: Customer, paymentType: PaymentType, month: string): bigint {
		let total = ZERO;
		for (const entry of this.store.entriesFor(customer.customerId)) {
			const transaction = entry.transaction;
			if (
				entry.paymentType !== paymentType ||
				transaction.reversedBy !== undefined ||
				transaction.reverses !== undefined
			) {
				continue;
			}
			if (istMonth(transaction.time) === month) total += transaction.amount;
		}
		return total;
	}
}
