import type { IDataObject } from 'n8n-workflow';

import { numberText } from '../common/json';
import { numberToPlainText } from '../common/money';
import { utcTimestamp, type NormalizedStatus, type NormalizedTransaction, type NormalizedType } from '../common/normalize';

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

export function normalizePaytechPayment(payment: IDataObject): NormalizedTransaction {
	const amount = payment.amount;
	return {
		provider: 'paytech',
		id: String(payment.id ?? ''),
		reference: typeof payment.referenceId === 'string' ? payment.referenceId : null,
		type: TYPE[String(payment.paymentType)] ?? 'other',
		status: STATUS[String(payment.state)] ?? 'pending',
		amount: typeof amount === 'number' ? (numberText(payment, 'amount') ?? numberToPlainText(amount)) : typeof amount === 'string' ? amount : null,
		currency: typeof payment.currency === 'string' ? payment.currency : null,
		createdAt: utcTimestamp(payment.created),
		updatedAt: utcTimestamp(payment.updated),
		raw: payment,
	};
}
