import type { NumipayEngine } from './engine';
import { CURRENCY_DECIMALS } from './money';
import { type NumipayTransaction, type TransactionStatus, type TransactionType } from './types';

export interface SeedOptions {
	count: number;
	/** Spread over the last `days` days (newest now, oldest just under `days` days ago). Default 1. */
	days?: number;
	/** Default 'test' (as if made with the DEV key). */
	mode?: 'test' | 'live';
	/** Default: cycles successful, successful, rejected. */
	status?: TransactionStatus;
	/** Default: cycles deposit, deposit, withdrawal. */
	type?: TransactionType;
	/** Default EUR. */
	currency?: string;
}

const DAY_MS = 86_400_000;
const STATUS_CYCLE: TransactionStatus[] = ['successful', 'successful', 'rejected'];
const TYPE_CYCLE: TransactionType[] = ['deposit', 'deposit', 'withdrawal'];

/**
 * Deterministic transactions: number i (0-based) is made at now - i * days / count, amount
 * (10 + i).(i*7 mod 100) in the currency's decimals, tracking_id seed-<run>-<i>, user_id 1000+i.
 */
export function seedTransactions(
	engine: NumipayEngine,
	options: SeedOptions,
	run: number,
): NumipayTransaction[] {
	const days = options.days ?? 1;
	const currency = options.currency ?? 'EUR';
	const decimals = CURRENCY_DECIMALS[currency];
	if (!Number.isInteger(options.count) || options.count < 1 || options.count > 100_000)
		throw new RangeError('count must be an integer 1..100000');
	if (typeof days !== 'number' || !(days > 0) || days > 3650)
		throw new RangeError('days must be a number above 0, at most 3650');
	if (decimals === undefined) throw new RangeError(`Unsupported currency ${currency}`);
	const now = engine.now().getTime();
	const seeded: NumipayTransaction[] = [];
	// Oldest first, so insertion order matches time order.
	for (let i = options.count - 1; i >= 0; i--) {
		const fraction = String((i * 7) % 100).padStart(2, '0');
		const amount = decimals === 0 ? String(10 + i) : `${10 + i}.${fraction.padEnd(decimals, '0')}`;
		const status = options.status ?? STATUS_CYCLE[i % STATUS_CYCLE.length];
		seeded.push(
			engine.insert({
				test: (options.mode ?? 'test') === 'test',
				userId: String(1000 + i),
				trackingId: `seed-${run}-${i}`,
				amount,
				currency,
				type: options.type ?? TYPE_CYCLE[i % TYPE_CYCLE.length],
				flow: 'seed',
				status,
				rejectedReason: status === 'rejected' ? 'Insufficient funds' : undefined,
				createdAt: new Date(now - Math.floor((i * days * DAY_MS) / options.count)),
			}),
		);
	}
	return seeded.reverse();
}
