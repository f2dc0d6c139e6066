import type { IDataObject } from 'n8n-workflow';

import {
	decimalText,
	statusText,
	utcTimestamp,
	type NormalizedStatus,
	type NormalizedTransaction,
} from '../common/normalize';

// All4Pay publishes pending, confirmed and expired "or other"; the rest are the sandbox's and the
// likely words. Any other status is still in flight as far as the pack can tell, and stays
// visible as providerStatus.
const STATUS: Record<string, NormalizedStatus> = {
	pending: 'pending',
	confirmed: 'succeeded',
	expired: 'canceled',
	canceled: 'canceled',
	cancelled: 'canceled',
	failed: 'failed',
	rejected: 'failed',
	refunded: 'refunded',
};

/** An All4Pay deposit or withdrawal (from the API, or confirmed by the trigger) in the shared shape. */
export function normalizeAll4pay(
	kind: 'deposit' | 'withdrawal',
): (t: IDataObject) => NormalizedTransaction {
	return (t) => ({
		provider: 'all4pay',
		id: String(t.id ?? ''),
		// All4Pay has no merchant reference; user_id is the closest thing an operator set
		reference: statusText(t.user_id),
		type: kind,
		status: STATUS[String(t.status ?? '').toLowerCase()] ?? 'pending',
		providerStatus: statusText(t.status),
		amount: decimalText(t, 'amount'),
		// All4Pay works in reais only
		currency: 'BRL',
		createdAt: utcTimestamp(t.created_at),
		updatedAt: utcTimestamp(t.updated_at),
		raw: t,
	});
}
