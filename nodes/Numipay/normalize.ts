import type { IDataObject } from 'n8n-workflow';

import {
	decimalText,
	statusText,
	utcTimestamp,
	type NormalizedStatus,
	type NormalizedTransaction,
	type NormalizedType,
} from '../common/normalize';

// The statuses Numipay's reference shows; it does not publish the full list, so any other one is
// still in flight as far as the pack can tell (and stays visible as providerStatus)
const STATUS: Record<string, NormalizedStatus> = {
	pending: 'pending',
	successful: 'succeeded',
	rejected: 'failed',
};

const TYPE: Record<string, NormalizedType> = { deposit: 'deposit', withdrawal: 'withdrawal' };

const text = (value: unknown): string | null =>
	value === undefined || value === null || value === '' ? null : String(value);

/**
 * A Numipay transaction in the shared shape: a webhook payload, a row of the transaction list, or
 * the Numipay node's Get Transaction output (`{id, transaction_status, rejected_reason}`).
 */
export function normalizeNumipayTransaction(t: IDataObject): NormalizedTransaction {
	// Get Transaction answers transaction_status; the webhook and the list say status
	const status = t.status ?? t.transaction_status;
	const date = text(t.transaction_date);
	return {
		provider: 'numipay',
		id: String(t.transaction_id ?? t.id ?? ''),
		reference: text(t.tracking_id),
		type: TYPE[String(t.transaction_type ?? '').toLowerCase()] ?? 'other',
		status: STATUS[String(status ?? '').toLowerCase()] ?? 'pending',
		providerStatus: statusText(status),
		amount: decimalText(t, 'amount'),
		currency: text(t.currency),
		// "YYYY-MM-DD HH:MM:SS" without a zone; the pack reads it as UTC (the zone is not published)
		createdAt: date === null ? null : utcTimestamp(date.replace(' ', 'T')),
		updatedAt: null,
		raw: t,
	};
}
