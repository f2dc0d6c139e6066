import { DecimalLiteral, type Serializable } from '../common/json';
import { balanceLiteral, formatAmount } from './money';
import { formatIst } from './time';
import type { Customer, LedgerEntry } from './types';

/** A transaction as the seed prints it: string amount, numeric balance and id, IST time. */
export function transactionView(entry: LedgerEntry): Serializable {
	const transaction = entry.transaction;
	return {
		amount: formatAmount(transaction.amount),
		balance: balanceLiteral(entry.balanceAfter),
		transaction_type: transaction.transactionType,
		payment_type: entry.paymentType,
		time: formatIst(transaction.time),
		transaction_id: transaction.transactionId,
		merchant_transaction_id: transaction.merchantTransactionId,
		transaction_status: 'PAYMENT_SUCCESS',
	};
}

export function customerDetailView(customer: Customer): Serializable {
	return {
		customer_id: customer.customerId,
		first_name: customer.firstName,
		last_name: customer.lastName,
		mobile_number: customer.mobileNumber ?? null,
		email_address: customer.email,
		date_of_birth: customer.dateOfBirth ?? null,
		address_line_1: customer.addressLine1 ?? null,
		address_line_2: customer.addressLine2 ?? null,
		city: customer.city ?? null,
		pincode: customer.pincode ?? null,
		description: customer.description ?? null,
	};
}

/** customerstatus is the one answer where the seed prints customer_id as a number. */
export function customerStatusView(customer: Customer): Serializable {
	return {
		customer_id: new DecimalLiteral(customer.customerId),
		customer_active: customer.active ? 'y' : 'n',
	};
}
