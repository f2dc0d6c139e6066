import { createHash } from 'node:crypto';

import {
	type AggrepaySandbox,
	type AggrepaySandboxOptions,
	requestHash,
	startAggrepaySandbox,
} from '../../sandbox/aggrepay';
import { hashedJsonBody } from '../../sandbox/aggrepay/hash';
import { DEMO_PAYMENT_LINK } from '../../tools/n8n/demo-data';
import { type Receiver, startReceiver } from './webhook-receiver';

interface Answer {
	status: number;
	text: string;
	json: {
		data?: unknown;
		error?: { code: string | number; message: string } | null;
		page?: unknown;
		hash?: string | null;
	};
}

const open: Array<{ close(): Promise<void> }> = [];

afterEach(async () => {
	await Promise.all(open.splice(0).map((item) => item.close()));
});

async function sandbox(options: AggrepaySandboxOptions = {}): Promise<AggrepaySandbox> {
	const started = await startAggrepaySandbox({ port: 0, ...options });
	open.push(started);
	return started;
}

/** A callback endpoint answering the given statuses in turn, then 200. */
async function receiver(statuses: number[] = []): Promise<Receiver> {
	const started = await startReceiver(statuses, '/callback');
	open.push(started);
	return started;
}

function signedBody(sb: AggrepaySandbox, fields: Record<string, string>, salt = sb.salt): string {
	const all = { api_key: sb.apiKey, ...fields };
	return new URLSearchParams({ ...all, hash: requestHash(all, salt) }).toString();
}

async function post(
	sb: AggrepaySandbox,
	path: string,
	body: string,
	headers: Record<string, string> = {},
): Promise<Answer> {
	const response = await fetch(`${sb.url}${path}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
		body,
	});
	const text = await response.text();
	let json: Answer['json'] = {};
	try {
		json = JSON.parse(text) as Answer['json'];
	} catch {
		// malformed-fault tests read `text`
	}
	return { status: response.status, text, json };
}

const wallet = (
	sb: AggrepaySandbox,
	path: string,
	fields: Record<string, string>,
	headers?: Record<string, string>,
) => post(sb, `/api/v1/${path}`, signedBody(sb, fields), headers);
const gateway = (sb: AggrepaySandbox, path: string, fields: Record<string, string>) =>
	post(sb, `/v2/${path}`, signedBody(sb, fields));

/** An independent PHP json_encode (default flags) of a decoded value. */
function phpEncode(value: unknown): string {
	if (value === null) return 'null';
	if (typeof value === 'string') {
		let out = '"';
		for (let index = 0; index < value.length; index++) {
			const code = value.charCodeAt(index);
			const char = value[index];
			if (char === '"' || char === '\\' || char === '/') out += `\\${char}`;
			else if (char === '\n') out += '\\n';
			else if (code < 0x20 || code > 0x7f) out += `\\u${code.toString(16).padStart(4, '0')}`;
			else out += char;
		}
		return `${out}"`;
	}
	if (Array.isArray(value)) return `[${value.map(phpEncode).join(',')}]`;
	if (typeof value === 'object') {
		return `{${Object.entries(value as Record<string, unknown>)
			.map(([key, member]) => `${phpEncode(key)}:${phpEncode(member)}`)
			.join(',')}}`;
	}
	return String(value);
}

function sha512Upper(text: string): string {
	return createHash('sha512').update(text, 'utf8').digest('hex').toUpperCase();
}

/** The seed's responseHashCheck: decode, drop hash, re-encode PHP-style, salt-prefixed SHA-512. */
function responseHashOk(answer: Answer, salt: string): boolean {
	const { hash, ...rest } = answer.json;
	return typeof hash === 'string' && hash === sha512Upper(salt + phpEncode(rest));
}

function payer(orderId: string, extra: Record<string, string> = {}): Record<string, string> {
	return {
		order_id: orderId,
		mode: 'TEST',
		amount: '2500.00',
		currency: 'INR',
		...DEMO_PAYMENT_LINK,
		...extra,
	};
}

/** A paid gateway transaction id, usable as pg_transaction_id. */
async function paidPgTransaction(
	sb: AggrepaySandbox,
	orderId: string,
	amount = '2500.00',
): Promise<string> {
	const link = await gateway(sb, 'getpaymentrequesturl', payer(orderId, { amount }));
	expect(link.json.error ?? null).toBeNull();
	return (await sb.completePayment(orderId)).transactionId;
}

describe('hashes', () => {
	it('matches the provider file vectors', () => {
		expect(
			requestHash({ api_key: 'test_api_key', email: 'a@b.com', mobile_number: '' }, 'TEST_SALT'),
		).toBe(
			'30956DC96CA587B65C99BA5001C5E7521416781357126E8E7C50CF313CB3FA810131970F2D9FFC6A42F6F08A0E45E2B6BC74AE26629962D00201BEE55016FEB8',
		);
		const responseVector =
			'5298119113CD3580EF7BEFDCD6C893E71B380D140E3ABAD4A8F6246BE208A7B5D41F418BD985736478D403F361A94A1BBFEDCFF7C9376162876360ABF9499722';
		expect(
			sha512Upper('TEST_SALT{"data":{"customer_exists":"true"},"error":null,"page":null}'),
		).toBe(responseVector);
		expect(
			hashedJsonBody({ data: { customer_exists: 'true' }, error: null, page: null }, 'TEST_SALT'),
		).toBe(
			`{"data":{"customer_exists":"true"},"error":null,"page":null,"hash":"${responseVector}"}`,
		);
	});

	it('rejects a wrong api_key, a wrong hash and a JSON body with HTTP 200 error envelopes', async () => {
		const sb = await sandbox();
		const badKey = await post(
			sb,
			'/api/v1/checkcustomer',
			new URLSearchParams({ api_key: 'nope', email: 'a@b.com', hash: 'x' }).toString(),
		);
		expect(badKey.status).toBe(200);
		expect(badKey.json).toEqual({
			data: null,
			error: { code: 'UNAUTHORIZED', message: 'Unauthorized' },
			page: null,
			hash: null,
		});
		const badHash = await post(
			sb,
			'/api/v1/checkcustomer',
			signedBody(sb, { email: 'a@b.com' }, 'wrong_salt'),
		);
		expect(badHash.json.error).toEqual({ code: 'HASH-MISMATCH', message: 'Hash Mismatch' });
		const asJson = await post(sb, '/api/v1/checkcustomer', JSON.stringify({ api_key: sb.apiKey }), {
			'Content-Type': 'application/json',
		});
		expect(asJson.json.error?.code).toBe('INVALID-PARAMS');
		const gatewayHash = await post(sb, '/v2/paymentstatus', signedBody(sb, {}, 'wrong_salt'));
		expect(gatewayHash.json.error).toEqual({ code: 1023, message: 'HASH-MISMATCH' });
	});
});

describe('customers', () => {
	it('registers a customer through the OTP flow; an OTP is single use', async () => {
		const sb = await sandbox();
		const check = await wallet(sb, 'checkcustomer', { email: 'ravi@example.com' });
		expect(check.json.data).toEqual({ customer_exists: 'false' });
		expect(responseHashOk(check, sb.salt)).toBe(true);

		const sent = await wallet(sb, 'registrationotp', {
			email: 'ravi@example.com',
			mobile_number: '9812345678',
		});
		expect(sent.json.data).toEqual({ customer_exists: 'false', otp_sent: 'true' });
		const otp = sb.lastOtp('ravi@example.com') as string;
		expect(otp).toMatch(/^\d{6}$/);
		const lookup = (await (await fetch(`${sb.url}/__sandbox/otp?to=9812345678`)).json()) as {
			otp: string;
		};
		expect(lookup.otp).toBe(otp);

		const fields = {
			first_name: 'Ravi',
			last_name: 'K',
			mpin: '1234',
			mobile_number: '9812345678',
		};
		const wrong = await wallet(sb, 'registercustomer', {
			...fields,
			otp: otp === '000000' ? '111111' : '000000',
		});
		expect(wrong.json.error).toEqual({ code: 'INVALID-OTP', message: 'Invalid OTP' });
		const registered = await wallet(sb, 'registercustomer', { ...fields, otp });
		const customerId = (registered.json.data as { customer_id: string }).customer_id;
		expect(customerId).toMatch(/^\d{9}$/);
		expect((await wallet(sb, 'registercustomer', { ...fields, otp })).json.error?.code).toBe(
			'INVALID-OTP',
		);
		expect((await wallet(sb, 'checkcustomer', { email: 'ravi@example.com' })).json.data).toEqual({
			customer_exists: 'true',
		});
		expect((await wallet(sb, 'registrationotp', { email: 'ravi@example.com' })).json.data).toEqual({
			customer_exists: 'true',
			otp_sent: 'false',
		});

		// Forgot MPIN: customerotp, then the latest OTP once.
		await wallet(sb, 'customerotp', { customer_id: customerId });
		const resetOtp = sb.lastOtp(customerId) as string;
		expect(
			(await wallet(sb, 'forgotmpin', { customer_id: customerId, otp: resetOtp, new_mpin: '4321' }))
				.json.data,
		).toEqual({
			mpin_updated: 'true',
		});
		expect(
			(await wallet(sb, 'forgotmpin', { customer_id: customerId, otp: resetOtp, new_mpin: '5555' }))
				.json.error?.code,
		).toBe('INVALID-OTP');
		expect(
			(
				await wallet(sb, 'changempin', {
					customer_id: customerId,
					old_mpin: '1234',
					new_mpin: '1111',
				})
			).json.error?.code,
		).toBe('INVALID-MPIN');
		expect(
			(
				await wallet(sb, 'changempin', {
					customer_id: customerId,
					old_mpin: '4321',
					new_mpin: '1111',
				})
			).json.data,
		).toEqual({
			mpin_updated: 'true',
		});
	});

	it('seeds a customer under a fixed ID, the same on every start, and never twice', async () => {
		const sb = await sandbox();
		expect(sb.seedCustomer({ customerId: '270878540', email: 'f@example.com', mpin: '1234' })).toBe(
			'270878540',
		);
		const fetched = await wallet(sb, 'fetchbalance', { customer_id: '270878540' });
		expect(fetched.json.data).toMatchObject({ customer_id: '270878540' });
		expect(() =>
			sb.seedCustomer({ customerId: '270878540', email: 'g@example.com', mpin: '1234' }),
		).toThrow('Invalid input Data');
		expect(() =>
			sb.seedCustomer({ customerId: '42', email: 'h@example.com', mpin: '1234' }),
		).toThrow('customerId must be 9 digits');
	});

	it('hashes responses over PHP-style JSON: escaped slashes and \\u escapes', async () => {
		const sb = await sandbox();
		const customerId = sb.seedCustomer({ email: 'm@example.com', mpin: '1234' });
		const address = 'Flat 4/B, Müllerstraße 😀';
		const updated = await wallet(sb, 'updatecustomer', {
			customer_id: customerId,
			address_line_1: address,
			city: 'Pune',
		});
		expect(updated.json.data).toEqual({ updated: 'true' });
		const detail = await wallet(sb, 'fetchcustomerdetail', { customer_id: customerId });
		expect(detail.text).toContain(
			'"address_line_1":"Flat 4\\/B, M\\u00fcllerstra\\u00dfe \\ud83d\\ude00"',
		);
		expect((detail.json.data as { address_line_1: string }).address_line_1).toBe(address);
		expect(responseHashOk(detail, sb.salt)).toBe(true);
		// A client that hashes Node's JSON.stringify would not match here.
		const { hash, ...rest } = detail.json;
		expect(sha512Upper(sb.salt + JSON.stringify(rest))).not.toBe(hash);

		expect(
			(await wallet(sb, 'customerstatus', { customer_id: customerId, customer_active: 'n' })).json
				.data,
		).toEqual({
			customer_id: Number(customerId),
			customer_active: 'n',
		});
	});
});

describe('wallet money', () => {
	it('credits after a gateway payment, refuses a wrong MPIN, debits, transfers and reverses once', async () => {
		const sb = await sandbox();
		const alice = sb.seedCustomer({
			email: 'alice@example.com',
			mobileNumber: '9811111111',
			mpin: '1234',
		});
		const bob = sb.seedCustomer({ email: 'bob@example.com', mpin: '5678', balance: '10.00' });

		const noPg = await wallet(sb, 'creditwallet', {
			to_customer_id: alice,
			amount: '100.00',
			merchant_transaction_id: 'CR-0',
			pg_transaction_id: 'NOT-A-PG-ID',
		});
		expect(noPg.json.error?.code).toBe('NO-PG-TRANSACTION-RECORD-FOUND');

		const pgId = await paidPgTransaction(sb, 'ORDER-1');
		const credit = await wallet(sb, 'creditwallet', {
			to_customer_id: alice,
			amount: '2500.50',
			merchant_transaction_id: 'CR-1',
			pg_transaction_id: pgId,
		});
		expect(typeof (credit.json.data as { transaction_id: number }).transaction_id).toBe('number');
		expect(responseHashOk(credit, sb.salt)).toBe(true);
		expect(sb.balanceOf(alice)).toBe('2500.5');
		const balance = await wallet(sb, 'fetchbalance', { mobile_number: '9811111111' });
		expect(balance.json.data).toEqual({ balance: '2500.5', customer_id: alice });

		const wrongMpin = await wallet(sb, 'debitwallet', {
			from_customer_id: alice,
			mpin: '9999',
			amount: '10',
			merchant_transaction_id: 'DB-1',
		});
		expect(wrongMpin.json.error).toEqual({ code: 'INVALID-MPIN', message: 'Invalid MPIN' });
		expect(sb.balanceOf(alice)).toBe('2500.5');

		const debit = await wallet(sb, 'debitwallet', {
			from_customer_id: alice,
			mpin: '1234',
			amount: '0.51',
			merchant_transaction_id: 'DB-1',
		});
		const debitId = (debit.json.data as { transaction_id: number }).transaction_id;
		expect(sb.balanceOf(alice)).toBe('2499.99');

		const transfer = await wallet(sb, 'wallettowallet', {
			from_customer_id: alice,
			to_customer_id: bob,
			mpin: '1234',
			amount: '99.99',
			merchant_transaction_id: 'W2W-1',
		});
		expect(transfer.json.error).toBeNull();
		expect(sb.balanceOf(alice)).toBe('2400.0');
		expect(sb.balanceOf(bob)).toBe('109.99');

		const reversal = await wallet(sb, 'debitreversal', {
			merchant_transaction_id: 'DB-1',
			transaction_id: String(debitId),
		});
		expect(
			(reversal.json.data as { merchant_transaction_id: string }).merchant_transaction_id,
		).toBe('DB-1_REVERSAL');
		expect(sb.balanceOf(alice)).toBe('2400.51');
		const again = await wallet(sb, 'debitreversal', { merchant_transaction_id: 'DB-1' });
		expect(again.json.error).toEqual({
			code: 'TRANSACTION-ALREADY-REVERSED',
			message: 'This Transaction is already reversed',
		});
		expect(sb.balanceOf(alice)).toBe('2400.51');

		const byMerchantId = await wallet(sb, 'fetchbymerchanttransactionid', {
			merchant_transaction_id: 'DB-1',
		});
		expect(byMerchantId.json.data).toMatchObject({
			amount: '0.51',
			balance: 2499.99,
			transaction_type: 'C2M',
			payment_type: 'DEBIT',
			transaction_id: debitId,
			merchant_transaction_id: 'DB-1',
			transaction_status: 'PAYMENT_SUCCESS',
		});
		expect((byMerchantId.json.data as { time: string }).time).toMatch(
			/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/,
		);
		expect(
			(await wallet(sb, 'fetchbytransactionid', { transaction_id: String(debitId) })).json.data,
		).toEqual(byMerchantId.json.data);
	});

	it('refuses short balances, limits, bad amounts and a reused merchant_transaction_id', async () => {
		const sb = await sandbox();
		const rich = sb.seedCustomer({ email: 'rich@example.com', mpin: '1234', balance: '500000.00' });
		const poor = sb.seedCustomer({ email: 'poor@example.com', mpin: '1234', balance: '5.00' });
		const debit = (from: string, amount: string, id: string) =>
			wallet(sb, 'debitwallet', {
				from_customer_id: from,
				mpin: '1234',
				amount,
				merchant_transaction_id: id,
			});

		expect((await debit(poor, '5.01', 'P-1')).json.error?.code).toBe('INVALID-INPUT-DATA');
		const w2w = await wallet(sb, 'wallettowallet', {
			from_customer_id: poor,
			to_customer_id: rich,
			mpin: '1234',
			amount: '6',
			merchant_transaction_id: 'P-2',
		});
		expect(w2w.json.error).toEqual({ code: 'INSUFFICIENT-FUND', message: 'Insufficient Fund' });
		expect(sb.balanceOf(poor)).toBe('5.0');

		expect((await debit(rich, '1.005', 'R-0')).json.error?.code).toBe('INVALID-INPUT-DATA');
		expect((await debit(rich, '0', 'R-0')).json.error?.code).toBe('INVALID-INPUT-DATA');
		expect((await debit(rich, 'ten', 'R-0')).json.error?.code).toBe('INVALID-PARAMS');
		expect((await debit(rich, '100000.01', 'R-0')).json.error?.code).toBe('TRANSACTION-LIMIT');
		expect(
			(await wallet(sb, 'checkcustomerdebitlimit', { customer_id: rich, amount: '100000.00' })).json
				.data,
		).toBe(true);

		expect((await debit(rich, '100000.00', 'R-1')).json.error).toBeNull();
		const duplicate = await debit(rich, '1.00', 'R-1');
		expect(duplicate.json.error).toEqual({
			code: 'INVALID-PARAMS',
			message: 'The merchant transaction id has already been taken.',
		});
		expect((await debit(rich, '100000.00', 'R-2')).json.error).toBeNull();
		const monthly = await wallet(sb, 'checkcustomerdebitlimit', {
			customer_id: rich,
			amount: '0.01',
		});
		expect(monthly.json.error).toEqual({
			code: 'MONTHLY-TRANSACTION-LIMIT-EXCEEDED',
			message: 'Monthly Transaction Limit exceeded',
		});
		expect((await debit(rich, '0.01', 'R-3')).json.error?.code).toBe(
			'MONTHLY-TRANSACTION-LIMIT-EXCEEDED',
		);
		expect(sb.balanceOf(rich)).toBe('300000.0');
		expect(
			(await wallet(sb, 'checkcustomercreditlimit', { customer_id: rich, amount: '100000.01' }))
				.json.error?.code,
		).toBe('TRANSACTION-LIMIT');

		await wallet(sb, 'customerstatus', { customer_id: rich, customer_active: 'n' });
		expect((await debit(rich, '1.00', 'R-4')).json.error).toEqual({
			code: 'INVALID-INPUT-DATA',
			message: 'Customer is not active',
		});
		await wallet(sb, 'customerstatus', { customer_id: rich, customer_active: 'y' });
		expect((await debit(rich, '1.00', 'R-4')).json.error?.code).toBe(
			'MONTHLY-TRANSACTION-LIMIT-EXCEEDED',
		);

		expect((await wallet(sb, 'getsubmerchants', {})).json.error?.code).toBe(
			'NO-SUB-MERCHANT-RECORD',
		);
		const sub = await wallet(sb, 'addsubmerchant', {
			mobile_number: '9800000000',
			email: 'shop@example.com',
			name: 'Corner Shop',
			account_number: '123456789012',
			account_name: 'Corner Shop',
			ifsc_code: 'HDFC0001234',
			bank_name: 'HDFC',
			bank_branch: 'MG Road',
		});
		expect(sub.json.data).toEqual({ sub_merchant_id: 1 });
		expect((await wallet(sb, 'getsubmerchants', {})).json.data).toEqual([
			{ id: 1, name: 'Corner Shop' },
		]);
		const unknownSub = await wallet(sb, 'debitwallet', {
			from_customer_id: poor,
			mpin: '1234',
			amount: '1',
			merchant_transaction_id: 'S-1',
			to_sub_merchant_id: '7',
		});
		expect(unknownSub.json.error?.code).toBe('NO-SUB-MERCHANT-RECORD');
	});

	it('pages 1,000 seeded transactions newest first, each exactly once', async () => {
		const sb = await sandbox();
		const customerId = sb.seedCustomer({ email: 'pager@example.com', mpin: '1234' });
		sb.seedTransactions(customerId, 1000);
		const seen = new Set<number>();
		let previousTime = '9999';
		for (let pageNumber = 0; ; pageNumber++) {
			const answer = await wallet(sb, 'fetchtransactions', {
				customer_id: customerId,
				page_number: String(pageNumber),
				page_size: '64',
			});
			expect(answer.json.page).toEqual({
				page_size: 64,
				page_number: pageNumber,
				total_pages: 16,
				total_elements: 1000,
			});
			if (answer.json.data === null) break;
			expect(responseHashOk(answer, sb.salt)).toBe(true);
			for (const row of answer.json.data as Array<{ transaction_id: number; time: string }>) {
				expect(seen.has(row.transaction_id)).toBe(false);
				expect(row.time <= previousTime).toBe(true);
				seen.add(row.transaction_id);
				previousTime = row.time;
			}
		}
		expect(seen.size).toBe(1000);
		const first = await wallet(sb, 'fetchtransactions', {
			customer_id: customerId,
			page_number: '0',
			page_size: '1',
		});
		expect((first.json.data as Array<{ balance: number }>)[0].balance).toBe(
			Number(sb.balanceOf(customerId)),
		);
	});
});

describe('gateway', () => {
	it('sends a hashed form callback that verifies, retries on failure, and redelivers identical bytes', async () => {
		const hook = await receiver([500]);
		const sb = await sandbox({ callbackUrl: hook.url });
		const link = await gateway(
			sb,
			'getpaymentrequesturl',
			payer('ORD-CB-1', { udf1: 'a/b', address_line_1: 'Müllerstraße 4' }),
		);
		const data = link.json.data as {
			url: string;
			uuid: string;
			expiry_datetime: string;
			order_id: string;
		};
		expect(data.url).toBe(`${sb.url}/pay/${data.uuid}`);
		expect(data.order_id).toBe('ORD-CB-1');
		expect((await fetch(data.url)).status).toBe(200);
		expect((await gateway(sb, 'getpaymentrequesturl', payer('ORD-CB-1'))).json.error?.code).toBe(
			1003,
		);
		expect(
			(await gateway(sb, 'getpaymentrequesturl', payer('X', { expiry_in_minutes: '14' }))).json
				.error?.code,
		).toBe(1002);

		const transaction = await sb.completePayment(data.uuid);
		expect(transaction.responseCode).toBe(0);
		expect(sb.callbacks.map((attempt) => attempt.status)).toEqual([500, 200]);
		expect(hook.received).toHaveLength(2);
		expect(hook.received[1].headers['content-type']).toBe('application/x-www-form-urlencoded');
		const fields = Object.fromEntries(new URLSearchParams(hook.received[1].body));
		expect(fields).toMatchObject({
			order_id: 'ORD-CB-1',
			response_code: '0',
			amount: '2500.00',
			currency: 'INR',
			udf1: 'a/b',
		});
		expect(fields.hash).toBe(requestHash(fields, sb.salt));
		expect(hook.received[1].body).toBe(sb.callbacks[1].body);

		const again = await sb.sendCallback(transaction.transactionId, 2);
		expect(again.map((attempt) => attempt.body)).toEqual([
			hook.received[0].body,
			hook.received[0].body,
		]);
		await expect(sb.completePayment('ORD-CB-1')).rejects.toThrow();

		sb.settings.callbackContentType = 'json';
		await gateway(sb, 'getpaymentrequesturl', payer('ORD-CB-2'));
		const failed = await sb.completePayment('ORD-CB-2', { success: false });
		expect(failed.responseCode).toBe(1000);
		const last = hook.received[hook.received.length - 1];
		expect(last.headers['content-type']).toBe('application/json');
		const jsonFields = JSON.parse(last.body) as Record<string, string>;
		expect(jsonFields.response_code).toBe('1000');
		expect(jsonFields.hash).toBe(requestHash(jsonFields, sb.salt));
	});

	it('refunds idempotently by merchant_refund_id and never beyond the paid amount', async () => {
		const sb = await sandbox();
		const pgId = await paidPgTransaction(sb, 'ORD-R-1', '100.00');
		const refund = (id: string, amount: string) =>
			gateway(sb, 'refundrequest', {
				transaction_id: pgId,
				amount,
				description: 'Refund',
				merchant_refund_id: id,
			});
		const first = await refund('MR-1', '60.00');
		const repeat = await refund('MR-1', '60.00');
		expect(repeat.json.data).toEqual(first.json.data);
		expect((await refund('MR-2', '40.01')).json.error?.code).toBe(1002);
		expect((await refund('MR-3', '40.00')).json.error).toBeUndefined();
		const status = await gateway(sb, 'refundstatus', { transaction_id: pgId });
		expect(responseHashOk(status, sb.salt)).toBe(true);
		const details = (
			status.json.data as {
				refund_details: Array<{ merchant_refund_id: string; refund_amount: string }>;
			}
		).refund_details;
		expect(details.map((detail) => [detail.merchant_refund_id, detail.refund_amount])).toEqual([
			['MR-1', '60.00'],
			['MR-3', '40.00'],
		]);
	});

	it('lists payment status with filters and pages, and expires links', async () => {
		const sb = await sandbox();
		const seeded = sb.seedGatewayTransactions(120);
		const seen = new Set<string>();
		for (let pageNumber = 1; pageNumber <= 3; pageNumber++) {
			const answer = await gateway(sb, 'paymentstatus', {
				per_page: '50',
				page_number: String(pageNumber),
			});
			expect(responseHashOk(answer, sb.salt)).toBe(true);
			for (const row of answer.json.data as Array<{ transaction_id: string }>)
				seen.add(row.transaction_id);
			expect((answer.json.page as { last_page: number }).last_page).toBe(3);
		}
		expect(seen.size).toBe(120);
		const two = await gateway(sb, 'paymentstatus', {
			order_id: `${seeded[0].orderId},${seeded[1].orderId}`,
		});
		expect((two.json.data as unknown[]).length).toBe(2);
		expect((await gateway(sb, 'paymentstatus', { order_id: 'NOPE' })).json.error).toEqual({
			code: 1028,
			message: 'TRANSACTION-NOT-FOUND',
		});
		expect((await gateway(sb, 'paymentstatus', { per_page: '51' })).json.error?.code).toBe(1002);

		const link = await gateway(sb, 'getpaymentrequesturl', payer('ORD-EXP'));
		const uuid = (link.json.data as { uuid: string }).uuid;
		expect((await gateway(sb, 'expirepaymentrequesturl', { uuid })).json.data).toEqual({
			code: 0,
			message: 'Payment request url expired',
		});
		await expect(sb.completePayment(uuid)).rejects.toThrow(/expired/);
	});
});

describe('faults', () => {
	it('injects statuses, delays, drops and malformed JSON without processing', async () => {
		const sb = await sandbox();
		const customerId = sb.seedCustomer({ email: 'f@example.com', mpin: '1234', balance: '10' });
		sb.injectFault({ path: '/api/v1/*', fault: 'status', status: 503 });
		const unavailable = await wallet(sb, 'fetchbalance', { customer_id: customerId });
		expect(unavailable.status).toBe(503);
		expect(unavailable.json.error?.code).toBe('SERVER-ERROR');
		const limited = await wallet(
			sb,
			'fetchbalance',
			{ customer_id: customerId },
			{ 'X-Sandbox-Fault': 'status=429;retry-after=2' },
		);
		expect(limited.status).toBe(429);

		const started = Date.now();
		await wallet(
			sb,
			'fetchbalance',
			{ customer_id: customerId },
			{ 'X-Sandbox-Fault': 'delay=150' },
		);
		expect(Date.now() - started).toBeGreaterThanOrEqual(140);

		await expect(
			wallet(
				sb,
				'debitwallet',
				{ from_customer_id: customerId, mpin: '1234', amount: '1', merchant_transaction_id: 'F-1' },
				{ 'X-Sandbox-Fault': 'drop' },
			),
		).rejects.toThrow();
		expect(sb.balanceOf(customerId)).toBe('10.0');

		const malformed = await wallet(
			sb,
			'fetchbalance',
			{ customer_id: customerId },
			{ 'X-Sandbox-Fault': 'malformed' },
		);
		expect(malformed.status).toBe(200);
		expect(() => JSON.parse(malformed.text) as unknown).toThrow();

		const control = await fetch(`${sb.url}/__sandbox/faults`, {
			method: 'POST',
			body: JSON.stringify({ path: '/v2/paymentstatus', fault: 'status', status: 502 }),
		});
		expect(control.status).toBe(200);
		expect((await gateway(sb, 'paymentstatus', {})).status).toBe(502);
		expect(sb.requests.map((request) => request.fault ?? null)).toEqual([
			'status',
			'status',
			'delay',
			'drop',
			'malformed',
			'status',
		]);
	});

	it('drop-after-commit credits the wallet while the client sees a socket error', async () => {
		const sb = await sandbox();
		const customerId = sb.seedCustomer({ email: 'd@example.com', mpin: '1234' });
		const pgId = await paidPgTransaction(sb, 'ORD-D-1');
		sb.injectFault({ method: 'POST', path: '/api/v1/creditwallet', fault: 'drop-after-commit' });
		const fields = {
			to_customer_id: customerId,
			amount: '2500.00',
			merchant_transaction_id: 'CR-D',
			pg_transaction_id: pgId,
		};
		await expect(wallet(sb, 'creditwallet', fields)).rejects.toThrow();
		expect(sb.balanceOf(customerId)).toBe('2500.0');
		// The retry is refused, so a client reconciles by merchant_transaction_id instead.
		expect((await wallet(sb, 'creditwallet', fields)).json.error?.code).toBe('INVALID-PARAMS');
		expect(
			(await wallet(sb, 'fetchbymerchanttransactionid', { merchant_transaction_id: 'CR-D' })).json
				.data,
		).toMatchObject({
			amount: '2500.0',
			payment_type: 'CREDIT',
			transaction_type: 'M2C',
		});
	});
});

describe('control endpoints', () => {
	it('seeds a customer, completes a payment and lists callbacks over HTTP', async () => {
		const hook = await receiver();
		const sb = await sandbox();
		const json = async (method: string, path: string, body?: object) => {
			const response = await fetch(`${sb.url}/__sandbox${path}`, {
				method,
				body: body && JSON.stringify(body),
			});
			return { status: response.status, body: (await response.json()) as Record<string, unknown> };
		};
		const seeded = await json('POST', '/customers', {
			email: 'c@example.com',
			mpin: '1234',
			balance: '12.34',
		});
		expect(sb.balanceOf(seeded.body.customerId as string)).toBe('12.34');
		expect((await json('PUT', '/settings', { callbackUrl: hook.url })).body.callbackUrl).toBe(
			hook.url,
		);
		await gateway(sb, 'getpaymentrequesturl', payer('ORD-C-1'));
		const completed = await json('POST', '/payments/ORD-C-1/complete', { success: true });
		expect(completed.body).toMatchObject({ orderId: 'ORD-C-1', responseCode: 0 });
		expect((await json('POST', '/payments/NOPE/complete')).status).toBe(404);
		const callbacks = (await (await fetch(`${sb.url}/__sandbox/callbacks`)).json()) as unknown[];
		expect(callbacks).toHaveLength(1);
		expect(hook.received).toHaveLength(1);
	});

	it('lets a human pay through the hosted page, which offers the form post back to return_url', async () => {
		const sb = await sandbox();
		const link = await gateway(
			sb,
			'getpaymentrequesturl',
			payer('ORD-PAGE', { return_url_failure: 'https://merchant.example/failed' }),
		);
		const { url } = link.json.data as { url: string };
		expect(await (await fetch(url)).text()).toContain('<button type="submit">Pay</button>');
		const failed = await fetch(`${url}/fail`, { method: 'POST' });
		const html = await failed.text();
		expect(html).toContain('action="https://merchant.example/failed"');
		expect(html).toContain('name="response_code" value="1000"');
		expect((await fetch(`${url}/pay`, { method: 'POST' })).status).toBe(409);
	});
});
