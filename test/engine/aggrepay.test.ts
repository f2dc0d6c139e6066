import { randomUUID } from 'node:crypto';

import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INodeParameters,
	Workflow,
} from 'n8n-workflow';

import { aggrepayFieldsHash } from '../../nodes/Aggrepay/hash';
import { startAggrepaySandbox, type AggrepaySandbox } from '../../sandbox/aggrepay';
import { WALLET_BASE } from '../../sandbox/aggrepay/wallet-routes';
import { DEMO_PAYMENT_LINK } from '../../tools/n8n/demo-data';
import { Harness, outputsAndErrors, type WebhookServer } from '../harness/engine';
import { startFakeApi } from '../harness/fake-api';
import { chain, everythingVisible } from './paytech.helpers';

const API_KEY = 'agp_key_7c1e9a_SECRET';
const SALT = 'agp_salt_55d0b3_SECRET';
const MPIN = '4721';
const AGGREPAY = 'n8n-nodes-payops.aggrePay';

let sandbox: AggrepaySandbox;
let harness: Harness;
const visible: string[] = [];

const credentials = (
	overrides: ICredentialDataDecryptedObject = {},
): ICredentialDataDecryptedObject => ({
	apiKey: API_KEY,
	secretSalt: SALT,
	walletEnvironment: 'custom',
	walletBaseUrl: sandbox.url,
	gatewayMode: 'TEST',
	gatewayBaseUrl: sandbox.url,
	...overrides,
});

beforeAll(async () => {
	sandbox = await startAggrepaySandbox({ apiKey: API_KEY, salt: SALT });
	harness = await Harness.create({ credentials: { aggrePayApi: credentials() } });
});

afterAll(async () => {
	await sandbox.close();
	const all = visible.join('\n');
	for (const secret of [API_KEY, SALT]) expect(all).not.toContain(secret);
	// four digits also occur inside random IDs: look for the MPIN as a value of its own
	expect(all).not.toMatch(new RegExp(`(?<![\\w-])${MPIN}(?![\\w-])`));
});

beforeEach(() => {
	sandbox.clearFaults();
	harness.setCredentials('aggrePayApi', credentials());
});

async function run(
	parameters: INodeParameters,
	items: IDataObject[] = [{}],
	continueOnFail = false,
) {
	const workflow = harness.workflow({
		nodes: [
			{ name: 'Start', type: 'n8n-nodes-base.manualTrigger' },
			{
				name: 'AggrePay',
				type: AGGREPAY,
				parameters,
				...(continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
			},
		],
		connections: chain('Start', 'AggrePay'),
	});
	const result = await harness.run(workflow, { items: items.map((json) => ({ json })) });
	visible.push(outputsAndErrors(result));
	return Object.assign(result, { items: result.output('AggrePay') });
}

const wallet = (operation: string, fields: INodeParameters = {}) =>
	run({ resource: 'wallet', operation, ...fields });

const paymentLink = (orderId: string, amount: string, fields: INodeParameters = {}) =>
	run({
		resource: 'gateway',
		operation: 'createPaymentLink',
		order_id: orderId,
		amount,
		...DEMO_PAYMENT_LINK,
		...fields,
	});

/** A successful gateway payment, whose transaction_id funds a wallet credit. */
async function paidOrder(orderId: string, amount: string): Promise<string> {
	const link = await paymentLink(orderId, amount);
	expect(link.error('AggrePay')).toBeUndefined();
	expect(String(link.items[0].json.url)).toContain('/pay/');
	return (await sandbox.completePayment(orderId, { success: true })).transactionId;
}

describe('AggrePay wallet', () => {
	it('registers a customer with the OTP, credits, refuses a wrong MPIN, debits and reverses', async () => {
		expect(
			(
				await wallet('sendRegistrationOtp', {
					email: 'ravi@example.com',
					additionalFields: { mobile_number: '9000000001' },
				})
			).error('AggrePay'),
		).toBeUndefined();
		const otp = sandbox.lastOtp('ravi@example.com') ?? sandbox.lastOtp('9000000001');
		expect(otp).toMatch(/^\d{6}$/);
		const registered = await wallet('registerCustomer', {
			otp: otp!,
			first_name: 'Ravi',
			last_name: 'Kumar',
			mpin: MPIN,
			additionalFields: { mobile_number: '9000000001', date_of_birth: '1990-04-01' },
		});
		const customerId = String(registered.items[0].json.customer_id);
		expect(customerId).not.toBe('undefined');

		const pg = await paidOrder('ORD-REG-1', '500.00');
		const credit = await wallet('credit', {
			to_customer_id: customerId,
			amount: '500',
			pg_transaction_id: pg,
		});
		expect(credit.error('AggrePay')).toBeUndefined();
		expect(String(credit.items[0].json.merchant_transaction_id)).toMatch(/^n8n-[0-9a-f]{32}$/);
		expect(sandbox.balanceOf(customerId)).toMatch(/^500(\.0+)?$/);

		const wrong = await wallet('debit', {
			from_customer_id: customerId,
			mpin: '0000',
			amount: '120.50',
			merchant_transaction_id: 'DEBIT-1',
		});
		expect(wrong.error('AggrePay')?.message).toMatch(/^AggrePay error INVALID-MPIN: /);
		expect(wrong.error('AggrePay')?.description).toMatch(/nothing was debited/);
		// the editor's "Error code" is the provider's code, not the HTTP 200 it came in
		expect(wrong.error('AggrePay')).toMatchObject({ httpCode: 'INVALID-MPIN' });
		// n8n keeps the failed node's parameters with the error: the MPIN is masked there
		expect(
			(wrong.error('AggrePay') as unknown as { node: { parameters: IDataObject } }).node.parameters
				.mpin,
		).toBe('[redacted]');
		expect(sandbox.balanceOf(customerId)).toMatch(/^500(\.0+)?$/);

		const debit = await wallet('debit', {
			from_customer_id: customerId,
			mpin: MPIN,
			amount: '120.50',
			merchant_transaction_id: 'DEBIT-1',
		});
		expect(debit.error('AggrePay')).toBeUndefined();
		expect(sandbox.balanceOf(customerId)).toMatch(/^379\.50?$/);

		const reversal = await wallet('reverseDebit', { merchant_transaction_id: 'DEBIT-1' });
		expect(reversal.error('AggrePay')).toBeUndefined();
		expect(sandbox.balanceOf(customerId)).toMatch(/^500(\.0+)?$/);
		const again = await wallet('reverseDebit', { merchant_transaction_id: 'DEBIT-1' });
		expect(again.error('AggrePay')?.message).toMatch(/TRANSACTION-ALREADY-REVERSED/);
	});

	it('rejects amounts with more than 2 decimals naming the field, before calling', async () => {
		const before = sandbox.requests.length;
		const result = await wallet('checkDebitLimit', { customer_id: 'CUST1', amount: '10.005' });
		expect(result.error('AggrePay')?.message).toBe(
			'Amount has 3 decimal places but INR allows 2; got "10.005". Round it yourself before sending, the pack never rounds money',
		);
		expect(sandbox.requests.length).toBe(before);
	});

	it('fetches 1,000 transactions with Return All, each once, newest first', async () => {
		const customerId = sandbox.seedCustomer({
			email: 'many@example.com',
			mpin: MPIN,
			balance: '0',
		});
		sandbox.seedTransactions(customerId, 1000);
		const result = await wallet('getTransactions', { customer_id: customerId, returnAll: true });
		expect(result.error('AggrePay')).toBeUndefined();
		const ids = result.items.map((i) => String(i.json.transaction_id));
		expect(ids).toHaveLength(1000);
		expect(new Set(ids).size).toBe(1000);
		const limited = await wallet('getTransactions', {
			customer_id: customerId,
			returnAll: false,
			limit: 7,
			normalize: true,
		});
		expect(limited.items).toHaveLength(7);
		expect(limited.items[0].json).toMatchObject({
			provider: 'aggrepay',
			currency: 'INR',
			type: 'credit',
			status: 'succeeded',
		});
	});

	it('reads pages 5 at a time, and page after page again when transactions arrive during the read', async () => {
		const customerId = sandbox.seedCustomer({
			email: 'moving@example.com',
			mpin: MPIN,
			balance: '0',
		});
		sandbox.seedTransactions(customerId, 1000);
		const path = `${WALLET_BASE}/fetchtransactions`;
		const delay = (delayMs: number, times = 1) =>
			sandbox.injectFault({ method: 'POST', path, fault: 'delay', delayMs, times });
		const pagesSince = (from: number) =>
			sandbox.requests.slice(from).filter((r) => r.path === path);

		delay(30, 10);
		const still = sandbox.requests.length;
		const read = await wallet('getTransactions', {
			customer_id: customerId,
			returnAll: true,
			pagesInParallel: 5,
		});
		expect(read.items).toHaveLength(1000);
		// the first page alone, then the other 9 five at a time
		expect(pagesSince(still)).toHaveLength(10);
		expect(Math.max(...pagesSince(still).map((r) => r.concurrent))).toBe(5);

		// The second page is answered last and the third at once. A transaction arrives (newest
		// first: every page moves down by one) in between, so the second page, read after it, ends
		// one transaction early, and the third, read before it, starts where it did
		delay(0);
		delay(60);
		delay(0);
		delay(30, 10);
		const moving = sandbox.requests.length;
		let arrived = false;
		const arrive = setInterval(() => {
			if (arrived || pagesSince(moving).length < 3) return;
			sandbox.seedTransactions(customerId, 1);
			arrived = true;
		}, 1);
		const result = await wallet('getTransactions', {
			customer_id: customerId,
			returnAll: true,
			pagesInParallel: 5,
		}).finally(() => clearInterval(arrive));
		expect(arrived).toBe(true);
		const ids = result.items.map((i) => String(i.json.transaction_id));
		expect(new Set(ids).size).toBe(ids.length);
		for (const item of read.items) expect(ids).toContain(String(item.json.transaction_id));
		// the concurrent read stopped at the page that saw 1,001 transactions; then all 11 pages
		// again, one at a time
		const again = pagesSince(moving).slice(-11);
		expect(again.map((r) => new URLSearchParams(r.body).get('page_number'))).toEqual(
			Array.from({ length: 11 }, (_, k) => String(k)),
		);
		expect(again.map((r) => r.concurrent)).toEqual(Array(11).fill(1));
		expect(ids).toHaveLength(1001);
	});

	it('does not credit twice when the answer to a credit is lost', async () => {
		const customerId = sandbox.seedCustomer({
			email: 'lost@example.com',
			mpin: MPIN,
			balance: '0',
		});
		const pg = await paidOrder('ORD-LOST-1', '250.00');
		sandbox.injectFault({
			method: 'POST',
			path: '/api/v1/creditwallet',
			fault: 'drop-after-commit',
			times: 1,
		});
		const result = await wallet('credit', {
			to_customer_id: customerId,
			amount: '250',
			pg_transaction_id: pg,
			merchant_transaction_id: 'CREDIT-LOST-1',
		});
		expect(result.error('AggrePay')).toBeUndefined();
		expect(result.items[0].json.merchant_transaction_id).toBe('CREDIT-LOST-1');
		expect(sandbox.balanceOf(customerId)).toMatch(/^250(\.0+)?$/);
		const sent = (path: string) =>
			sandbox.requests.filter(
				(r) => r.path === path && r.body.includes('merchant_transaction_id=CREDIT-LOST-1'),
			);
		expect(sent('/api/v1/creditwallet')).toHaveLength(1);
		expect(sent('/api/v1/fetchbymerchanttransactionid')).toHaveLength(1);
	});

	it('explains a salt that does not match the API key', async () => {
		harness.setCredentials('aggrePayApi', credentials({ secretSalt: 'not-the-salt' }));
		const result = await wallet('getSubMerchants');
		expect(result.error('AggrePay')?.message).toMatch(/^AggrePay error HASH-MISMATCH: /);
		expect(result.error('AggrePay')?.description).toMatch(
			/salt in the credential does not belong to the API key/,
		);
		expect(everythingVisible(result)).not.toContain('not-the-salt');
	});

	it('signs every request: api_key and the salted hash over the sorted fields', async () => {
		await wallet('checkCustomer', { email: 'nobody@example.com' });
		const request = sandbox.requests.at(-1)!;
		const fields = Object.fromEntries(new URLSearchParams(request.body));
		expect(request.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
		expect(fields.api_key).toBe(API_KEY);
		expect(fields.hash).toBe(aggrepayFieldsHash(fields, SALT));
	});
});

describe('AggrePay response hashes', () => {
	it('fails the item when an answer does not carry a valid hash, or warns and uses it when told to', async () => {
		// AggrePay itself always signs correctly here, so a stand-in answers with a wrong hash
		const body = {
			data: { balance: '41.0', customer_id: '784334610' },
			error: null,
			page: null,
			hash: '0BADC0DE',
		};
		const altered = await startFakeApi(() => ({ status: 200, body }));
		try {
			harness.setCredentials('aggrePayApi', credentials({ walletBaseUrl: altered.url }));
			const strict = await wallet('getBalance', { customer_id: '784334610' });
			expect(strict.error('AggrePay')?.message).toBe(
				"AggrePay's answer to fetchbalance failed its hash check",
			);
			expect(strict.error('AggrePay')?.description).toMatch(/may have been altered/);
			const lenient = await wallet('getBalance', { customer_id: '784334610', hashCheck: 'warn' });
			expect(lenient.error('AggrePay')).toBeUndefined();
			expect(lenient.items[0].json).toEqual({ balance: '41.0', customer_id: '784334610' });
			const hints = lenient.run.data.resultData.runData.AggrePay[0].hints ?? [];
			expect(hints.map((h) => h.message)).toEqual([
				expect.stringMatching(/failed its hash check; it was used anyway/),
			]);
		} finally {
			await altered.close();
		}
	});
});

describe('AggrePay gateway', () => {
	it('takes a Currency from an expression, checked before calling', async () => {
		const before = sandbox.requests.length;
		const typo = await paymentLink('ORD-CUR-1', '10', { currency: '={{ "IN R" }}' });
		expect(typo.error('AggrePay')?.message).toMatch(
			/^Currency must be an ISO 4217 code .*; got "IN R"$/,
		);
		expect(sandbox.requests.length).toBe(before);

		const lower = await paymentLink('ORD-CUR-2', '10', { currency: '={{ "inr" }}' });
		expect(lower.error('AggrePay')).toBeUndefined();
		expect(new URLSearchParams(sandbox.requests.at(-1)!.body).get('currency')).toBe('INR');
	});

	it('refunds once per merchant refund ID and lists payments over every page', async () => {
		const pg = await paidOrder('ORD-REFUND-1', '900.00');
		const first = await run({
			resource: 'gateway',
			operation: 'refund',
			transaction_id: pg,
			amount: '100',
			description: 'Damaged',
			additionalFields: { merchant_refund_id: 'RF-1' },
		});
		const second = await run({
			resource: 'gateway',
			operation: 'refund',
			transaction_id: pg,
			amount: '100',
			description: 'Damaged',
			additionalFields: { merchant_refund_id: 'RF-1' },
		});
		expect(first.error('AggrePay')).toBeUndefined();
		expect(second.items[0].json.refund_id).toBe(first.items[0].json.refund_id);

		sandbox.seedGatewayTransactions(120);
		const all = await run({
			resource: 'gateway',
			operation: 'getPayments',
			returnAll: true,
			additionalFields: { response_code: '0' },
			normalize: true,
		});
		expect(all.error('AggrePay')).toBeUndefined();
		const ids = all.items.map((i) => i.json.id);
		expect(new Set(ids).size).toBe(ids.length);
		expect(ids.length).toBeGreaterThanOrEqual(120);
		expect(all.items.every((i) => i.json.status === 'succeeded')).toBe(true);
	});
});

describe('AggrePay Trigger (payment callback)', () => {
	let server: WebhookServer | undefined;
	afterEach(async () => {
		await server?.close();
		server = undefined;
	});

	/** Serves the trigger's webhook (with that static data in n8n's database, if given). */
	async function serve(
		parameters: INodeParameters = {},
		staticData?: IDataObject,
	): Promise<{ workflow: Workflow; url: string }> {
		const workflow = harness.workflow({
			nodes: [
				{ name: 'AggrePay Trigger', type: 'n8n-nodes-payops.aggrePayTrigger', parameters },
				{ name: 'Credit wallet', type: 'n8n-nodes-base.noOp' },
			],
			connections: chain('AggrePay Trigger', 'Credit wallet'),
			staticData,
		});
		server = await harness.serveWebhooks(workflow);
		const url = server.url('AggrePay Trigger');
		sandbox.settings.callbackUrl = url;
		return { workflow, url };
	}

	/** A successful payment's callback fields; the transaction ID was never used before in this process. */
	const freshPayment = (): Record<string, string> => ({
		transaction_id: `TXN-${randomUUID()}`,
		order_id: `ORD-${randomUUID()}`,
		amount: '75.00',
		currency: 'INR',
		response_code: '0',
		response_message: 'SUCCESS',
	});
	const postCallback = (url: string, fields: Record<string, string>) =>
		fetch(url, {
			method: 'POST',
			body: new URLSearchParams({ ...fields, hash: aggrepayFieldsHash(fields, SALT) }).toString(),
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			signal: AbortSignal.timeout(5000),
		});

	/**
	 * The transaction IDs of every execution so far that ran past the trigger, in start order,
	 * once all have finished (an execution whose event was claimed before runs only the trigger).
	 * A genuine callback of a successful payment (the sentinel) goes last and must run: every
	 * request before it has been handled by then, including one whose response the node wrote
	 * itself. The sentinel is left out.
	 */
	async function transactionsRun(url: string, sentinel = freshPayment()): Promise<string[]> {
		const response = await postCallback(url, sentinel);
		expect(response.status).toBe(200);
		await response.text();
		const runs = await server!.idle();
		const ids = server!.started
			.map((execution) => String(execution.input[0][0].json.transaction_id))
			.filter((_, index) => runs[index].ranNodes.length > 1);
		expect(ids.at(-1)).toBe(sentinel.transaction_id);
		expect(runs.at(-1)!.ranNodes).toEqual(['AggrePay Trigger', 'Credit wallet']);
		return ids.slice(0, -1);
	}

	it('starts one execution for a hashed callback delivered three times, form or JSON', async () => {
		for (const contentType of ['form', 'json'] as const) {
			sandbox.settings.callbackContentType = contentType;
			const { url } = await serve({ outcome: 'success' });
			const pg = await paidOrder(`ORD-CB-${contentType}`, '75.00');
			await sandbox.sendCallback(pg, 2);
			const [execution] = await server!.waitForExecutions(1);
			expect(sandbox.callbacks.filter((c) => c.body.includes(pg)).map((c) => c.status)).toEqual([
				200, 200, 200,
			]);
			expect(await transactionsRun(url)).toEqual([pg]);
			expect(execution.output('Credit wallet')[0].json).toMatchObject({
				transaction_id: pg,
				order_id: `ORD-CB-${contentType}`,
				response_code: '0',
			});
			expect(execution.output('Credit wallet')[0].json.hash).toBeUndefined();
			await server!.close();
			server = undefined;
		}
		sandbox.settings.callbackContentType = 'form';
	});

	it('answers 401 for a tampered or unhashed callback and 200 without a run for a filtered one', async () => {
		const { url } = await serve({ outcome: 'success' });
		const fields = {
			transaction_id: 'TXN-FAKE-1',
			order_id: 'ORD-X',
			amount: '10.00',
			currency: 'INR',
			response_code: '0',
			response_message: 'SUCCESS',
		};
		const hash = aggrepayFieldsHash(fields, SALT);
		const post = (body: string, type = 'application/x-www-form-urlencoded') =>
			fetch(url, { method: 'POST', body, headers: { 'content-type': type } });
		expect(
			(await post(new URLSearchParams({ ...fields, amount: '10000.00', hash }).toString())).status,
		).toBe(401);
		expect((await post(new URLSearchParams(fields).toString())).status).toBe(401);
		expect(
			(
				await post(
					JSON.stringify({ ...fields, hash: aggrepayFieldsHash(fields, 'other-salt') }),
					'application/json',
				)
			).status,
		).toBe(401);
		const failed = { ...fields, transaction_id: 'TXN-FAIL-1', response_code: '1000' };
		expect(
			(
				await post(
					new URLSearchParams({ ...failed, hash: aggrepayFieldsHash(failed, SALT) }).toString(),
				)
			).status,
		).toBe(200);
		// the genuine callback of those fields is the sentinel: it alone starts an execution
		expect(await transactionsRun(url, fields)).toEqual([]);
	});

	it('enforces the IP allowlist with 403 before reading the callback', async () => {
		const payment = freshPayment();
		const blocked = await serve({ options: { ipAllowlist: '203.0.113.0/24' } });
		const refused = await postCallback(blocked.url, payment);
		expect(refused.status).toBe(403);
		expect(await refused.json()).toEqual({ error: 'Forbidden' });
		// no genuine request passes this allowlist, so no sentinel: the answered request is recorded if it started a run
		expect(await server!.idle()).toEqual([]);
		await server!.close();
		const allowed = await serve({ options: { ipAllowlist: '203.0.113.0/24, 127.0.0.1, ::1' } });
		expect((await postCallback(allowed.url, payment)).status).toBe(200);
		expect(await transactionsRun(allowed.url)).toEqual([payment.transaction_id]);
	});

	it('normalizes a cancelled payment (response code 1043) as canceled', async () => {
		const { url } = await serve({ options: { normalize: true } });
		const cancelled: Record<string, string> = {
			...freshPayment(),
			response_code: '1043',
			response_message: 'TRANSACTION-CANCELLED',
		};
		expect((await postCallback(url, cancelled)).status).toBe(200);
		const [execution] = await server!.waitForExecutions(1);
		expect(execution.output('Credit wallet')[0].json).toMatchObject({
			provider: 'aggrepay',
			id: cancelled.transaction_id,
			reference: cancelled.order_id,
			type: 'deposit',
			status: 'canceled',
			amount: '75.00',
			currency: 'INR',
		});
	});

	it('runs nothing after the trigger for a callback another process (or n8n before a restart) ran', async () => {
		const { workflow, url } = await serve({ outcome: 'success' });
		const fields = freshPayment();
		await (await postCallback(url, fields)).text();
		expect(await transactionsRun(url)).toEqual([fields.transaction_id]);
		await server!.close();
		// the same workflow and trigger node ids (the store's keys), another trigger name, so the
		// claims webhook() keeps in this process (keyed by name) do not know the callback
		const other = harness.workflow({
			id: workflow.id,
			nodes: [
				{ ...workflow.getNode('AggrePay Trigger')!, name: 'AggrePay Trigger (process B)' },
				{ name: 'Credit wallet', type: 'n8n-nodes-base.noOp' },
			],
			connections: chain('AggrePay Trigger (process B)', 'Credit wallet'),
		});
		server = await harness.serveWebhooks(other);
		const response = await postCallback(server.url('AggrePay Trigger (process B)'), fields);
		expect(response.status).toBe(200);
		await response.text();
		const [redelivered] = await server.idle();
		expect(redelivered.ranNodes).toEqual(['AggrePay Trigger (process B)']);
	});

	it('runs one execution for concurrent deliveries of one callback', async () => {
		const { url } = await serve({ outcome: 'success' });
		const fields = freshPayment();
		// as under n8n's concurrency limit or a busy worker: answered, queued, not yet run
		const release = server!.holdExecutions();
		const responses = await Promise.all([1, 2, 3].map(async () => await postCallback(url, fields)));
		expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
		await Promise.all(responses.map(async (r) => await r.text()));
		release();
		expect(await transactionsRun(url)).toEqual([fields.transaction_id]);
	});
});

describe('AggrePay Wallet Trigger (polling)', () => {
	/** A customer with three transactions, and a workflow whose Wallet Trigger watches them. */
	function watchedWallet(email: string) {
		const customerId = sandbox.seedCustomer({ email, mpin: MPIN, balance: '1000' });
		sandbox.seedTransactions(customerId, 3);
		const workflow = harness.workflow({
			nodes: [
				{
					name: 'Wallet',
					type: 'n8n-nodes-payops.aggrePayWalletTrigger',
					parameters: { customerIds: customerId },
				},
			],
			connections: {},
		});
		return { customerId, workflow };
	}

	it('emits each new transaction once across polls, oldest first', async () => {
		const { customerId, workflow } = watchedWallet('poll@example.com');
		expect(await harness.poll(workflow, 'Wallet')).toBeNull(); // the first poll notes what is there
		sandbox.seedTransactions(customerId, 2);
		const second = await harness.poll(workflow, 'Wallet');
		expect(second?.[0]).toHaveLength(2);
		expect(await harness.poll(workflow, 'Wallet')).toBeNull();
		sandbox.seedTransactions(customerId, 150);
		const third = await harness.poll(workflow, 'Wallet');
		const ids = third![0].map((i) => String(i.json.transaction_id));
		expect(ids).toHaveLength(150);
		expect(new Set([...ids, ...second![0].map((i) => String(i.json.transaction_id))]).size).toBe(
			152,
		);
		expect(await harness.poll(workflow, 'Wallet')).toBeNull();
	});

	it("does what its notice says of Fetch Test Event: shows, records nothing, changes no poll's output", async () => {
		const { customerId, workflow } = watchedWallet('fetch@example.com');
		const ids = (items: Array<{ json: IDataObject }> | undefined) =>
			(items ?? []).map((i) => String(i.json.transaction_id));
		const fetchTestEvent = async () => ids((await harness.run(workflow)).output('Wallet'));
		const listed = await wallet('getTransactions', { customer_id: customerId, returnAll: true });
		const newestFirst = ids(listed.items);
		expect(newestFirst).toHaveLength(3);

		// until the wallet's first poll: its newest transaction, and nothing recorded
		expect(await fetchTestEvent()).toEqual([newestFirst[0]]);
		expect(JSON.stringify(workflow.staticData)).not.toContain('cursors');
		expect(await harness.poll(workflow, 'Wallet')).toBeNull(); // the first poll records only

		// after it: what the next poll starts the workflow with, oldest first, and the poll still does
		sandbox.seedTransactions(customerId, 2);
		const fetched = await fetchTestEvent();
		expect(fetched).toHaveLength(2);
		expect(await fetchTestEvent()).toEqual(fetched);
		const polled = await harness.poll(workflow, 'Wallet');
		expect(ids(polled?.[0])).toEqual(fetched);
		const [newer, older] = ids(
			(await wallet('getTransactions', { customer_id: customerId, returnAll: true })).items,
		);
		expect(fetched).toEqual([older, newer]);
		expect(await fetchTestEvent()).toEqual([]);
	});
});
