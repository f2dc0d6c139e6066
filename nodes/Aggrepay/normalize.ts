import type { IDataObject } from 'n8n-workflow';

import {
	decimalText,
	statusText,
	utcTimestamp,
	type NormalizedStatus,
	type NormalizedTransaction,
} from '../common/normalize';

// Gateway response codes from AggrePay's integration guide
const GATEWAY_STATUS: Record<string, NormalizedStatus> = {
	'0': 'succeeded',
	'1000': 'failed',
	'1006': 'pending',
	'1030': 'pending',
	'1043': 'canceled',
	'1088': 'pending',
};

// The wallet documents statuses like PAYMENT_SUCCESS; matched by their keyword
function walletStatus(value: unknown): NormalizedStatus {
	const status = String(value ?? '').toUpperCase();
	if (status.includes('REVERS')) return 'refunded';
	if (status.includes('SUCCESS')) return 'succeeded';
	if (status.includes('FAIL')) return 'failed';
	if (status.includes('CANCEL')) return 'canceled';
	return 'pending';
}

const text = (value: unknown): string | null =>
	value === undefined || value === null || value === '' ? null : String(value);

/** "2026-11-21 10:11:12" as AggrePay writes times (India Standard Time, no zone written) → ISO UTC. */
export function istTimestamp(value: unknown): string | null {
	const t = text(value);
	if (!t) return null;
	return /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?$/.test(t)
		? utcTimestamp(new Date(`${t.replace(' ', 'T')}+05:30`).toISOString())
		: utcTimestamp(t);
}

export function normalizeAggrepayWalletTransaction(t: IDataObject): NormalizedTransaction {
	return {
		provider: 'aggrepay',
		id: String(t.transaction_id ?? ''),
		reference: text(t.merchant_transaction_id),
		type: t.payment_type === 'CREDIT' ? 'credit' : t.payment_type === 'DEBIT' ? 'debit' : 'other',
		status: walletStatus(t.transaction_status),
		providerStatus: statusText(t.transaction_status),
		amount: decimalText(t, 'amount'),
		currency: 'INR',
		createdAt: istTimestamp(t.time),
		updatedAt: null,
		raw: t,
	};
}

export function normalizeAggrepayPayment(p: IDataObject): NormalizedTransaction {
	return {
		provider: 'aggrepay',
		id: String(p.transaction_id ?? ''),
		reference: text(p.order_id),
		type: 'deposit',
		status: GATEWAY_STATUS[String(p.response_code)] ?? 'failed',
		providerStatus: statusText(p.response_code),
		amount: decimalText(p, 'amount'),
		currency: text(p.currency) ?? 'INR',
		createdAt: istTimestamp(p.payment_datetime),
		updatedAt: null,
		raw: p,
	};
}
