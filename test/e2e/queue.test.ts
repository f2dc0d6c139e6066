/**
 * The pack in n8n's queue mode: PostgreSQL and Redis of the project's own, a main process with
 * production webhooks off, 2 workers and 2 webhook processes behind a round-robin proxy
 * (tools/n8n/cluster.ts). Every trigger runs on the workers for deliveries to either webhook
 * process; one event reaching both processes runs once, including while the first execution is
 * still running; a payout workflow pays once per event; and the load run of test/e2e/n8n.test.ts,
 * spread over both processes. Results are checked through n8n's API and the sandboxes.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { aggrepayFieldsHash } from '../../nodes/Aggrepay/hash';
import {
	describeDedupeLoad,
	publishTriggerWorkflow,
	runDedupeLoad,
	runsPerPayment,
	settledExecutions,
} from '../../tools/dedupe-load';
import { DEMO_PAYMENT_LINK } from '../../tools/n8n/demo-data';
import { nodeOutput, type N8nServer } from '../../tools/n8n/server';
import { startStack, type Stack } from '../../tools/n8n/stack';
import { freePortRange, sleep, until } from './helpers';

const OWNER = {
	email: 'queue@example.com',
	password: 'Queue-password-1',
	firstName: 'Queue',
	lastName: 'Owner',
};
const API_KEY = 'queue_api_key_SECRET';
const SIGNING_KEY = 'queue_signing_key_SECRET';
const SALT = 'queue_salt_SECRET';

let userFolder: string;
let stack: Stack;
let n8n: N8nServer;
/** Base URL of each webhook process. */
let processes: string[];

const settled = async (workflowId: string, atLeast: number) =>
	await settledExecutions(n8n, workflowId, atLeast);

const ranPastTrigger = (execution: Record<string, unknown>, lastNode: string) =>
	nodeOutput(execution, lastNode).length > 0;

const sign = (body: string, key = SIGNING_KEY) =>
	createHmac('sha256', key).update(body).digest('hex');
const post = async (url: string, body: string, headers: Record<string, string> = {}) => {
	const response = await fetch(url, {
		method: 'POST',
		body,
		headers: { 'content-type': 'application/json', ...headers },
		signal: AbortSignal.timeout(60_000),
	});
	await response.arrayBuffer();
	return response.status;
};
const paymentBody = (id: string, amount: number) =>
	JSON.stringify({ id, paymentType: 'DEPOSIT', state: 'COMPLETED', amount, currency: 'EUR' });

/** Lines of the workers' logs (n8n logs each job it runs). */
function workerLogs(): string {
	return stack
		.queue!.cluster.logFiles.filter((file) => file.includes('worker'))
		.map((file) => readFileSync(file, 'utf8'))
		.join('\n');
}

beforeAll(async () => {
	userFolder = mkdtempSync(join(tmpdir(), 'payops-queue-'));
	stack = await startStack({
		userFolder,
		owner: OWNER,
		port: await freePortRange(),
		secrets: {
			paytech: { apiKey: API_KEY, signingKey: SIGNING_KEY },
			aggrepay: { apiKey: API_KEY, salt: SALT },
		},
		queue: { postgresPort: 0, redisPort: 0, basePort: 0 },
		log: (message) => process.stdout.write(`${message}\n`),
	});
	n8n = stack.n8n;
	processes = stack.queue!.webhookProcesses;
	expect(processes).toHaveLength(2);
}, 20 * 60_000);

afterAll(async () => {
	await stack?.stop();
	if (userFolder) rmSync(userFolder, { recursive: true, force: true });
}, 120_000);

describe('the pack in queue mode', () => {
	it('main serves no production webhook; both webhook processes do, and workers run the executions', async () => {
		const { workflowId, path } = await publishTriggerWorkflow(
			n8n,
			stack.credentials.paytech,
			'where it runs',
		);
		const bodies = ['1', '2'].map((n) => paymentBody(n.repeat(32), 10));
		expect(await post(`${n8n.baseUrl}/${path}`, bodies[0], { signature: sign(bodies[0]) })).toBe(
			404,
		);
		for (const [index, base] of processes.entries())
			expect(await post(`${base}/${path}`, bodies[index], { signature: sign(bodies[index]) })).toBe(
				200,
			);
		const executions = await settled(workflowId, 2);
		expect(executions.map((e) => e.status)).toEqual(['success', 'success']);
		const logs = workerLogs();
		for (const execution of executions)
			expect(logs).toContain(`Worker finished execution ${String(execution.id)} `);
	}, 120_000);

	it('pay.tech Trigger: a deposit delivered three times over both processes posts to chat once', async () => {
		const paytech = stack.sandboxes.paytech;
		const workflowId = stack.workflows['payment-alert-to-chat'].id;
		const created = await fetch(`${paytech.url}/api/v1/payments`, {
			method: 'POST',
			headers: { authorization: `Bearer ${paytech.apiKey}`, 'content-type': 'application/json' },
			body: '{"paymentType":"DEPOSIT","referenceId":"ORDER-QUEUE-1","amount":42.10,"currency":"EUR"}',
		});
		const { result } = (await created.json()) as { result: { id: string } };
		await paytech.complete(result.id);
		await paytech.sendWebhook(result.id, 2);
		expect(paytech.webhooks.filter((w) => w.paymentId === result.id).map((w) => w.status)).toEqual([
			200, 200, 200,
		]);
		const executions = await settled(workflowId, 1);
		expect(executions.every((e) => e.status === 'success')).toBe(true);
		expect(executions.filter((e) => ranPastTrigger(e, 'Post to chat'))).toHaveLength(1);
		expect(
			stack.chat.messages.filter((m) => JSON.stringify(m.body).includes(result.id)),
		).toHaveLength(1);
	}, 120_000);

	it('AggrePay Trigger and Wallet Trigger: a paid link credits the wallet once and the poll reports the credit', async () => {
		const aggrepay = stack.sandboxes.aggrepay;
		const { walletCustomerId } = stack.demo.aggrepay;
		// the polling trigger runs on main (the leader) and hands its executions to the workers
		const wallet = await n8n.api('POST', '/workflows', {
			name: 'wallet credits',
			nodes: [
				{
					id: 'w1',
					name: 'AggrePay Wallet Trigger',
					type: 'n8n-nodes-payops.aggrePayWalletTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: {
						// n8n's shortest polling interval
						pollTimes: { item: [{ mode: 'everyMinute' }] },
						customerIds: walletCustomerId,
					},
					credentials: { aggrePayApi: stack.credentials.aggrepay },
				},
			],
			connections: {},
			settings: { executionOrder: 'v1' },
		});
		const beforeActivation = aggrepay.requests.length;
		await n8n.api('POST', `/workflows/${String(wallet.id)}/activate`);
		// n8n polls once on activation: that first poll marks where reporting starts, so the credit
		// must come after it (a fixed wait was too short for a loaded machine). Its answer is seen
		// here; n8n then stores the poll's mark, given a moment
		await until(
			'the first poll',
			async () =>
				aggrepay.requests
					.slice(beforeActivation)
					.find((r) => r.path === '/api/v1/fetchtransactions' && r.status === 200),
			60_000,
		);
		await sleep(2000);

		const fields: Record<string, string> = {
			api_key: API_KEY,
			order_id: 'TOPUP-QUEUE-1',
			mode: 'TEST',
			amount: '350.00',
			currency: 'INR',
			...DEMO_PAYMENT_LINK,
			udf1: walletCustomerId,
		};
		await fetch(`${aggrepay.url}/v2/getpaymentrequesturl`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ ...fields, hash: aggrepayFieldsHash(fields, SALT) }).toString(),
		});
		const payment = await aggrepay.completePayment('TOPUP-QUEUE-1', { success: true });
		await aggrepay.sendCallback(payment.transactionId, 2);
		const workflowId = stack.workflows['aggrepay-payment-credits-wallet'].id;
		const executions = await settled(workflowId, 1);
		expect(executions.every((e) => e.status === 'success')).toBe(true);
		expect(aggrepay.requests.filter((r) => r.path === '/api/v1/creditwallet')).toHaveLength(1);
		expect(aggrepay.balanceOf(walletCustomerId)).toMatch(/^350(\.0+)?$/);

		const polled = await until(
			'the polled credit',
			async () => {
				const list = await n8n.executions(String(wallet.id), true);
				return list.find((e) =>
					JSON.stringify(nodeOutput(e, 'AggrePay Wallet Trigger')).includes(
						`PG-${payment.transactionId}`,
					),
				);
			},
			150_000,
		);
		expect(polled.status).toBe('success');
		expect(workerLogs()).toContain(`Worker finished execution ${String(polled.id)} `);
		await n8n.api('POST', `/workflows/${String(wallet.id)}/deactivate`);
	}, 300_000);

	it('Numipay Trigger: a pending withdrawal delivered three times over both processes is approved once', async () => {
		const numipay = stack.sandboxes.numipay;
		const workflowId = stack.workflows['numipay-payout-approval'].id;
		const created = await fetch(`${numipay.url}/payouts/cashier`, {
			method: 'POST',
			headers: { 'x-api-key': numipay.devApiKey, 'content-type': 'application/json' },
			body: '{"request":{"mode":"test","user_id":"2001","tracking_id":"PAYOUT-QUEUE-1","amount":25.00,"currency":"EUR"}}',
		});
		const { token } = (await created.json()) as { token: string };
		// the customer confirms on the payout cashier: the withdrawal waits, and its webhook goes out
		const { transactionId } = numipay.complete(token);
		await numipay.sendWebhook(transactionId, 2);
		// the first one, sent on confirmation, may still be on its way
		await numipay.webhooksSettled();
		const pending = numipay.webhooks.filter(
			(w) => w.paymentId === transactionId && w.body.includes('"pending"'),
		);
		expect(pending.map((w) => w.status)).toEqual([200, 200, 200]);
		const executions = await settled(workflowId, 1);
		expect(executions.every((e) => e.status === 'success')).toBe(true);
		expect(executions.filter((e) => ranPastTrigger(e, 'Approve withdrawal'))).toHaveLength(1);
		await until(
			'the approved payout',
			async () => numipay.transaction(transactionId)?.status === 'successful' || undefined,
			30_000,
		);
		expect(numipay.requests.filter((r) => r.path === '/payouts/approve')).toHaveLength(1);
	}, 120_000);

	it('Aggrepay.pro Trigger: a finished payment called back three times over both processes posts to chat once', async () => {
		const pro = stack.sandboxes['aggrepay-pro'];
		const alert = stack.workflows['aggrepay-pro-payment-alert-to-chat'];
		// the callbackUri goes through the load balancer, which alternates between the processes
		const callbackUri = alert.webhookUrls['Aggrepay.pro Trigger'];
		const body = JSON.stringify({
			orderId: 'ORDER-QUEUE-PRO-1',
			merchantId: pro.merchantId,
			amount: 1500,
			currency: 'RUB',
			paymentMethod: 'card_rub',
			callbackUri,
		});
		const created = await fetch(`${pro.url}/api/v1/payments`, {
			method: 'POST',
			headers: {
				authorization: `Bearer ${pro.apiKey}`,
				'content-type': 'application/json',
				signature: pro.sign(body),
			},
			body,
		});
		const { data } = (await created.json()) as { data: { id: string } };
		pro.finish(data.id);
		await pro.callbacksSettled();
		await pro.sendCallback(data.id, 2);
		const finished = pro.callbacks.filter(
			(c) => c.paymentId === data.id && c.body.includes('"finished"'),
		);
		expect(finished.map((c) => c.status)).toEqual([200, 200, 200]);
		const executions = await settled(alert.id, 1);
		expect(executions.every((e) => e.status === 'success')).toBe(true);
		expect(executions.filter((e) => ranPastTrigger(e, 'Post to chat'))).toHaveLength(1);
		expect(
			stack.chat.messages.filter((m) => JSON.stringify(m.body).includes(data.id)),
		).toHaveLength(1);
	}, 120_000);

	it('All4Pay Trigger: a confirmed PIX deposit called back over both processes credits the customer and posts to chat once', async () => {
		const all4pay = stack.sandboxes.all4pay;
		const alert = stack.workflows['all4pay-pix-deposit-credit-and-alert'];
		const created = await fetch(`${all4pay.url}/deposit/`, {
			method: 'POST',
			headers: { token: all4pay.token, 'content-type': 'application/json' },
			body: '{"user_id":"customer-queue-1","cpf":"12345678909","name":"Maria Silva","email":"maria.silva@example.com","amount":10.50}',
		});
		const { id } = (await created.json()) as { id: string };
		all4pay.pay(id);
		await all4pay.callbacksSettled();
		// through the load balancer, which alternates between the processes, and then the same
		// bytes to each process directly, at once; each carries the Callback Token in its URL
		await all4pay.sendCallback(id, 2);
		const confirmed = all4pay.callbacks.filter(
			(c) => c.paymentId === id && c.body.includes('"confirmed"'),
		);
		expect(confirmed.map((c) => c.status)).toEqual([200, 200, 200]);
		expect(new Set(confirmed.map((c) => c.body)).size).toBe(1);
		const { pathname, search } = new URL(all4pay.settings.callbackUrl!);
		expect(search).toBe(`?token=${all4pay.callbackToken}`);
		expect(
			await Promise.all(
				processes.map((base) => post(`${base}${pathname}${search}`, confirmed[0].body)),
			),
		).toEqual([200, 200]);

		const executions = await settled(alert.id, 1);
		expect(executions.every((e) => e.status === 'success')).toBe(true);
		const credits = executions.filter((e) => ranPastTrigger(e, 'Credit the customer'));
		expect(credits).toHaveLength(1);
		expect(nodeOutput(credits[0], 'Credit the customer')).toMatchObject([
			{ cpf: '12345678909', balance: '10.50', last_deposit_id: id },
		]);
		expect(workerLogs()).toContain(`Worker finished execution ${String(credits[0].id)} `);
		expect(stack.chat.messages.filter((m) => JSON.stringify(m.body).includes(id))).toHaveLength(1);
	}, 120_000);

	it('runs no second execution for a redelivery to the other process while the first still runs (1 s, 3 s, 6 s)', async () => {
		const { workflowId, path } = await publishTriggerWorkflow(
			n8n,
			stack.credentials.paytech,
			'window',
			{ waitSeconds: 5 },
		);
		const delays = [1000, 3000, 6000];
		await Promise.all(
			delays.map(async (delay, index) => {
				const body = paymentBody(`${index + 1}`.padStart(32, 'c'), 5);
				expect(await post(`${processes[0]}/${path}`, body, { signature: sign(body) })).toBe(200);
				await sleep(delay);
				expect(await post(`${processes[1]}/${path}`, body, { signature: sign(body) })).toBe(200);
			}),
		);
		const executions = await settled(workflowId, delays.length);
		const ran = runsPerPayment(executions, 'pay.tech Trigger', 'Done');
		process.stdout.write(
			`\nqueue mode window: first execution waits 5 s; redelivery to the other webhook process after ${delays.map((d) => `${d / 1000} s: ${ran.get(`${delays.indexOf(d) + 1}`.padStart(32, 'c')) === 1 ? 'no second execution' : 'RAN AGAIN'}`).join(', ')}; ${executions.length} executions started\n`,
		);
		expect([...ran.values()]).toEqual([1, 1, 1]);
		expect(executions.every((e) => e.status === 'success')).toBe(true);
	}, 180_000);

	it('pays out once per event when every event reaches both processes at once', async () => {
		const paytech = stack.sandboxes.paytech;
		const { workflowId, path } = await publishTriggerWorkflow(
			n8n,
			stack.credentials.paytech,
			'payout per deposit',
			{ payout: true },
		);
		const events = Array.from({ length: 10 }, (_, n) => ({
			id: `${n}`.padStart(32, 'd'),
			amount: 100 + n,
		}));
		const before = new Set(paytech.payments.keys());
		await Promise.all(
			events.flatMap(({ id, amount }) => {
				const body = paymentBody(id, amount);
				return processes.map(
					async (base) => await post(`${base}/${path}`, body, { signature: sign(body) }),
				);
			}),
		);
		const executions = await settled(workflowId, events.length);
		expect(executions.every((e) => e.status === 'success')).toBe(true);
		const payouts = [...paytech.payments.values()].filter(
			(p) => !before.has(p.id) && p.paymentType === 'WITHDRAWAL',
		);
		expect(payouts.map((p) => Number(p.amount)).sort()).toEqual(events.map((e) => e.amount));
		const outputs = executions.flatMap((e) => nodeOutput(e, 'Done'));
		expect(outputs.map((o) => (o.derivedReference as { from: string }).from)).toEqual(
			Array(events.length).fill('event'),
		);
	}, 180_000);

	it('load: every distinct event once over both processes, no forgery run, nothing lost', async () => {
		const { workflowId, path } = await publishTriggerWorkflow(
			n8n,
			stack.credentials.paytech,
			'queue load',
		);
		const report = await runDedupeLoad({
			n8n,
			workflowId,
			triggerName: 'pay.tech Trigger',
			lastNode: 'Done',
			urls: processes.map((base) => `${base}/${path}`),
			signingKey: SIGNING_KEY,
		});
		process.stdout.write(`\n${describeDedupeLoad('queue mode', report)}\n`);
		expect(report.firstError).toBeUndefined();
		expect(report.statusCounts).toEqual({
			'valid 200': report.distinct,
			'redelivery 200': report.redeliveries,
			'forged 401': report.forgeries,
		});
		expect(report.forgeriesExecuted).toBe(0);
		expect(report.lost).toBe(0);
		expect(report.duplicated).toBe(0);
	}, 1_800_000);
});
