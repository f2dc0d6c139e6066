import { createHmac, randomBytes } from 'node:crypto';

import type { IDataObject, INodeParameters, Workflow } from 'n8n-workflow';

import { startPaytechSandbox, type PaytechSandbox } from '../../sandbox/paytech';
import { CREDENTIAL_TTL_MS, REREAD_AFTER_MS } from '../../nodes/common/credentialCache';
import { Harness, type WebhookServer } from '../harness/engine';
import { clearProcessedData } from '../harness/processed-data';
import {
	API_KEY,
	PAYTECH,
	PAYTECH_TRIGGER,
	SIGNING_KEY,
	chain,
	everythingVisible,
	paytechCredentials,
	runPaytech,
} from './paytech.helpers';

let sandbox: PaytechSandbox;
let harness: Harness;
let server: WebhookServer | undefined;

beforeAll(async () => {
	sandbox = await startPaytechSandbox({ apiKey: API_KEY, signingKey: SIGNING_KEY });
	harness = await Harness.create({ credentials: { paytechApi: paytechCredentials(sandbox) } });
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => {
	harness.setCredentials('paytechApi', paytechCredentials(sandbox));
});

afterEach(async () => {
	await server?.close();
	server = undefined;
});

function triggerWorkflow(parameters: INodeParameters = {}, staticData?: IDataObject): Workflow {
	return harness.workflow({
		nodes: [
			{ name: 'pay.tech Trigger', type: PAYTECH_TRIGGER, parameters },
			{ name: 'Alert', type: 'n8n-nodes-base.noOp' },
		],
		connections: chain('pay.tech Trigger', 'Alert'),
		staticData,
	});
}

/** Activates the workflow (with that static data in n8n's database, if given) and serves its webhook. */
async function serve(
	parameters: INodeParameters = {},
	staticData?: IDataObject,
): Promise<{ workflow: Workflow; url: string }> {
	const workflow = triggerWorkflow(parameters, staticData);
	await harness.activate(workflow, 'pay.tech Trigger');
	server = await harness.serveWebhooks(workflow);
	return { workflow, url: server.url('pay.tech Trigger') };
}

/** A payment that ended in `state`, created through the pay.tech node with the trigger URL. */
async function paymentReportedTo(
	url: string,
	finish: 'complete' | 'decline' = 'complete',
): Promise<string> {
	const created = await runPaytech(harness, {
		resource: 'payment',
		operation: 'createDeposit',
		amount: '19.99',
		currency: 'EUR',
		additionalFields: { webhookUrl: url },
	});
	const id = String(created.items[0].json.id);
	await (finish === 'complete' ? sandbox.complete(id) : sandbox.decline(id));
	return id;
}

const sign = (body: string, key = SIGNING_KEY) =>
	createHmac('sha256', key).update(body).digest('hex');
const post = (url: string, body: string, headers: Record<string, string> = {}) =>
	fetch(url, {
		method: 'POST',
		body,
		headers: { 'content-type': 'application/json', ...headers },
		signal: AbortSignal.timeout(5000),
	});
/** A payment id never used before in this process, so no in-process claim can know it. */
const freshPaymentId = () => randomBytes(16).toString('hex');
const payment = (id: string, fields: IDataObject = {}) =>
	JSON.stringify({
		id,
		paymentType: 'DEPOSIT',
		state: 'COMPLETED',
		amount: 19.99,
		currency: 'EUR',
		...fields,
	});

/**
 * The payment ids of every execution so far that ran past the trigger (the workflow ran), in start
 * order, once all have finished; an execution whose event was claimed before runs only the
 * trigger. A genuine delivery of a fresh payment (the sentinel, `fields` overriding its defaults)
 * goes last and must run: every request before it has been handled by then, including one whose
 * response the node wrote itself. The sentinel is left out.
 */
async function paymentsRun(
	url: string,
	fields: IDataObject = {},
	key = SIGNING_KEY,
	servers = [server!],
): Promise<string[]> {
	await sandbox.webhooksSettled();
	const sentinel = payment(freshPaymentId(), fields);
	const response = await post(url, sentinel, { signature: sign(sentinel, key) });
	expect(response.status).toBe(200);
	await response.text();
	const ran: string[] = [];
	for (const each of servers) {
		const runs = await each.idle();
		each.started.forEach((execution, index) => {
			if (runs[index].ranNodes.length > 1) ran.push(String(execution.input[0][0].json.id));
		});
	}
	// the sentinel went to the first server, so it is the last execution there
	expect(String(servers[0].started.at(-1)!.input[0][0].json.id)).toBe(JSON.parse(sentinel).id);
	return ran.filter((id) => id !== JSON.parse(sentinel).id);
}

/**
 * The same workflow served as a second n8n process sees it: same workflow and trigger node ids
 * (n8n's de-duplication store is keyed by them, in the database every process shares), another
 * trigger name, so the claims webhook() keeps in this process (keyed by name) do not know it.
 */
async function serveOtherProcess(workflow: Workflow, parameters: INodeParameters = {}) {
	const trigger = workflow.getNode('pay.tech Trigger')!;
	const other = harness.workflow({
		id: workflow.id,
		nodes: [
			{ ...trigger, name: 'pay.tech Trigger (process B)', parameters },
			{ name: 'Alert', type: 'n8n-nodes-base.noOp' },
		],
		connections: chain('pay.tech Trigger (process B)', 'Alert'),
	});
	await harness.activate(other, 'pay.tech Trigger (process B)');
	const served = await harness.serveWebhooks(other);
	return { server: served, url: served.url('pay.tech Trigger (process B)') };
}

describe('pay.tech Trigger', () => {
	it('starts exactly one execution for a completed deposit although the webhook is delivered three times', async () => {
		const { workflow, url } = await serve();
		const id = await paymentReportedTo(url);
		await sandbox.sendWebhook(id, 2);
		await server!.waitForExecutions(1);

		const deliveries = sandbox.webhooks.filter((w) => w.paymentId === id);
		expect(deliveries).toHaveLength(3);
		expect(deliveries.map((d) => d.status)).toEqual([200, 200, 200]);
		expect(new Set(deliveries.map((d) => d.body)).size).toBe(1);
		const [execution] = server!.executions;
		expect(execution.ranNodes).toEqual(['pay.tech Trigger', 'Alert']);
		expect(execution.output('Alert').map((i) => i.json)).toEqual([
			expect.objectContaining({ id, state: 'COMPLETED', amount: '19.99', currency: 'EUR' }),
		]);
		expect(execution.output('Alert')[0].json.eventKey).toBe(`${id}:COMPLETED`);
		expect(await paymentsRun(url)).toEqual([id]);
		// the execution claimed the event where every n8n process sees it, also after a restart
		const other = await serveOtherProcess(workflow);
		try {
			const body = deliveries[0].body;
			const response = await post(other.url, body, { signature: sign(body) });
			expect(response.status).toBe(200);
			await response.text();
			const [redelivered] = await other.server.idle();
			expect(redelivered.ranNodes).toEqual(['pay.tech Trigger (process B)']);
			expect(redelivered.output('pay.tech Trigger (process B)')).toEqual([]);
		} finally {
			await other.server.close();
		}
	});

	it('starts again for the same payment in a new state', async () => {
		const { url } = await serve();
		const id = await paymentReportedTo(url);
		const payment = sandbox.payments.get(id)!;
		const declined = JSON.stringify({
			...JSON.parse(sandbox.webhooks.filter((w) => w.paymentId === id)[0].body),
			state: 'DECLINED',
		});
		expect((await post(url, declined, { signature: sign(declined) })).status).toBe(200);
		await server!.waitForExecutions(2);
		expect(server!.executions.map((e) => e.output('Alert')[0].json.state)).toEqual([
			payment.state,
			'DECLINED',
		]);
	});

	it.each([
		[
			'a tampered body',
			(body: string) => ({
				body: body.replace('19.99', '1999.99'),
				headers: { signature: sign(body) },
			}),
		],
		[
			'a wrong key',
			(body: string) => ({ body, headers: { signature: sign(body, 'not-the-key') } }),
		],
		['a missing header', (body: string) => ({ body, headers: {} as Record<string, string> })],
		['a garbled header', (body: string) => ({ body, headers: { signature: 'zzzz' } })],
	])('answers 401, ends the response and starts nothing for %s', async (_name, forge) => {
		const { url } = await serve();
		const body = JSON.stringify({
			id: 'f'.repeat(32),
			paymentType: 'DEPOSIT',
			state: 'COMPLETED',
			amount: 19.99,
			currency: 'EUR',
		});
		const { body: sent, headers } = forge(body);
		const response = await post(url, sent, headers);
		expect(response.status).toBe(401);
		expect(await response.json()).toEqual({ error: 'Unauthorized' });
		expect(await paymentsRun(url)).toEqual([]);
	});

	it('refuses every webhook when the credential has no signing key (fails closed)', async () => {
		harness.setCredentials(
			'paytechApi',
			paytechCredentials(sandbox, { signingSecret: '', previousSigningSecret: '' }),
		);
		const { url } = await serve();
		const body = JSON.stringify({ id: 'e'.repeat(32), paymentType: 'DEPOSIT', state: 'COMPLETED' });
		for (const signature of [sign(body), sign(body, ''), '']) {
			const response = await post(url, body, { signature });
			expect(response.status).toBe(401);
			await response.text();
		}
		// the sentinel needs a key to be genuine; the trigger reads the credential again once
		// REREAD_AFTER_MS have passed
		harness.setCredentials('paytechApi', paytechCredentials(sandbox));
		await new Promise((resolve) => setTimeout(resolve, REREAD_AFTER_MS));
		expect(await paymentsRun(url)).toEqual([]);
	});

	it('accepts the previous signing key during a rotation', async () => {
		harness.setCredentials(
			'paytechApi',
			paytechCredentials(sandbox, {
				signingSecret: 'the-new-key',
				previousSigningSecret: SIGNING_KEY,
			}),
		);
		const { url } = await serve();
		const id = await paymentReportedTo(url);
		await server!.waitForExecutions(1);
		const body = JSON.stringify({ id: 'd'.repeat(32), paymentType: 'DEPOSIT', state: 'COMPLETED' });
		expect((await post(url, body, { signature: sign(body, 'the-new-key') })).status).toBe(200);
		expect(
			(
				await post(url, body.replace('d', 'c'), {
					signature: sign(body.replace('d', 'c'), 'third-key'),
				})
			).status,
		).toBe(401);
		await server!.waitForExecutions(2);
		expect(await paymentsRun(url, {}, 'the-new-key')).toEqual([id, 'd'.repeat(32)]);
	});

	describe('keeping the keys it read for a few seconds (CREDENTIAL_TTL_MS)', () => {
		const sleep = async (ms: number) => await new Promise((r) => setTimeout(r, Math.max(0, ms)));
		const deposit = (id: string) =>
			JSON.stringify({ id: id.repeat(32), paymentType: 'DEPOSIT', state: 'COMPLETED' });
		const deliver = async (url: string, id: string, key: string) => {
			const response = await post(url, deposit(id), { signature: sign(deposit(id), key) });
			await response.text();
			return response.status;
		};

		it('reads the credential once for many deliveries', async () => {
			const { url } = await serve();
			const before = harness.credentialReads('paytechApi');
			for (const id of ['1', '2', '3', '4', '5'])
				expect(await deliver(url, id, SIGNING_KEY)).toBe(200);
			expect(harness.credentialReads('paytechApi') - before).toBe(1);
			await server!.waitForExecutions(5);
		});

		it('takes a new key within REREAD_AFTER_MS, and refuses a removed one within CREDENTIAL_TTL_MS', async () => {
			const { url } = await serve();
			expect(await deliver(url, '1', SIGNING_KEY)).toBe(200);
			harness.setCredentials(
				'paytechApi',
				paytechCredentials(sandbox, { signingSecret: 'the-new-key', previousSigningSecret: '' }),
			);
			// the kept keys fail it, and they were read less than REREAD_AFTER_MS ago
			expect(await deliver(url, '2', 'the-new-key')).toBe(401);
			await sleep(REREAD_AFTER_MS);
			// now it is checked again with keys read anew
			expect(await deliver(url, '2', 'the-new-key')).toBe(200);
			// and those are kept now
			expect(await deliver(url, '3', SIGNING_KEY)).toBe(401);

			harness.setCredentials(
				'paytechApi',
				paytechCredentials(sandbox, { signingSecret: 'a-third-key' }),
			);
			const changed = Date.now();
			// a removed key still verifies while the keys read before the change are kept
			expect(await deliver(url, '4', 'the-new-key')).toBe(200);
			await sleep(CREDENTIAL_TTL_MS - (Date.now() - changed));
			expect(await deliver(url, '5', 'the-new-key')).toBe(401);
			expect(await deliver(url, '6', 'a-third-key')).toBe(200);
			await server!.waitForExecutions(4);
		});

		it('reads the credential again at most once per REREAD_AFTER_MS for deliveries that fail (forgeries)', async () => {
			const { url } = await serve();
			expect(await deliver(url, '1', SIGNING_KEY)).toBe(200);
			await sleep(REREAD_AFTER_MS);
			const before = harness.credentialReads('paytechApi');
			const forged = await Promise.all(
				['2', '3', '4', '5', '6', '7', '8', '9'].map(
					async (id) => await deliver(url, id, 'forged'),
				),
			);
			expect(forged).toEqual(forged.map(() => 401));
			// one read, shared by the forgeries that arrived while it was under way; then none
			expect(harness.credentialReads('paytechApi') - before).toBe(1);
			await server!.waitForExecutions(1);
		});
	});

	it('acknowledges filtered events with 200 without starting', async () => {
		const { url } = await serve({ paymentTypes: ['WITHDRAWAL'], states: ['COMPLETED'] });
		const id = await paymentReportedTo(url);
		expect(sandbox.webhooks.filter((w) => w.paymentId === id).map((w) => w.status)).toEqual([200]);
		// the sentinel is a selected event: a completed withdrawal
		expect(await paymentsRun(url, { paymentType: 'WITHDRAWAL' })).toEqual([]);
	});

	it('outputs the normalized view and redacted headers on request', async () => {
		const { url } = await serve({ options: { normalize: true, includeHeaders: true } });
		const id = await paymentReportedTo(url, 'decline');
		const [execution] = await server!.waitForExecutions(1);
		const json = execution.output('Alert')[0].json;
		expect(json).toMatchObject({
			provider: 'paytech',
			id,
			type: 'deposit',
			status: 'failed',
			amount: '19.99',
			currency: 'EUR',
		});
		expect((json.headers as IDataObject).signature).toBe('[redacted]');
		expect(everythingVisible(execution)).not.toContain(sandbox.webhooks.at(-1)!.signature);
		expect(everythingVisible(execution)).not.toContain(SIGNING_KEY);
	});

	it('enforces the IP allowlist with 403', async () => {
		const blocked = await serve({ options: { ipAllowlist: '203.0.113.0/24' } });
		const body = JSON.stringify({ id: 'a'.repeat(32), paymentType: 'DEPOSIT', state: 'COMPLETED' });
		expect((await post(blocked.url, body, { signature: sign(body) })).status).toBe(403);
		// no genuine request passes this allowlist, so no sentinel: the answered request is recorded if it started a run
		expect(await server!.idle()).toEqual([]);
		await server!.close();
		const allowed = await serve({ options: { ipAllowlist: '203.0.113.0/24, 127.0.0.1, ::1' } });
		expect((await post(allowed.url, body, { signature: sign(body) })).status).toBe(200);
		await server!.waitForExecutions(1);
	});

	it('answers 400 for a correctly signed body that is not a payment', async () => {
		const { url } = await serve();
		// n8n's own body parser refuses invalid JSON sent as JSON before the node runs
		const invalid = await post(url, 'not json', { signature: sign('not json') });
		expect(invalid.status).toBe(422);
		await invalid.text();
		for (const [body, type] of [
			['not json', 'text/plain'],
			['{"hello":"world"}', 'application/json'],
		]) {
			const response = await post(url, body, { signature: sign(body), 'content-type': type });
			expect(response.status).toBe(400);
			expect(await response.json()).toEqual({ error: 'Bad Request' });
		}
		expect(await paymentsRun(url)).toEqual([]);
	});

	describe('de-duplication', () => {
		it('runs one execution past the trigger when one event reaches two processes at once', async () => {
			const { workflow, url } = await serve();
			// an earlier event, so the store's row exists and records are read, merged and written
			const earlier = payment(freshPaymentId());
			await (await post(url, earlier, { signature: sign(earlier) })).text();
			await server!.idle();
			const other = await serveOtherProcess(workflow);
			try {
				const ids = [freshPaymentId(), freshPaymentId(), freshPaymentId()];
				// as with busy workers: every delivery answered and queued, then all run together
				const releases = [server!.holdExecutions(), other.server.holdExecutions()];
				const responses = await Promise.all(
					ids.flatMap((id) =>
						[url, other.url].map(async (target) => {
							const body = payment(id);
							const answer = await post(target, body, { signature: sign(body) });
							await answer.text();
							return answer.status;
						}),
					),
				);
				expect(responses).toEqual(Array(6).fill(200));
				expect(server!.started.length + other.server.started.length).toBe(7);
				releases.forEach((release) => release());
				const ran = await paymentsRun(url, {}, SIGNING_KEY, [server!, other.server]);
				expect(ran.slice(1).sort()).toEqual([...ids].sort());
			} finally {
				await other.server.close();
			}
		});

		it('pays out once for an event that starts the workflow twice (reference derived from the event)', async () => {
			// Trigger -> Create Withdrawal with the Reference ID left empty, as the issue measured
			const nodes = (trigger: string) => [
				{ id: 'trigger-node', name: trigger, type: PAYTECH_TRIGGER },
				{
					name: 'Pay out',
					type: PAYTECH,
					parameters: {
						resource: 'payment',
						operation: 'createWithdrawal',
						amount: '={{ $json.amount }}',
						currency: '={{ $json.currency }}',
					},
				},
			];
			const workflow = harness.workflow({
				nodes: nodes('pay.tech Trigger'),
				connections: chain('pay.tech Trigger', 'Pay out'),
			});
			server = await harness.serveWebhooks(workflow);
			const id = freshPaymentId();
			const body = payment(id, { amount: 12.5 });
			await (await post(server.url('pay.tech Trigger'), body, { signature: sign(body) })).text();
			const [first] = await server.idle();
			const paid = first.output('Pay out')[0].json;
			expect(paid.derivedReference).toEqual({
				reference: paid.referenceId,
				from: 'event',
				eventKey: `${id}:COMPLETED`,
			});
			// the trigger's records are gone (its window passed, or the database was restored) and
			// the event arrives again: a second execution runs the payout node
			clearProcessedData();
			const again = harness.workflow({
				id: workflow.id,
				nodes: nodes('pay.tech Trigger (again)'),
				connections: chain('pay.tech Trigger (again)', 'Pay out'),
			});
			const other = await harness.serveWebhooks(again);
			try {
				await (
					await post(other.url('pay.tech Trigger (again)'), body, { signature: sign(body) })
				).text();
				const [second] = await other.idle();
				expect(second.ranNodes).toEqual(['pay.tech Trigger (again)', 'Pay out']);
				expect(second.output('Pay out')[0].json).toMatchObject({
					id: paid.id,
					referenceId: paid.referenceId,
				});
			} finally {
				await other.close();
			}
			const withdrawals = [...sandbox.payments.values()].filter(
				(p) => p.referenceId === paid.referenceId,
			);
			expect(withdrawals).toHaveLength(1);
		});

		it('starts one execution for concurrent deliveries of one event to one process', async () => {
			const { url } = await serve();
			const id = freshPaymentId();
			const body = payment(id);
			const release = server!.holdExecutions();
			const responses = await Promise.all(
				[1, 2, 3].map(async () => await post(url, body, { signature: sign(body) })),
			);
			expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
			const answers = await Promise.all(responses.map(async (r) => await r.text()));
			expect(
				answers
					.map((a) => JSON.parse(a) as IDataObject)
					.sort((a, b) => (a.processed ? -1 : b.processed ? 1 : 0)),
			).toEqual([
				{ received: true, processed: true },
				{ received: true, processed: false, reason: 'already received' },
				{ received: true, processed: false, reason: 'already received' },
			]);
			release();
			expect(await paymentsRun(url)).toEqual([id]);
			expect(server!.started).toHaveLength(2);
		});
	});
});
