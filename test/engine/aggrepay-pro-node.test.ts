import { createHmac } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INodeExecutionData,
	INodeParameters,
} from 'n8n-workflow';

import {
	type AggrepayProSandbox,
	type AggrepayProSandboxOptions,
	type AggrepayProSettings,
	type RecordedRequest,
	startAggrepayProSandbox,
} from '../../sandbox/aggrepay-pro';
import { type FakeApi, startFakeApi } from '../harness/fake-api';
import { Harness, outputsAndErrors, type RunResult } from '../harness/engine';
import { chain } from './paytech.helpers';

// The Aggrepay.pro node driven through n8n's real engine (n8n-core) against the real sandbox over
// HTTP: the sandbox checks the bearer key and the Signature over the raw bytes it receives, and
// signs its answers, which the node checks.

const AGGREPAY_PRO = 'n8n-nodes-payops.aggrepayPro';
const NODE = 'Aggrepay.pro';

// Distinctive secrets, so a leak into any output, error, description or hint is found by a
// substring search.
const API_KEY = 'apro_api_71c9e4_SECRET';
const SECRET_KEY = 'apro_secret_b2d6f0_SECRET';
const WRONG_API_KEY = 'apro_api_wrong_0d93aa_SECRET';
const WRONG_SECRET_KEY = 'apro_secret_wrong_5e71c2_SECRET';

const PAYMENTS = '/api/v1/payments';
const PAYMENT_STATUS = '/api/v1/payments/status';
const PAYOUTS = '/api/v1/payouts';
const PAYOUT_STATUS = '/api/v1/payouts/status';
const BALANCE = '/api/v1/balance';

/** The sandbox's settings at the start of every test (the tests change them). */
const SETTINGS: Partial<AggrepayProSettings> = {
	amountUnit: 'major',
	requisitesBusy: false,
	errorsAsHttp200: false,
	processingDelayMs: 0,
	payoutDelayMs: null,
	antiSpam: { maxRequests: 5, windowMs: 60_000 },
	ipWhitelist: null,
};

let sb: AggrepayProSandbox;
let hooks: FakeApi;
let harness: Harness;
const visible: string[] = [];
const extra: Array<{ close(): Promise<void> }> = [];

const sandboxOptions = (options: AggrepayProSandboxOptions = {}): AggrepayProSandboxOptions => ({
	apiKey: API_KEY,
	secretKey: SECRET_KEY,
	payoutDelayMs: null,
	callbackAttempts: 1,
	...options,
});

const credentials = (
	sandbox: { url: string } = sb,
	overrides: ICredentialDataDecryptedObject = {},
): ICredentialDataDecryptedObject => ({
	baseUrl: sandbox.url,
	apiKey: API_KEY,
	secretKey: SECRET_KEY,
	previousSecretKey: '',
	merchantId: 'sandbox_merchant',
	amountUnit: 'major',
	endpointOverrides: '',
	...overrides,
});

/** Another sandbox for this test only (closed after it), which the credential points at. */
async function ownSandbox(
	options: AggrepayProSandboxOptions = {},
	overrides: ICredentialDataDecryptedObject = {},
): Promise<AggrepayProSandbox> {
	const started = await startAggrepayProSandbox(sandboxOptions(options));
	extra.push(started);
	harness.setCredentials('aggrepayProApi', credentials(started, overrides));
	return started;
}

/** Where the sandbox posts callbacks: a path with several "/", on a local receiver. */
const callbackUri = () => `${hooks.url}/hooks/aggrepay-pro/payments`;

beforeAll(async () => {
	sb = await startAggrepayProSandbox(sandboxOptions());
	hooks = await startFakeApi(() => ({ status: 200, body: { ok: true } }));
	harness = await Harness.create({ credentials: { aggrepayProApi: credentials() } });
});

afterAll(async () => {
	await sb.close();
	await hooks.close();
	// No run of this file may show the API key or a secret key: not in an output, an error message,
	// its description, the parameters n8n keeps with an error, or a hint.
	const all = visible.join('\n');
	expect(all.length).toBeGreaterThan(0);
	for (const secret of [API_KEY, SECRET_KEY, WRONG_API_KEY, WRONG_SECRET_KEY])
		expect(all).not.toContain(secret);
});

beforeEach(() => {
	sb.clearFaults();
	sb.updateSettings(SETTINGS);
	sb.resetAntiSpam();
	// payouts an earlier test left in_check are paid out, so no reservation carries over
	for (const payout of sb.payments.values())
		if (payout.type === 'payout' && payout.state === 'in_check') sb.finish(payout.id);
	sb.setBalance('EUR', '1000.00');
	sb.setBalance('RUB', '100000.00');
	harness.setCredentials('aggrepayProApi', credentials());
});

afterEach(async () => {
	await sb.callbacksSettled();
	await Promise.all(extra.splice(0).map(async (s) => await s.close()));
});

interface RunOptions {
	items?: IDataObject[];
	continueOnFail?: boolean;
}

type NodeRun = RunResult & { items: INodeExecutionData[]; hints: string[] };

/** Start → Aggrepay.pro with these parameters, as the editor's "Execute workflow". */
async function run(parameters: INodeParameters, options: RunOptions = {}): Promise<NodeRun> {
	const workflow = harness.workflow({
		nodes: [
			{ name: 'Start', type: 'n8n-nodes-base.manualTrigger' },
			{
				name: NODE,
				type: AGGREPAY_PRO,
				parameters,
				...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
			},
		],
		connections: chain('Start', NODE),
		settings: { timezone: 'UTC', executionOrder: 'v1' },
	});
	const result = await harness.run(workflow, {
		items: (options.items ?? [{}]).map((json) => ({ json })),
	});
	visible.push(outputsAndErrors(result));
	const hints = (result.run.data.resultData.runData[NODE]?.at(-1)?.hints ?? []).map(
		(hint) => hint.message,
	);
	return Object.assign(result, { items: result.output(NODE), hints });
}

const createPayment = (fields: INodeParameters = {}): INodeParameters => ({
	resource: 'payment',
	operation: 'create',
	orderId: '',
	amount: '10.50',
	currency: 'EUR',
	paymentMethod: '',
	callbackUri: callbackUri(),
	...fields,
});

const createPayout = (fields: INodeParameters = {}): INodeParameters => ({
	resource: 'payout',
	operation: 'create',
	orderId: '',
	amount: '25.00',
	currency: 'EUR',
	paymentMethod: 'payout_card_eur',
	recipientAccount: '4000123412341234',
	recipientName: 'Jane Roe',
	recipientBank: '',
	callbackUri: callbackUri(),
	...fields,
});

const getStatus = (
	resource: 'payment' | 'payout',
	value: string,
	fields: INodeParameters = {},
): INodeParameters => ({ resource, operation: 'getStatus', by: 'orderId', value, ...fields });

const hmac = (body: string | Buffer, key = SECRET_KEY) =>
	createHmac('sha256', key).update(body).digest('hex');

/** Recorded API requests to this method and path. */
const sent = (sandbox: AggrepayProSandbox, method: string, path: string): RecordedRequest[] =>
	sandbox.requests.filter((r) => r.method === method && r.path === path);

/** Recorded requests whose JSON body carries this orderId. */
const withOrderId = (requests: RecordedRequest[], orderId: string) =>
	requests.filter((r) => {
		try {
			return (JSON.parse(r.body) as IDataObject).orderId === orderId;
		} catch {
			return false;
		}
	});

/** The payments and payouts the sandbox holds with this orderId. */
const stored = (sandbox: AggrepayProSandbox, orderId: string) =>
	[...sandbox.payments.values()].filter((p) => p.orderId === orderId);

const eur = (sandbox: AggrepayProSandbox = sb) =>
	sandbox.balances().find((b) => b.currency === 'EUR');

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
	const started = Date.now();
	while (!condition()) {
		if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}

interface Answer {
	method: string;
	path: string;
	status: number;
	headers: IncomingHttpHeaders;
	body: Buffer;
}

interface Proxy {
	url: string;
	/** "METHOD /path" of every request received. */
	seen: string[];
	/** Answers instead of the sandbox (the request is not forwarded) when it returns an answer. */
	intercept?: (method: string, path: string) => Omit<Answer, 'method' | 'path'> | undefined;
	/** Changes what the sandbox answered before the node gets it; undefined = passed through. */
	alter?: (answer: Answer) => Answer;
	close(): Promise<void>;
}

/**
 * A loopback proxy in front of a sandbox: the request's bytes and headers go through unchanged
 * (so the sandbox still checks the request signature), the answer can be changed on the way back,
 * as by a man in the middle.
 */
async function startProxy(target: string): Promise<Proxy> {
	const proxy: Proxy = { url: '', seen: [], close: async () => undefined };
	const server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const body = Buffer.concat(chunks);
			const method = req.method ?? 'GET';
			const path = new URL(req.url ?? '/', 'http://proxy').pathname;
			proxy.seen.push(`${method} ${path}`);
			const own = proxy.intercept?.(method, path);
			if (own) {
				res.writeHead(own.status, { ...own.headers, 'content-length': own.body.length });
				res.end(own.body);
				return;
			}
			const forward = httpRequest(
				`${target}${req.url ?? '/'}`,
				{ method: req.method, headers: { ...req.headers, host: new URL(target).host } },
				(answer) => {
					const parts: Buffer[] = [];
					answer.on('data', (chunk: Buffer) => parts.push(chunk));
					answer.on('end', () => {
						const original: Answer = {
							method,
							path,
							status: answer.statusCode ?? 502,
							headers: { ...answer.headers },
							body: Buffer.concat(parts),
						};
						const out = proxy.alter ? proxy.alter(original) : original;
						const headers = { ...out.headers };
						delete headers['content-length'];
						delete headers['transfer-encoding'];
						delete headers.connection;
						delete headers['keep-alive'];
						res.writeHead(out.status, { ...headers, 'content-length': out.body.length });
						res.end(out.body);
					});
				},
			);
			forward.on('error', () => res.destroy());
			forward.end(body);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	proxy.close = async () => {
		server.closeAllConnections();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	};
	extra.push(proxy);
	return proxy;
}

describe('signatures: the bytes sent are the bytes signed', () => {
	it('a payment with non-ASCII, "/" and trailing zeros is accepted, signed over the raw body received', async () => {
		const returnUri = 'https://shop.example/thanks/ünïcode/order?id=wire-1&next=/home';
		const result = await run(
			createPayment({
				orderId: 'wire-1',
				amount: '10.50',
				paymentMethod: 'card_eur',
				additionalFields: {
					name: 'Zoë 東京',
					email: 'zoe@example.com',
					phone: '+81 3-1234-5678',
					ip: '152.13.130.125',
					returnUri,
					userId: 'cust/ü-1',
				},
			}),
		);
		expect(result.error(NODE)).toBeUndefined();
		const request = sent(sb, 'POST', PAYMENTS).at(-1)!;
		// the sandbox verified the signature over the bytes it received and accepted them
		expect(request.status).toBe(200);
		expect(request.headers.signature).toBe(hmac(Buffer.from(request.body, 'utf8')));
		expect(request.headers['content-type']).toMatch(/^application\/json/);
		// sent as typed: the amount's trailing zero, the text unescaped, "/" not written "\/"
		expect(request.body).toContain('"amount":10.50,');
		expect(request.body).toContain('"name":"Zoë 東京"');
		expect(request.body).toContain(`"callbackUri":"${callbackUri()}"`);
		expect(request.body).toContain(`"returnUri":"${returnUri}"`);
		expect(request.body).not.toContain('\\/');
		expect(request.body).not.toContain('\\u');
		expect(JSON.parse(request.body)).toEqual({
			orderId: 'wire-1',
			merchantId: 'sandbox_merchant',
			amount: 10.5,
			currency: 'EUR',
			callbackUri: callbackUri(),
			paymentMethod: 'card_eur',
			userId: 'cust/ü-1',
			customer: {
				name: 'Zoë 東京',
				email: 'zoe@example.com',
				phone: '+81 3-1234-5678',
				ip: '152.13.130.125',
			},
			returnUri,
		});
		// what the sandbox read from those bytes
		expect(sb.payment('wire-1')).toMatchObject({
			amount: '10.50',
			minorAmount: BigInt(1050),
			customer: { name: 'Zoë 東京' },
			returnUri,
			userId: 'cust/ü-1',
			callbackUri: callbackUri(),
		});
		expect(result.items[0].json).toMatchObject({ orderId: 'wire-1', amount: '10.50' });
	});

	it('with Minor Units, 1050 is sent as the JSON number 1050 and signed', async () => {
		const minor = await ownSandbox({ amountUnit: 'minor' }, { amountUnit: 'minor' });
		const result = await run(createPayment({ orderId: 'wire-minor-1', amount: '1050' }));
		expect(result.error(NODE)).toBeUndefined();
		const request = sent(minor, 'POST', PAYMENTS).at(-1)!;
		expect(request.status).toBe(200);
		expect(request.body).toContain('"amount":1050,');
		expect(request.headers.signature).toBe(hmac(request.body));
		expect(minor.payment('wire-minor-1')).toMatchObject({
			amount: '1050',
			minorAmount: BigInt(1050),
			currency: 'EUR',
		});
		expect(result.items[0].json).toMatchObject({ amount: '1050', state: 'created' });
	});

	it('a GET carries no body and signs the empty string; the secret key is never sent', async () => {
		const created = await run(createPayment({ orderId: 'wire-get-1' }));
		expect(created.error(NODE)).toBeUndefined();
		const got = await run(getStatus('payment', 'wire-get-1'));
		expect(got.error(NODE)).toBeUndefined();
		const request = sent(sb, 'GET', PAYMENT_STATUS).at(-1)!;
		expect(request.status).toBe(200);
		expect(request.query).toEqual({ orderId: 'wire-get-1' });
		expect(request.body).toBe('');
		expect(request.headers.signature).toBe(hmac(''));
		for (const recorded of sb.requests) {
			expect(JSON.stringify(recorded)).not.toContain(SECRET_KEY);
		}
	});
});

describe('payment: create', () => {
	it('without a method: created with a paymentUri; the customer chooses and pays on the page; Get Status shows it finished', async () => {
		const created = await run(createPayment({ orderId: 'pay-page-1', amount: '42.10' }));
		expect(created.error(NODE)).toBeUndefined();
		const json = created.items[0].json;
		const id = String(json.id);
		expect(id).toMatch(/^pay_[0-9a-f]{24}$/);
		expect(json).toMatchObject({
			orderId: 'pay-page-1',
			type: 'payment',
			state: 'created',
			amount: '42.10',
			currency: 'EUR',
			paymentMethod: null,
			requisite: null,
			paymentUri: sb.payUrl(id),
		});
		expect(json.alreadyExisted).toBeUndefined();
		expect(json.derivedReference).toBeUndefined();
		expect(JSON.parse(sent(sb, 'POST', PAYMENTS).at(-1)!.body)).not.toHaveProperty('paymentMethod');

		// the customer opens the paymentUri, chooses the card and says it is paid
		const page = await (await fetch(String(json.paymentUri))).text();
		expect(page).toContain('Choose Card (EUR)');
		const choose = await fetch(`${sb.url}/pay/${id}/choose/card_eur`, {
			method: 'POST',
			redirect: 'manual',
		});
		expect(choose.status).toBe(303);
		const pending = await run(getStatus('payment', 'pay-page-1'));
		expect(pending.items[0].json).toMatchObject({
			id,
			state: 'pending',
			paymentMethod: 'card_eur',
			requisite: sb.payment(id)!.requisite,
		});
		const paid = await fetch(`${sb.url}/pay/${id}/paid`, { method: 'POST', redirect: 'manual' });
		expect(paid.status).toBe(303);
		expect(sb.payment(id)!.state).toBe('in_check');
		const before = eur()!.available;
		sb.finish(id); // the gateway confirms the transfer

		const byOrderId = await run(getStatus('payment', 'pay-page-1'));
		expect(byOrderId.error(NODE)).toBeUndefined();
		expect(byOrderId.items[0].json).toMatchObject({
			id,
			orderId: 'pay-page-1',
			state: 'finished',
			amount: '42.10',
		});
		const byId = await run(getStatus('payment', id, { by: 'id' }));
		expect(byId.items[0].json).toEqual(byOrderId.items[0].json);
		expect(sent(sb, 'GET', PAYMENT_STATUS).at(-1)!.query).toEqual({ id });
		expect(Number(eur()!.available) - Number(before)).toBeCloseTo(42.1, 2);

		// the callbacks went to the Callback URI as sent ("/" and all), signed over their raw body
		await sb.callbacksSettled();
		const callbacks = hooks.requests.filter((r) => r.rawBody.toString('utf8').includes(id));
		expect(callbacks.map((r) => r.path)).toEqual(
			Array(3).fill('/hooks/aggrepay-pro/payments') as string[],
		);
		expect(
			callbacks.map((r) => (r.json() as { data: { state: string } }).data.state).sort(),
		).toEqual(['finished', 'in_check', 'pending']);
		for (const callback of callbacks)
			expect(callback.headers.signature).toBe(hmac(callback.rawBody));
	});

	it('with a method: pending with the requisite to pay to', async () => {
		const result = await run(
			createPayment({
				orderId: 'pay-method-1',
				amount: '1500.50',
				currency: 'RUB',
				paymentMethod: 'sbp',
			}),
		);
		expect(result.error(NODE)).toBeUndefined();
		const json = result.items[0].json;
		expect(json).toMatchObject({
			orderId: 'pay-method-1',
			state: 'pending',
			amount: '1500.50',
			currency: 'RUB',
			paymentMethod: 'sbp',
		});
		expect(json.requisite).toEqual({
			bank: 'Sberbank',
			account: expect.stringMatching(/^\+79\d{9}$/),
			holder: 'SANDBOX HOLDER',
		});
		expect(json.requisite).toEqual(sb.payment('pay-method-1')!.requisite);
	});

	it('derives the orderId of each item when it is empty, outputs it as derivedReference and sends it', async () => {
		const result = await run(createPayment({ orderId: '={{ $json.ref }}' }), {
			items: [{ ref: '' }, { ref: '' }, { ref: 'pay-given-1' }],
		});
		expect(result.error(NODE)).toBeUndefined();
		const refs = result.items.map((i) => String(i.json.orderId));
		expect(refs[0]).toMatch(/^n8n-[0-9a-f]{32}$/);
		expect(refs[1]).toMatch(/^n8n-[0-9a-f]{32}$/);
		expect(refs[2]).toBe('pay-given-1');
		expect(new Set(refs).size).toBe(3);
		expect(result.items.map((i) => i.json.derivedReference)).toEqual([
			{ reference: refs[0], from: 'execution' },
			{ reference: refs[1], from: 'execution' },
			undefined,
		]);
		for (const ref of refs) {
			expect(withOrderId(sent(sb, 'POST', PAYMENTS), ref)).toHaveLength(1);
			expect(stored(sb, ref)).toHaveLength(1);
		}
	});
});

describe('payout: create', () => {
	it('more than the balance: 40004 with its hint, nothing paid out, nothing stored', async () => {
		sb.setBalance('EUR', '20.00');
		const before = eur();
		const result = await run(createPayout({ orderId: 'po-poor-1', amount: '25.00' }));
		const error = result.error(NODE);
		expect(error?.message).toMatch(/^Aggrepay\.pro error 40004 \(HTTP 400\): Insufficient funds/);
		expect(error?.description).toMatch(/nothing was paid out/);
		expect(error?.description).toMatch(/Balance → Get/);
		expect(eur()).toEqual(before);
		expect(eur()).toEqual({ currency: 'EUR', available: '20.00', reserved: '0.00' });
		expect(stored(sb, 'po-poor-1')).toHaveLength(0);
		// the create was not looked up nor sent again
		expect(withOrderId(sent(sb, 'POST', PAYOUTS), 'po-poor-1').map((r) => r.status)).toEqual([400]);
		expect(sent(sb, 'GET', PAYOUT_STATUS).filter((r) => r.query.orderId === 'po-poor-1')).toEqual(
			[],
		);
	});

	it('within the balance: in_check, then finished, the amount deducted once', async () => {
		sb.setBalance('EUR', '100.00');
		sb.updateSettings({ payoutDelayMs: 20 });
		const result = await run(
			createPayout({ orderId: 'po-rich-1', amount: '25.50', recipientBank: 'sber' }),
		);
		expect(result.error(NODE)).toBeUndefined();
		const json = result.items[0].json;
		expect(String(json.id)).toMatch(/^po_[0-9a-f]{24}$/);
		expect(json).toMatchObject({
			orderId: 'po-rich-1',
			type: 'payout',
			state: 'in_check',
			amount: '25.50',
			currency: 'EUR',
			paymentMethod: 'payout_card_eur',
			paymentUri: null,
		});
		expect(JSON.parse(sent(sb, 'POST', PAYOUTS).at(-1)!.body)).toMatchObject({
			paymentMethod: 'payout_card_eur',
			recipient: { account: '4000123412341234', name: 'Jane Roe', bank: 'sber' },
			amount: 25.5,
		});
		await sb.callbacksSettled(); // the payout delay
		const got = await run(getStatus('payout', 'po-rich-1'));
		expect(got.error(NODE)).toBeUndefined();
		expect(got.items[0].json).toMatchObject({ id: json.id, state: 'finished', amount: '25.50' });
		expect(eur()).toEqual({ currency: 'EUR', available: '74.50', reserved: '0.00' });
		// a payout is not a payment
		const asPayment = await run(getStatus('payment', 'po-rich-1'));
		expect(asPayment.error(NODE)?.message).toBe(
			'Aggrepay.pro error 40401 (HTTP 404): Payment not found',
		);
	});
});

describe('create once', () => {
	it('a lost answer after the payment was created: looked up by orderId, returned, one payment', async () => {
		sb.injectFault({ method: 'POST', path: PAYMENTS, fault: 'drop-after-commit' });
		const result = await run(createPayment({ orderId: 'lost-1', paymentMethod: 'card_eur' }));
		expect(result.error(NODE)).toBeUndefined();
		expect(result.items[0].json).toMatchObject({
			orderId: 'lost-1',
			state: 'pending',
			amount: '10.50',
			foundAfterLostAnswer: true,
		});
		expect(result.items[0].json.id).toBe(sb.payment('lost-1')!.id);
		expect(stored(sb, 'lost-1')).toHaveLength(1);
		expect(withOrderId(sent(sb, 'POST', PAYMENTS), 'lost-1')).toHaveLength(1);
		expect(
			sent(sb, 'GET', PAYMENT_STATUS)
				.filter((r) => r.query.orderId === 'lost-1')
				.map((r) => r.status),
		).toEqual([200]);
	});

	it('a lost answer of a payout: looked up, the balance deducted once', async () => {
		sb.setBalance('EUR', '100.00');
		sb.injectFault({ method: 'POST', path: PAYOUTS, fault: 'drop-after-commit' });
		const result = await run(createPayout({ orderId: 'lost-po-1', amount: '30.00' }));
		expect(result.error(NODE)).toBeUndefined();
		expect(result.items[0].json).toMatchObject({
			orderId: 'lost-po-1',
			state: 'in_check',
			foundAfterLostAnswer: true,
		});
		expect(stored(sb, 'lost-po-1')).toHaveLength(1);
		expect(withOrderId(sent(sb, 'POST', PAYOUTS), 'lost-po-1')).toHaveLength(1);
		expect(eur()).toEqual({ currency: 'EUR', available: '70.00', reserved: '30.00' });
	});

	it('a connection dropped before Aggrepay.pro acted, or a broken answer: looked up, sent again once, one payment', async () => {
		sb.injectFault({ method: 'POST', path: PAYMENTS, fault: 'drop' });
		const dropped = await run(createPayment({ orderId: 'drop-1' }));
		expect(dropped.error(NODE)).toBeUndefined();
		expect(dropped.items[0].json).toMatchObject({ orderId: 'drop-1', state: 'created' });
		expect(dropped.items[0].json.foundAfterLostAnswer).toBeUndefined();
		expect(stored(sb, 'drop-1')).toHaveLength(1);

		// the sandbox answers a truncated, unsigned body without acting on the request
		sb.injectFault({ method: 'POST', path: PAYMENTS, fault: 'malformed' });
		const broken = await run(createPayment({ orderId: 'malformed-1' }));
		expect(broken.error(NODE)).toBeUndefined();
		expect(stored(sb, 'malformed-1')).toHaveLength(1);

		const trail = (orderId: string) =>
			sb.requests
				.filter((r) => r.query.orderId === orderId || withOrderId([r], orderId).length === 1)
				.map((r) => `${r.method} ${r.fault ?? r.status}`);
		expect(trail('drop-1')).toEqual(['POST drop', 'GET 404', 'POST 200']);
		expect(trail('malformed-1')).toEqual(['POST malformed', 'GET 404', 'POST 200']);

		// a broken answer to a read is read again
		sb.injectFault({ method: 'GET', path: BALANCE, fault: 'malformed' });
		const before = sent(sb, 'GET', BALANCE).length;
		const balance = await run({ resource: 'balance', operation: 'get' });
		expect(balance.error(NODE)).toBeUndefined();
		expect(
			sent(sb, 'GET', BALANCE)
				.slice(before)
				.map((r) => r.fault ?? r.status),
		).toEqual(['malformed', 200]);
	});

	it('a 5xx on a create is not re-sent blindly: looked up first, then sent once more', async () => {
		sb.injectFault({ method: 'POST', path: PAYMENTS, fault: 'status', status: 503 });
		const result = await run(createPayment({ orderId: 'five-1' }));
		expect(result.error(NODE)).toBeUndefined();
		expect(stored(sb, 'five-1')).toHaveLength(1);
		const trail = sb.requests
			.filter((r) => r.query.orderId === 'five-1' || withOrderId([r], 'five-1').length === 1)
			.map((r) => `${r.method} ${r.status}`);
		expect(trail).toEqual(['POST 503', 'GET 404', 'POST 200']);
	});

	it('an orderId of another order (another amount): an error saying so, nothing created', async () => {
		const first = await run(createPayment({ orderId: 'reuse-1', amount: '10.00' }));
		expect(first.error(NODE)).toBeUndefined();
		const again = await run(createPayment({ orderId: 'reuse-1', amount: '11.00' }));
		const error = again.error(NODE);
		expect(error?.message).toBe(
			'Order ID "reuse-1" is already used by another Aggrepay.pro payment, of 10.00 EUR',
		);
		expect(error?.description).toMatch(/^This payment is 11\.00 EUR: nothing was created/);
		expect(stored(sb, 'reuse-1')).toHaveLength(1);
		expect(sb.payment('reuse-1')).toMatchObject({ amount: '10.00', state: 'created' });
		expect(withOrderId(sent(sb, 'POST', PAYMENTS), 'reuse-1').map((r) => r.status)).toEqual([
			200, 409,
		]);

		// another currency is another order too
		const currency = await run(
			createPayment({ orderId: 'reuse-1', amount: '10.00', currency: 'RUB', paymentMethod: '' }),
		);
		// the RUB payment without a method needs at least 10 RUB (sbp): 10.00 is taken
		expect(currency.error(NODE)?.message).toBe(
			'Order ID "reuse-1" is already used by another Aggrepay.pro payment, of 10.00 EUR',
		);
		expect(stored(sb, 'reuse-1')).toHaveLength(1);
	});

	it("a payout with a payment's orderId: the 40901 with its hint, nothing paid out", async () => {
		sb.setBalance('EUR', '100.00');
		const payment = await run(createPayment({ orderId: 'shared-1', amount: '25.00' }));
		expect(payment.error(NODE)).toBeUndefined();
		const payout = await run(createPayout({ orderId: 'shared-1', amount: '25.00' }));
		expect(payout.error(NODE)?.message).toMatch(
			/^Aggrepay\.pro error 40901 \(HTTP 409\): Duplicate payment/,
		);
		expect(payout.error(NODE)?.description).toMatch(/use a new Order ID/);
		expect(stored(sb, 'shared-1').map((p) => p.type)).toEqual(['payment']);
		expect(eur()).toEqual({ currency: 'EUR', available: '100.00', reserved: '0.00' });
	});

	it('the same orderId, amount and currency again (a re-run): the existing payment, alreadyExisted', async () => {
		const first = await run(createPayment({ orderId: 'rerun-1', amount: '10.50' }));
		expect(first.error(NODE)).toBeUndefined();
		// 10.5 is the same amount as 10.50
		const again = await run(createPayment({ orderId: 'rerun-1', amount: '10.5' }));
		expect(again.error(NODE)).toBeUndefined();
		expect(again.items[0].json).toEqual({
			...first.items[0].json,
			alreadyExisted: true,
		});
		expect(stored(sb, 'rerun-1')).toHaveLength(1);
		expect(withOrderId(sent(sb, 'POST', PAYMENTS), 'rerun-1').map((r) => r.status)).toEqual([
			200, 409,
		]);
	});
});

describe('retries', () => {
	it('40008 "being processed" is retried until the first create is done: one payment, the second run gets it', async () => {
		sb.updateSettings({ processingDelayMs: 250 });
		const first = run(createPayment({ orderId: 'busy-1' }));
		await until(() => withOrderId(sent(sb, 'POST', PAYMENTS), 'busy-1').length === 1);
		const second = run(createPayment({ orderId: 'busy-1' }));
		const [a, b] = await Promise.all([first, second]);
		expect(a.error(NODE)).toBeUndefined();
		expect(b.error(NODE)).toBeUndefined();
		expect(a.items[0].json.alreadyExisted).toBeUndefined();
		expect(b.items[0].json).toMatchObject({ id: a.items[0].json.id, alreadyExisted: true });
		expect(stored(sb, 'busy-1')).toHaveLength(1);
		const statuses = withOrderId(sent(sb, 'POST', PAYMENTS), 'busy-1').map((r) => r.status);
		// the first create, the second one turned away with 40008 (400) and retried, then 409
		expect(statuses[0]).toBe(200);
		expect(statuses.at(-1)).toBe(409);
		expect(statuses.slice(1, -1).length).toBeGreaterThanOrEqual(1);
		expect(new Set(statuses.slice(1, -1))).toEqual(new Set([400]));
	});

	it('429 is retried, for a create (it was turned away) and for a read', async () => {
		sb.injectFault({ method: 'POST', path: PAYMENTS, fault: 'status', status: 429, retryAfter: 0 });
		const created = await run(createPayment({ orderId: 'rate-1' }));
		expect(created.error(NODE)).toBeUndefined();
		expect(withOrderId(sent(sb, 'POST', PAYMENTS), 'rate-1').map((r) => r.status)).toEqual([
			429, 200,
		]);
		expect(stored(sb, 'rate-1')).toHaveLength(1);
		// no lookup was needed: 429 means Aggrepay.pro did not act
		expect(sent(sb, 'GET', PAYMENT_STATUS).filter((r) => r.query.orderId === 'rate-1')).toEqual([]);

		const before = sent(sb, 'GET', BALANCE).length;
		sb.injectFault({
			method: 'GET',
			path: BALANCE,
			fault: 'status',
			status: 429,
			retryAfter: 0,
			times: 2,
		});
		const balance = await run({ resource: 'balance', operation: 'get' });
		expect(balance.error(NODE)).toBeUndefined();
		expect(
			sent(sb, 'GET', BALANCE)
				.slice(before)
				.map((r) => r.status),
		).toEqual([429, 429, 200]);

		// Retry-After is honoured
		sb.injectFault({ method: 'GET', path: BALANCE, fault: 'status', status: 429, retryAfter: 1 });
		const waited = await run({ resource: 'balance', operation: 'get' });
		expect(waited.error(NODE)).toBeUndefined();
		const [limited, answered] = sent(sb, 'GET', BALANCE).slice(-2);
		expect([limited.status, answered.status]).toEqual([429, 200]);
		expect(answered.at.getTime() - limited.at.getTime()).toBeGreaterThanOrEqual(950);
	});

	it('40008 until the retries run out: the item fails with the 40008 hint, after 5 attempts', async () => {
		// a stand-in that always answers "being processed", signed with the secret key
		const proxy = await startProxy(sb.url);
		proxy.intercept = () => {
			const body = '{"status":false,"code":40008,"message":"Request is being processed"}';
			return {
				status: 400,
				headers: { 'content-type': 'application/json', signature: hmac(body) },
				body: Buffer.from(body, 'utf8'),
			};
		};
		harness.setCredentials('aggrepayProApi', credentials(proxy));
		const result = await run(createPayment({ orderId: 'busy-forever-1' }));
		const error = result.error(NODE);
		expect(error?.message).toBe('Aggrepay.pro error 40008 (HTTP 400): Request is being processed');
		expect(error?.description).toMatch(/still processing a request with this Order ID/);
		expect(error?.description).toMatch(/Gave up after 5 attempts/);
		expect(proxy.seen.filter((r) => r === `POST ${PAYMENTS}`)).toHaveLength(5);
		expect(proxy.seen.filter((r) => r.startsWith('GET'))).toEqual([]);
	});
});

describe('errors', () => {
	it('40002 requisites busy: a clear hint, nothing stored', async () => {
		sb.updateSettings({ requisitesBusy: true });
		const result = await run(createPayment({ orderId: 'busy-req-1', paymentMethod: 'card_eur' }));
		const error = result.error(NODE);
		expect(error?.message).toBe(
			'Aggrepay.pro error 40002 (HTTP 400): All requisites are busy: invoice creation failed',
		);
		expect(error?.description).toMatch(/no free requisite/);
		expect(error?.description).toMatch(/try again later or with another payment method/);
		expect(stored(sb, 'busy-req-1')).toHaveLength(0);
	});

	it('status false in an HTTP 200 is still an error with its code; a re-run still finds its payment', async () => {
		sb.updateSettings({ errorsAsHttp200: true });
		const missing = await run(getStatus('payment', 'nobody-200'));
		const error = missing.error(NODE);
		expect(error?.message).toBe('Aggrepay.pro error 40401: Payment not found');
		expect(error?.description).toMatch(/check the Merchant ID of the credential/);
		expect(sent(sb, 'GET', PAYMENT_STATUS).at(-1)!.status).toBe(200);

		sb.setBalance('EUR', '5.00');
		const poor = await run(createPayout({ orderId: 'po-200-1', amount: '25.00' }));
		expect(poor.error(NODE)?.message).toMatch(/^Aggrepay\.pro error 40004: Insufficient funds/);
		expect(poor.error(NODE)?.description).toMatch(/nothing was paid out/);
		expect(stored(sb, 'po-200-1')).toHaveLength(0);

		// 40901 in a 200 is recognised too
		const first = await run(createPayment({ orderId: 'rerun-200-1' }));
		expect(first.error(NODE)).toBeUndefined();
		const again = await run(createPayment({ orderId: 'rerun-200-1' }));
		expect(again.error(NODE)).toBeUndefined();
		expect(again.items[0].json).toMatchObject({ id: first.items[0].json.id, alreadyExisted: true });
		expect(withOrderId(sent(sb, 'POST', PAYMENTS), 'rerun-200-1').map((r) => r.status)).toEqual([
			200, 200,
		]);
	});

	it('a wrong API key or secret key: 401 with the hint about both', async () => {
		harness.setCredentials('aggrepayProApi', credentials(sb, { apiKey: WRONG_API_KEY }));
		const key = await run({ resource: 'balance', operation: 'get' });
		expect(key.error(NODE)?.message).toBe('Aggrepay.pro error 401 (HTTP 401): Unauthorized');
		expect(key.error(NODE)?.description).toMatch(/API Key and the Secret Key/);
		expect(sent(sb, 'GET', BALANCE).at(-1)!.status).toBe(401);

		harness.setCredentials('aggrepayProApi', credentials(sb, { secretKey: WRONG_SECRET_KEY }));
		const secret = await run(createPayment({ orderId: 'wrong-secret-1' }));
		expect(secret.error(NODE)?.message).toMatch(
			/^Aggrepay\.pro error 401 \(HTTP 401\): Unauthorized: Signature does not match/,
		);
		expect(secret.error(NODE)?.description).toMatch(/API Key and the Secret Key/);
		expect(stored(sb, 'wrong-secret-1')).toHaveLength(0);
		const request = withOrderId(sent(sb, 'POST', PAYMENTS), 'wrong-secret-1').at(-1)!;
		expect(request.headers.signature).toBe(hmac(request.body, WRONG_SECRET_KEY));
	});

	it('a wrong Merchant ID: 40401 naming the Merchant ID', async () => {
		harness.setCredentials('aggrepayProApi', credentials(sb, { merchantId: 'someone_else' }));
		const result = await run(createPayment({ orderId: 'merchant-1' }));
		expect(result.error(NODE)?.message).toMatch(
			/^Aggrepay\.pro error 40401 \(HTTP 404\): Merchant not found/,
		);
		expect(result.error(NODE)?.description).toMatch(/Merchant ID/);
		expect(stored(sb, 'merchant-1')).toHaveLength(0);
	});

	it('an address not on the IP whitelist: 403 with the whitelist hint', async () => {
		sb.updateSettings({ ipWhitelist: ['203.0.113.7'] });
		const result = await run({ resource: 'paymentMethod', operation: 'getMany', currency: '' });
		expect(result.error(NODE)?.message).toBe(
			'Aggrepay.pro error 403 (HTTP 403): Access denied: your IP address is not in the whitelist',
		);
		expect(result.error(NODE)?.description).toMatch(
			/add your n8n server's IP address to the whitelist/,
		);
	});

	it('anti-spam: 40302 blocks the customer, 40301 afterwards, each item on its own (Continue On Fail)', async () => {
		sb.updateSettings({ antiSpam: { maxRequests: 2, windowMs: 60_000 } });
		const orderIds = ['spam-1', 'spam-2', 'spam-3', 'spam-4'];
		const result = await run(
			createPayment({
				orderId: '={{ $json.orderId }}',
				additionalFields: { userId: 'cust-spam-1' },
			}),
			{ items: orderIds.map((orderId) => ({ orderId })), continueOnFail: true },
		);
		expect(result.error(NODE)).toBeUndefined();
		expect(result.items).toHaveLength(4);
		expect(result.items.slice(0, 2).map((i) => i.json.state)).toEqual(['created', 'created']);
		expect(result.items[2].json).toEqual({
			error: expect.stringMatching(
				/^Aggrepay\.pro error 40302 \(HTTP 403\): Anti-spam protection triggered/,
			),
			description: expect.stringMatching(/anti-spam protection blocked this customer/),
		});
		expect(result.items[3].json).toEqual({
			error: 'Aggrepay.pro error 40301 (HTTP 403): User blocked',
			description: expect.stringMatching(/has blocked this customer \(User ID\)/),
		});
		expect(result.items.map((i) => i.pairedItem)).toEqual(orderIds.map((_, item) => ({ item })));
		expect(orderIds.map((orderId) => stored(sb, orderId).length)).toEqual([1, 1, 0, 0]);
	});
});

describe('response signatures', () => {
	it('an altered answer fails the item; with Warn it is used and a hint says so', async () => {
		const created = await run(createPayment({ orderId: 'tamper-1', paymentMethod: 'card_eur' }));
		expect(created.items[0].json.state).toBe('pending');
		const proxy = await startProxy(sb.url);
		// a man in the middle marks the payment finished and keeps the signature
		proxy.alter = (answer) =>
			answer.path === PAYMENT_STATUS
				? {
						...answer,
						body: Buffer.from(
							answer.body.toString('utf8').replace('"state":"pending"', '"state":"finished"'),
							'utf8',
						),
					}
				: answer;
		harness.setCredentials('aggrepayProApi', credentials(proxy));

		const strict = await run(getStatus('payment', 'tamper-1'));
		const error = strict.error(NODE);
		expect(error?.message).toBe(
			"Aggrepay.pro's answer to getPaymentStatus failed its signature check",
		);
		expect(error?.description).toMatch(/was not used/);
		expect(strict.items).toEqual([]);
		// the request reached the sandbox, which accepted its signature
		expect(sent(sb, 'GET', PAYMENT_STATUS).at(-1)).toMatchObject({
			status: 200,
			query: { orderId: 'tamper-1' },
		});

		const lenient = await run(getStatus('payment', 'tamper-1', { responseSignatureCheck: 'warn' }));
		expect(lenient.error(NODE)).toBeUndefined();
		expect(lenient.items[0].json.state).toBe('finished');
		expect(lenient.hints).toEqual([
			"Aggrepay.pro's answer to getPaymentStatus failed its signature check; it was used anyway because Response Signature Check is set to Warn",
		]);

		// an answer passed through unchanged verifies, without a hint
		proxy.alter = undefined;
		const clean = await run(getStatus('payment', 'tamper-1', { responseSignatureCheck: 'warn' }));
		expect(clean.error(NODE)).toBeUndefined();
		expect(clean.items[0].json.state).toBe('pending');
		expect(clean.hints).toEqual([]);

		// the digest in upper-case hex is the same digest
		proxy.alter = (answer) => ({
			...answer,
			headers: { ...answer.headers, signature: String(answer.headers.signature).toUpperCase() },
		});
		const upper = await run(getStatus('payment', 'tamper-1'));
		expect(upper.error(NODE)).toBeUndefined();
		expect(upper.items[0].json.state).toBe('pending');
	});

	it('an answer without a Signature fails the item; with Warn it is used with a hint', async () => {
		const proxy = await startProxy(sb.url);
		proxy.alter = (answer) => {
			const headers = { ...answer.headers };
			delete headers.signature;
			return { ...answer, headers };
		};
		harness.setCredentials('aggrepayProApi', credentials(proxy));
		const strict = await run({ resource: 'balance', operation: 'get' });
		expect(strict.error(NODE)?.message).toBe(
			"Aggrepay.pro's answer to getBalance carries no Signature",
		);
		expect(strict.error(NODE)?.description).toMatch(/set Response Signature Check to Warn/);

		const lenient = await run({
			resource: 'balance',
			operation: 'get',
			responseSignatureCheck: 'warn',
		});
		expect(lenient.error(NODE)).toBeUndefined();
		expect(lenient.items.map((i) => i.json)).toEqual(sb.balances());
		expect(lenient.hints).toEqual([
			"Aggrepay.pro's answer to getBalance carries no Signature; it was used anyway because Response Signature Check is set to Warn",
		]);

		// a create whose answer is unsigned: the item fails, as the node cannot trust what it read
		const create = await run(createPayment({ orderId: 'unsigned-1' }));
		expect(create.error(NODE)?.message).toBe(
			"Aggrepay.pro's answer to createPayment carries no Signature",
		);
	});

	// the node's Response Signature Check is shown for every resource, Custom API Call included
	it('a Custom API Call answer is checked like the others', async () => {
		const proxy = await startProxy(sb.url);
		proxy.alter = (answer) => ({
			...answer,
			body: Buffer.from(
				answer.body.toString('utf8').replace('"available":', '"available": '),
				'utf8',
			),
		});
		harness.setCredentials('aggrepayProApi', credentials(proxy));
		const result = await run({
			resource: 'customApiCall',
			operation: 'request',
			method: 'GET',
			path: BALANCE,
		});
		expect(result.error(NODE)?.message).toMatch(/failed its signature check/);
	});
});

describe('endpoint overrides', () => {
	it('a malformed override is an error naming the operation, before any request', async () => {
		const before = sb.requests.length;
		const cases: Array<[string, RegExp]> = [
			['{"createPayment": "SEND /api/pay"}', /"createPayment" must be "METHOD \/path"/],
			['{"createPayments": "POST /api/pay"}', /unknown operation "createPayments"/],
			['{"getBanks": "GET /methods/{code}/banks"}', /"getBanks" has no path parameter \{code\}/],
			['[1]', /must be a JSON object/],
		];
		for (const [endpointOverrides, message] of cases) {
			harness.setCredentials('aggrepayProApi', credentials(sb, { endpointOverrides }));
			const result = await run(createPayment({ orderId: 'override-bad-1' }));
			expect(result.error(NODE)?.message).toMatch(message);
			expect(result.error(NODE)?.message).toMatch(/Endpoint Overrides/);
			expect(result.error(NODE)?.description).toMatch(/Fix it in the Aggrepay\.pro credential/);
		}
		expect(sb.requests.length).toBe(before);
	});

	it('an overridden path reaches Aggrepay.pro there, for a create, its lookup and the banks', async () => {
		const moved = await ownSandbox({
			endpoints: {
				createPayment: { method: 'POST', path: '/v2/orders/pay' },
				getPaymentStatus: { method: 'GET', path: '/v2/orders/pay/state' },
				getBanks: { method: 'GET', path: '/v2/methods/{method}/bank-list' },
			},
		});
		// with the assumed paths this Aggrepay.pro has no such endpoint
		const assumed = await run(createPayment({ orderId: 'moved-0' }));
		expect(assumed.error(NODE)?.message).toMatch(/^Aggrepay\.pro error 40404 \(HTTP 404\)/);
		expect(assumed.error(NODE)?.description).toMatch(/Endpoint Overrides/);
		expect(stored(moved, 'moved-0')).toHaveLength(0);

		harness.setCredentials(
			'aggrepayProApi',
			credentials(moved, {
				endpointOverrides: JSON.stringify({
					createPayment: 'POST /v2/orders/pay',
					getPaymentStatus: 'GET /v2/orders/pay/state',
					getBanks: 'GET /v2/methods/{method}/bank-list',
				}),
			}),
		);
		const created = await run(createPayment({ orderId: 'moved-1' }));
		expect(created.error(NODE)).toBeUndefined();
		expect(sent(moved, 'POST', '/v2/orders/pay').map((r) => r.status)).toEqual([200]);
		expect(stored(moved, 'moved-1')).toHaveLength(1);

		moved.injectFault({ method: 'POST', path: '/v2/orders/pay', fault: 'drop-after-commit' });
		const lost = await run(createPayment({ orderId: 'moved-2' }));
		expect(lost.error(NODE)).toBeUndefined();
		expect(lost.items[0].json.foundAfterLostAnswer).toBe(true);
		expect(stored(moved, 'moved-2')).toHaveLength(1);
		expect(sent(moved, 'GET', '/v2/orders/pay/state').map((r) => r.query)).toEqual([
			{ orderId: 'moved-2' },
		]);

		const banks = await run({
			resource: 'paymentMethod',
			operation: 'getBanks',
			paymentMethod: 'sbp',
			currency: 'RUB',
		});
		expect(banks.error(NODE)).toBeUndefined();
		expect(banks.items.map((i) => i.json.code)).toEqual(['sber', 'tbank', 'alfa']);
		expect(sent(moved, 'GET', '/v2/methods/sbp/bank-list').map((r) => r.query)).toEqual([
			{ currency: 'RUB' },
		]);
	});
});

describe('payment methods, banks and balance', () => {
	it('lists every method, or those of a currency, with exact limits', async () => {
		const all = await run({ resource: 'paymentMethod', operation: 'getMany', currency: '' });
		expect(all.error(NODE)).toBeUndefined();
		expect(all.items.map((i) => i.json.code)).toEqual(sb.paymentMethods.map((m) => m.code));
		expect(sent(sb, 'GET', '/api/v1/payment-methods').at(-1)!.query).toEqual({});

		const euro = await run({ resource: 'paymentMethod', operation: 'getMany', currency: 'EUR' });
		expect(euro.error(NODE)).toBeUndefined();
		expect(euro.items.map((i) => i.json)).toEqual([
			{
				code: 'card_eur',
				name: 'Card (EUR)',
				type: 'payment',
				currencies: ['EUR'],
				minAmount: '1.00',
				maxAmount: '10000.00',
			},
			{
				code: 'payout_card_eur',
				name: 'Card payout (EUR)',
				type: 'payout',
				currencies: ['EUR'],
				minAmount: '10.00',
				maxAmount: '5000.00',
			},
		]);
		expect(sent(sb, 'GET', '/api/v1/payment-methods').at(-1)!.query).toEqual({ currency: 'EUR' });

		const none = await run({ resource: 'paymentMethod', operation: 'getMany', currency: 'JPY' });
		expect(none.error(NODE)?.message).toMatch(/^Aggrepay\.pro error 40403 \(HTTP 404\)/);
		expect(none.error(NODE)?.description).toMatch(/ask Aggrepay\.pro to enable some/);
	});

	it('lists the banks of a method in a currency; none is 40402 with its hint', async () => {
		const banks = await run({
			resource: 'paymentMethod',
			operation: 'getBanks',
			paymentMethod: 'card_rub',
			currency: 'RUB',
		});
		expect(banks.error(NODE)).toBeUndefined();
		expect(banks.items.map((i) => i.json)).toEqual([
			{ code: 'sber', name: 'Sberbank' },
			{ code: 'tbank', name: 'T-Bank' },
			{ code: 'vtb', name: 'VTB' },
		]);
		expect(sent(sb, 'GET', '/api/v1/payment-methods/card_rub/banks').at(-1)!.query).toEqual({
			currency: 'RUB',
		});

		const none = await run({
			resource: 'paymentMethod',
			operation: 'getBanks',
			paymentMethod: 'card_eur',
			currency: 'EUR',
		});
		expect(none.error(NODE)?.message).toBe(
			'Aggrepay.pro error 40402 (HTTP 404): No banks available for card_eur in EUR',
		);
		expect(none.error(NODE)?.description).toMatch(/Payment Method → Get Many/);

		const before = sb.requests.length;
		const empty = await run({
			resource: 'paymentMethod',
			operation: 'getBanks',
			paymentMethod: ' ',
			currency: 'RUB',
		});
		expect(empty.error(NODE)?.message).toBe('Payment Method is required');
		expect(sb.requests.length).toBe(before);
	});

	it('outputs the balance per currency, with the exact decimals', async () => {
		const own = await ownSandbox({ balances: { EUR: '1000.00', RUB: '2500.50', KWD: '1.250' } });
		const result = await run({ resource: 'balance', operation: 'get' });
		expect(result.error(NODE)).toBeUndefined();
		expect(result.items.map((i) => i.json)).toEqual([
			{ currency: 'EUR', available: '1000.00', reserved: '0.00' },
			{ currency: 'RUB', available: '2500.50', reserved: '0.00' },
			{ currency: 'KWD', available: '1.250', reserved: '0.000' },
		]);
		expect(result.items.map((i) => i.json)).toEqual(own.balances());
		expect(sent(own, 'GET', BALANCE).map((r) => r.status)).toEqual([200]);
	});
});

describe('custom API call', () => {
	it('sends a body as typed, non-ASCII included, signed and accepted', async () => {
		const body =
			'{"orderId": "custom-1", "merchantId": "sandbox_merchant", "amount": 12.30, "currency": "EUR", "callbackUri": "https://shop.example/cb/aggrepay", "customer": {"name": "Zoë 東京"}}';
		const posted = await run({
			resource: 'customApiCall',
			operation: 'request',
			method: 'POST',
			path: PAYMENTS,
			body,
		});
		expect(posted.error(NODE)).toBeUndefined();
		const request = sent(sb, 'POST', PAYMENTS).at(-1)!;
		expect(request.body).toBe(body);
		expect(request.headers.signature).toBe(hmac(body));
		expect(request.status).toBe(200);
		expect(posted.items[0].json).toMatchObject({
			status: true,
			data: { orderId: 'custom-1', amount: '12.30', state: 'created' },
		});
		expect(sb.payment('custom-1')).toMatchObject({
			amount: '12.30',
			customer: { name: 'Zoë 東京' },
		});

		const got = await run({
			resource: 'customApiCall',
			operation: 'request',
			method: 'GET',
			path: PAYMENT_STATUS,
			query: JSON.stringify({ orderId: 'custom-1' }),
		});
		expect(got.error(NODE)).toBeUndefined();
		expect(got.items[0].json).toMatchObject({ data: { orderId: 'custom-1', amount: '12.30' } });
		expect(sent(sb, 'GET', PAYMENT_STATUS).at(-1)!.headers.signature).toBe(hmac(''));

		harness.setCredentials('aggrepayProApi', credentials(sb, { apiKey: WRONG_API_KEY }));
		const refused = await run({
			resource: 'customApiCall',
			operation: 'request',
			method: 'GET',
			path: BALANCE,
		});
		expect(refused.error(NODE)?.message).toBe('Aggrepay.pro error 401 (HTTP 401): Unauthorized');
	});

	// the HTTP client sends a JSON text trimmed: the signature must cover those bytes
	it('a body typed over several lines, with a final newline, is signed as sent', async () => {
		const body =
			'{\n  "orderId": "custom-2",\n  "merchantId": "sandbox_merchant",\n  "amount": 7.00,\n  "currency": "EUR"\n}\n';
		const posted = await run({
			resource: 'customApiCall',
			operation: 'request',
			method: 'POST',
			path: PAYMENTS,
			body,
		});
		expect(posted.error(NODE)).toBeUndefined();
		const request = sent(sb, 'POST', PAYMENTS).at(-1)!;
		expect(request.headers.signature).toBe(hmac(request.body));
		expect(request.status).toBe(200);
		expect(sb.payment('custom-2')).toMatchObject({ amount: '7.00' });
	});
});

describe('amounts', () => {
	it('refuses an amount the currency or the unit does not allow, before any request', async () => {
		const before = sb.requests.length;
		const fine = await run(createPayment({ orderId: 'amount-bad-1', amount: '10.001' }));
		expect(fine.error(NODE)?.message).toMatch(
			/^Amount has 3 decimal places but EUR allows 2; got "10\.001"/,
		);
		const zero = await run(createPayment({ orderId: 'amount-bad-2', amount: '0' }));
		expect(zero.error(NODE)?.message).toMatch(/^Amount must be greater than zero; got "0"/);
		const text = await run(createPayment({ orderId: 'amount-bad-3', amount: '10,50' }));
		expect(text.error(NODE)?.message).toMatch(/^Amount must be a decimal number/);

		harness.setCredentials('aggrepayProApi', credentials(sb, { amountUnit: 'minor' }));
		for (const amount of ['10.5', '0', '000']) {
			const minor = await run(createPayment({ orderId: 'amount-bad-4', amount }));
			expect(minor.error(NODE)?.message).toBe(
				`Amount must be a whole number of the smallest unit of EUR above zero, because the credential's Amount Unit is Minor Units (e.g. 1050 for 10.50 EUR); got "${amount}"`,
			);
		}
		const jpy = await run(
			createPayout({ orderId: 'amount-bad-5', amount: '1.5', currency: 'JPY' }),
		);
		expect(jpy.error(NODE)?.message).toMatch(/whole number of the smallest unit of JPY/);
		expect(sb.requests.length).toBe(before);
		expect(stored(sb, 'amount-bad-1')).toHaveLength(0);
	});

	it('zeros beyond the currency decimals are dropped, never rounded: 10.500 EUR is sent as 10.50', async () => {
		const result = await run(createPayment({ orderId: 'amount-zeros-1', amount: '10.500' }));
		expect(result.error(NODE)).toBeUndefined();
		expect(withOrderId(sent(sb, 'POST', PAYMENTS), 'amount-zeros-1')[0].body).toContain(
			'"amount":10.50,',
		);
		expect(result.items[0].json.amount).toBe('10.50');
	});
});

describe('normalized output', () => {
	it('a create: the shared shape with the exact amount text and the state as providerStatus', async () => {
		const payment = await run(
			createPayment({
				orderId: 'norm-1',
				amount: '20.10',
				paymentMethod: 'card_eur',
				normalize: true,
			}),
		);
		expect(payment.error(NODE)).toBeUndefined();
		const stored1 = sb.payment('norm-1')!;
		expect(payment.items[0].json).toEqual({
			provider: 'aggrepay-pro',
			id: stored1.id,
			reference: 'norm-1',
			type: 'deposit',
			status: 'pending',
			providerStatus: 'pending',
			amount: '20.10',
			currency: 'EUR',
			createdAt: stored1.createdAt.toISOString(),
			updatedAt: stored1.updatedAt.toISOString(),
			raw: expect.objectContaining({ id: stored1.id, orderId: 'norm-1', amount: '20.10' }),
		});

		const payout = await run(
			createPayout({ orderId: 'norm-po-1', amount: '10.00', normalize: true }),
		);
		expect(payout.items[0].json).toMatchObject({
			type: 'withdrawal',
			status: 'pending',
			providerStatus: 'in_check',
			amount: '10.00',
		});
	});

	it('Get Status maps every state', async () => {
		const states = {
			'norm-created': 'created',
			'norm-pending': 'pending',
			'norm-in-check': 'in_check',
			'norm-dispute': 'dispute',
			'norm-finished': 'finished',
			'norm-canceled': 'canceled',
			'norm-expired': 'expired',
			'norm-failed': 'failed',
		} as const;
		const orderIds = Object.keys(states);
		const created = await run(
			createPayment({ orderId: '={{ $json.orderId }}', paymentMethod: '={{ $json.method }}' }),
			{
				items: orderIds.map((orderId) => ({
					orderId,
					method: orderId === 'norm-created' ? '' : 'card_eur',
				})),
			},
		);
		expect(created.error(NODE)).toBeUndefined();
		sb.check('norm-in-check');
		sb.dispute('norm-dispute');
		sb.finish('norm-finished');
		sb.cancel('norm-canceled');
		sb.expire('norm-expired');
		sb.fail('norm-failed');
		expect(orderIds.map((orderId) => sb.payment(orderId)!.state)).toEqual(Object.values(states));

		const got = await run(getStatus('payment', '={{ $json.orderId }}', { normalize: true }), {
			items: orderIds.map((orderId) => ({ orderId })),
		});
		expect(got.error(NODE)).toBeUndefined();
		expect(got.items.map((i) => [i.json.reference, i.json.providerStatus, i.json.status])).toEqual([
			['norm-created', 'created', 'requires_action'],
			['norm-pending', 'pending', 'pending'],
			['norm-in-check', 'in_check', 'pending'],
			['norm-dispute', 'dispute', 'pending'],
			['norm-finished', 'finished', 'succeeded'],
			['norm-canceled', 'canceled', 'canceled'],
			['norm-expired', 'expired', 'canceled'],
			['norm-failed', 'failed', 'failed'],
		]);
		for (const item of got.items) expect(item.json.amount).toBe('10.50');
	});

	it('with Minor Units the normalized amount is the minor-unit text Aggrepay.pro sent', async () => {
		await ownSandbox({ amountUnit: 'minor' }, { amountUnit: 'minor' });
		await run(createPayment({ orderId: 'norm-minor-1', amount: '1050' }));
		const got = await run(getStatus('payment', 'norm-minor-1', { normalize: true }));
		expect(got.error(NODE)).toBeUndefined();
		expect(got.items[0].json).toMatchObject({
			amount: '1050',
			currency: 'EUR',
			status: 'requires_action',
		});
	});
});

describe('Continue On Fail', () => {
	it('outputs {error, description} for a failing item and goes on with the others', async () => {
		const result = await run(
			createPayment({ orderId: '={{ $json.orderId }}', amount: '={{ $json.amount }}' }),
			{
				items: [
					{ orderId: 'cof-1', amount: '10.00' },
					{ orderId: 'cof-2', amount: '10.001' },
					{ orderId: 'cof-3', amount: '7' },
				],
				continueOnFail: true,
			},
		);
		expect(result.error(NODE)).toBeUndefined();
		expect(result.items).toHaveLength(3);
		expect(result.items[0].json).toMatchObject({ orderId: 'cof-1', amount: '10.00' });
		expect(Object.keys(result.items[1].json).sort()).toEqual(['description', 'error']);
		expect(result.items[1].json.error).toMatch(/^Amount has 3 decimal places but EUR allows 2/);
		expect(result.items[2].json).toMatchObject({ orderId: 'cof-3', amount: '7' });
		expect(result.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(stored(sb, 'cof-2')).toHaveLength(0);

		// an API error of one item: its description is the operator hint
		const got = await run(getStatus('payment', '={{ $json.orderId }}'), {
			items: [{ orderId: 'cof-nobody' }, { orderId: 'cof-1' }],
			continueOnFail: true,
		});
		expect(got.items[0].json).toEqual({
			error: 'Aggrepay.pro error 40401 (HTTP 404): Payment not found',
			description: expect.stringMatching(/^No such merchant or payment/),
		});
		expect(got.items[1].json).toMatchObject({ orderId: 'cof-1', state: 'created' });

		// without Continue On Fail the first failing item stops the node
		const stopped = await run(getStatus('payment', '={{ $json.orderId }}'), {
			items: [{ orderId: 'cof-1' }, { orderId: 'cof-nobody' }],
		});
		expect(stopped.error(NODE)?.message).toBe(
			'Aggrepay.pro error 40401 (HTTP 404): Payment not found',
		);
		expect(stopped.items).toEqual([]);
	});
});
