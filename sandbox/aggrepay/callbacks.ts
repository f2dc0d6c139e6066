import { stringifyJson } from '../common/json';
import { addressAndUdfFields } from './gateway-serialize';
import { requestHash } from './hash';
import { formatIst } from './time';
import type { GatewayTransaction } from './types';

export type CallbackContentType = 'form' | 'json';

/**
 * The payment result fields the white-label gateway posts to the "Payment Callback URL", every
 * value as text, plus `hash` by the request-hash algorithm over all of them.
 */
export function callbackFields(
	transaction: GatewayTransaction,
	salt: string,
): Record<string, string> {
	const fields: Record<string, string> = {
		transaction_id: transaction.transactionId,
		payment_method: transaction.paymentMethod,
		payment_datetime: formatIst(transaction.paymentDatetime),
		response_code: String(transaction.responseCode),
		response_message: transaction.responseMessage,
		order_id: transaction.orderId,
		amount: transaction.amount,
		currency: transaction.currency,
		description: transaction.description,
		name: transaction.name,
		email: transaction.email,
		phone: transaction.phone,
		...addressAndUdfFields(transaction),
	};
	return { ...fields, hash: requestHash(fields, salt) };
}

export function encodeCallback(
	fields: Record<string, string>,
	type: CallbackContentType,
): { body: string; contentType: string } {
	if (type === 'json') return { body: stringifyJson(fields), contentType: 'application/json' };
	return {
		body: new URLSearchParams(fields).toString(),
		contentType: 'application/x-www-form-urlencoded',
	};
}

/** The `hash` field of a callback body, for the delivery log's `signature`. */
export function hashInBody(body: string): string {
	if (body.startsWith('{')) {
		const parsed = JSON.parse(body) as { hash?: unknown };
		return typeof parsed.hash === 'string' ? parsed.hash : '';
	}
	return new URLSearchParams(body).get('hash') ?? '';
}
