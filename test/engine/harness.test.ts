import { createHmac } from 'node:crypto';
import { resolve } from 'node:path';

import type { IConnections, INode } from 'n8n-workflow';

import { Harness } from '../harness/engine';
import type { WebhookServer } from '../harness/engine';
import type { FakeApi, RecordedRequest } from '../harness/fake-api';
import { startFakeApi } from '../harness/fake-api';

const PKG = 'n8n-nodes-harness-fixture';
const SECRET = 'whsec_test';
const sign = (raw: string) => createHmac('sha256', SECRET).update(raw).digest('hex');
const chain = (...names: string[]): IConnections =>
	Object.fromEntries(
		names
			.slice(0, -1)
			.map((name, i) => [name, { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] }]),
	);

let api: FakeApi;
let harness: Harness;
let registered = 0;
let events: Array<{ id: number }> = [];

async function route(req: RecordedRequest) {
	if (req.headers.authorization !== 'Bearer key_live_1')
		return { status: 401, body: { error: 'bad key' } };
	if (req.method === 'POST' && req.path === '/orders')
		return { body: { created: true, received: req.json() } };
	if (req.method === 'POST' && req.path === '/webhooks')
		return { body: { id: `wh_${++registered}` } };
	if (req.method === 'GET' && req.path.startsWith('/webhooks/'))
		return { body: { id: req.path.split('/')[2] } };
	if (req.method === 'DELETE' && req.path.startsWith('/webhooks/')) return { body: {} };
	if (req.method === 'GET' && req.path === '/events') {
		const since = Number(req.query.get('since'));
		return { body: events.filter((e) => e.id > since) };
	}
	return { status: 404, body: { error: 'no route' } };
}

beforeAll(async () => {
	api = await startFakeApi(route);
	harness = await Harness.create({
		packageDir: resolve(__dirname, '../harness/fixture-package'),
		credentials: { harnessApi: { baseUrl: api.url, apiKey: 'key_live_1', webhookSecret: SECRET } },
	});
});

afterAll(async () => {
	await api.close();
});

beforeEach(() => {
	api.requests.length = 0;
	harness.setCredentials('harnessApi', {
		baseUrl: api.url,
		apiKey: 'key_live_1',
		webhookSecret: SECRET,
	});
});

describe('package loading', () => {
	it('loads the fixture package through PackageDirectoryLoader with n8n type names and changes', () => {
		const poll = harness.nodeTypes.getByNameAndVersion(`${PKG}.harnessPoll`, 1);
		// DirectoryLoader adds the polling schedule parameter to polling nodes
		expect(poll.description.properties[0].name).toBe('pollTimes');
		expect(harness.packageName).toBe(PKG);
		expect(() => harness.nodeTypes.getByName('n8n-nodes-base.manualTrigger')).not.toThrow();
	});

	it('loads the real package', async () => {
		const real = await Harness.create();
		expect(() => real.nodeTypes.getByName('n8n-nodes-payops.paytech')).not.toThrow();
	});
});

describe('manual run', () => {
	const orderWorkflow = () =>
		harness.workflow({
			nodes: [
				{ name: 'Start', type: 'n8n-nodes-base.manualTrigger' },
				{
					name: 'Fixture',
					type: 'test.fixture',
					parameters: {
						items: JSON.stringify([
							{ id: 'o-1', cents: 1250 },
							{ id: 'o-2', cents: 99 },
						]),
					},
				},
				{
					name: 'Create Order',
					type: `${PKG}.harnessHttp`,
					parameters: { orderId: '={{ $json.id }}', amount: '={{ $json.cents / 100 }}' },
				},
				{ name: 'Done', type: 'n8n-nodes-base.noOp' },
			],
			connections: chain('Start', 'Fixture', 'Create Order', 'Done'),
		});

	it('evaluates expressions, authenticates through the credential and pairs items', async () => {
		const result = await harness.run(orderWorkflow());
		expect(result.ranNodes).toEqual(['Start', 'Fixture', 'Create Order', 'Done']);
		expect(api.requests.map((r) => [r.method, r.path, r.headers.authorization, r.json()])).toEqual([
			['POST', '/orders', 'Bearer key_live_1', { orderId: 'o-1', amount: 12.5 }],
			['POST', '/orders', 'Bearer key_live_1', { orderId: 'o-2', amount: 0.99 }],
		]);
		const out = result.output('Create Order');
		expect(out.map((i) => i.json)).toEqual([
			{ created: true, received: { orderId: 'o-1', amount: 12.5 } },
			{ created: true, received: { orderId: 'o-2', amount: 0.99 } },
		]);
		expect(out.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(result.output('Done')).toHaveLength(2);
	});

	it('feeds items into the start node', async () => {
		const wf = harness.workflow({
			nodes: [
				{ name: 'Start', type: 'n8n-nodes-base.manualTrigger' },
				{
					name: 'Create Order',
					type: `${PKG}.harnessHttp`,
					parameters: { orderId: '={{ $json.ref }}', amount: 1 },
				},
			],
			connections: chain('Start', 'Create Order'),
		});
		const result = await harness.run(wf, { items: [{ json: { ref: 'fed' } }] });
		expect(result.output('Create Order')[0].json).toMatchObject({ received: { orderId: 'fed' } });
	});

	it('reports a failing request as the node error', async () => {
		harness.setCredentials('harnessApi', {
			baseUrl: api.url,
			apiKey: 'wrong',
			webhookSecret: SECRET,
		});
		const result = await harness.run(orderWorkflow());
		const error = result.error('Create Order');
		expect(error).toBeDefined();
		expect(error?.name).toBe('NodeApiError');
		expect((error as unknown as { httpCode: string }).httpCode).toBe('401');
		expect(result.ranNodes).not.toContain('Done');
	});
});

describe('webhooks', () => {
	let wf: ReturnType<Harness['workflow']>;
	let server: WebhookServer;

	beforeEach(async () => {
		wf = harness.workflow({
			nodes: [
				{ name: 'Trigger', type: `${PKG}.harnessTrigger` },
				{ name: 'Downstream', type: 'n8n-nodes-base.noOp' },
			] as Array<Partial<INode>>,
			connections: chain('Trigger', 'Downstream'),
		});
		server = await harness.serveWebhooks(wf);
	});

	afterEach(async () => {
		await server.close();
	});

	const post = async (raw: string, signature = sign(raw), url = server.url('Trigger')) =>
		await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'x-signature': signature },
			body: raw,
		});

	it('starts exactly one execution per valid request with the parsed body', async () => {
		expect(server.url('Trigger')).toMatch(
			new RegExp(
				`^http://127\\.0\\.0\\.1:\\d+/webhook/${wf.getNode('Trigger')?.webhookId}/events$`,
			),
		);
		const raw = '{ "id":"evt_1" ,\n "type": "payment.succeeded", "amount": 10 }';
		const res = await post(raw);
		expect(res.status).toBe(200);
		// n8n 2.41 evaluates the description's responseData with the default 'firstEntryJson'
		// and sends that string when the trigger declares no responseData (webhook-helpers.js:691)
		expect(await res.text()).toBe('firstEntryJson');
		const [execution] = await server.waitForExecutions(1);
		expect(execution.ranNodes).toEqual(['Trigger', 'Downstream']);
		expect(execution.output('Downstream').map((i) => i.json)).toEqual([
			{ id: 'evt_1', type: 'payment.succeeded', amount: 10 },
		]);
		expect(execution.run.mode).toBe('webhook');
	});

	it('answers 401 with an ended response and starts nothing on a bad signature', async () => {
		const res = await post('{"id":"evt_2"}', sign('{"id":"other"}'));
		expect(res.status).toBe(401);
		expect(await res.text()).toBe('Unauthorized');
		// a genuine request after it: once its run has finished, the bad one has been fully handled
		expect((await post('{"id":"evt_sentinel"}')).status).toBe(200);
		const runs = await server.idle();
		expect(runs.map((run) => run.output('Downstream')[0].json.id)).toEqual(['evt_sentinel']);
		expect(server.started.map((execution) => execution.input[0][0].json.id)).toEqual([
			'evt_sentinel',
		]);
	});

	it('records an execution when it starts, before answering, and idle() waits until it has finished', async () => {
		const release = server.holdExecutions();
		const res = await post('{"id":"evt_held"}');
		expect(res.status).toBe(200);
		await res.text();
		expect(server.started.map((execution) => execution.input[0][0].json.id)).toEqual(['evt_held']);
		expect(server.started[0].result).toBeUndefined();
		expect(server.executions).toHaveLength(0);
		await expect(server.idle()).rejects.toThrow(/held/);
		release();
		const [run] = await server.idle();
		expect(run.ranNodes).toEqual(['Trigger', 'Downstream']);
		expect(server.started[0].result).toBe(run);
		expect(server.executions).toEqual([run]);
	});

	it('saves static data webhook() wrote only when no execution starts, as n8n 2.41 does', async () => {
		// WorkflowRunner.run clears the change flag before the response callback saves
		// (establishContextForPersistence), so a trigger cannot de-duplicate in webhook() alone.
		const raw = '{"id":"evt_3","type":"payment.succeeded"}';
		expect((await post(raw)).status).toBe(200);
		await server.waitForExecutions(1);
		expect(harness.savedStaticData(wf)).toEqual({});
		expect((await post(raw)).status).toBe(200);
		await server.waitForExecutions(2);
		expect(server.executions).toHaveLength(2);
		// a request that starts nothing does save what webhook() wrote
		expect(await (await post('{"type":"ping"}')).text()).toBe('pong');
		expect(harness.savedStaticData(wf)).toEqual({ 'node:Trigger': { pings: 1 } });
	});

	it('sends webhookResponse without starting, 404s unknown routes, 500s a throwing node', async () => {
		const ping = await post('{"type":"ping"}');
		expect(await ping.text()).toBe('pong');

		const unknown = await fetch(server.url('Trigger').replace('/events', '/nope'), {
			method: 'POST',
		});
		expect(unknown.status).toBe(404);
		expect(await unknown.json()).toMatchObject({
			code: 404,
			message: expect.stringContaining('is not registered'),
		});
		const wrongMethod = await fetch(server.url('Trigger'));
		expect(wrongMethod.status).toBe(404);
		expect(await wrongMethod.json()).toMatchObject({
			message: expect.stringContaining('Did you mean to make a POST request?'),
		});

		const boom = await post('{"type":"explode"}');
		expect(boom.status).toBe(500);
		expect(await boom.json()).toEqual({
			code: 0,
			message: 'Workflow Webhook Error: Workflow could not be started!',
		});
		// like n8n, the failure is recorded as an execution that fails on the trigger node
		const [failed] = await server.waitForExecutions(1);
		expect(failed.error('Trigger')?.message).toBe('exploded on purpose');
		expect(failed.ranNodes).not.toContain('Downstream');
	});

	it('runs webhookMethods on activate and deactivate through HookContext', async () => {
		await harness.activate(wf, 'Trigger');
		expect(api.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /webhooks']);
		expect(api.requests[0].json()).toEqual({ url: server.url('Trigger') });
		const id = (harness.savedStaticData(wf)['node:Trigger'] as { webhookId: string }).webhookId;
		expect(id).toMatch(/^wh_\d+$/);

		await harness.activate(wf, 'Trigger');
		expect(api.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
			'POST /webhooks',
			`GET /webhooks/${id}`,
		]);

		await harness.deactivate(wf, 'Trigger');
		expect(api.requests.at(-1)).toMatchObject({ method: 'DELETE', path: `/webhooks/${id}` });
		expect(harness.savedStaticData(wf)['node:Trigger']).toEqual({});
	});
});

describe('polling', () => {
	it('keeps the cursor in static data across production ticks', async () => {
		const wf = harness.workflow({
			nodes: [{ name: 'Poll', type: `${PKG}.harnessPoll` }],
			connections: {},
		});
		events = [{ id: 1 }, { id: 2 }];
		expect((await harness.poll(wf, 'Poll'))?.[0].map((i) => i.json)).toEqual([
			{ id: 1 },
			{ id: 2 },
		]);
		expect(await harness.poll(wf, 'Poll')).toBeNull();
		events.push({ id: 3 });
		expect((await harness.poll(wf, 'Poll'))?.[0].map((i) => i.json)).toEqual([{ id: 3 }]);
		expect(api.requests.map((r) => r.query.get('since'))).toEqual(['0', '2', '2']);
		expect(wf.staticData['node:Poll']).toEqual({ cursor: 3 });
	});
});
