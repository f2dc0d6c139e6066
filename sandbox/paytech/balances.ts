import { decimalUnits, unitsToDecimal, ZERO } from '../common/decimal';
import { DecimalLiteral, type Serializable } from '../common/json';
import type { PaymentState, PaytechPayment } from './types';

const IN_FLIGHT: readonly PaymentState[] = ['PENDING', 'AWAITING_APPROVAL'];

interface CurrencyTotals {
	/** Completed deposits minus completed withdrawals and refunds. */
	settled: bigint;
	/** Withdrawals and refunds not yet final: reserved, not yet gone. */
	reserved: bigint;
}

/**
 * Balances derived from the stored payments. Assumption (pay.tech does not publish how its
 * financial module books): PROCESSING = settled net, WITHDRAWAL = reserved for open payouts,
 * AVAILABLE = PROCESSING − WITHDRAWAL.
 */
export function totalsByCurrency(payments: Iterable<PaytechPayment>): Map<string, CurrencyTotals> {
	const totals = new Map<string, CurrencyTotals>();
	for (const payment of payments) {
		const entry = totals.get(payment.currency) ?? { settled: ZERO, reserved: ZERO };
		const amount = decimalUnits(payment.amount);
		const outgoing = payment.paymentType !== 'DEPOSIT';
		if (payment.state === 'COMPLETED') entry.settled += outgoing ? -amount : amount;
		else if (outgoing && IN_FLIGHT.includes(payment.state)) entry.reserved += amount;
		else continue;
		totals.set(payment.currency, entry);
	}
	return totals;
}

export function balanceList(payments: Iterable<PaytechPayment>, shopName: string): Serializable[] {
	const accounts: Serializable[] = [];
	const currencies = [...totalsByCurrency(payments)].sort(([a], [b]) => a.localeCompare(b));
	for (const [currency, { settled, reserved }] of currencies) {
		const rows = [
			['PROCESSING', 'Processing Balance', settled],
			['AVAILABLE', 'Available Balance', settled - reserved],
			['WITHDRAWAL', 'Withdrawal Balance', reserved],
		] as const;
		for (const [accountType, label, units] of rows) {
			accounts.push({
				id: accounts.length + 1,
				accountType,
				name: `${label}(${currency}) of shop "${shopName}" terminal "sandbox"`,
				currency,
				amount: new DecimalLiteral(unitsToDecimal(units)),
			});
		}
	}
	return accounts;
}

/** Only currencies with something to pay out (CurrencyAmount's minimum is positive). */
export function availableWithdrawalBalances(payments: Iterable<PaytechPayment>): Serializable[] {
	return [...totalsByCurrency(payments)]
		.sort(([a], [b]) => a.localeCompare(b))
		.filter(([, { settled, reserved }]) => settled - reserved > ZERO)
		.map(([currency, { settled, reserved }]) => ({
			currency,
			amount: new DecimalLiteral(unitsToDecimal(settled - reserved)),
		}));
}
