import { createHmac, randomBytes } from 'node:crypto';

import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters } from 'n8n-workflow';

import { CREDENTIAL_TTL_MS, REREAD_AFTER_MS } from '../../nodes/common/credentialCache';
import { Harness, type WebhookServer } from '../harness/engine';
import { chain, everythingVisible } from './paytech.helpers';

// Aggrepay.pro's callbacks are posted and signed here, as the provider would (HMAC-SHA256 hex of
// the raw body with the secret key), so the test depends on no sandbox.

const AGGREPAY_PRO_TRIGGER = 'n8n-nodes-payops.aggrepayProTrigger';
const TRIGGER = 'Aggrepay.pro Trigger';

// Distinctive secrets, so a leak into any output is found by a plain substring search.
const SECRET_KEY = 'apro_secret_5d0c8e21_SECRET';
const NEW_SECRET_KEY = 'apro_rotated_a93f17_SECRET';
const API_KEY = 'apro_api_e4b6720c_SECRET';

// The computed vector of docs/providers/aggrepay-pro.md, section 2
const VECTOR_KEY = 'your_secret_key';
const VECTOR_BODY = '{"orderId":"123","merchantId":"your_merchant_id","amount":1000}';
const VECTOR_SIGNATURE = '324abb73fc9ba1b6c6c54689f086957f9e2f6875e1e231f8468b6fb2d4d02328';

let harness: Harness;
let server: WebhookServer | undefined;

const credentials = (
	overrides: ICredentialDataDecryptedObject = {},
): ICredentialDataDecryptedObject => ({
	// never called: a trigger only verifies
	baseUrl: 'http://127.0.0.1:9',
	apiKey: API_KEY,
	secretKey: SECRET_KEY,
	previousSecretKey: '',
	merchantId: 'merchant-42',
	amountUnit: 'major',
	endpointOverrides: '',
	...overrides,
});

beforeAll(async () => {
	harness = await Harness.create({ credentials: { aggrepayProApi: credentials() } });
});

beforeEach(() => {
	harness.setCredentials('aggrepayProApi', credentials());
});

afterEach(async () => {
	if (server) {
		const runs = await server.idle();
		await server.close();
		server = undefined;
		// no execution, whatever it ran, shows a secret key or the API key
		for (const run of runs) {
			const visible = everythingVisible(run);
			for (const secret of [SECRET_KEY, NEW_SECRET_KEY, API_KEY])
				expect(visible).not.toContain(secret);
		}
	}
});

/** Activates Aggrepay.pro Trigger → Alert and serves its webhook; returns the Production URL. */
async function serve(parameters: INodeParameters = {}): Promise<string> {
	const workflow = harness.workflow({
		nodes: [
			{ name: TRIGGER, type: AGGREPAY_PRO_TRIGGER, parameters },
			{ name: 'Alert', type: 'n8n-nodes-base.noOp' },
		],
		connections: chain(TRIGGER, 'Alert'),
	});
	await harness.activate(workflow, TRIGGER);
	server = await harness.serveWebhooks(workflow);
	return server.url(TRIGGER);
}

const sign = (body: string, key = SECRET_KEY) =>
	createHmac('sha256', key).update(body, 'utf8').digest('hex');
const post = (url: string, body: string, headers: Record<string, string> = {}) =>
	fetch(url, {
		method: 'POST',
		body,
		headers: { 'content-type': 'application/json', ...headers },
		signal: AbortSignal.timeout(5000),
	});
/** A payment id never used before in this process, so no claim can know it. */
const freshId = () => `ap_${randomBytes(8).toString('hex')}`;

/** A payment or payout as the pack assumes Aggrepay.pro's status answer (its `data`). */
const payment = (id: string | number, fields: IDataObject = {}): IDataObject => ({
	id,
	orderId: `order-${id}`,
	merchantId: 'merchant-42',
	type: 'payment',
	state: 'finished',
	currency: 'EUR',
	paymentMethod: 'card_p2p',
	paymentUri: `https://pay.example/${id}`,
	requisite: { bank: 'Demo Bank', account: '4000 0000 0000 0002', holder: 'J. Doe' },
	createdAt: '2026-03-01T10:11:12Z',
	updatedAt: '2026-03-01T10:15:00Z',
	...fields,
});

/**
 * A callback body: `{"status":true,"data":{...}}`, or the bare object. The amount is written as a
 * JSON number with exactly `amount`'s digits, which JSON.stringify cannot do.
 */
function callback(
	id: string | number,
	fields: IDataObject = {},
	{ amount = '10.50', wrapped = true }: { amount?: string; wrapped?: boolean } = {},
): string {
	const data = { ...payment(id, fields), amount: '@AMOUNT@' };
	return JSON.stringify(wrapped ? { status: true, data } : data).replace('"@AMOUNT@"', amount);
}

/** The ids of the sentinels sent so far, which paymentsRun leaves out. */
const sentinels = new Set<string>();

/**
 * The eventKey (id:state) of every execution so far that ran past the trigger, in start order,
 * once all have finished. A genuine callback of a fresh payment (the sentinel, `fields` overriding
 * its defaults, signed with `key`) goes last and must run: every request before it has been handled
 * by then. Sentinels are left out.
 */
async function paymentsRun(
	url: string,
	fields: IDataObject = {},
	key = SECRET_KEY,
): Promise<string[]> {
	const sentinelId = freshId();
	sentinels.add(sentinelId);
	const sentinel = callback(sentinelId, fields);
	const response = await post(url, sentinel, { signature: sign(sentinel, key) });
	expect(response.status).toBe(200);
	await response.text();
	const runs = await server!.idle();
	const keyOf = (index: number) => String(server!.started[index].input[0][0].json.eventKey);
	expect(keyOf(server!.started.length - 1).split(':')[0]).toBe(sentinelId);
	return server!.started
		.map((_execution, index) => keyOf(index))
		.filter((key, index) => runs[index].ranNodes.length > 1 && !sentinels.has(key.split(':')[0]));
}

describe('Aggrepay.pro Trigger', () => {
	it("starts exactly one execution with a signed callback's data, amount digits kept", async () => {
		const url = await serve();
		const id = freshId();
		const body = callback(id);
		const response = await post(url, body, { signature: sign(body) });
		expect(response.status).toBe(200);
		expect(await response.json()).toEqual({ received: true, processed: true });
		const [execution] = await server!.waitForExecutions(1);
		expect(execution.ranNodes).toEqual([TRIGGER, 'Alert']);
		expect(execution.output('Alert').map((item) => item.json)).toEqual([
			{ ...payment(id), amount: '10.50', eventKey: `${id}:finished` },
		]);
		expect(await paymentsRun(url)).toEqual([`${id}:finished`]);
	});

	it('accepts the bare object as well as the wrapped answer, and a signature in uppercase hex', async () => {
		const url = await serve();
		const bare = callback(freshId(), { state: 'pending' }, { wrapped: false });
		const upper = callback(freshId(), { state: 'created' });
		expect((await post(url, bare, { signature: sign(bare) })).status).toBe(200);
		expect((await post(url, upper, { signature: sign(upper).toUpperCase() })).status).toBe(200);
		expect(await paymentsRun(url)).toEqual([
			`${(JSON.parse(bare) as IDataObject).id as string}:pending`,
			`${((JSON.parse(upper) as IDataObject).data as IDataObject).id as string}:created`,
		]);
		expect(server!.executions[0].output('Alert')[0].json).toMatchObject({
			state: 'pending',
			amount: '10.50',
		});
	});

	it.each([
		['10.50', '10.50'],
		['1000', '1000'],
		['1000.000', '1000.000'],
		['0.000000000000000001', '0.000000000000000001'],
		['12345678901234567890.12', '12345678901234567890.12'],
	])('outputs the amount %s with exactly the digits sent', async (sent, output) => {
		const url = await serve({ options: { normalize: true } });
		const id = freshId();
		const body = callback(id, {}, { amount: sent });
		expect((await post(url, body, { signature: sign(body) })).status).toBe(200);
		const [execution] = await server!.waitForExecutions(1);
		const json = execution.output('Alert')[0].json;
		expect([json.amount, (json.raw as IDataObject).amount]).toEqual([output, output]);
		expect(await paymentsRun(url)).toEqual([`${id}:finished`]);
	});

	it.each([
		[
			'a tampered body',
			(body: string) => ({ body: body.replace('10.50', '1050'), signature: sign(body) }),
		],
		[
			'a reformatted body (the signature covers the bytes sent)',
			(body: string) => ({
				body: JSON.stringify(JSON.parse(body), null, 2),
				signature: sign(body),
			}),
		],
		[
			'a signature made with another key',
			(body: string) => ({ body, signature: sign(body, 'not-the-key') }),
		],
		['a missing Signature header', (body: string) => ({ body, signature: undefined })],
		['a garbled header', (body: string) => ({ body, signature: 'zzzz' })],
		[
			'the digest in base64',
			(body: string) => ({ body, signature: Buffer.from(sign(body), 'hex').toString('base64') }),
		],
		['a truncated signature', (body: string) => ({ body, signature: sign(body).slice(0, 63) })],
	])('answers 401 and starts nothing for %s', async (_name, forge) => {
		const url = await serve();
		const { body, signature } = forge(callback(freshId()));
		const response = await post(url, body, signature === undefined ? {} : { signature });
		expect(response.status).toBe(401);
		expect(await response.json()).toEqual({ error: 'Unauthorized' });
		expect(await paymentsRun(url)).toEqual([]);
	});

	it("verifies the docs' computed vector, then answers 400: an authentic body that is no callback", async () => {
		harness.setCredentials('aggrepayProApi', credentials({ secretKey: VECTOR_KEY }));
		const url = await serve();
		const response = await post(url, VECTOR_BODY, { signature: VECTOR_SIGNATURE });
		expect(response.status).toBe(400);
		expect(await response.json()).toEqual({ error: 'Bad Request' });
		const forged = await post(url, VECTOR_BODY, { signature: `${VECTOR_SIGNATURE.slice(0, -1)}9` });
		expect(forged.status).toBe(401);
		await forged.text();
		expect(await paymentsRun(url, {}, VECTOR_KEY)).toEqual([]);
	});

	it('refuses every callback while the credential has no secret key (fails closed)', async () => {
		harness.setCredentials('aggrepayProApi', credentials({ secretKey: '', previousSecretKey: '' }));
		const url = await serve();
		const body = callback(freshId());
		for (const signature of [sign(body), sign(body, ''), '']) {
			const response = await post(url, body, { signature });
			expect(response.status).toBe(401);
			await response.text();
		}
		// a blank key is no key
		harness.setCredentials(
			'aggrepayProApi',
			credentials({ secretKey: ' ', previousSecretKey: '' }),
		);
		const blank = await post(url, body, { signature: sign(body, ' ') });
		expect(blank.status).toBe(401);
		await blank.text();
		// the sentinel needs a key to be genuine; the trigger reads the credential again once
		// REREAD_AFTER_MS have passed
		harness.setCredentials('aggrepayProApi', credentials());
		await new Promise((resolve) => setTimeout(resolve, REREAD_AFTER_MS));
		expect(await paymentsRun(url)).toEqual([]);
	});

	it('accepts the previous secret key during a rotation, and the new one', async () => {
		harness.setCredentials(
			'aggrepayProApi',
			credentials({ secretKey: NEW_SECRET_KEY, previousSecretKey: SECRET_KEY }),
		);
		const url = await serve();
		const signedOld = callback(freshId());
		const signedNew = callback(freshId());
		const signedOther = callback(freshId());
		expect((await post(url, signedOld, { signature: sign(signedOld, SECRET_KEY) })).status).toBe(
			200,
		);
		expect(
			(await post(url, signedNew, { signature: sign(signedNew, NEW_SECRET_KEY) })).status,
		).toBe(200);
		const other = await post(url, signedOther, { signature: sign(signedOther, 'a-third-key') });
		expect(other.status).toBe(401);
		await other.text();
		const idOf = (body: string) =>
			((JSON.parse(body) as IDataObject).data as IDataObject).id as string;
		expect(await paymentsRun(url, {}, NEW_SECRET_KEY)).toEqual([
			`${idOf(signedOld)}:finished`,
			`${idOf(signedNew)}:finished`,
		]);
		// the rotation is over: the old key no longer starts anything, once the trigger's kept keys
		// (read before the change) are older than CREDENTIAL_TTL_MS
		harness.setCredentials('aggrepayProApi', credentials({ secretKey: NEW_SECRET_KEY }));
		await new Promise((resolve) => setTimeout(resolve, CREDENTIAL_TTL_MS));
		const late = callback(freshId());
		const refused = await post(url, late, { signature: sign(late, SECRET_KEY) });
		expect(refused.status).toBe(401);
		await refused.text();
	});

	it('starts once for three deliveries of one state, and again for a new state of the payment', async () => {
		const url = await serve();
		const id = freshId();
		const inCheck = callback(id, { type: 'payout', state: 'in_check' });
		const answers: unknown[] = [];
		for (let n = 0; n < 3; n++) {
			const response = await post(url, inCheck, { signature: sign(inCheck) });
			expect(response.status).toBe(200);
			answers.push(await response.json());
		}
		expect(answers).toEqual([
			{ received: true, processed: true },
			{ received: true, processed: false, reason: 'already received' },
			{ received: true, processed: false, reason: 'already received' },
		]);
		expect(await paymentsRun(url)).toEqual([`${id}:in_check`]);
		const finished = callback(id, { type: 'payout', state: 'finished' });
		expect((await post(url, finished, { signature: sign(finished) })).status).toBe(200);
		expect(await paymentsRun(url)).toEqual([`${id}:in_check`, `${id}:finished`]);
	});

	it('answers 200 without starting for a kind or state that is not selected', async () => {
		const url = await serve({ kind: 'payout', states: ['finished', 'canceled'] });
		const cases: Array<[IDataObject, string]> = [
			[{ type: 'payment', state: 'finished' }, 'kind not selected'],
			[{ type: 'payout', state: 'in_check' }, 'state not selected'],
			// a callback without a type is only started for All
			[{ type: undefined, state: 'finished' }, 'kind not selected'],
		];
		for (const [fields, reason] of cases) {
			const body = callback(freshId(), fields);
			const response = await post(url, body, { signature: sign(body) });
			expect(response.status).toBe(200);
			expect(await response.json()).toEqual({ received: true, processed: false, reason });
		}
		// the sentinel is a selected event: a canceled payout
		expect(await paymentsRun(url, { type: 'payout', state: 'canceled' })).toEqual([]);
	});

	it('lets every state through when none is selected, one Aggrepay.pro may add later included', async () => {
		const url = await serve({ kind: 'payment' });
		const id = freshId();
		const body = callback(id, { state: 'refunded' });
		expect((await post(url, body, { signature: sign(body) })).status).toBe(200);
		expect(await paymentsRun(url)).toEqual([`${id}:refunded`]);
	});

	it('outputs the normalized view and redacted headers on request', async () => {
		const url = await serve({ options: { normalize: true, includeHeaders: true } });
		const id = freshId();
		const body = callback(id, { type: 'payout', state: 'expired' }, { amount: '250.00' });
		const signature = sign(body);
		expect((await post(url, body, { signature })).status).toBe(200);
		const [execution] = await server!.waitForExecutions(1);
		expect(execution.output('Alert')[0].json).toEqual({
			provider: 'aggrepay-pro',
			id,
			reference: `order-${id}`,
			type: 'withdrawal',
			status: 'canceled',
			providerStatus: 'expired',
			amount: '250.00',
			currency: 'EUR',
			createdAt: '2026-03-01T10:11:12.000Z',
			updatedAt: '2026-03-01T10:15:00.000Z',
			raw: { ...payment(id, { type: 'payout', state: 'expired' }), amount: '250.00' },
			eventKey: `${id}:expired`,
			headers: expect.objectContaining({ signature: '[redacted]' }),
		});
		expect(everythingVisible(execution)).not.toContain(signature);
		expect(await paymentsRun(url)).toEqual([`${id}:expired`]);
	});

	it('answers 400 for a correctly signed body that is not a callback', async () => {
		const url = await serve();
		for (const [body, type] of [
			['not json', 'text/plain'],
			['["a list"]', 'application/json'],
			['{"hello":"world"}', 'application/json'],
			['{"status":false,"code":40401,"message":"Payment not found"}', 'application/json'],
			['{"status":false,"data":{"id":"ap_1","state":"finished"}}', 'application/json'],
			['{"status":true,"data":{"id":"ap_1"}}', 'application/json'],
			['{"status":true,"data":{"state":"finished"}}', 'application/json'],
			['{"id":"","state":"finished"}', 'application/json'],
			['{"id":"ap_1","state":""}', 'application/json'],
			['{"id":"ap_1","state":3}', 'application/json'],
			['{"id":true,"state":"finished"}', 'application/json'],
		]) {
			const response = await post(url, body, { signature: sign(body), 'content-type': type });
			expect([body, response.status]).toEqual([body, 400]);
			expect(await response.json()).toEqual({ error: 'Bad Request' });
		}
		expect(await paymentsRun(url)).toEqual([]);
	});

	it('takes a numeric id, keyed as text', async () => {
		const url = await serve();
		const id = Number.parseInt(randomBytes(4).toString('hex'), 16);
		const body = callback(id, { state: 'dispute' }, { wrapped: false });
		expect((await post(url, body, { signature: sign(body) })).status).toBe(200);
		expect(await paymentsRun(url)).toEqual([`${id}:dispute`]);
	});
});
