export interface Customer {
	/** Nine digits as text: the seed answers "customer_id": "784334610". */
	customerId: string;
	email: string;
	mobileNumber?: string;
	firstName: string;
	lastName: string;
	dateOfBirth?: string;
	addressLine1?: string;
	addressLine2?: string;
	city?: string;
	pincode?: string;
	description?: string;
	mpin: string;
	active: boolean;
	/** Scaled units (sandbox/common/decimal). */
	balance: bigint;
}

/** C2C wallet to wallet, C2M customer pays merchant, M2C merchant loads the wallet (credit, reversal). */
export type TransactionType = 'C2C' | 'C2M' | 'M2C';
export type PaymentType = 'DEBIT' | 'CREDIT';

export interface WalletTransaction {
	/** Nine digits, a JSON number in answers like the seed's. */
	transactionId: number;
	merchantTransactionId: string | null;
	transactionType: TransactionType;
	amount: bigint;
	time: Date;
	description?: string;
	fromCustomerId?: string;
	toCustomerId?: string;
	subMerchantId?: number;
	pgTransactionId?: string;
	/** Set on a debit once reversed: the reversal's transaction id. */
	reversedBy?: number;
	/** Set on a reversal: the debit it undid. */
	reverses?: number;
}

/** One side of a transaction as one customer sees it. */
export interface LedgerEntry {
	customerId: string;
	transaction: WalletTransaction;
	paymentType: PaymentType;
	balanceAfter: bigint;
}

export interface SubMerchant {
	id: number;
	name: string;
	mobileNumber: string;
	email: string;
	accountNumber: string;
	accountName: string;
	ifscCode: string;
	bankName: string;
	bankBranch: string;
}

/** What the payer entered on the payment request; '' when not given. */
export interface PayerDetails {
	name: string;
	email: string;
	phone: string;
	addressLine1: string;
	addressLine2: string;
	city: string;
	state: string;
	country: string;
	zipCode: string;
	udf1: string;
	udf2: string;
	udf3: string;
	udf4: string;
	udf5: string;
}

export type PaymentRequestState = 'OPEN' | 'EXPIRED' | 'COMPLETED';

export interface PaymentRequest extends PayerDetails {
	uuid: string;
	orderId: string;
	mode: 'TEST' | 'LIVE';
	/** Two-decimal text ("10.00"). */
	amount: string;
	currency: string;
	description: string;
	returnUrl: string;
	returnUrlFailure: string;
	returnUrlCancel: string;
	paymentOptions: string;
	createdAt: Date;
	expiresAt: Date;
	/** `state` is the payer's address state. */
	status: PaymentRequestState;
	transactionId?: string;
}

export interface GatewayRefund {
	refundId: number;
	refundReferenceNo: string;
	merchantRefundId: string;
	merchantOrderId: string;
	/** Two-decimal text. */
	amount: string;
	description: string;
	status: string;
	createdAt: Date;
}

export interface GatewayTransaction extends PayerDetails {
	transactionId: string;
	uuid: string;
	orderId: string;
	mode: 'TEST' | 'LIVE';
	amount: string;
	currency: string;
	description: string;
	paymentMethod: string;
	paymentMode: string;
	paymentChannel: string;
	paymentDatetime: Date;
	/** 0 success, 1000 failed, or another published response code. */
	responseCode: number;
	responseMessage: string;
	refunds: GatewayRefund[];
	/** The callback exactly as first built, so redeliveries send identical bytes. */
	callback?: { body: string; contentType: string };
}

export const RESPONSE_MESSAGES: Record<number, string> = {
	0: 'SUCCESS',
	1000: 'FAILED',
	1006: 'WAITING-BANK-RESPONSE',
	1023: 'HASH-MISMATCH',
	1028: 'TRANSACTION-NOT-FOUND',
	1030: 'TRANSACTION-INCOMPLETE',
	1043: 'TRANSACTION-CANCELLED',
	1088: 'TRANSACTION-IN-PROCESS',
	9999: 'UNKNOWN-ERROR',
};
