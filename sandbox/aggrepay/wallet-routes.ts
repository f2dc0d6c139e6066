import type { Serializable } from '../common/json';
import type { Router, SandboxReply, SandboxRequest } from '../common/router';
import { authenticate } from './auth';
import type { CustomerBook, CustomerUpdate } from './customers';
import { walletFailure, walletSuccess } from './envelope';
import { FieldError, WalletError } from './errors';
import { FormFields } from './form';
import type { Ledger } from './ledger';
import { checkAmount, formatAmount } from './money';
import type { AggrepayStore } from './store';
import { isCalendarDate } from './time';
import type { Customer } from './types';
import { customerDetailView, customerStatusView, transactionView } from './wallet-serialize';

export const WALLET_BASE = '/api/v1';

export interface WalletContext {
	store: AggrepayStore;
	customers: CustomerBook;
	ledger: Ledger;
	apiKey: string;
	salt: string;
}

interface Answer {
	data: Serializable;
	page?: Serializable;
}

type WalletHandler = (fields: FormFields) => Answer;

/** The 21 wallet paths of the seed, each a form POST answering the `{data,error,page,hash}` envelope. */
export function addWalletRoutes(router: Router, context: WalletContext): void {
	const { customers, ledger, store } = context;
	const add = (path: string, handler: WalletHandler) => {
		router.add('POST', `${WALLET_BASE}/${path}`, (request) => handle(context, request, handler));
	};
	const customer = (
		fields: FormFields,
		idField = 'customer_id',
		mobileField = 'mobile_number',
	): Customer =>
		customers.resolve(
			fields.optional(idField),
			fields.mobile(mobileField),
			idField.replace(/_/g, ' '),
		);

	add('checkcustomer', (fields) => {
		const email = fields.email('email') as string;
		return {
			data: { customer_exists: String(customers.exists(email, fields.mobile('mobile_number'))) },
		};
	});

	add('registrationotp', (fields) => {
		const result = customers.registrationOtp(
			fields.email('email') as string,
			fields.mobile('mobile_number'),
		);
		return { data: { customer_exists: String(result.exists), otp_sent: String(result.sent) } };
	});

	add('registercustomer', (fields) => {
		const otp = fields.required('otp');
		const input = {
			firstName: fields.requiredMax('first_name', 100),
			lastName: fields.requiredMax('last_name', 100),
			mpin: fields.mpin('mpin'),
			dateOfBirth: dateOfBirth(fields),
			mobileNumber: fields.mobile('mobile_number'),
			email: fields.email('email', false),
		};
		if (!/^\d{6}$/.test(otp)) throw new WalletError('INVALID-OTP', 'Invalid OTP');
		return { data: { customer_id: customers.register({ ...input, otp }).customerId } };
	});

	add('fetchbalance', (fields) => {
		const found = customer(fields);
		return { data: { balance: formatAmount(found.balance), customer_id: found.customerId } };
	});

	add('creditwallet', (fields) => {
		const to = customer(fields, 'to_customer_id', 'to_mobile_number');
		const amount = walletAmount(fields);
		const merchantTransactionId = fields.requiredMax('merchant_transaction_id', 100);
		const pgTransactionId = fields.required('pg_transaction_id');
		const description = fields.optionalMax('description', 255);
		ledger.checkUnusedMerchantTransactionId(merchantTransactionId);
		if (store.gatewayTransactions.get(pgTransactionId)?.responseCode !== 0) {
			throw new WalletError('NO-PG-TRANSACTION-RECORD-FOUND', 'Pg transaction record not found.');
		}
		ledger.checkActive(to);
		ledger.checkLimit(to, 'CREDIT', amount);
		const transaction = ledger.record({
			transactionType: 'M2C',
			amount,
			merchantTransactionId,
			description,
			to,
			pgTransactionId,
		});
		return { data: { transaction_id: transaction.transactionId } };
	});

	add('debitwallet', (fields) => {
		const from = customer(fields, 'from_customer_id', 'from_mobile_number');
		const mpin = fields.mpin('mpin');
		const amount = walletAmount(fields);
		const merchantTransactionId = fields.requiredMax('merchant_transaction_id', 100);
		const description = fields.optionalMax('description', 255);
		const subMerchantId = subMerchant(fields, store);
		ledger.checkActive(from);
		customers.checkMpin(from, mpin);
		ledger.checkUnusedMerchantTransactionId(merchantTransactionId);
		ledger.checkLimit(from, 'DEBIT', amount);
		// The seed's debitwallet answers a short balance this way (wallettowallet says INSUFFICIENT-FUND).
		if (from.balance < amount)
			throw new WalletError('INVALID-INPUT-DATA', 'Not enough balance in the account');
		const transaction = ledger.record({
			transactionType: 'C2M',
			amount,
			merchantTransactionId,
			description,
			from,
			subMerchantId,
		});
		return { data: { transaction_id: transaction.transactionId } };
	});

	add('wallettowallet', (fields) => {
		const from = customers.get(fields.required('from_customer_id'));
		const to = customers.get(fields.required('to_customer_id'));
		const mpin = fields.mpin('mpin');
		const amount = walletAmount(fields);
		const merchantTransactionId = fields.requiredMax('merchant_transaction_id', 100);
		const description = fields.optionalMax('description', 255);
		if (from === to)
			throw new WalletError('INVALID-INPUT-DATA', 'Cannot transfer to the same wallet');
		ledger.checkActive(from);
		ledger.checkActive(to);
		customers.checkMpin(from, mpin);
		ledger.checkUnusedMerchantTransactionId(merchantTransactionId);
		ledger.checkLimit(from, 'DEBIT', amount);
		ledger.checkLimit(to, 'CREDIT', amount);
		if (from.balance < amount) throw new WalletError('INSUFFICIENT-FUND', 'Insufficient Fund');
		const transaction = ledger.record({
			transactionType: 'C2C',
			amount,
			merchantTransactionId,
			description,
			from,
			to,
		});
		return { data: { transaction_id: transaction.transactionId } };
	});

	add('debitreversal', (fields) => {
		const merchantTransactionId = fields.required('merchant_transaction_id');
		const transactionId = fields.has('transaction_id')
			? numericId(fields, 'transaction_id')
			: undefined;
		const reversal = ledger.reverse(
			merchantTransactionId,
			transactionId,
			fields.optionalMax('description', 255),
		);
		return {
			data: {
				merchant_transaction_id: reversal.merchantTransactionId,
				transaction_id: reversal.transactionId,
			},
		};
	});

	add('checkcustomercreditlimit', (fields) => {
		const found = customer(fields);
		ledger.checkLimit(found, 'CREDIT', walletAmount(fields));
		return { data: true };
	});

	add('checkcustomerdebitlimit', (fields) => {
		const found = customer(fields);
		ledger.checkLimit(found, 'DEBIT', walletAmount(fields));
		return { data: true };
	});

	add('fetchtransactions', (fields) => {
		const found = customer(fields);
		const pageNumber = fields.integer('page_number', 0);
		const pageSize = fields.integer('page_size', 1);
		const { entries, total } = ledger.page(found, pageNumber, pageSize);
		return {
			// The seed answers data null (not []) when there is nothing to list.
			data: entries.length > 0 ? entries.map(transactionView) : null,
			page: {
				page_size: pageSize,
				page_number: pageNumber,
				total_pages: Math.ceil(total / pageSize),
				total_elements: total,
			},
		};
	});

	add('fetchbymerchanttransactionid', (fields) => {
		const transaction = store.byMerchantTransactionId.get(
			fields.required('merchant_transaction_id'),
		);
		if (!transaction)
			throw new WalletError('INVALID-PARAMS', 'The selected merchant transaction id is invalid.');
		return { data: transactionView(ledger.entryOf(transaction)) };
	});

	add('fetchbytransactionid', (fields) => {
		const transaction = store.transactions.get(numericId(fields, 'transaction_id'));
		if (!transaction)
			throw new WalletError('INVALID-PARAMS', 'The selected transaction id is invalid.');
		return { data: transactionView(ledger.entryOf(transaction)) };
	});

	add('fetchcustomerdetail', (fields) => ({ data: customerDetailView(customer(fields)) }));

	add('updatecustomer', (fields) => {
		const found = customer(fields);
		const changes: CustomerUpdate = {
			firstName: fields.optionalMax('first_name', 100),
			lastName: fields.optionalMax('last_name', 100),
			email: fields.email('email_address', false),
			dateOfBirth: dateOfBirth(fields),
			addressLine1: fields.optionalMax('address_line_1', 255),
			addressLine2: fields.optionalMax('address_line_2', 255),
			city: fields.optionalMax('city', 100),
			pincode: pincode(fields),
			description: fields.optionalMax('description', 255),
		};
		if (Object.values(changes).every((value) => value === undefined)) {
			throw new FieldError('At least one field to update is required.');
		}
		customers.update(found, changes);
		return { data: { updated: 'true' } };
	});

	add('customerstatus', (fields) => {
		const found = customer(fields);
		const active = fields.optional('customer_active')?.toLowerCase();
		if (active !== undefined && active !== 'y' && active !== 'n') {
			throw new FieldError('The selected customer active is invalid.');
		}
		if (active !== undefined) found.active = active === 'y';
		return { data: customerStatusView(found) };
	});

	add('customerotp', (fields) => {
		customers.customerOtp(customer(fields));
		return { data: { customer_exists: 'true', otp_sent: 'true' } };
	});

	add('forgotmpin', (fields) => {
		const found = customer(fields);
		const otp = fields.required('otp');
		customers.forgotMpin(found, otp, fields.mpin('new_mpin'));
		return { data: { mpin_updated: 'true' } };
	});

	add('changempin', (fields) => {
		const found = customer(fields);
		const oldMpin = fields.required('old_mpin');
		customers.changeMpin(found, oldMpin, fields.mpin('new_mpin'));
		return { data: { mpin_updated: 'true' } };
	});

	add('addsubmerchant', (fields) => {
		const mobileNumber = fields.mobile('mobile_number');
		if (mobileNumber === undefined) throw new FieldError('The mobile number field is required.');
		const ifscCode = fields.required('ifsc_code').toUpperCase();
		const subMerchant = {
			id: store.subMerchants.length + 1,
			mobileNumber,
			email: fields.email('email') as string,
			name: fields.requiredMax('name', 100),
			accountNumber: fields.requiredMax('account_number', 34),
			accountName: fields.requiredMax('account_name', 100),
			ifscCode,
			bankName: fields.requiredMax('bank_name', 100),
			bankBranch: fields.requiredMax('bank_branch', 100),
		};
		if (!/^[A-Z]{4}0[A-Z0-9]{6}$/.test(ifscCode))
			throw new FieldError('The ifsc code format is invalid.');
		store.subMerchants.push(subMerchant);
		return { data: { sub_merchant_id: subMerchant.id } };
	});

	add('getsubmerchants', () => {
		if (store.subMerchants.length === 0) throw noSubMerchant();
		return { data: store.subMerchants.map((found) => ({ id: found.id, name: found.name })) };
	});
}

function handle(
	context: WalletContext,
	request: SandboxRequest,
	handler: WalletHandler,
): SandboxReply {
	const auth = authenticate(request, context.apiKey, context.salt);
	if (!auth.ok) {
		const code =
			auth.problem === 'unauthorized'
				? 'UNAUTHORIZED'
				: auth.problem === 'hash-mismatch'
					? 'HASH-MISMATCH'
					: 'INVALID-PARAMS';
		return walletFailure(code, auth.message);
	}
	try {
		const answer = handler(new FormFields(auth.fields));
		return walletSuccess(context.salt, answer.data, answer.page ?? null);
	} catch (error) {
		if (error instanceof WalletError) return walletFailure(error.code, error.message);
		if (error instanceof FieldError) return walletFailure('INVALID-PARAMS', error.message);
		throw error;
	}
}

/** Format problems are parameter errors; too many decimals or a non-positive value are bad data. */
function walletAmount(fields: FormFields): bigint {
	const checked = checkAmount(fields.required('amount'));
	if (checked.ok) return checked.units;
	if (checked.problem === 'format') throw new FieldError('The amount must be a number.');
	if (checked.problem === 'precision') {
		throw new WalletError(
			'INVALID-INPUT-DATA',
			'The amount may not have more than 2 decimal places.',
		);
	}
	throw new WalletError('INVALID-INPUT-DATA', 'The amount must be greater than 0.');
}

function numericId(fields: FormFields, name: string): number {
	const text = fields.required(name);
	if (!/^\d{1,15}$/.test(text))
		throw new WalletError('INVALID-PARAMS', `The selected ${name.replace(/_/g, ' ')} is invalid.`);
	return Number(text);
}

function subMerchant(fields: FormFields, store: AggrepayStore): number | undefined {
	const text = fields.optional('to_sub_merchant_id');
	if (text === undefined) return undefined;
	const id = /^\d+$/.test(text) ? Number(text) : NaN;
	if (!store.subMerchants.some((found) => found.id === id)) throw noSubMerchant();
	return id;
}

function noSubMerchant(): WalletError {
	return new WalletError('NO-SUB-MERCHANT-RECORD', 'Sub merchant details not found.');
}

function dateOfBirth(fields: FormFields): string | undefined {
	const value = fields.optional('date_of_birth');
	if (value !== undefined && !isCalendarDate(value))
		throw new FieldError('The date of birth does not match the format Y-m-d.');
	return value;
}

function pincode(fields: FormFields): string | undefined {
	const value = fields.optional('pincode');
	if (value !== undefined && !/^\d{6}$/.test(value))
		throw new FieldError('The pincode must be 6 digits.');
	return value;
}
