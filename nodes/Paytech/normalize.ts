import type { IDataObject } from 'n8n-workflow';

import {
	decimalText,
	statusText,
	utcTimestamp,
	type NormalizedStatus,
	type NormalizedTransaction,
	type NormalizedType,
} from '../common/normalize';

const STATUS: Record<string, NormalizedStatus> = {
	CHECKOUT: 'requires_action',
	PENDING: 'pending',
	AWAITING_APPROVAL: 'awaiting_approval',
	AUTHORIZED: 'authorized',
	COMPLETED: 'succeeded',
	DECLINED: 'failed',
	CANCELLED: 'canceled',
};

const TYPE: Record<string, NormalizedType> = {
	DEPOSIT: 'deposit',
	WITHDRAWAL: 'withdrawal',
	REFUND: 'refund',
	CHARGEBACK: 'chargeback',
};

/** A pay.tech payment whose amount the transport or trigger already turned into exact text. */
export function normalizePaytechPayment(payment: IDataObject): NormalizedTransaction {
	return {
		provider: 'paytech',
		id: String(payment.id ?? ''),
		reference: typeof payment.referenceId === 'string' ? payment.referenceId : null,
		type: TYPE[String(payment.paymentType)] ?? 'other',
		status: STATUS[String(payment.state)] ?? 'pending',
		providerStatus: statusText(payment.state),
		amount: decimalText(payment, 'amount'),
		currency: typeof payment.currency === 'string' ? payment.currency : null,
		createdAt: utcTimestamp(payment.created),
		updatedAt: utcTimestamp(payment.updated),
		raw: payment,
	};
}
