import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { fetchAll } from '../../common/pagination';
import { toNodeError } from '../../common/errors';
import { sendOnce } from '../../common/reconcile';
import { ProviderAnswerError } from '../../common/request';
import { deriveReference } from '../../common/reference';
import { aggrepayRequest, type HashCheck } from '../transport';
import { collectFields, type FieldSpec, type OperationSpec } from './spec';

const email = (required = true): FieldSpec => ({ name: 'email', displayName: 'Email', required, placeholder: 'name@email.com' });
const mobile: FieldSpec = {
	name: 'mobile_number',
	displayName: 'Mobile Number',
	description: 'The customer\'s mobile number; AggrePay needs it or the customer ID where both are accepted',
};
const customerId = (name = 'customer_id', displayName = 'Customer ID'): FieldSpec => ({ name, displayName, required: true });
const amount: FieldSpec = { name: 'amount', displayName: 'Amount', kind: 'amount', required: true };
const mpin = (name = 'mpin', displayName = 'MPIN'): FieldSpec => ({ name, displayName, kind: 'secret', required: true, description: "The customer's 4-digit wallet PIN; never shown in output" });
const otp: FieldSpec = { name: 'otp', displayName: 'OTP', kind: 'secret', required: true, description: 'The latest one-time password the customer received' };
const reference: FieldSpec = {
	name: 'merchant_transaction_id',
	displayName: 'Merchant Transaction ID',
	description:
		'Your unique ID for this transaction. Left empty, one is derived from the workflow, execution, node and item. A transaction whose answer is lost is looked up by it instead of being sent twice.',
};
const description: FieldSpec = { name: 'description', displayName: 'Description' };

export const WALLET_OPERATIONS: OperationSpec[] = [
	{ value: 'checkCustomer', name: 'Check Customer', action: 'Check whether a customer has a wallet', description: 'Whether an email (or mobile number) has a wallet', call: 'wallet/checkcustomer', fields: [email()], optional: [mobile], idempotent: true },
	{ value: 'sendRegistrationOtp', name: 'Send Registration OTP', action: 'Send a registration OTP', description: 'Send the customer an OTP to register a wallet', call: 'wallet/registrationotp', fields: [email()], optional: [mobile], idempotent: false },
	{
		value: 'registerCustomer',
		name: 'Register Customer',
		action: 'Register a customer',
		description: 'Create a wallet with the OTP the customer received',
		call: 'wallet/registercustomer',
		fields: [otp, { name: 'first_name', displayName: 'First Name', required: true }, { name: 'last_name', displayName: 'Last Name', required: true }, mpin()],
		optional: [{ name: 'date_of_birth', displayName: 'Date of Birth', kind: 'date' }, mobile],
		idempotent: false,
	},
	{ value: 'getBalance', name: 'Get Balance', action: 'Get a wallet balance', description: "A customer's wallet balance", call: 'wallet/fetchbalance', fields: [customerId()], optional: [mobile], idempotent: true },
	{
		value: 'credit',
		name: 'Credit',
		action: 'Credit a wallet',
		description: 'Add money to a wallet after a successful gateway payment',
		call: 'wallet/creditwallet',
		fields: [customerId('to_customer_id'), amount, reference, { name: 'pg_transaction_id', displayName: 'Gateway Transaction ID', required: true, description: 'transaction_id of the successful AggrePay gateway payment that funds this credit' }],
		optional: [description, { ...mobile, name: 'to_mobile_number' }],
		idempotent: false,
	},
	{
		value: 'debit',
		name: 'Debit',
		action: 'Debit a wallet',
		description: 'Customer pays the merchant from the wallet',
		call: 'wallet/debitwallet',
		fields: [customerId('from_customer_id'), mpin(), amount, reference],
		optional: [description, { name: 'to_sub_merchant_id', displayName: 'Sub-Merchant ID' }, { ...mobile, name: 'from_mobile_number' }],
		idempotent: false,
	},
	{
		value: 'walletToWallet',
		name: 'Wallet to Wallet',
		action: 'Transfer between wallets',
		description: 'Move money from one customer to another',
		call: 'wallet/wallettowallet',
		fields: [customerId('from_customer_id', 'From Customer ID'), customerId('to_customer_id', 'To Customer ID'), mpin(), amount, reference],
		optional: [description],
		idempotent: false,
	},
	{
		value: 'reverseDebit',
		name: 'Reverse Debit',
		action: 'Reverse a debit',
		description: 'Give a debited amount back to the customer, once',
		call: 'wallet/debitreversal',
		fields: [{ ...reference, required: true, description: 'merchant_transaction_id of the debit to reverse' }],
		optional: [{ name: 'transaction_id', displayName: 'Transaction ID' }, description],
		// AggrePay answers a second reversal with TRANSACTION-ALREADY-REVERSED: repeating changes nothing
		idempotent: true,
	},
	{ value: 'checkCreditLimit', name: 'Check Credit Limit', action: 'Check a credit against the limits', description: 'Whether the customer may receive this amount', call: 'wallet/checkcustomercreditlimit', fields: [customerId(), amount], idempotent: true },
	{ value: 'checkDebitLimit', name: 'Check Debit Limit', action: 'Check a debit against the limits', description: 'Whether the customer may spend this amount', call: 'wallet/checkcustomerdebitlimit', fields: [customerId(), amount], idempotent: true },
	{ value: 'getTransactions', name: 'Get Transactions', action: 'Get wallet transactions', description: "A customer's successful wallet transactions, newest first", call: 'wallet/fetchtransactions', fields: [customerId()], idempotent: true },
	{ value: 'getByMerchantTransactionId', name: 'Get by Merchant Transaction ID', action: 'Get a transaction by merchant transaction ID', description: 'One transaction by your ID', call: 'wallet/fetchbymerchanttransactionid', fields: [{ ...reference, required: true, description: 'Your ID of the transaction' }], idempotent: true },
	{ value: 'getByTransactionId', name: 'Get by Transaction ID', action: 'Get a transaction by AggrePay ID', description: "One transaction by AggrePay's ID", call: 'wallet/fetchbytransactionid', fields: [{ name: 'transaction_id', displayName: 'Transaction ID', required: true }], idempotent: true },
	{ value: 'getCustomer', name: 'Get Customer', action: 'Get customer details', description: "A customer's details", call: 'wallet/fetchcustomerdetail', fields: [customerId()], idempotent: true },
	{
		value: 'updateCustomer',
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
	{
		value: 'customerStatus',
		name: 'Customer Status',
		action: 'Get or set whether a customer is active',
		description: 'Read a customer\'s status, or block or unblock the wallet',
		call: 'wallet/customerstatus',
		fields: [customerId()],
		optional: [{ name: 'customer_active', displayName: 'Active', kind: 'yesNo', description: 'Whether the wallet may be used; leave out to only read the status' }],
		idempotent: true,
	},
	{ value: 'sendCustomerOtp', name: 'Send Customer OTP', action: 'Send a customer an OTP', description: 'Send an OTP to a registered customer (for Forgot MPIN)', call: 'wallet/customerotp', fields: [customerId()], idempotent: false },
	{ value: 'forgotMpin', name: 'Forgot MPIN', action: 'Reset an MPIN with an OTP', description: 'Set a new MPIN with the OTP the customer received', call: 'wallet/forgotmpin', fields: [customerId(), otp, mpin('new_mpin', 'New MPIN')], idempotent: false },
	{ value: 'changeMpin', name: 'Change MPIN', action: 'Change an MPIN', description: 'Set a new MPIN with the old one', call: 'wallet/changempin', fields: [customerId(), mpin('old_mpin', 'Old MPIN'), mpin('new_mpin', 'New MPIN')], idempotent: false },
	{
		value: 'addSubMerchant',
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
			{ name: 'ifsc_code', displayName: 'IFSC Code', required: true, placeholder: 'HDFC0000123' },
			{ name: 'bank_name', displayName: 'Bank Name', required: true },
			{ name: 'bank_branch', displayName: 'Bank Branch', required: true },
		],
		idempotent: false,
	},
	{ value: 'getSubMerchants', name: 'Get Sub-Merchants', action: 'Get sub-merchants', description: 'Every sub-merchant of your account', call: 'wallet/getsubmerchants', fields: [], idempotent: true },
];

// The largest page AggrePay accepts is not published; 100 is what the pack asks for.
export const TRANSACTIONS_PAGE_SIZE = 100;

const MONEY_MOVING = new Set(['credit', 'debit', 'walletToWallet']);

/** Runs a wallet operation for item i and returns what goes to the output. */
export async function executeWallet(this: IExecuteFunctions, spec: OperationSpec, i: number, hashCheck: HashCheck): Promise<IDataObject | IDataObject[]> {
	const fields = collectFields.call(this, spec, i);
	const call = (name: string, f: IDataObject, idempotent: boolean) => aggrepayRequest.call(this, name, f, { itemIndex: i, idempotent, hashCheck });

	if (spec.value === 'getTransactions') {
		const returnAll = this.getNodeParameter('returnAll', i) as boolean;
		const limit = returnAll ? undefined : (this.getNodeParameter('limit', i) as number);
		const pageSize = Math.min(TRANSACTIONS_PAGE_SIZE, limit ?? TRANSACTIONS_PAGE_SIZE);
		return await fetchAll<IDataObject, number>({
			key: (t) => String(t.transaction_id),
			limit,
			fetchPage: async (page = 0) => {
				const envelope = await call(spec.call, { ...fields, page_number: page, page_size: pageSize }, true);
				const items = Array.isArray(envelope.data) ? (envelope.data as IDataObject[]) : [];
				const totalPages = Number(envelope.page?.total_pages ?? 0);
				return { items, next: page + 1 < totalPages ? page + 1 : undefined };
			},
		});
	}

	if (MONEY_MOVING.has(spec.value)) {
		fields.merchant_transaction_id = String(fields.merchant_transaction_id ?? '') || deriveReference(this, i);
		const reference = String(fields.merchant_transaction_id);
		const result = await sendOnce(this, {
			send: async () => (await call(spec.call, fields, false)).data as IDataObject,
			lookup: async () => {
				// AggrePay's answer for an unknown reference is not published: any error it answers
				// with means "not there"; network and HTTP failures still fail the item
				const found = await aggrepayRequest
					.call(this, 'wallet/fetchbymerchanttransactionid', { merchant_transaction_id: reference }, { itemIndex: i, idempotent: true, hashCheck })
					.catch((error: unknown) => {
						if (error instanceof ProviderAnswerError) return undefined;
						throw toNodeError(this.getNode(), error, i);
					});
				return found?.data && typeof found.data === 'object' ? (found.data as IDataObject) : undefined;
			},
			provider: 'AggrePay',
			what: `wallet ${spec.name.toLowerCase()}`,
			reference,
			referenceField: 'merchant_transaction_id',
			itemIndex: i,
		});
		return { merchant_transaction_id: reference, ...result };
	}

	const envelope = await call(spec.call, fields, spec.idempotent);
	const data = envelope.data;
	if (Array.isArray(data)) return data as IDataObject[];
	return data !== null && typeof data === 'object' ? (data as IDataObject) : { result: data as IDataObject };
}
