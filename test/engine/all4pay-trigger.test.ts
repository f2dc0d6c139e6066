import type { IDataObject, INodeParameters } from 'n8n-workflow';

import {
	startAll4paySandbox,
	type All4paySandbox,
	type All4paySandboxOptions,
	type WebhookDelivery,
} from '../../sandbox/all4pay';
import { Harness, outputsAndErrors, type RunResult, type WebhookServer } from '../harness/engine';
import {
	ALL4PAY_TRIGGER,
	all4payCredentials,
	apiDeposit,
	apiWithdrawal,
	CALLBACK_TOKEN,
	CUSTOMER_CPF_DIGITS,
	depositCreate,
	NODE,
	runAll4pay,
	sent,
	TOKEN,
	WRONG_CALLBACK_TOKEN,
	WRONG_TOKEN,
} from './all4pay.helpers';
import { chain, everythingVisible } from './paytech.helpers';

// The All4Pay Trigger through n8n's real engine: the sandbox calls back over HTTP, the trigger
// checks the URL's token, confirms through the sandbox's API and starts the workflow.

const TRIGGER = 'All4Pay Trigger';
const SECRETS = [TOKEN, CALLBACK_TOKEN, WRONG_TOKEN, WRONG_CALLBACK_TOKEN];

let sb: All4paySandbox;
let harness: Harness;
let server: WebhookServer | undefined;
/** The sandbox the served trigger's URL is set in (sb unless a test has its own). */
let calling: All4paySandbox;
const extraSandboxes: All4paySandbox[] = [];

beforeAll(async () => {
	sb = await startAll4paySandbox({ token: TOKEN });
	harness = await Harness.create({ credentials: { all4payApi: all4payCredentials(sb) } });
});

afterAll(async () => {
	await sb.close();
});

beforeEach(() => {
	calling = sb;
	sb.clearFaults();
	harness.setCredentials('all4payApi', all4payCredentials(sb));
});

afterEach(async () => {
	await calling.callbacksSettled();
	calling.updateSettings({ callbackUrl: '' });
	let runs: RunResult[] = [];
	if (server) {
		runs = await server.idle();
		await server.close();
		server = undefined;
	}
	await Promise.all(extraSandboxes.splice(0).map(async (s) => await s.close()));
	// no execution, whatever it ran, shows the Token or the Callback Token
	for (const run of runs) {
		const visible = everythingVisible(run);
		for (const secret of SECRETS) expect(visible).not.toContain(secret);
	}
});

/**
 * Activates All4Pay Trigger → Alert, serves its webhook and sets the sandbox's dashboard callback
 * URL to it with `?token=` (the operator's step). Returns the URL without the token.
 */
async function serve(
	parameters: INodeParameters = {},
	target: All4paySandbox = sb,
	token: string = CALLBACK_TOKEN,
): Promise<string> {
	const workflow = harness.workflow({
		nodes: [
			{ name: TRIGGER, type: ALL4PAY_TRIGGER, parameters },
			{ name: 'Alert', type: 'n8n-nodes-base.noOp' },
		],
		connections: chain(TRIGGER, 'Alert'),
	});
	await harness.activate(workflow, TRIGGER);
	server = await harness.serveWebhooks(workflow);
	const url = server.url(TRIGGER);
	calling = target;
	target.updateSettings({ callbackUrl: `${url}?token=${encodeURIComponent(token)}` });
	return url;
}

/** Every execution so far that ran past the trigger (the event was new), once all have finished. */
async function executionsRun(): Promise<RunResult[]> {
	await calling.callbacksSettled();
	const runs = await server!.idle();
	return runs.filter((run) => run.ranNodes.length > 1);
}

const eventKeys = async () =>
	(await executionsRun()).map((run) => String(run.output('Alert')[0].json.eventKey));

const itemOf = async (eventKey: string): Promise<IDataObject | undefined> =>
	(await executionsRun())
		.map((run) => run.output('Alert')[0].json)
		.find((json) => json.eventKey === eventKey);

const post = async (url: string, body: string, headers: Record<string, string> = {}) => {
	const response = await fetch(url, {
		method: 'POST',
		body,
		headers: { 'content-type': 'application/json', ...headers },
		signal: AbortSignal.timeout(5000),
	});
	return { status: response.status, json: (await response.json()) as IDataObject };
};

/** A callback body in the shape the sandbox sends (amount a JSON number with two decimals). */
const callbackBody = (fields: { id: string; type?: string; status?: string; amount?: string }) =>
	`{"id":${JSON.stringify(fields.id)},"type":"${fields.type ?? 'deposit'}","status":"${fields.status ?? 'pending'}","amount":${fields.amount ?? '10.50'},"user_id":"cust-1"}`;

const statuses = (deliveries: WebhookDelivery[]) => deliveries.map((d) => d.status);

/** A deposit made (and paid, if asked) while no callback URL is set: the trigger has heard nothing of it. */
async function quietDeposit(pay = false): Promise<string> {
	expect(sb.settings.callbackUrl).toBeUndefined();
	const id = String((await apiDeposit(sb, 10.5)).id);
	if (pay) sb.pay(id);
	return id;
}

describe('All4Pay Trigger: genuine callbacks', () => {
	it("a deposit created by the node, paid, and its callback delivered three times more starts one execution with the API's deposit", async () => {
		await serve();
		const created = await runAll4pay(harness, depositCreate({ amount: '10.50' }));
		expect(created.error(NODE)).toBeUndefined();
		for (const secret of SECRETS) expect(outputsAndErrors(created)).not.toContain(secret);
		const id = String(created.items[0].json.id);
		await sb.callbacksSettled();
		sb.pay(id);
		await sb.callbacksSettled();
		expect(statuses(await sb.sendCallback(id, 3))).toEqual([200, 200, 200]);

		const confirmedDeliveries = sb.callbacks.filter(
			(c) => c.paymentId === id && c.body.includes('"confirmed"'),
		);
		expect(statuses(confirmedDeliveries)).toEqual([200, 200, 200, 200]);
		expect(new Set(confirmedDeliveries.map((c) => c.body)).size).toBe(1);
		// the pending callback of the create, then the payment once
		expect(await eventKeys()).toEqual([`deposit:${id}:pending`, `deposit:${id}:confirmed`]);
		// one API read per event: a redelivery of an event already run for is answered without one
		expect(sent(sb, 'GET', `/deposit/${id}`)).toHaveLength(2);

		const deposit = sb.deposit(id)!;
		const item = await itemOf(`deposit:${id}:confirmed`);
		// the API's deposit (CPF, PIX code, times), not the callback's body, which has none of them
		expect(item).toEqual({
			id,
			user_id: deposit.userId,
			cpf: CUSTOMER_CPF_DIGITS,
			amount: '10.50',
			status: 'confirmed',
			pix_code: deposit.pixCode,
			qr_code: deposit.qrCode,
			created_at: deposit.createdAt.toISOString(),
			updated_at: deposit.updatedAt.toISOString(),
			type: 'deposit',
			eventKey: `deposit:${id}:confirmed`,
		});
		expect(Object.keys(JSON.parse(confirmedDeliveries[0].body) as IDataObject).sort()).toEqual([
			'amount',
			'id',
			'status',
			'type',
			'user_id',
		]);
		// confirmed through the API with the credential's Token
		const reads = sent(sb, 'GET', `/deposit/${id}`);
		expect(reads.length).toBeGreaterThanOrEqual(2);
		expect(reads.every((r) => r.status === 200 && r.headers.token === TOKEN)).toBe(true);
	});

	it('a withdrawal: starts per status, normalized on request, confirmed at the withdrawal path', async () => {
		await serve({ options: { normalize: true, includeHeaders: true } });
		const withdrawal = await apiWithdrawal(sb, 25);
		const id = String(withdrawal.id);
		await sb.callbacksSettled();
		sb.confirmWithdrawal(id);
		expect(await eventKeys()).toEqual([`withdrawal:${id}:pending`, `withdrawal:${id}:confirmed`]);
		const stored = sb.withdrawal(id)!;
		expect(await itemOf(`withdrawal:${id}:confirmed`)).toEqual({
			provider: 'all4pay',
			id,
			reference: stored.userId,
			type: 'withdrawal',
			status: 'succeeded',
			providerStatus: 'confirmed',
			amount: '25.00',
			currency: 'BRL',
			createdAt: stored.createdAt.toISOString(),
			updatedAt: stored.updatedAt.toISOString(),
			raw: expect.objectContaining({ id, status: 'confirmed', pix_key: stored.pixKey }),
			eventKey: `withdrawal:${id}:confirmed`,
			headers: expect.objectContaining({ 'user-agent': 'all4pay-sandbox' }),
		});
		expect(sent(sb, 'GET', `/witddraw/${id}`).map((r) => r.status)).toEqual([200, 200]);
	});

	it('answers 503 while the API cannot confirm, and starts the workflow when All4Pay tries again', async () => {
		const id = await quietDeposit(true);
		await serve();
		// the trigger reads it three times per callback (retries), each refused once
		sb.injectFault({
			method: 'GET',
			path: `/deposit/${id}`,
			fault: 'status',
			status: 500,
			times: 3,
		});
		expect(statuses(await sb.sendCallback(id))).toEqual([503, 200]);
		expect(sent(sb, 'GET', `/deposit/${id}`).map((r) => r.status)).toEqual([500, 500, 500, 200]);
		expect(await eventKeys()).toEqual([`deposit:${id}:confirmed`]);
	});

	it('confirms at the path of the credential’s Endpoint Overrides', async () => {
		const moved = await startAll4paySandbox({
			token: TOKEN,
			endpoints: { getDeposit: { method: 'GET', path: '/v2/pix/deposits/{id}' } },
		} satisfies All4paySandboxOptions);
		extraSandboxes.push(moved);
		harness.setCredentials(
			'all4payApi',
			all4payCredentials(moved, {
				endpointOverrides: '{"getDeposit": "GET /v2/pix/deposits/{id}"}',
			}),
		);
		await serve({}, moved);
		const id = String((await apiDeposit(moved, 12)).id);
		expect(await eventKeys()).toEqual([`deposit:${id}:pending`]);
		expect(sent(moved, 'GET', `/v2/pix/deposits/${id}`).map((r) => r.status)).toEqual([200]);
		expect(moved.requests.filter((r) => r.status === 404)).toEqual([]);
	});
});

describe('All4Pay Trigger: forged callbacks', () => {
	it('the right token with a false status starts nothing and is answered 503', async () => {
		const id = await quietDeposit();
		await serve();
		// status "confirmed" for a pending deposit; All4Pay's retries get 503 too
		expect(statuses(await sb.sendForgedCallback(id))).toEqual([503, 503, 503]);
		expect(sb.forgedCallbacks.at(-1)!.body).toContain('"status":"confirmed"');
		expect(sent(sb, 'GET', `/deposit/${id}`).map((r) => r.status)).toEqual([200, 200, 200]);
		expect(await eventKeys()).toEqual([]);
		expect(sb.deposit(id)!.status).toBe('pending');
	});

	it('the right token and the true status with a forged amount starts nothing and is answered 503; the genuine one then starts it', async () => {
		const id = await quietDeposit(true);
		await serve();
		expect(
			statuses(await sb.sendForgedCallback(id, { status: 'confirmed', amount: '9999.99' })),
		).toEqual([503, 503, 503]);
		expect(await eventKeys()).toEqual([]);
		// a refused forgery leaves nothing behind that would hide the genuine callback
		expect(statuses(await sb.sendCallback(id))).toEqual([200]);
		expect(await eventKeys()).toEqual([`deposit:${id}:confirmed`]);
		expect(await itemOf(`deposit:${id}:confirmed`)).toMatchObject({ amount: '10.50' });
	});

	it('with Confirm Through the API off, a forged callback does start the workflow, with its own content', async () => {
		const id = await quietDeposit();
		await serve({ confirm: false });
		expect(statuses(await sb.sendForgedCallback(id, { amount: '9999.99' }))).toEqual([200]);
		expect(await eventKeys()).toEqual([`deposit:${id}:confirmed`]);
		expect(await itemOf(`deposit:${id}:confirmed`)).toEqual({
			id,
			type: 'deposit',
			status: 'confirmed',
			amount: '9999.99',
			user_id: sb.deposit(id)!.userId,
			eventKey: `deposit:${id}:confirmed`,
		});
		// nothing was asked of the API
		expect(sent(sb, 'GET', `/deposit/${id}`)).toEqual([]);
	});
});

describe('All4Pay Trigger: the Callback Token', () => {
	it.each([
		['no token', ''],
		['an empty token', '?token='],
		['a wrong token', `?token=${WRONG_CALLBACK_TOKEN}`],
		["the API's Token instead of the Callback Token", `?token=${TOKEN}`],
		['the token in another letter case', `?token=${CALLBACK_TOKEN.toUpperCase()}`],
		['the token with a character more', `?token=${CALLBACK_TOKEN}x`],
		['the token cut short', `?token=${CALLBACK_TOKEN.slice(0, -1)}`],
		['the token twice', `?token=${CALLBACK_TOKEN}&token=${CALLBACK_TOKEN}`],
		['the token under another parameter name', `?Token=${CALLBACK_TOKEN}`],
	])('%s: 401 and nothing started or read', async (_name, query) => {
		const id = await quietDeposit(true);
		const url = await serve();
		const before = sb.requests.length;
		const response = await post(`${url}${query}`, callbackBody({ id, status: 'confirmed' }));
		expect(response).toEqual({ status: 401, json: { error: 'Unauthorized' } });
		expect(sb.requests.length).toBe(before);
		expect(await eventKeys()).toEqual([]);
	});

	it('a token in a header instead of the URL: 401', async () => {
		const id = await quietDeposit(true);
		const url = await serve();
		const body = callbackBody({ id, status: 'confirmed' });
		const inHeaders: Array<Record<string, string>> = [
			{ token: CALLBACK_TOKEN },
			{ authorization: `Bearer ${CALLBACK_TOKEN}` },
		];
		for (const headers of inHeaders) expect((await post(url, body, headers)).status).toBe(401);
		// the same callback with the token in the URL is genuine
		expect(await post(`${url}?token=${CALLBACK_TOKEN}`, body)).toEqual({
			status: 200,
			json: { received: true, processed: true },
		});
		expect(await eventKeys()).toEqual([`deposit:${id}:confirmed`]);
	});

	it.each([
		['empty', ''],
		['blank', '   '],
	])(
		'a credential whose Callback Token is %s refuses every callback (401), the genuine ones included',
		async (_name, callbackToken) => {
			harness.setCredentials('all4payApi', all4payCredentials(sb, { callbackToken }));
			const url = await serve();
			const id = String((await apiDeposit(sb, 10.5)).id);
			await sb.callbacksSettled();
			expect(statuses(sb.callbacks.filter((c) => c.paymentId === id))).toEqual([401, 401, 401]);
			for (const query of ['', '?token=', `?token=${encodeURIComponent(callbackToken)}`])
				expect((await post(`${url}${query}`, callbackBody({ id }))).status).toBe(401);
			expect(sent(sb, 'GET', `/deposit/${id}`)).toEqual([]);
			expect(await eventKeys()).toEqual([]);
		},
	);
});

describe('All4Pay Trigger: filters and bodies', () => {
	it.each([
		['a deposit while Kind is Withdrawal', { kind: 'withdrawal' }, 'kind not selected'],
		[
			'a pending deposit while only Confirmed is selected',
			{ kind: 'deposit', statuses: ['confirmed'] },
			'status not selected',
		],
	])('%s: 200, nothing started and nothing read', async (_name, parameters, reason) => {
		const url = await serve(parameters);
		const id = String((await apiDeposit(sb, 10.5)).id);
		await sb.callbacksSettled();
		expect(statuses(sb.callbacks.filter((c) => c.paymentId === id))).toEqual([200]);
		expect(await post(`${url}?token=${CALLBACK_TOKEN}`, callbackBody({ id }))).toEqual({
			status: 200,
			json: { received: true, processed: false, reason },
		});
		expect(sent(sb, 'GET', `/deposit/${id}`)).toEqual([]);
		expect(await eventKeys()).toEqual([]);
	});

	it('lets a status through when none is selected, one All4Pay may add later included', async () => {
		const url = await serve({ confirm: false, kind: 'deposit' });
		const response = await post(
			`${url}?token=${CALLBACK_TOKEN}`,
			callbackBody({ id: 'dep_later_1', status: 'chargeback' }),
		);
		expect(response.json).toEqual({ received: true, processed: true });
		expect(await eventKeys()).toEqual(['deposit:dep_later_1:chargeback']);
	});

	it('answers 400 for a body with the right token that is not a callback', async () => {
		const url = await serve();
		const before = sb.requests.length;
		for (const [body, type] of [
			// n8n itself answers 422 for JSON it cannot parse: as text, the trigger reads it
			['not json', 'text/plain'],
			['["a list"]', 'application/json'],
			['{"id":"dep_1","status":"confirmed"}', 'application/json'],
			['{"id":"dep_1","type":"refund","status":"confirmed"}', 'application/json'],
			['{"id":"dep_1","type":"deposit","status":""}', 'application/json'],
			['{"id":"../balance/","type":"deposit","status":"confirmed"}', 'application/json'],
		]) {
			const response = await post(`${url}?token=${CALLBACK_TOKEN}`, body, { 'content-type': type });
			expect([body, response]).toEqual([body, { status: 400, json: { error: 'Bad Request' } }]);
		}
		expect(sb.requests.length).toBe(before);
		expect(await eventKeys()).toEqual([]);
	});

	it('an id All4Pay does not know is answered 503 (cannot be confirmed), and nothing starts', async () => {
		const url = await serve();
		const response = await post(
			`${url}?token=${CALLBACK_TOKEN}`,
			callbackBody({ id: 'dep_000000000000000000000000', status: 'confirmed' }),
		);
		expect(response).toEqual({ status: 503, json: { error: 'Service Unavailable' } });
		expect(sent(sb, 'GET', '/deposit/dep_000000000000000000000000').map((r) => r.status)).toEqual([
			404,
		]);
		expect(await eventKeys()).toEqual([]);
	});
});
