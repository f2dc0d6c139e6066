import type { Clock } from '../common/clock';
import type { CustomerBook } from './customers';
import type { Ledger } from './ledger';
import { amountUnits } from './money';

export interface SeedCustomer {
	/** A fixed customer ID (9 digits, like AggrePay's), so demo data is the same on every start. */
	customerId?: string;
	email: string;
	mobileNumber?: string;
	firstName?: string;
	lastName?: string;
	mpin: string;
	/** Opening balance, decimal text with at most two decimals; default 0. */
	balance?: string;
}

const MINUTE_MS = 60_000;
let seedBatch = 0;

export function seedCustomer(customers: CustomerBook, input: SeedCustomer): string {
	if (!/^\d{4}$/.test(input.mpin)) throw new RangeError('mpin must be 4 digits');
	if (input.customerId !== undefined && !/^\d{9}$/.test(input.customerId))
		throw new RangeError('customerId must be 9 digits');
	const balance =
		input.balance === undefined || /^0+(?:\.0+)?$/.test(input.balance)
			? undefined
			: amountUnits(input.balance);
	return customers.add({
		customerId: input.customerId,
		email: input.email,
		mobileNumber: input.mobileNumber,
		firstName: input.firstName ?? 'Sandbox',
		lastName: input.lastName ?? 'Customer',
		mpin: input.mpin,
		balance,
	}).customerId;
}

/**
 * `count` M2C credits, oldest first, one minute apart and ending now, so paging sees them in
 * time order. They bypass limits (they are history, not new requests) and need no PG payment.
 */
export function seedTransactions(
	customers: CustomerBook,
	ledger: Ledger,
	now: Clock,
	customerId: string,
	count: number,
): void {
	if (!Number.isInteger(count) || count < 0)
		throw new RangeError('count must be a non-negative integer');
	const customer = customers.get(customerId);
	const batch = ++seedBatch;
	const end = now().getTime();
	for (let index = 0; index < count; index++) {
		ledger.record({
			transactionType: 'M2C',
			amount: amountUnits(`${(index % 50) + 1}.${String((index * 7) % 100).padStart(2, '0')}`),
			merchantTransactionId: `SEED-${customerId}-${batch}-${index + 1}`,
			description: 'Seeded credit',
			to: customer,
			time: new Date(end - (count - index) * MINUTE_MS),
		});
	}
}
