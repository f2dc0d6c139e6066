/**
 * The pack in a real n8n 2.41 server (Node 24, SQLite), installed as a community package under
 * its package name, with the sandbox and the chat sink: the example workflows run, signed webhooks
 * start exactly one execution each, forged ones get 401, and a load run. Results are checked
 * through n8n's own API, not through the pack.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { AggrepayProSandbox } from '../../sandbox/aggrepay-pro';
import type { All4payDeposit } from '../../sandbox/all4pay';
import type { ChatSink } from '../../sandbox/chat';
import { signNumipayPayload, type NumipaySandbox } from '../../sandbox/numipay';
import type { PaytechSandbox } from '../../sandbox/paytech';
import {
	describeDedupeLoad,
	publishTriggerWorkflow,
	runDedupeLoad,
	runsPerPayment,
	settledExecutions,
} from '../../tools/dedupe-load';
import { ALL4PAY_CUSTOMER, APPROVAL_QUEUE } from '../../tools/n8n/demo-data';
import type { ProvisionedWorkflow } from '../../tools/n8n/provision';
import { nodeOutput, type N8nServer } from '../../tools/n8n/server';
import { startStack, type Stack } from '../../tools/n8n/stack';
import type { All4payDemoSandbox } from '../../tools/providers';
import { clickOnPage, freePortRange, sleep, until } from './helpers';

const OWNER = {
	email: 'e2e@example.com',
	password: 'E2e-password-1',
	firstName: 'E2e',
	lastName: 'Owner',
};
const API_KEY = 'e2e_api_key_SECRET';
const SIGNING_KEY = 'e2e_signing_key_SECRET';
const SALT = 'e2e_salt_SECRET';
const DEV_API_KEY = 'e2e_dev_api_key_SECRET';
const SIGNATURE_PASSWORD = 'e2e_signature_password_SECRET';
const AGGREPAY_PRO_API_KEY = 'e2e_aggrepay_pro_api_key_SECRET';
const AGGREPAY_PRO_SECRET_KEY = 'e2e_aggrepay_pro_secret_key_SECRET';
const AGGREPAY_PRO_MERCHANT = 'e2e_merchant';
const ALL4PAY_TOKEN = 'e2e_all4pay_token_SECRET';
const ALL4PAY_CALLBACK_TOKEN = 'e2e_all4pay_callback_token_SECRET';

let userFolder: string;
let stack: Stack;
let paytech: PaytechSandbox;
let chat: ChatSink;
let n8n: N8nServer;
let workflows: Record<string, ProvisionedWorkflow>;

const sign = (body: string, key = SIGNING_KEY) =>
	createHmac('sha256', key).update(body).digest('hex');
const post = (url: string, body: string, headers: Record<string, string> = {}) =>
	fetch(url, {
		method: 'POST',
		body,
		headers: { 'content-type': 'application/json', ...headers },
		signal: AbortSignal.timeout(30_000),
	});

beforeAll(async () => {
	userFolder = mkdtempSync(join(tmpdir(), 'payops-e2e-'));
	stack = await startStack({
		userFolder,
		owner: OWNER,
		port: await freePortRange(),
		secrets: {
			paytech: { apiKey: API_KEY, signingKey: SIGNING_KEY },
			aggrepay: { apiKey: API_KEY, salt: SALT },
			numipay: { devApiKey: DEV_API_KEY, signaturePassword: SIGNATURE_PASSWORD },
			'aggrepay-pro': {
				apiKey: AGGREPAY_PRO_API_KEY,
				secretKey: AGGREPAY_PRO_SECRET_KEY,
				merchantId: AGGREPAY_PRO_MERCHANT,
			},
			all4pay: { token: ALL4PAY_TOKEN, callbackToken: ALL4PAY_CALLBACK_TOKEN },
		},
		log: (message) => process.stdout.write(`${message}\n`),
	});
	({ n8n, chat, workflows } = stack);
	paytech = stack.sandboxes.paytech;
}, 20 * 60_000);

afterAll(async () => {
	await stack?.stop();
	if (userFolder) rmSync(userFolder, { recursive: true, force: true });
}, 60_000);

describe('the pack in a real n8n', () => {
	it('is loaded under its package name', async () => {
		const types = (await n8n.getJson('/types/nodes.json')) as Array<{ name: string }>;
		const names = types.map((t) => t.name);
		expect(names).toEqual(
			expect.arrayContaining([
				'n8n-nodes-payops.paytech',
				'n8n-nodes-payops.paytechTrigger',
				'n8n-nodes-payops.aggrePay',
				'n8n-nodes-payops.aggrePayTrigger',
				'n8n-nodes-payops.aggrePayWalletTrigger',
				'n8n-nodes-payops.numipay',
				'n8n-nodes-payops.numipayTrigger',
				'n8n-nodes-payops.aggrepayPro',
				'n8n-nodes-payops.aggrepayProTrigger',
				'n8n-nodes-payops.all4pay',
				'n8n-nodes-payops.all4payTrigger',
			]),
		);
		expect(
			Object.values(workflows)
				.map((w) => w.name)
				.sort(),
		).toEqual([
			'AggrePay payment credits the wallet',
			'Aggrepay.pro payment alert to chat',
			'All4Pay PIX deposit -> credit the customer -> chat alert',
			'Numipay payout approval',
			'Try it: AggrePay payment link for the demo customer',
			'Try it: AggrePay wallet balance of the demo customer',
			'Try it: Aggrepay.pro payment of 1500.00 RUB',
			'Try it: All4Pay PIX deposit of 10.50 BRL',
			'Try it: Numipay withdrawal of 25.00 EUR',
			'Try it: pay.tech deposit of 10.00 EUR',
			'pay.tech payment alert to chat',
			'pay.tech payout approval',
			'pay.tech reconciliation report',
		]);
	});

	it("runs each credential's test in n8n, and reports a wrong key or salt", async () => {
		// the editor's "Test" button: the saved credential, with the values of the dialog
		const test = async (
			type: string,
			saved: { id: string; name: string },
			data: Record<string, unknown>,
		) =>
			(await n8n.rest('POST', '/rest/credentials/test', {
				credentials: { ...saved, type, data },
			})) as { status: string; message: string };
		const paytechData = {
			environment: 'custom',
			baseUrl: paytech.url,
			apiKey: API_KEY,
			signingSecret: SIGNING_KEY,
		};
		expect(await test('paytechApi', stack.credentials.paytech, paytechData)).toMatchObject({
			status: 'OK',
		});
		expect(
			await test('paytechApi', stack.credentials.paytech, { ...paytechData, apiKey: 'wrong' }),
		).toEqual({
			status: 'Error',
			message:
				'pay.tech refused the API key (401): check the key and that it belongs to the selected Environment (sandbox and production keys differ)',
		});
		expect(
			await test('paytechApi', stack.credentials.paytech, {
				...paytechData,
				baseUrl: `${paytech.url}/api/v1`,
			}),
		).toEqual({
			status: 'Error',
			message:
				'pay.tech has no API at this address (404): for Custom URL give scheme, host and port only, without /api/v1',
		});
		const aggrepayData = {
			apiKey: API_KEY,
			secretSalt: SALT,
			walletEnvironment: 'custom',
			walletBaseUrl: stack.sandboxes.aggrepay.url,
			gatewayMode: 'TEST',
			gatewayBaseUrl: stack.sandboxes.aggrepay.url,
		};
		expect(await test('aggrePayApi', stack.credentials.aggrepay, aggrepayData)).toMatchObject({
			status: 'OK',
		});
		expect(
			await test('aggrePayApi', stack.credentials.aggrepay, {
				...aggrepayData,
				secretSalt: 'wrong',
			}),
		).toEqual({
			status: 'Error',
			message:
				'AggrePay refused the salt (HASH-MISMATCH): the salt does not match the API key; copy both again from the AggrePay dashboard (Settings → API Keys)',
		});
		expect(
			await test('aggrePayApi', stack.credentials.aggrepay, { ...aggrepayData, apiKey: 'wrong' }),
		).toEqual({
			status: 'Error',
			message:
				'AggrePay refused the API key (UNAUTHORIZED): check the key and that it belongs to the selected Wallet Environment (test and live keys differ)',
		});
	});

	it('payout approval: approves what is within the rules and rejects the rest with a reason', async () => {
		const execution = await n8n.execute(workflows['payout-approval'].id);
		expect(execution.status).toBe('success');
		const approved = nodeOutput(execution, 'Approve withdrawal')
			.map((p) => p.referenceId)
			.sort();
		const rejected = nodeOutput(execution, 'Reject withdrawal')
			.map((p) => p.referenceId)
			.sort();
		expect(approved).toEqual(
			APPROVAL_QUEUE.filter((w) => w.expected === 'approve').map((w) => w.referenceId),
		);
		expect(rejected).toEqual(
			APPROVAL_QUEUE.filter((w) => w.expected === 'reject').map((w) => w.referenceId),
		);

		const byReference = new Map([...paytech.payments.values()].map((p) => [p.referenceId, p]));
		for (const w of APPROVAL_QUEUE) {
			const payment = byReference.get(w.referenceId)!;
			if (w.expected === 'approve')
				expect(payment.state).not.toMatch(/AWAITING_APPROVAL|CANCELLED/);
			else expect(payment.state).toBe('CANCELLED');
		}
		expect(byReference.get('WD-2002')!.externalResultCode).toBe(
			'amount 750.00 EUR is above the 500.00 EUR limit',
		);
		expect(byReference.get('WD-2003')!.externalResultCode).toBe(
			'customer cust-mallory is not on the allowlist',
		);
		expect(byReference.get('WD-2005')!.externalResultCode).toBe('currency USD is not EUR');

		// nothing is left to decide: a second run approves and rejects nothing
		const again = await n8n.execute(workflows['payout-approval'].id);
		expect(again.status).toBe('success');
		expect(nodeOutput(again, 'Check rules')).toEqual([]);
	}, 120_000);

	it('reconciliation report: matched, missing and mismatched references with exact totals', async () => {
		const execution = await n8n.execute(workflows['reconciliation-report'].id);
		expect(execution.status).toBe('success');
		const [summary] = nodeOutput(execution, 'Summary');
		expect(summary).toMatchObject({
			references: 6,
			matched: 2,
			missingInPaytech: 2,
			notInLedger: 1,
			amountMismatch: 1,
			matchedTotals: { EUR: '195.50' },
		});
		const problems = (summary.problems as Array<{ reference: string; result: string }>)
			.map((p) => `${p.reference} ${p.result}`)
			.sort();
		expect(problems).toEqual([
			'INV-1003 amount mismatch',
			'INV-1004 missing in pay.tech',
			'INV-1005 not in ledger',
			'INV-1006 missing in pay.tech',
		]);
	}, 120_000);

	it('payment alert: the "Try it" deposit, paid on the checkout page, is posted to chat once, although pay.tech delivers it three times', async () => {
		const before = (await n8n.executions(workflows['payment-alert-to-chat'].id)).length;
		// the README's walk-through: run "Try it", open the redirectUrl, click Pay
		const tried = await n8n.execute(workflows['try-paytech-deposit'].id);
		expect(tried).toMatchObject({ status: 'success' });
		const [deposit] = nodeOutput(tried, 'Create a 10.00 EUR deposit');
		expect(deposit).toMatchObject({ amount: '10.00', currency: 'EUR', state: 'CHECKOUT' });
		const id = String(deposit.id);
		await clickOnPage(String(deposit.redirectUrl), 'Pay');
		await paytech.webhooksSettled();
		await paytech.sendWebhook(id, 2);
		expect(paytech.webhooks.filter((w) => w.paymentId === id).map((w) => w.status)).toEqual([
			200, 200, 200,
		]);

		const message = await until('the chat message', async () =>
			chat.messages.find((m) => JSON.stringify(m.body).includes(id)),
		);
		expect(message.body).toEqual({
			text: `Payment received: 10.00 EUR (reference ${String(deposit.referenceId)}, pay.tech id ${id})`,
		});
		await sleep(2000);
		expect(chat.messages.filter((m) => JSON.stringify(m.body).includes(id))).toHaveLength(1);
		const executions = await n8n.executions(workflows['payment-alert-to-chat'].id);
		expect(executions.length - before).toBe(1);
		expect(executions[0]).toMatchObject({ mode: 'webhook', status: 'success' });
	}, 120_000);

	it('AggrePay: the "Try it" payment link, paid, credits the demo wallet once, although the callback comes three times', async () => {
		const aggrepay = stack.sandboxes.aggrepay;
		// the README's walk-through: run "Try it", open the link, click Pay, read the balance
		const tried = await n8n.execute(workflows['try-aggrepay-payment-link'].id);
		expect(tried).toMatchObject({ status: 'success' });
		const [link] = nodeOutput(tried, 'Create a payment link');
		expect(String(link.url)).toContain('/pay/');
		await clickOnPage(String(link.url), 'Pay');
		// the one callback so far: the page's Pay sends it
		const { paymentId: transactionId } = await until('the callback', async () =>
			aggrepay.callbacks.length === 1 ? aggrepay.callbacks[0] : undefined,
		);
		await aggrepay.sendCallback(transactionId, 2);
		expect(
			aggrepay.callbacks.filter((c) => c.paymentId === transactionId).map((c) => c.status),
		).toEqual([200, 200, 200]);

		const workflowId = workflows['aggrepay-payment-credits-wallet'].id;
		const [execution] = await until('the credit execution', async () => {
			const list = await n8n.executions(workflowId);
			return list.length && list.every((e) => e.status !== 'running' && e.status !== 'new')
				? list
				: undefined;
		});
		await sleep(2000);
		expect(await n8n.executions(workflowId)).toHaveLength(1);
		expect(execution.status).toBe('success');
		const credits = aggrepay.requests.filter((r) => r.path === '/api/v1/creditwallet');
		expect(credits).toHaveLength(1);
		expect(new URLSearchParams(credits[0].body).get('merchant_transaction_id')).toBe(
			`PG-${transactionId}`,
		);
		const balance = await n8n.execute(workflows['try-aggrepay-wallet-balance'].id);
		expect(balance).toMatchObject({ status: 'success' });
		expect(nodeOutput(balance, 'Get the balance')[0].balance).toMatch(/^350(\.0+)?$/);
	}, 180_000);

	it('forged, tampered and unsigned webhooks get 401 and start nothing', async () => {
		const url = workflows['payment-alert-to-chat'].webhookUrls['pay.tech Trigger'];
		const before = (await n8n.executions(workflows['payment-alert-to-chat'].id)).length;
		const body = JSON.stringify({
			id: 'f'.repeat(32),
			paymentType: 'DEPOSIT',
			state: 'COMPLETED',
			amount: 1000000,
			currency: 'EUR',
		});
		const attempts = [
			post(url, body, { signature: sign(body, 'guessed-key') }),
			post(url, body.replace('1000000', '1'), { signature: sign(body) }),
			post(url, body),
			post(url, body, { signature: '' }),
		];
		for (const response of await Promise.all(attempts)) {
			expect(response.status).toBe(401);
			expect(await response.json()).toEqual({ error: 'Unauthorized' });
		}
		await sleep(1500);
		expect((await n8n.executions(workflows['payment-alert-to-chat'].id)).length).toBe(before);
	}, 60_000);
});

describe('Numipay in a real n8n', () => {
	let numipay: NumipaySandbox;
	let approval: ProvisionedWorkflow;
	// the webhook URL the stack gave the sandbox: the approval workflow's trigger
	let webhookUrl: string;
	beforeAll(() => {
		numipay = stack.sandboxes.numipay;
		approval = workflows['numipay-payout-approval'];
		webhookUrl = approval.webhookUrls['Numipay Trigger'];
	});

	/** A transaction as Numipay's API answers it (by tracking_id or transaction_id). */
	const getTransaction = async (id: string) => {
		const response = await fetch(`${numipay.url}/transactions/${encodeURIComponent(id)}`, {
			headers: { 'X-Api-Key': DEV_API_KEY },
			signal: AbortSignal.timeout(30_000),
		});
		expect(response.status).toBe(200);
		return (await response.json()) as { transaction_status: string; rejected_reason: unknown };
	};
	/** A withdrawal session made on the sandbox's API directly, as a merchant's backend would. */
	const createWithdrawalSession = async (userId: string, trackingId: string, amount: string) => {
		const response = await post(
			`${numipay.url}/payouts/cashier`,
			// the amount's digits as typed: a JSON number, never through a float
			`{"request":{"mode":"test","user_id":"${userId}","tracking_id":"${trackingId}","amount":${amount},"currency":"EUR"}}`,
			{ 'X-Api-Key': DEV_API_KEY },
		);
		expect(response.status).toBe(200);
		const { token } = (await response.json()) as { token: string };
		return numipay.cashierUrl(token);
	};
	/** The approval workflow's executions since `before`, once none has started for 5 s. */
	const approvalRunsSince = async (before: Set<unknown>) =>
		await settledExecutions(n8n, approval.id, 1, before);
	const executionIds = async () =>
		new Set((await n8n.executions(approval.id)).map((execution) => execution.id));
	/** The status in each webhook body Numipay sent for the transaction, with n8n's answer. */
	const deliveries = (transactionId: string) =>
		numipay.webhooks
			.filter((w) => w.paymentId === transactionId)
			.map((w) => `${(JSON.parse(w.body) as { status: string }).status} ${w.status}`);
	const decisions = (transactionId: string) =>
		numipay.requests.filter(
			(r) => /^\/payouts\/(approve|reject)$/.test(r.path) && r.body.includes(transactionId),
		);

	it("runs the credential's test in n8n, and reports a wrong key and malformed Endpoint Overrides", async () => {
		const test = async (data: Record<string, unknown>) =>
			(await n8n.rest('POST', '/rest/credentials/test', {
				credentials: { ...stack.credentials.numipay, type: 'numipayApi', data },
			})) as { status: string; message: string };
		const data = {
			baseUrl: numipay.url,
			apiKey: DEV_API_KEY,
			mode: 'test',
			signaturePassword: SIGNATURE_PASSWORD,
			cashierUrlTemplate: numipay.cashierUrlTemplate,
		};
		expect(await test(data)).toMatchObject({ status: 'OK' });
		expect(await test({ ...data, apiKey: 'wrong' })).toEqual({
			status: 'Error',
			message:
				'Numipay refused the API key (401): check the key and that it matches the Mode: Test needs the DEV API key, Live the live one',
		});
		// the test reads the list where the overrides put it: another method there is a 405
		expect(
			await test({ ...data, endpointOverrides: '{"getTransactions": "POST /transactions"}' }),
		).toEqual({
			status: 'Error',
			message:
				'Numipay does not accept this method for the transaction list (405): set the method Numipay gave you in Endpoint Overrides, e.g. {"getTransactions": "POST /transactions"}',
		});
		// a malformed override: authenticate() throws, and n8n shows its message, naming the operation
		expect(
			await test({ ...data, endpointOverrides: '{"getTransactions": "LIST transactions"}' }),
		).toEqual({
			status: 'Error',
			message:
				'The Numipay credential\'s Endpoint Overrides: "getTransactions" must be "METHOD /path" with METHOD one of GET, POST, PUT, PATCH, DELETE and a path starting with /, e.g. "GET /transactions"',
		});
	}, 60_000);

	it('payout approval: the "Try it" withdrawal, confirmed on the cashier page, is approved once and paid out', async () => {
		const before = await executionIds();
		// the README's walk-through: run "Try it", open the cashierUrl, click Confirm
		const tried = await n8n.execute(workflows['try-numipay-withdrawal'].id);
		expect(tried).toMatchObject({ status: 'success' });
		const [session] = nodeOutput(tried, 'Create a 25.00 EUR withdrawal session');
		expect(session).toMatchObject({ token: expect.any(String), cashierUrl: expect.any(String) });
		const trackingId = String(session.tracking_id);
		expect(session.derivedReference).toMatchObject({ reference: trackingId, from: 'execution' });
		await clickOnPage(String(session.cashierUrl), 'Confirm');

		const [run, ...others] = await approvalRunsSince(before);
		expect(others).toHaveLength(0);
		expect(run).toMatchObject({ mode: 'webhook', status: 'success' });
		const [event] = nodeOutput(run, 'Numipay Trigger');
		expect(event).toMatchObject({
			user_id: '1001',
			tracking_id: trackingId,
			status: 'pending',
			currency: 'EUR',
			amount: '25.00',
			transaction_type: 'withdrawal',
		});
		const transactionId = String(event.transaction_id);
		expect(event.eventKey).toBe(`${transactionId}:pending`);
		expect(nodeOutput(run, 'Check rules')).toMatchObject([
			{ decision: 'approve', reason: 'within the rules' },
		]);
		expect(nodeOutput(run, 'Approve withdrawal')).toEqual([
			{
				transaction_id: transactionId,
				decision: 'approved',
				message: 'Transaction Withdrawal has been approved successfully',
				transaction_status: 'pending',
			},
		]);
		expect(nodeOutput(run, 'Reject withdrawal')).toEqual([]);

		await numipay.webhooksSettled();
		expect(await getTransaction(trackingId)).toEqual({
			transaction_status: 'successful',
			rejected_reason: null,
		});
		// the payout's own "successful" webhook reaches the trigger too, which starts nothing for it
		expect(deliveries(transactionId)).toEqual(['pending 200', 'successful 200']);
		expect(decisions(transactionId)).toHaveLength(1);
		expect(await approvalRunsSince(before)).toHaveLength(1);
	}, 180_000);

	it('payout approval: a withdrawal above the limit is rejected with the reason', async () => {
		const before = await executionIds();
		await clickOnPage(await createWithdrawalSession('1002', 'e2e-big-1', '900.00'), 'Confirm');

		const [run, ...others] = await approvalRunsSince(before);
		expect(others).toHaveLength(0);
		expect(run).toMatchObject({ mode: 'webhook', status: 'success' });
		const reason = 'amount 900.00 EUR is above the 500.00 EUR limit';
		expect(nodeOutput(run, 'Approve withdrawal')).toEqual([]);
		const [rejected] = nodeOutput(run, 'Reject withdrawal');
		expect(rejected).toMatchObject({ decision: 'rejected', reason });
		await numipay.webhooksSettled();
		expect(await getTransaction('e2e-big-1')).toEqual({
			transaction_status: 'rejected',
			rejected_reason: reason,
		});
		expect(deliveries(String(rejected.transaction_id))).toEqual(['pending 200', 'rejected 200']);
		expect(await approvalRunsSince(before)).toHaveLength(1);
	}, 180_000);

	it('runs the approval once although Numipay delivers the same webhook three times', async () => {
		// confirmed while the back office has no webhook URL, then delivered three times, same bytes
		numipay.settings.webhookUrl = undefined;
		try {
			await clickOnPage(await createWithdrawalSession('1003', 'e2e-thrice-1', '40.00'), 'Confirm');
		} finally {
			numipay.settings.webhookUrl = webhookUrl;
		}
		const transactionId = numipay.transaction('e2e-thrice-1')!.transactionId;
		expect(deliveries(transactionId)).toEqual([]);
		const before = await executionIds();
		const sent = await numipay.sendWebhook(transactionId, 3);
		expect(sent.map((w) => w.status)).toEqual([200, 200, 200]);
		expect(new Set(sent.map((w) => w.body)).size).toBe(1);

		const runs = await approvalRunsSince(before);
		expect(runs).toHaveLength(1);
		expect(runs[0]).toMatchObject({ mode: 'webhook', status: 'success' });
		expect(nodeOutput(runs[0], 'Approve withdrawal')).toMatchObject([
			{ transaction_id: transactionId, decision: 'approved' },
		]);
		expect(decisions(transactionId)).toHaveLength(1);
		await numipay.webhooksSettled();
		expect((await getTransaction(transactionId)).transaction_status).toBe('successful');
	}, 180_000);

	it('forged, tampered and unsigned webhooks get 401 and start nothing', async () => {
		const before = await executionIds();
		const body = JSON.stringify({
			transaction_id: 'forged000000001',
			user_id: '666',
			tracking_id: 'forged-1',
			status: 'pending',
			currency: 'EUR',
			amount: '10.00',
			transaction_type: 'withdrawal',
		});
		const attempts = [
			post(webhookUrl, body, { 'x-signature': signNumipayPayload(body, 'guessed-password') }),
			post(webhookUrl, body.replace('10.00', '499.00'), {
				'x-signature': signNumipayPayload(body, SIGNATURE_PASSWORD),
			}),
			post(webhookUrl, body),
			post(webhookUrl, body, { 'x-signature': '' }),
		];
		for (const response of await Promise.all(attempts)) {
			expect(response.status).toBe(401);
			expect(await response.json()).toEqual({ error: 'Unauthorized' });
		}
		await sleep(1500);
		expect((await n8n.executions(approval.id)).filter((e) => !before.has(e.id))).toEqual([]);
		expect(decisions('forged000000001')).toEqual([]);
	}, 60_000);
});

describe('Aggrepay.pro in a real n8n', () => {
	let aggrepayPro: AggrepayProSandbox;
	let alert: ProvisionedWorkflow;
	// the alert workflow's trigger: the Callback URI the "Try it" payment carries
	let callbackUrl: string;
	beforeAll(() => {
		aggrepayPro = stack.sandboxes['aggrepay-pro'];
		alert = workflows['aggrepay-pro-payment-alert-to-chat'];
		callbackUrl = alert.webhookUrls['Aggrepay.pro Trigger'];
	});

	const executionIds = async () =>
		new Set((await n8n.executions(alert.id)).map((execution) => execution.id));
	/** The alert workflow's executions since `before`, once none has started for 5 s. */
	const alertRunsSince = async (before: Set<unknown>) =>
		await settledExecutions(n8n, alert.id, 1, before);
	/** Executions that went past the trigger (a redelivery claimed by another one stops there). */
	const postedToChat = (runs: Array<Record<string, unknown>>) =>
		runs.filter((run) => nodeOutput(run, 'Post to chat').length > 0);
	const messagesAbout = (id: string) =>
		chat.messages.filter((m) => JSON.stringify(m.body).includes(id));

	it("runs the credential's test in n8n, and reports a wrong secret key and a wrong API key", async () => {
		const test = async (data: Record<string, unknown>) =>
			(await n8n.rest('POST', '/rest/credentials/test', {
				credentials: { ...stack.credentials['aggrepay-pro'], type: 'aggrepayProApi', data },
			})) as { status: string; message: string };
		const data = {
			baseUrl: aggrepayPro.url,
			apiKey: AGGREPAY_PRO_API_KEY,
			secretKey: AGGREPAY_PRO_SECRET_KEY,
			merchantId: AGGREPAY_PRO_MERCHANT,
			amountUnit: 'major',
		};
		const refused = {
			status: 'Error',
			message:
				'Aggrepay.pro refused the API key or the signature (401): check the API Key and the Secret Key, which must come from the same Aggrepay.pro account',
		};
		/** The test's requests as the sandbox saw them: status and the Signature header. */
		const sentBy = async (given: Record<string, unknown>) => {
			const from = aggrepayPro.requests.length;
			const result = await test(given);
			const sent = aggrepayPro.requests.slice(from);
			return {
				result,
				sent: [
					...new Set(sent.map((r) => `${r.method} ${r.path} ${r.status} ${r.headers.signature}`)),
				],
			};
		};
		// each a signed GET of the payment-method list: "" signed with the secret key given; n8n
		// sends a request refused with 401 once more after authenticating it again
		const list = (status: number, key: string) =>
			`GET /api/v1/payment-methods ${status} ${sign('', key)}`;
		expect(await sentBy(data)).toMatchObject({
			result: { status: 'OK' },
			sent: [list(200, AGGREPAY_PRO_SECRET_KEY)],
		});
		expect(await sentBy({ ...data, secretKey: 'wrong' })).toEqual({
			result: refused,
			sent: [list(401, 'wrong')],
		});
		expect(await sentBy({ ...data, apiKey: 'wrong' })).toEqual({
			result: refused,
			sent: [list(401, AGGREPAY_PRO_SECRET_KEY)],
		});
	}, 60_000);

	it('payment alert: the "Try it" payment, paid and confirmed on its page, is posted to chat once, also when the callback comes again', async () => {
		const before = await executionIds();
		// the walk-through: run "Try it", open the paymentUri, choose a method, pay, confirm
		const tried = await n8n.execute(workflows['try-aggrepay-pro-payment'].id);
		expect(tried).toMatchObject({ status: 'success' });
		const [payment] = nodeOutput(tried, 'Create a 1500.00 RUB payment');
		expect(payment).toMatchObject({
			merchantId: AGGREPAY_PRO_MERCHANT,
			type: 'payment',
			state: 'created',
			amount: '1500.00',
			currency: 'RUB',
			requisite: null,
		});
		const id = String(payment.id);
		const orderId = String(payment.orderId);
		expect(payment.derivedReference).toMatchObject({ reference: orderId, from: 'execution' });
		// the example's http://127.0.0.1:5678 became this n8n's webhook base URL
		expect(callbackUrl).toBe(
			`${stack.webhookBaseUrl}/webhook/7105a113-1c7a-4ddc-8ffb-47ab71887a72/callback`,
		);
		expect(aggrepayPro.payment(id)?.callbackUri).toBe(callbackUrl);

		const pageUrl = String(payment.paymentUri);
		expect(await clickOnPage(pageUrl, 'Choose Card (RUB)')).toContain(
			'<span id="state">pending</span>',
		);
		expect(await clickOnPage(pageUrl, 'I have paid')).toContain('<span id="state">in_check</span>');
		expect(await clickOnPage(pageUrl, 'Confirm receipt (as Aggrepay.pro)')).toContain(
			'This payment is finished',
		);
		await aggrepayPro.callbacksSettled();
		// every state change reaches the trigger, which runs only for finished
		const deliveries = () =>
			aggrepayPro.callbacks
				.filter((c) => c.paymentId === id)
				.map((c) => {
					const { data } = JSON.parse(c.body) as { data: { state: string } };
					return `${data.state} ${c.status}`;
				})
				.sort();
		expect(deliveries()).toEqual(['finished 200', 'in_check 200', 'pending 200']);

		const runs = await alertRunsSince(before);
		expect(runs).toHaveLength(1);
		expect(runs[0]).toMatchObject({ mode: 'webhook', status: 'success' });
		expect(nodeOutput(runs[0], 'Aggrepay.pro Trigger')).toMatchObject([
			{
				id,
				orderId,
				state: 'finished',
				amount: '1500.00',
				currency: 'RUB',
				eventKey: `${id}:finished`,
			},
		]);
		const message = await until('the chat message', async () => messagesAbout(id)[0]);
		expect(message.body).toEqual({
			text: `Payment received: 1500.00 RUB (order ${orderId}, Aggrepay.pro id ${id})`,
		});

		// Aggrepay.pro reports the finished payment twice more, same bytes
		const again = await aggrepayPro.sendCallback(id, 2);
		expect(again.map((c) => c.status)).toEqual([200, 200]);
		const finished = aggrepayPro.callbacks.filter(
			(c) => c.paymentId === id && c.body.includes('"state":"finished"'),
		);
		expect(new Set(finished.map((c) => c.body)).size).toBe(1);
		expect(deliveries()).toEqual([
			'finished 200',
			'finished 200',
			'finished 200',
			'in_check 200',
			'pending 200',
		]);
		const after = await alertRunsSince(before);
		expect(postedToChat(after)).toHaveLength(1);
		expect(after.every((run) => run.status === 'success')).toBe(true);
		await sleep(1000);
		expect(messagesAbout(id)).toHaveLength(1);
	}, 180_000);

	it('a forged, tampered or unsigned callback gets 401 and starts nothing', async () => {
		const before = await executionIds();
		const messages = chat.messages.length;
		const forgedId = `pay_${'f'.repeat(24)}`;
		const body = JSON.stringify({
			status: true,
			data: {
				id: forgedId,
				orderId: 'forged-1',
				merchantId: AGGREPAY_PRO_MERCHANT,
				type: 'payment',
				state: 'finished',
				amount: 1000000,
				currency: 'RUB',
			},
		});
		const attempts = [
			post(callbackUrl, body, { signature: sign(body, 'guessed-key') }),
			post(callbackUrl, body.replace('1000000', '1'), {
				signature: sign(body, AGGREPAY_PRO_SECRET_KEY),
			}),
			post(callbackUrl, body),
			post(callbackUrl, body, { signature: '' }),
		];
		for (const response of await Promise.all(attempts)) {
			expect(response.status).toBe(401);
			expect(await response.json()).toEqual({ error: 'Unauthorized' });
		}
		await sleep(1500);
		expect((await n8n.executions(alert.id)).filter((e) => !before.has(e.id))).toEqual([]);
		expect(chat.messages).toHaveLength(messages);
	}, 60_000);
});

describe('All4Pay in a real n8n', () => {
	let all4pay: All4payDemoSandbox;
	let alert: ProvisionedWorkflow;
	// the alert workflow's Production URL; the sandbox calls it back with ?token=<Callback Token>
	let triggerUrl: string;
	beforeAll(() => {
		all4pay = stack.sandboxes.all4pay;
		alert = workflows['all4pay-pix-deposit-credit-and-alert'];
		triggerUrl = alert.webhookUrls['All4Pay Trigger'];
	});
	const CPF_DIGITS = ALL4PAY_CUSTOMER.cpf.replace(/\D/g, '');

	const executionIds = async () =>
		new Set((await n8n.executions(alert.id)).map((execution) => execution.id));
	/** The alert workflow's executions since `before`, once none has started for 5 s. */
	const alertRunsSince = async (before: Set<unknown>) =>
		await settledExecutions(n8n, alert.id, 1, before);
	/** Executions that credited the customer (a redelivery claimed by another one stops at the trigger). */
	const credited = (runs: Array<Record<string, unknown>>) =>
		runs.filter((run) => nodeOutput(run, 'Credit the customer').length > 0);
	const messagesAbout = (id: string) =>
		chat.messages.filter((m) => JSON.stringify(m.body).includes(id));
	/** The status in each callback the sandbox sent for a deposit, with n8n's answer. */
	const deliveries = (id: string) =>
		all4pay.callbacks
			.filter((c) => c.paymentId === id)
			.map((c) => `${(JSON.parse(c.body) as { status: string }).status} ${c.status}`)
			.sort();
	/** The demo customer's row in the data table the alert workflow credits, read through n8n. */
	const customerRow = async () => {
		const tables = (await n8n.rest('GET', '/rest/data-tables-global')) as {
			data: Array<{ id: string; name: string; projectId: string }>;
		};
		const table = tables.data.find((t) => t.name === 'All4Pay customer balances');
		if (!table) return undefined;
		const filter = JSON.stringify({
			type: 'and',
			filters: [{ columnName: 'cpf', condition: 'eq', value: CPF_DIGITS }],
		});
		const rows = (await n8n.rest(
			'GET',
			`/rest/projects/${table.projectId}/data-tables/${table.id}/rows?filter=${encodeURIComponent(filter)}`,
		)) as { data: Array<{ balance: string; last_deposit_id: string }> };
		return rows.data[0];
	};
	/** "10.50" + "0.55" as exact decimal text with two decimals (whole cents, never floats). */
	const plus = (a: string, b: string) => {
		const cents = (text: string) => BigInt(text.replace('.', ''));
		const sum = String(cents(a) + cents(b)).padStart(3, '0');
		return `${sum.slice(0, -2)}.${sum.slice(-2)}`;
	};
	/** A deposit made on the sandbox's API directly, as a merchant's backend would. */
	const createDeposit = async (userId: string, amount: string) => {
		const response = await post(
			`${all4pay.url}/deposit/`,
			// the amount's digits as typed: a JSON number, never through a float
			`{"user_id":"${userId}","cpf":"${CPF_DIGITS}","name":"${ALL4PAY_CUSTOMER.name}","email":"${ALL4PAY_CUSTOMER.email}","amount":${amount}}`,
			{ token: ALL4PAY_TOKEN },
		);
		expect(response.status).toBe(200);
		return (await response.json()) as { id: string };
	};

	it("runs the credential's test in n8n, and reports a wrong token and an address with a path", async () => {
		const test = async (data: Record<string, unknown>) =>
			(await n8n.rest('POST', '/rest/credentials/test', {
				credentials: { ...stack.credentials.all4pay, type: 'all4payApi', data },
			})) as { status: string; message: string };
		/** The test's requests as the sandbox saw them: method, path, status and the Token header. */
		const sentBy = async (given: Record<string, unknown>) => {
			const from = all4pay.requests.length;
			const result = await test(given);
			const sent = all4pay.requests.slice(from);
			return {
				result,
				sent: [...new Set(sent.map((r) => `${r.method} ${r.path} ${r.status} ${r.headers.token}`))],
			};
		};
		const data = {
			environment: 'custom',
			customUrl: all4pay.url,
			token: ALL4PAY_TOKEN,
			callbackToken: ALL4PAY_CALLBACK_TOKEN,
		};
		// the deposit list (getDeposits) proves the token
		expect(await sentBy(data)).toMatchObject({
			result: { status: 'OK' },
			sent: [`GET /deposit/ 200 ${ALL4PAY_TOKEN}`],
		});
		expect(await sentBy({ ...data, token: 'wrong' })).toEqual({
			result: {
				status: 'Error',
				message:
					'All4Pay refused the API key (401): check the Token (All4Pay dashboard → API page) and that it belongs to the selected Environment; All4Pay answers Bad Credentials for a wrong one',
			},
			sent: ['GET /deposit/ 401 wrong'],
		});
		expect(await test({ ...data, customUrl: `${all4pay.url}/api/v1` })).toEqual({
			status: 'Error',
			message:
				'All4Pay has no deposit list at this address (404): check the URL of the selected Environment, and the getDeposits entry of Endpoint Overrides if All4Pay gave you its path',
		});
	}, 60_000);

	it('PIX deposit: the "Try it" deposit, paid on its PIX page, credits the customer and posts to chat once, although All4Pay calls back three times', async () => {
		// the dashboard's callback URL: the alert workflow's Production URL with the Callback Token
		expect(triggerUrl).toBe(
			`${stack.webhookBaseUrl}/webhook/cd8ee0e5-3da4-45d0-ac40-dd47e92e77d9/callback`,
		);
		expect(all4pay.settings.callbackUrl).toBe(`${triggerUrl}?token=${ALL4PAY_CALLBACK_TOKEN}`);
		const before = await executionIds();
		const balanceBefore = (await customerRow())?.balance ?? '0.00';

		// the walk-through: run "Try it", open the PIX page of the deposit's id, click Pay with PIX
		const tried = await n8n.execute(workflows['try-all4pay-deposit'].id);
		expect(tried).toMatchObject({ status: 'success' });
		const [deposit] = nodeOutput(tried, 'Create a 10.50 BRL PIX deposit');
		const id = String(deposit.id);
		const userId = String(deposit.user_id);
		// a new User ID per run: All4Pay refuses the same User ID and amount for a few minutes
		expect(userId).toBe(`${ALL4PAY_CUSTOMER.userId}-${String(tried.id)}`);
		expect(deposit).toMatchObject({
			id: expect.stringMatching(/^dep_[0-9a-f]{24}$/),
			cpf: CPF_DIGITS,
			amount: '10.50',
			status: 'pending',
			pix_code: expect.stringContaining('br.gov.bcb.pix'),
		});
		expect(all4pay.deposit(id)).toMatchObject<Partial<All4payDeposit>>({
			userId,
			cpf: CPF_DIGITS,
			name: ALL4PAY_CUSTOMER.name,
			email: ALL4PAY_CUSTOMER.email,
			amount: '10.50',
		});
		expect(await clickOnPage(all4pay.pixPageUrl(id), 'Pay with PIX')).toContain(
			'This deposit is confirmed.',
		);
		await all4pay.callbacksSettled();
		// every status change reaches the trigger, which runs only for confirmed deposits
		expect(deliveries(id)).toEqual(['confirmed 200', 'pending 200']);

		const runs = await alertRunsSince(before);
		expect(runs).toHaveLength(1);
		expect(runs[0]).toMatchObject({ mode: 'webhook', status: 'success' });
		// the deposit as All4Pay's API reports it, not as the callback says
		expect(nodeOutput(runs[0], 'All4Pay Trigger')).toMatchObject([
			{
				id,
				type: 'deposit',
				status: 'confirmed',
				amount: '10.50',
				user_id: userId,
				cpf: CPF_DIGITS,
				eventKey: `deposit:${id}:confirmed`,
			},
		]);
		const balance = plus(balanceBefore, '10.50');
		expect(await customerRow()).toMatchObject({ balance, last_deposit_id: id });
		const message = await until('the chat message', async () => messagesAbout(id)[0]);
		expect(message.body).toEqual({
			text: `PIX deposit confirmed: 10.50 BRL from user ${userId}, CPF ${ALL4PAY_CUSTOMER.cpf} (All4Pay id ${id}); balance now ${balance} BRL`,
		});

		// All4Pay calls back the confirmed deposit twice more, same bytes
		const again = await all4pay.sendCallback(id, 2);
		expect(again.map((c) => c.status)).toEqual([200, 200]);
		const confirmed = all4pay.callbacks.filter(
			(c) => c.paymentId === id && c.body.includes('"confirmed"'),
		);
		expect(confirmed).toHaveLength(3);
		expect(new Set(confirmed.map((c) => c.body)).size).toBe(1);
		const after = await alertRunsSince(before);
		expect(credited(after)).toHaveLength(1);
		expect(after.every((run) => run.status === 'success')).toBe(true);
		await sleep(1000);
		expect(messagesAbout(id)).toHaveLength(1);
		expect(await customerRow()).toMatchObject({ balance, last_deposit_id: id });
	}, 180_000);

	it('a forged callback starts nothing, and a callback without the Callback Token gets 401', async () => {
		const before = await executionIds();
		const messages = chat.messages.length;
		const row = await customerRow();
		// a deposit nobody paid, then a forger (who knows the URL and its token) claims it confirmed
		const { id } = await createDeposit('e2e-forged-1', '25.00');
		await all4pay.callbacksSettled();
		expect(deliveries(id)).toEqual(['pending 200']);
		// the trigger reads the deposit from the API, which says pending: 503, so that a genuine
		// callback would come again, and the sandbox tries three times
		expect((await all4pay.sendForgedCallback(id)).map((c) => c.status)).toEqual([503, 503, 503]);
		// a deposit already credited, called back with a false amount: this n8n already ran for its
		// confirmation, so the callback is answered as received without a look at the API, and
		// nothing runs (a false amount before the genuine callback gets 503: the engine tests)
		const paid = [...all4pay.deposits.values()].find((d) => d.status === 'confirmed')!;
		const forged = await all4pay.sendForgedCallback(paid.id, { amount: '1000.00' });
		expect(forged.map((c) => c.status)).toEqual([200]);

		const body = JSON.stringify({
			id,
			type: 'deposit',
			status: 'confirmed',
			amount: 25.0,
			user_id: 'e2e-forged-1',
		});
		const attempts = [
			post(triggerUrl, body),
			post(`${triggerUrl}?token=`, body),
			post(`${triggerUrl}?token=guessed-token`, body),
			post(`${triggerUrl}?token=${ALL4PAY_CALLBACK_TOKEN.slice(0, -1)}`, body),
		];
		for (const response of await Promise.all(attempts)) {
			expect(response.status).toBe(401);
			expect(await response.json()).toEqual({ error: 'Unauthorized' });
		}
		await sleep(1500);
		expect((await n8n.executions(alert.id)).filter((e) => !before.has(e.id))).toEqual([]);
		expect(chat.messages).toHaveLength(messages);
		expect(await customerRow()).toEqual(row);
		expect(all4pay.deposit(id)?.status).toBe('pending');
	}, 60_000);
});

describe('secrets', () => {
	it("appear in no stored execution and nowhere in n8n's log", async () => {
		for (const workflow of Object.values(workflows)) {
			const stored = JSON.stringify(await n8n.executions(workflow.id, true));
			expect(stored).not.toContain(API_KEY);
			expect(stored).not.toContain(SIGNING_KEY);
			expect(stored).not.toContain(SALT);
			expect(stored).not.toContain(DEV_API_KEY);
			expect(stored).not.toContain(SIGNATURE_PASSWORD);
			expect(stored).not.toContain(AGGREPAY_PRO_API_KEY);
			expect(stored).not.toContain(AGGREPAY_PRO_SECRET_KEY);
			expect(stored).not.toContain(ALL4PAY_TOKEN);
			expect(stored).not.toContain(ALL4PAY_CALLBACK_TOKEN);
		}
		const log = readFileSync(join(userFolder, 'n8n.log'), 'utf8');
		expect(log).not.toContain(API_KEY);
		expect(log).not.toContain(SIGNING_KEY);
		expect(log).not.toContain(SALT);
		expect(log).not.toContain(DEV_API_KEY);
		expect(log).not.toContain(SIGNATURE_PASSWORD);
		expect(log).not.toContain(AGGREPAY_PRO_API_KEY);
		expect(log).not.toContain(AGGREPAY_PRO_SECRET_KEY);
		expect(log).not.toContain(ALL4PAY_TOKEN);
		expect(log).not.toContain(ALL4PAY_CALLBACK_TOKEN);
	}, 60_000);
});

describe('de-duplication across a restart', () => {
	// As measured before the fix: 30 events at once into Trigger -> Wait 3 s, n8n restarted, every
	// event delivered again (29 of 30 ran twice); and 10 deposits into Trigger -> Wait 3 s -> Create
	// Withdrawal (19 withdrawals).
	it('runs no event again after overlapping executions and a restart, and pays out once per deposit', async () => {
		const paytech = stack.sandboxes.paytech;
		const credential = stack.credentials.paytech;
		const waiting = await publishTriggerWorkflow(n8n, credential, 'restart: wait', {
			waitSeconds: 3,
		});
		const payout = await publishTriggerWorkflow(n8n, credential, 'restart: payout', {
			waitSeconds: 3,
			payout: true,
		});
		const body = (id: string, amount: number) =>
			JSON.stringify({ id, paymentType: 'DEPOSIT', state: 'COMPLETED', amount, currency: 'EUR' });
		const deliveries = [
			...Array.from({ length: 30 }, (_, n) => ({
				url: `${n8n.baseUrl}/${waiting.path}`,
				body: body(`${n}`.padStart(32, 'e'), 1 + n),
			})),
			...Array.from({ length: 10 }, (_, n) => ({
				url: `${n8n.baseUrl}/${payout.path}`,
				body: body(`${n}`.padStart(32, 'b'), 200 + n),
			})),
		];
		const deliverAll = async () =>
			await Promise.all(
				deliveries.map(async ({ url, body }) => {
					const response = await post(url, body, { signature: sign(body) });
					await response.text();
					return response.status;
				}),
			);
		const paymentsBefore = new Set(paytech.payments.keys());
		expect(await deliverAll()).toEqual(Array(deliveries.length).fill(200));
		await settledExecutions(n8n, waiting.workflowId, 30);
		await settledExecutions(n8n, payout.workflowId, 10);

		await n8n.restart();
		expect(await deliverAll()).toEqual(Array(deliveries.length).fill(200));
		const waited = await settledExecutions(n8n, waiting.workflowId, 60);
		const paid = await settledExecutions(n8n, payout.workflowId, 20);
		expect(waited.every((e) => e.status === 'success')).toBe(true);
		expect(paid.every((e) => e.status === 'success')).toBe(true);
		expect([...runsPerPayment(waited, 'pay.tech Trigger', 'Done').values()]).toEqual(
			Array(30).fill(1),
		);
		expect([...runsPerPayment(paid, 'pay.tech Trigger', 'Done').values()]).toEqual(
			Array(10).fill(1),
		);
		const withdrawals = [...paytech.payments.values()].filter(
			(p) => !paymentsBefore.has(p.id) && p.paymentType === 'WITHDRAWAL',
		);
		expect(withdrawals).toHaveLength(10);
	}, 600_000);
});

describe('webhook load on the real n8n', () => {
	// 2,000 deliveries at concurrency 20: 1,700 distinct signed events, 200 redeliveries of them
	// (same bytes; half 0-500 ms after the first copy), 100 forgeries. Every distinct event must run
	// exactly once, every forgery get 401, nothing be lost. The numbers go to bench/README.md, next
	// to the same run in queue mode (test/e2e/queue.test.ts).
	it('runs every distinct event once, refuses every forgery, loses nothing', async () => {
		const { workflowId, path } = await publishTriggerWorkflow(
			n8n,
			stack.credentials.paytech,
			'webhook load',
		);
		const report = await runDedupeLoad({
			n8n,
			workflowId,
			triggerName: 'pay.tech Trigger',
			lastNode: 'Done',
			urls: [`${n8n.baseUrl}/${path}`],
			signingKey: SIGNING_KEY,
		});
		process.stdout.write(`\n${describeDedupeLoad('regular mode', report)}\n`);
		expect(report.firstError).toBeUndefined();
		expect(report.statusCounts).toEqual({
			'valid 200': report.distinct,
			'redelivery 200': report.redeliveries,
			'forged 401': report.forgeries,
		});
		expect(report.forgeriesExecuted).toBe(0);
		expect(report.lost).toBe(0);
		expect(report.duplicated).toBe(0);
		expect(report.executionsPerEvent).toBe(1);
	}, 1_200_000);
});
