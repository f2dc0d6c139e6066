import { randomBytes, randomUUID } from 'node:crypto';

import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters } from 'n8n-workflow';

import {
	signNumipayPayload,
	startNumipaySandbox,
	type NumipaySandbox,
	type WebhookDelivery,
} from '../../sandbox/numipay';
import { REREAD_AFTER_MS } from '../../nodes/common/credentialCache';
import { Harness, type WebhookServer } from '../harness/engine';
import { chain, everythingVisible } from './paytech.helpers';

const NUMIPAY_TRIGGER = 'n8n-nodes-payops.numipayTrigger';
const TRIGGER = 'Numipay Trigger';

// Distinctive secrets, so a leak into any output is found by a plain substring search.
const SIGNATURE_PASSWORD = 'spg_engine_2c7d91e4_SECRET';
const DEV_API_KEY = 'numipay_dev_8b31f0_SECRET';
const NEW_PASSWORD = 'spg_rotated_f04a6b_SECRET';

// The published signature vector (docs/providers/numipay.md, section 2).
const VECTOR_BODY =
	'{"transaction_id":"r21nmrtpcmrcava","user_id":"1111222","tracking_id":"b8f04416-116a-11ed-861d-0242ac120002","status":"rejected","currency":"GBP","amount":"200.00","transaction_type":"withdrawal"}';
const VECTOR_PASSWORD = 'spg_test_companyxxxxQyGAheyMqcHVmp8ZMQtkYcev27sCu7RF';
const VECTOR_SIGNATURE = '5FDDA8F46411C132DCFBEE53C39BA06298CB48BC';

let sb: NumipaySandbox;
let harness: Harness;
let server: WebhookServer | undefined;

const credentials = (
	overrides: ICredentialDataDecryptedObject = {},
): ICredentialDataDecryptedObject => ({
	baseUrl: sb.url,
	apiKey: sb.devApiKey,
	mode: 'test',
	signaturePassword: sb.signaturePassword,
	previousSignaturePassword: '',
	...overrides,
});

beforeAll(async () => {
	sb = await startNumipaySandbox({
		signaturePassword: SIGNATURE_PASSWORD,
		devApiKey: DEV_API_KEY,
	});
	harness = await Harness.create({ credentials: { numipayApi: credentials() } });
});

afterAll(async () => {
	await sb.close();
});

beforeEach(() => {
	harness.setCredentials('numipayApi', credentials());
});

afterEach(async () => {
	await sb.webhooksSettled();
	sb.updateSettings({ webhookUrl: '', webhookFormat: 'compact' });
	if (server) {
		const runs = await server.idle();
		await server.close();
		server = undefined;
		// no execution, whatever it ran, shows a signature password
		for (const run of runs) {
			const visible = everythingVisible(run);
			for (const secret of [SIGNATURE_PASSWORD, NEW_PASSWORD, VECTOR_PASSWORD, DEV_API_KEY])
				expect(visible).not.toContain(secret);
		}
	}
});

/**
 * Activates Numipay Trigger → Alert, serves its webhook and points the sandbox's back-office
 * webhook URL at it (the operator's step: Numipay has no API for it).
 */
async function serve(parameters: INodeParameters = {}): Promise<string> {
	const workflow = harness.workflow({
		nodes: [
			{ name: TRIGGER, type: NUMIPAY_TRIGGER, parameters },
			{ name: 'Alert', type: 'n8n-nodes-base.noOp' },
		],
		connections: chain(TRIGGER, 'Alert'),
	});
	await harness.activate(workflow, TRIGGER);
	server = await harness.serveWebhooks(workflow);
	const url = server.url(TRIGGER);
	sb.updateSettings({ webhookUrl: url });
	return url;
}

/** A cashier session made through the sandbox's API, as the Numipay node would make it. */
async function cashierSession(
	kind: 'deposit' | 'withdrawal',
	amount = 10.5,
): Promise<{ token: string; trackingId: string }> {
	const endpoint =
		sb.endpoints[kind === 'deposit' ? 'createCashierSession' : 'createWithdrawalSession'];
	const trackingId = `t-${randomUUID()}`;
	const response = await fetch(`${sb.url}${endpoint.path}`, {
		method: endpoint.method,
		headers: { 'content-type': 'application/json', 'x-api-key': sb.devApiKey },
		body: JSON.stringify({
			request: { mode: 'test', user_id: '1', tracking_id: trackingId, amount, currency: 'EUR' },
		}),
		signal: AbortSignal.timeout(5000),
	});
	expect(response.status).toBe(200);
	const { token } = (await response.json()) as { token: string };
	return { token, trackingId };
}

const deliveriesOf = (id: string): WebhookDelivery[] =>
	sb.webhooks.filter((w) => w.paymentId === id);

const sign = (body: string, password = SIGNATURE_PASSWORD) => signNumipayPayload(body, password);
const post = (url: string, body: string, headers: Record<string, string> = {}) =>
	fetch(url, {
		method: 'POST',
		body,
		headers: { 'content-type': 'application/json', ...headers },
		signal: AbortSignal.timeout(5000),
	});
/** A transaction_id never used before in this process, so no claim can know it. */
const freshId = () => randomBytes(8).toString('hex');
const event = (transactionId: string, fields: IDataObject = {}) =>
	JSON.stringify({
		transaction_id: transactionId,
		user_id: '1',
		tracking_id: `t-${transactionId}`,
		status: 'successful',
		currency: 'EUR',
		amount: '10.50',
		transaction_type: 'deposit',
		...fields,
	});

/** The transaction_ids of the sentinels sent so far, which transactionsRun leaves out. */
const sentinels = new Set<string>();

/**
 * The eventKey (transaction_id:status) of every execution so far that ran past the trigger, in
 * start order, once all have finished. A genuine delivery of a fresh transaction (the sentinel,
 * `fields` overriding its defaults, signed with `password`) goes last and must run: every request
 * before it has been handled by then. Sentinels are left out.
 */
async function transactionsRun(
	url: string,
	fields: IDataObject = {},
	password = SIGNATURE_PASSWORD,
): Promise<string[]> {
	await sb.webhooksSettled();
	const sentinelId = freshId();
	sentinels.add(sentinelId);
	const sentinel = event(sentinelId, fields);
	const response = await post(url, sentinel, { 'x-signature': sign(sentinel, password) });
	expect(response.status).toBe(200);
	await response.text();
	const runs = await server!.idle();
	const keyOf = (index: number) => String(server!.started[index].input[0][0].json.eventKey);
	expect(keyOf(server!.started.length - 1).split(':')[0]).toBe(sentinelId);
	return server!.started
		.map((_execution, index) => keyOf(index))
		.filter((key, index) => runs[index].ranNodes.length > 1 && !sentinels.has(key.split(':')[0]));
}

describe('Numipay Trigger', () => {
	it('accepts the published signature vector and starts exactly one execution with the payload', async () => {
		harness.setCredentials('numipayApi', credentials({ signaturePassword: VECTOR_PASSWORD }));
		const url = await serve();
		const response = await post(url, VECTOR_BODY, { 'x-signature': VECTOR_SIGNATURE });
		expect(response.status).toBe(200);
		expect(await response.json()).toEqual({ received: true, processed: true });
		const [execution] = await server!.waitForExecutions(1);
		expect(execution.ranNodes).toEqual([TRIGGER, 'Alert']);
		expect(execution.output('Alert').map((item) => item.json)).toEqual([
			{ ...JSON.parse(VECTOR_BODY), eventKey: 'r21nmrtpcmrcava:rejected' },
		]);
		expect(await transactionsRun(url, {}, VECTOR_PASSWORD)).toEqual(['r21nmrtpcmrcava:rejected']);
	});

	it.each([
		[
			'a tampered body',
			{ body: VECTOR_BODY.replace('200.00', '2000.00'), signature: VECTOR_SIGNATURE },
		],
		[
			'a signature made with another password',
			{ body: VECTOR_BODY, signature: signNumipayPayload(VECTOR_BODY, 'not-the-password') },
		],
		['a missing x-signature header', { body: VECTOR_BODY, signature: undefined }],
		// Numipay publishes uppercase hex; the same digest in lowercase is not its signature
		[
			'the right signature in lowercase',
			{ body: VECTOR_BODY, signature: VECTOR_SIGNATURE.toLowerCase() },
		],
		['a garbled header', { body: VECTOR_BODY, signature: 'zzzz' }],
	])('answers 401 and starts nothing for %s', async (_name, { body, signature }) => {
		harness.setCredentials('numipayApi', credentials({ signaturePassword: VECTOR_PASSWORD }));
		const url = await serve();
		const response = await post(
			url,
			body,
			signature === undefined ? {} : { 'x-signature': signature },
		);
		expect(response.status).toBe(401);
		expect(await response.json()).toEqual({ error: 'Unauthorized' });
		expect(await transactionsRun(url, {}, VECTOR_PASSWORD)).toEqual([]);
	});

	it('refuses every webhook while the credential has no signature password (fails closed)', async () => {
		harness.setCredentials(
			'numipayApi',
			credentials({ signaturePassword: '', previousSignaturePassword: '' }),
		);
		const url = await serve();
		const body = event(freshId());
		for (const signature of [sign(body), sign(body, ''), '']) {
			const response = await post(url, body, { 'x-signature': signature });
			expect(response.status).toBe(401);
			await response.text();
		}
		// the sentinel needs a password to be genuine; the trigger reads the credential again once
		// REREAD_AFTER_MS have passed
		harness.setCredentials('numipayApi', credentials());
		await new Promise((resolve) => setTimeout(resolve, REREAD_AFTER_MS));
		expect(await transactionsRun(url)).toEqual([]);
	});

	it('starts the workflow for a deposit paid on the sandbox cashier', async () => {
		const url = await serve();
		const { token, trackingId } = await cashierSession('deposit', 10.5);
		const { transactionId } = sb.complete(token);
		await sb.webhooksSettled();
		const [execution] = await server!.waitForExecutions(1);
		expect(deliveriesOf(transactionId).map((d) => d.status)).toEqual([200]);
		expect(execution.output('Alert').map((item) => item.json)).toEqual([
			{
				transaction_id: transactionId,
				user_id: '1',
				tracking_id: trackingId,
				status: 'successful',
				currency: 'EUR',
				amount: '10.50',
				transaction_type: 'deposit',
				eventKey: `${transactionId}:successful`,
			},
		]);
		expect(await transactionsRun(url)).toEqual([`${transactionId}:successful`]);
	});

	it('accepts a pretty-printed body signed over its compact JSON', async () => {
		const url = await serve();
		sb.updateSettings({ webhookFormat: 'pretty' });
		const { token } = await cashierSession('deposit', 12.25);
		const { transactionId } = sb.complete(token);
		await sb.webhooksSettled();
		const [delivery] = deliveriesOf(transactionId);
		expect(delivery.body).toContain('\n  "transaction_id": ');
		expect(delivery.status).toBe(200);
		const [execution] = await server!.waitForExecutions(1);
		expect(execution.output('Alert')[0].json).toMatchObject({
			transaction_id: transactionId,
			amount: '12.25',
		});
		expect(await transactionsRun(url)).toEqual([`${transactionId}:successful`]);
	});

	it('accepts the previous signature password during a rotation, and the new one', async () => {
		harness.setCredentials(
			'numipayApi',
			credentials({
				signaturePassword: NEW_PASSWORD,
				previousSignaturePassword: sb.signaturePassword,
			}),
		);
		const url = await serve();
		// the sandbox still signs with the old password
		const { token } = await cashierSession('deposit');
		const { transactionId } = sb.complete(token);
		await sb.webhooksSettled();
		expect(deliveriesOf(transactionId).map((d) => d.status)).toEqual([200]);
		const signedNew = event(freshId());
		expect(
			(await post(url, signedNew, { 'x-signature': sign(signedNew, NEW_PASSWORD) })).status,
		).toBe(200);
		const signedOther = event(freshId());
		expect(
			(await post(url, signedOther, { 'x-signature': sign(signedOther, 'a-third-password') }))
				.status,
		).toBe(401);
		expect(await transactionsRun(url, {}, NEW_PASSWORD)).toEqual([
			`${transactionId}:successful`,
			`${JSON.parse(signedNew).transaction_id}:successful`,
		]);
	});

	it('starts once for three deliveries of one status, and again for a new status of the transaction', async () => {
		const url = await serve();
		const { token } = await cashierSession('withdrawal', 25);
		// the customer confirms: a pending withdrawal awaiting approval, reported once
		const { transactionId } = sb.complete(token);
		await sb.webhooksSettled();
		await sb.sendWebhook(transactionId, 2);
		const pending = deliveriesOf(transactionId);
		expect(pending.map((d) => d.status)).toEqual([200, 200, 200]);
		expect(new Set(pending.map((d) => d.body)).size).toBe(1);
		expect(await transactionsRun(url)).toEqual([`${transactionId}:pending`]);
		// approved, then paid out: the same transaction_id with a new status
		const approve = sb.endpoints.approveWithdrawal;
		const approved = await fetch(`${sb.url}${approve.path}`, {
			method: approve.method,
			headers: { 'content-type': 'application/json', 'x-api-key': sb.devApiKey },
			body: JSON.stringify({ transaction_id: transactionId }),
			signal: AbortSignal.timeout(5000),
		});
		expect(approved.status).toBe(200);
		await approved.text();
		await sb.webhooksSettled();
		expect(await transactionsRun(url)).toEqual([
			`${transactionId}:pending`,
			`${transactionId}:successful`,
		]);
		const successful = server!.executions
			.map((run) => run.output('Alert')[0]?.json)
			.find((json) => json?.eventKey === `${transactionId}:successful`);
		expect(successful).toMatchObject({ transaction_type: 'withdrawal', amount: '25.00' });
	});

	it('answers 200 without starting for a transaction type or status that is not selected', async () => {
		const url = await serve({ transactionType: 'withdrawal', statuses: ['successful'] });
		// a successful deposit: not a withdrawal
		const deposit = sb.complete((await cashierSession('deposit')).token).transactionId;
		// a pending withdrawal: not successful
		const withdrawal = sb.complete((await cashierSession('withdrawal')).token).transactionId;
		await sb.webhooksSettled();
		expect(deliveriesOf(deposit).map((d) => d.status)).toEqual([200]);
		expect(deliveriesOf(withdrawal).map((d) => d.status)).toEqual([200]);
		const rejected = event(freshId(), { transaction_type: 'withdrawal', status: 'rejected' });
		const response = await post(url, rejected, { 'x-signature': sign(rejected) });
		expect(response.status).toBe(200);
		expect(await response.json()).toEqual({
			received: true,
			processed: false,
			reason: 'status not selected',
		});
		// the sentinel is a selected event: a successful withdrawal
		expect(await transactionsRun(url, { transaction_type: 'withdrawal' })).toEqual([]);
	});

	it('lets every status through when none is selected, one Numipay may add later included', async () => {
		const url = await serve({ transactionType: 'deposit' });
		const id = freshId();
		const body = event(id, { status: 'refunded' });
		expect((await post(url, body, { 'x-signature': sign(body) })).status).toBe(200);
		expect(await transactionsRun(url)).toEqual([`${id}:refunded`]);
	});

	it('outputs the normalized view and redacted headers on request', async () => {
		const url = await serve({ options: { normalize: true, includeHeaders: true } });
		const { token, trackingId } = await cashierSession('deposit', 10.5);
		const { transactionId } = sb.reject(token)!;
		await sb.webhooksSettled();
		const [execution] = await server!.waitForExecutions(1);
		const json = execution.output('Alert')[0].json;
		expect(json).toEqual({
			provider: 'numipay',
			id: transactionId,
			reference: trackingId,
			type: 'deposit',
			status: 'failed',
			providerStatus: 'rejected',
			amount: '10.50',
			currency: 'EUR',
			createdAt: null,
			updatedAt: null,
			raw: expect.objectContaining({ transaction_id: transactionId, status: 'rejected' }),
			eventKey: `${transactionId}:rejected`,
			headers: expect.objectContaining({ 'x-signature': '[redacted]' }),
		});
		const [delivery] = deliveriesOf(transactionId);
		expect(everythingVisible(execution)).not.toContain(delivery.signature);
		expect(await transactionsRun(url)).toEqual([`${transactionId}:rejected`]);
	});

	it('answers 400 for a correctly signed body that is not a transaction', async () => {
		const url = await serve();
		for (const [body, type] of [
			['not json', 'text/plain'],
			['["a list"]', 'application/json'],
			['{"hello":"world"}', 'application/json'],
			['{"transaction_id":"abc"}', 'application/json'],
			['{"status":"successful"}', 'application/json'],
		]) {
			const response = await post(url, body, { 'x-signature': sign(body), 'content-type': type });
			expect([body, response.status]).toEqual([body, 400]);
			expect(await response.json()).toEqual({ error: 'Bad Request' });
		}
		expect(await transactionsRun(url)).toEqual([]);
	});
});
