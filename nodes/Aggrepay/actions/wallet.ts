import { DERIVED_REFERENCE_HINT } from '../../common/reference';
import { normalizeAggrepayWalletTransaction } from '../normalize';
import { type FieldSpec, type OperationSpec, resourceFromSpecs } from './spec';

// The largest page AggrePay accepts is not published; 100 is what the pack asks for.
export const TRANSACTIONS_PAGE_SIZE = 100;

// The merchant reference of wallet transactions, and the call that finds one by it
const SENT_ONCE = {
	reference: 'merchant_transaction_id',
	lookup: 'wallet/fetchbymerchanttransactionid',
};

const email = (required = true): FieldSpec => ({
	name: 'email',
	displayName: 'Email',
	required,
	placeholder: 'name@email.com',
});
const mobile: FieldSpec = {
	name: 'mobile_number',
	displayName: 'Mobile Number',
	description:
		"The customer's mobile number; AggrePay needs it or the customer ID where both are accepted",
};
const customerId = (name = 'customer_id', displayName = 'Customer ID'): FieldSpec => ({
	name,
	displayName,
	required: true,
});
const amount: FieldSpec = { name: 'amount', displayName: 'Amount', kind: 'amount', required: true };
const mpin = (name = 'mpin', displayName = 'MPIN'): FieldSpec => ({
	name,
	displayName,
	kind: 'secret',
	required: true,
	description: "The customer's 4-digit wallet PIN; never shown in output",
});
const otp: FieldSpec = {
	name: 'otp',
	displayName: 'OTP',
	kind: 'secret',
	required: true,
	description: 'The latest one-time password the customer received',
};
const reference: FieldSpec = {
	name: 'merchant_transaction_id',
	displayName: 'Merchant Transaction ID',
	description: `Your unique ID for this transaction. ${DERIVED_REFERENCE_HINT} A transaction whose answer is lost is looked up by it instead of being sent twice.`,
};
const description: FieldSpec = { name: 'description', displayName: 'Description' };

const WALLET_OPERATIONS = {
	checkCustomer: {
		name: 'Check Customer',
		action: 'Check a customer has a wallet',
		description: 'Whether an email (or mobile number) has a wallet',
		call: 'wallet/checkcustomer',
		fields: [email()],
		optional: [mobile],
		idempotent: true,
	},
	sendRegistrationOtp: {
		name: 'Send Registration OTP',
		action: 'Send a registration OTP',
		description: 'Send the customer an OTP to register a wallet',
		call: 'wallet/registrationotp',
		fields: [email()],
		optional: [mobile],
		idempotent: false,
	},
	registerCustomer: {
		name: 'Register Customer',
		action: 'Register a customer',
		description: 'Create a wallet with the OTP the customer received',
		call: 'wallet/registercustomer',
		fields: [
			otp,
			{ name: 'first_name', displayName: 'First Name', required: true },
			{ name: 'last_name', displayName: 'Last Name', required: true },
			mpin(),
		],
		optional: [{ name: 'date_of_birth', displayName: 'Date of Birth', kind: 'date' }, mobile],
		idempotent: false,
	},
	getBalance: {
		name: 'Get Balance',
		action: 'Get a wallet balance',
		description: "A customer's wallet balance",
		call: 'wallet/fetchbalance',
		fields: [customerId()],
		optional: [mobile],
		idempotent: true,
	},
	credit: {
		name: 'Credit',
		action: 'Credit a wallet',
		description: 'Add money to a wallet after a successful gateway payment',
		call: 'wallet/creditwallet',
		movesMoney: SENT_ONCE,
		fields: [
			customerId('to_customer_id'),
			amount,
			reference,
			{
				name: 'pg_transaction_id',
				displayName: 'Gateway Transaction ID',
				required: true,
				description:
					'transaction_id of the successful AggrePay gateway payment that funds this credit',
			},
		],
		optional: [description, { ...mobile, name: 'to_mobile_number' }],
		idempotent: false,
	},
	debit: {
		name: 'Debit',
		action: 'Debit a wallet',
		description: 'Customer pays the merchant from the wallet',
		call: 'wallet/debitwallet',
		movesMoney: SENT_ONCE,
		fields: [customerId('from_customer_id'), mpin(), amount, reference],
		optional: [
			description,
			{ name: 'to_sub_merchant_id', displayName: 'Sub-Merchant ID' },
			{ ...mobile, name: 'from_mobile_number' },
		],
		idempotent: false,
	},
	walletToWallet: {
		name: 'Wallet to Wallet',
		action: 'Wallet to wallet transfer',
		description: 'Move money from one customer to another',
		call: 'wallet/wallettowallet',
		movesMoney: SENT_ONCE,
		fields: [
			customerId('from_customer_id', 'From Customer ID'),
			customerId('to_customer_id', 'To Customer ID'),
			mpin(),
			amount,
			reference,
		],
		optional: [description],
		idempotent: false,
	},
	reverseDebit: {
		name: 'Reverse Debit',
		action: 'Reverse a debit',
		description: 'Give a debited amount back to the customer, once',
		call: 'wallet/debitreversal',
		fields: [
			{
				...reference,
				required: true,
				description: 'merchant_transaction_id of the debit to reverse',
			},
		],
		optional: [{ name: 'transaction_id', displayName: 'Transaction ID' }, description],
		// AggrePay answers a second reversal with TRANSACTION-ALREADY-REVERSED: repeating changes nothing
		idempotent: true,
	},
	checkCreditLimit: {
		name: 'Check Credit Limit',
		action: 'Check a credit against the limits',
		description: 'Whether the customer may receive this amount',
		call: 'wallet/checkcustomercreditlimit',
		fields: [customerId(), amount],
		idempotent: true,
	},
	checkDebitLimit: {
		name: 'Check Debit Limit',
		action: 'Check a debit against the limits',
		description: 'Whether the customer may spend this amount',
		call: 'wallet/checkcustomerdebitlimit',
		fields: [customerId(), amount],
		idempotent: true,
	},
	getTransactions: {
		name: 'Get Transactions',
		action: 'Get wallet transactions',
		description: "A customer's successful wallet transactions, newest first",
		call: 'wallet/fetchtransactions',
		fields: [customerId()],
		idempotent: true,
		list: {
			firstPage: 0,
			pageSizeField: 'page_size',
			pageSize: TRANSACTIONS_PAGE_SIZE,
			pages: (envelope) => Number(envelope.page?.total_pages ?? 0),
			size: (envelope) => String(envelope.page?.total_elements),
		},
		normalize: normalizeAggrepayWalletTransaction,
	},
	getByMerchantTransactionId: {
		name: 'Get by Merchant Transaction ID',
		action: 'Get a wallet transaction by merchant transaction ID',
		description: 'One transaction by your ID',
		call: 'wallet/fetchbymerchanttransactionid',
		fields: [{ ...reference, required: true, description: 'Your ID of the transaction' }],
		idempotent: true,
	},
	getByTransactionId: {
		name: 'Get by Transaction ID',
		action: 'Get a wallet transaction by transaction ID',
		description: "One transaction by AggrePay's ID",
		call: 'wallet/fetchbytransactionid',
		fields: [{ name: 'transaction_id', displayName: 'Transaction ID', required: true }],
		idempotent: true,
	},
	getCustomer: {
		name: 'Get Customer',
		action: 'Get customer details',
		description: "A customer's details",
		call: 'wallet/fetchcustomerdetail',
		fields: [customerId()],
		idempotent: true,
	},
	updateCustomer: {
		name: 'Update Customer',
		action: 'Update a customer',
		description: "Change a customer's details",
		call: 'wallet/updatecustomer',
		fields: [customerId()],
		optional: [
			{ name: 'address_line_1', displayName: 'Address Line 1' },
			{ name: 'address_line_2', displayName: 'Address Line 2' },
			{ name: 'city', displayName: 'City' },
			{ name: 'date_of_birth', displayName: 'Date of Birth', kind: 'date' },
			description,
			{ name: 'email_address', displayName: 'Email', placeholder: 'name@email.com' },
			{ name: 'first_name', displayName: 'First Name' },
			{ name: 'last_name', displayName: 'Last Name' },
			{ name: 'pincode', displayName: 'PIN Code' },
		],
		idempotent: true,
	},
	customerStatus: {
		name: 'Customer Status',
		action: 'Customer status: get, block or unblock a wallet',
		description: "Read a customer's status, or block or unblock the wallet",
		call: 'wallet/customerstatus',
		fields: [customerId()],
		optional: [
			{
				name: 'customer_active',
				displayName: 'Active',
				kind: 'yesNo',
				description: 'Whether the wallet may be used; leave out to only read the status',
			},
		],
		idempotent: true,
	},
	sendCustomerOtp: {
		name: 'Send Customer OTP',
		action: 'Send a customer an OTP',
		description: 'Send an OTP to a registered customer (for Forgot MPIN)',
		call: 'wallet/customerotp',
		fields: [customerId()],
		idempotent: false,
	},
	forgotMpin: {
		name: 'Forgot MPIN',
		action: 'Fix a forgotten MPIN with an OTP',
		description: 'Set a new MPIN with the OTP the customer received',
		call: 'wallet/forgotmpin',
		fields: [customerId(), otp, mpin('new_mpin', 'New MPIN')],
		idempotent: false,
	},
	changeMpin: {
		name: 'Change MPIN',
		action: 'Change an MPIN',
		description: 'Set a new MPIN with the old one',
		call: 'wallet/changempin',
		fields: [customerId(), mpin('old_mpin', 'Old MPIN'), mpin('new_mpin', 'New MPIN')],
		idempotent: false,
	},
	addSubMerchant: {
		name: 'Add Sub-Merchant',
		action: 'Add a sub-merchant',
		description: 'Register a sub-merchant that can receive wallet payments',
		call: 'wallet/addsubmerchant',
		fields: [
			{ name: 'name', displayName: 'Name', required: true },
			email(),
			{ ...mobile, required: true },
			{ name: 'account_number', displayName: 'Account Number', required: true },
			{ name: 'account_name', displayName: 'Account Name', required: true },
			{
				name: 'ifsc_code',
				displayName: 'IFSC Code',
				required: true,
				placeholder: 'e.g. HDFC0000123',
			},
			{ name: 'bank_name', displayName: 'Bank Name', required: true },
			{ name: 'bank_branch', displayName: 'Bank Branch', required: true },
		],
		idempotent: false,
	},
	getSubMerchants: {
		name: 'Get Sub-Merchants',
		action: 'Get sub-merchants',
		description: 'Every sub-merchant of your account',
		call: 'wallet/getsubmerchants',
		fields: [],
		idempotent: true,
	},
} satisfies Record<string, OperationSpec>;

export const wallet = resourceFromSpecs({
	value: 'wallet',
	name: 'Wallet',
	specs: WALLET_OPERATIONS,
	default: 'getBalance',
});
