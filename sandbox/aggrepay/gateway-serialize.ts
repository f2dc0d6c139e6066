import type { Serializable } from '../common/json';
import { formatIst } from './time';
import type { GatewayRefund, GatewayTransaction } from './types';

export function refundView(refund: GatewayRefund): Serializable {
	return {
		refund_id: refund.refundId,
		refund_reference_no: refund.refundReferenceNo,
		merchant_refund_id: refund.merchantRefundId,
		refund_amount: refund.amount,
		refund_status: refund.status,
		date: formatIst(refund.createdAt),
	};
}

/** The payer's address and the merchant's udf1..udf5, as both the callback and payment status carry them. */
export function addressAndUdfFields(transaction: GatewayTransaction): Record<string, string> {
	return {
		address_line_1: transaction.addressLine1,
		address_line_2: transaction.addressLine2,
		city: transaction.city,
		state: transaction.state,
		country: transaction.country,
		zip_code: transaction.zipCode,
		udf1: transaction.udf1,
		udf2: transaction.udf2,
		udf3: transaction.udf3,
		udf4: transaction.udf4,
		udf5: transaction.udf5,
	};
}

/** One row of /v2/paymentstatus. */
export function paymentStatusView(transaction: GatewayTransaction): Serializable {
	return {
		transaction_id: transaction.transactionId,
		bank_code: transaction.paymentChannel,
		payment_mode: transaction.paymentMode,
		payment_channel: transaction.paymentChannel,
		payment_datetime: formatIst(transaction.paymentDatetime),
		response_code: transaction.responseCode,
		response_message: transaction.responseMessage,
		order_id: transaction.orderId,
		amount: transaction.amount,
		currency: transaction.currency,
		description: transaction.description,
		customer_name: transaction.name,
		customer_phone: transaction.phone,
		customer_email: transaction.email,
		...addressAndUdfFields(transaction),
		refund_details: transaction.refunds.map(refundView),
	};
}
