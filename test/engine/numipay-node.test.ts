import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INodeExecutionData,
	INodeParameters,
} from 'n8n-workflow';

import {
	CARD_DECLINED_ERROR,
	startNumipaySandbox,
	TEST_CARDS,
	type NumipaySandbox,
	type NumipaySandboxOptions,
	type RecordedRequest,
} from '../../sandbox/numipay';
import { Harness, outputsAndErrors, type RunResult } from '../harness/engine';
import { chain } from './paytech.helpers';

// The Numipay node driven through n8n's real engine (n8n-core) against the real sandbox over HTTP.

const NUMIPAY = 'n8n-nodes-payops.numipay';
const NODE = 'Numipay';

// Distinctive secrets, so a leak into any output, error or description is found by a substring search.
const DEV_API_KEY = 'numipay_dev_5d2e71_SECRET';
const LIVE_API_KEY = 'numipay_live_9a04c3_SECRET';
const WRONG_API_KEY = 'numipay_wrong_0c7d2a_SECRET';
const SIGNATURE_PASSWORD = 'spg_node_61f0b8_SECRET';
const CARD = TEST_CARDS.approved; // 4111111111111111, the published example
const CVC = '8642';
// Card data the node must refuse without repeating it
const BAD_CARD = '41111111111111112222';
const BAD_CVC = '86';

/** A fixed clock for the list sandboxes, so which day a transaction falls on is known. */
const NOW = new Date('2025-06-15T10:30:00Z');
const DAY_MS = 86_400_000;

let sb: NumipaySandbox;
let harness: Harness;
const visible: string[] = [];
const extraSandboxes: NumipaySandbox[] = [];

const sandboxOptions = (options: NumipaySandboxOptions = {}): NumipaySandboxOptions => ({
	devApiKey: DEV_API_KEY,
	apiKey: LIVE_API_KEY,
	signaturePassword: SIGNATURE_PASSWORD,
	payoutDelayMs: 5,
	...options,
});

const credentials = (
	sandbox: NumipaySandbox = sb,
	overrides: ICredentialDataDecryptedObject = {},
): ICredentialDataDecryptedObject => ({
	baseUrl: sandbox.url,
	apiKey: sandbox.devApiKey,
	mode: 'test',
	signaturePassword: sandbox.signaturePassword,
	previousSignaturePassword: '',
	cashierUrlTemplate: sandbox.cashierUrlTemplate,
	endpointOverrides: '',
	...overrides,
});

/** Another sandbox for this test only (closed after it), which the credential points at. */
async function ownSandbox(options: NumipaySandboxOptions = {}): Promise<NumipaySandbox> {
	const started = await startNumipaySandbox(sandboxOptions(options));
	extraSandboxes.push(started);
	harness.setCredentials('numipayApi', credentials(started));
	return started;
}

beforeAll(async () => {
	sb = await startNumipaySandbox(sandboxOptions());
	harness = await Harness.create({ credentials: { numipayApi: credentials() } });
});

afterAll(async () => {
	await sb.close();
	// No run of this file may show a key, the signature password, a card number or a CVC: not in an
	// output, an error message, its description or the parameters n8n keeps with an error.
	const all = visible.join('\n');
	for (const secret of [
		DEV_API_KEY,
		LIVE_API_KEY,
		WRONG_API_KEY,
		SIGNATURE_PASSWORD,
		CARD,
		TEST_CARDS.declined,
		TEST_CARDS.threeDSecure,
		BAD_CARD,
	])
		expect(all).not.toContain(secret);
	// short digit runs also occur inside ids and amounts: look for the CVCs as values of their own
	for (const cvc of [CVC, BAD_CVC])
		expect(all).not.toMatch(new RegExp(`(?<![\\w.:-])${cvc}(?![\\w.-])`));
});

beforeEach(() => {
	sb.clearFaults();
	harness.setCredentials('numipayApi', credentials());
});

afterEach(async () => {
	await Promise.all(extraSandboxes.splice(0).map(async (s) => await s.close()));
});

interface RunOptions {
	items?: IDataObject[];
	continueOnFail?: boolean;
	/** The workflow's time zone (workflow settings); default UTC. */
	timezone?: string;
	/** n8n's Retry On Fail on the node. */
	retryOnFail?: boolean;
}

/** Start → Numipay with these parameters, as the editor's "Execute workflow". */
async function run(
	parameters: INodeParameters,
	options: RunOptions = {},
): Promise<RunResult & { items: INodeExecutionData[] }> {
	const workflow = harness.workflow({
		nodes: [
			{ name: 'Start', type: 'n8n-nodes-base.manualTrigger' },
			{
				name: NODE,
				type: NUMIPAY,
				parameters,
				...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
				...(options.retryOnFail ? { retryOnFail: true, maxTries: 2, waitBetweenTries: 1 } : {}),
			},
		],
		connections: chain('Start', NODE),
		settings: { timezone: options.timezone ?? 'UTC', executionOrder: 'v1' },
	});
	const result = await harness.run(workflow, {
		items: (options.items ?? [{}]).map((json) => ({ json })),
	});
	visible.push(outputsAndErrors(result));
	return Object.assign(result, { items: result.output(NODE) });
}

const cashier = (fields: INodeParameters = {}): INodeParameters => ({
	resource: 'deposit',
	operation: 'createCashierSession',
	userId: 'cust-1001',
	amount: '10.50',
	currency: 'EUR',
	...fields,
});

const withdrawalSession = (fields: INodeParameters = {}): INodeParameters => ({
	resource: 'withdrawal',
	operation: 'createWithdrawalSession',
	userId: 'cust-2002',
	amount: '25.00',
	currency: 'EUR',
	...fields,
});

const cardDeposit = (fields: INodeParameters = {}): INodeParameters => ({
	resource: 'deposit',
	operation: 'createCardDeposit',
	userId: 'cust-3003',
	amount: '19.99',
	currency: 'EUR',
	routingId: 'routing-7',
	cardHolderName: 'Ada Lovelace',
	cardNumber: CARD,
	cardSecurityCode: CVC,
	cardExpiryMonth: '5',
	cardExpiryYear: '2030',
	...fields,
});

const getTransaction = (id: string, fields: INodeParameters = {}): INodeParameters => ({
	resource: 'transaction',
	operation: 'get',
	id,
	...fields,
});

/** Recorded API requests to this method and path. */
const sent = (sandbox: NumipaySandbox, method: string, path: string): RecordedRequest[] =>
	sandbox.requests.filter((r) => r.method === method && r.path === path);

/** Recorded requests whose body names this tracking_id. */
const withTrackingId = (requests: RecordedRequest[], trackingId: string) =>
	requests.filter((r) => {
		try {
			return (JSON.parse(r.body) as { request?: IDataObject }).request?.tracking_id === trackingId;
		} catch {
			return false;
		}
	});

const transactionsWith = (sandbox: NumipaySandbox, trackingId: string) =>
	[...sandbox.transactions.values()].filter((t) => t.trackingId === trackingId);

/** Calendar day `offset` days from the instant, as the "YYYY-MM-DD" of a date picker (UTC). */
const dayOf = (instant: Date, offset = 0) =>
	new Date(instant.getTime() + offset * DAY_MS).toISOString().slice(0, 10);

/** "DD-MM-YYYY" as a day number, for the distance between from and to. */
const ddMmYyyyDay = (text: string) => {
	const [, d, m, y] = /^(\d{2})-(\d{2})-(\d{4})$/.exec(text)!;
	return Date.UTC(Number(y), Number(m) - 1, Number(d)) / DAY_MS;
};

describe('deposit: cashier session', () => {
	it('answers the token and the cashier URL, sending the amount with the digits typed', async () => {
		const result = await run(
			cashier({
				trackingId: 'order-cash-1',
				customer: {
					first_name: 'Ada',
					last_name: 'Lovelace',
					email: 'ada@example.com',
					dob: '10/12/1990',
					country_code: 'GB',
					kyc_status: true,
					max_deposit_limit: '500.00',
					phone_country: 'GB',
					phone_number: '7700900123',
					phone_prefix: '44',
				},
				additionalFields: {
					ip: '152.13.130.125',
					theme: 'dark',
					settings: '{"locale":"en"}',
					amount_restricted: true,
				},
			}),
		);
		expect(result.error(NODE)).toBeUndefined();
		const [item] = result.items;
		const token = String(item.json.token);
		expect(token).toMatch(/^[A-Za-z0-9]{50}$/);
		expect(item.json).toEqual({
			tracking_id: 'order-cash-1',
			token,
			cashierUrl: sb.cashierUrlTemplate.replace('{token}', token),
		});
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(sb.sessions.get(token)?.request).toMatchObject({
			trackingId: 'order-cash-1',
			amount: '10.50',
			currency: 'EUR',
			test: true,
		});

		const request = sent(sb, 'POST', '/payments/cashier').at(-1)!;
		expect(request.headers['x-api-key']).toBe(DEV_API_KEY);
		expect(request.headers['content-type']).toMatch(/^application\/json/);
		// the amounts exactly as typed, as JSON numbers
		expect(request.body.startsWith('{"request":{"mode":"test",')).toBe(true);
		expect(request.body).toContain('"amount":10.50,');
		expect(request.body).toContain('"max_deposit_limit":500.00');
		expect(JSON.parse(request.body)).toEqual({
			request: {
				mode: 'test',
				user_id: 'cust-1001',
				tracking_id: 'order-cash-1',
				amount: 10.5,
				currency: 'EUR',
				ip: '152.13.130.125',
				theme: 'dark',
				settings: { locale: 'en' },
				amount_restricted: true,
				customer: {
					first_name: 'Ada',
					last_name: 'Lovelace',
					email: 'ada@example.com',
					dob: '10/12/1990',
					country_code: 'GB',
					kyc_status: true,
					max_deposit_limit: 500,
					phone: { country: 'GB', number: '7700900123', prefix: '44' },
				},
			},
		});
	});

	it('derives a tracking_id per item when it is empty, outputs it as derivedReference and sends it', async () => {
		const result = await run(cashier({ trackingId: '={{ $json.ref }}' }), {
			items: [{ ref: '' }, { ref: '' }, { ref: 'order-given-1' }],
		});
		expect(result.error(NODE)).toBeUndefined();
		const refs = result.items.map((i) => String(i.json.tracking_id));
		expect(refs[0]).toMatch(/^n8n-[0-9a-f]{32}$/);
		expect(refs[1]).toMatch(/^n8n-[0-9a-f]{32}$/);
		expect(new Set(refs).size).toBe(3);
		expect(refs[2]).toBe('order-given-1');
		expect(result.items.map((i) => i.json.derivedReference)).toEqual([
			{ reference: refs[0], from: 'execution' },
			{ reference: refs[1], from: 'execution' },
			undefined,
		]);
		for (const ref of refs)
			expect(withTrackingId(sent(sb, 'POST', '/payments/cashier'), ref)).toHaveLength(1);

		// another execution of the same item gives another reference
		const again = await run(cashier());
		expect(again.items[0].json.tracking_id).toMatch(/^n8n-[0-9a-f]{32}$/);
		expect(refs).not.toContain(again.items[0].json.tracking_id);
	});

	it("keeps the derived tracking_id when n8n's Retry On Fail runs the node again", async () => {
		// the first try is turned away (nothing is stored); the retry must send the same reference
		sb.injectFault({ method: 'POST', path: '/payments/cashier', fault: 'status', status: 400 });
		const before = sent(sb, 'POST', '/payments/cashier').length;
		const result = await run(cashier({ amount: '12.00' }), { retryOnFail: true });
		expect(result.error(NODE)).toBeUndefined();
		const tries = sent(sb, 'POST', '/payments/cashier').slice(before);
		expect(tries.map((r) => r.status)).toEqual([400, 200]);
		const sentRefs = tries.map(
			(r) => (JSON.parse(r.body) as { request: IDataObject }).request.tracking_id,
		);
		expect(sentRefs[0]).toBe(sentRefs[1]);
		expect(result.items[0].json.tracking_id).toBe(sentRefs[0]);
		expect(result.items[0].json.derivedReference).toEqual({
			reference: sentRefs[0],
			from: 'execution',
		});
	});

	it('refuses amounts finer than the currency allows, naming the field, before any request', async () => {
		const before = sb.requests.length;
		const eur = await run(cashier({ amount: '10.001' }));
		expect(eur.error(NODE)?.message).toMatch(
			/^Amount has 3 decimal places but EUR allows 2; got "10\.001"/,
		);
		const jpy = await run(cashier({ amount: '1.5', currency: 'JPY' }));
		expect(jpy.error(NODE)?.message).toMatch(
			/^Amount has 1 decimal place but JPY allows 0; got "1\.5"/,
		);
		const limit = await run(cashier({ customer: { max_deposit_limit: '20.005' } }));
		expect(limit.error(NODE)?.message).toMatch(/^Max Deposit Limit has 3 decimal places/);
		const dob = await run(cashier({ customer: { dob: '1990-12-10' } }));
		expect(dob.error(NODE)?.message).toMatch(/^Date of Birth must be DD\/MM\/YYYY/);
		expect(sb.requests.length).toBe(before);

		// 1500 JPY and 1.234 KWD fit their currencies
		const fine = await run(cashier({ amount: '1500', currency: 'JPY' }));
		expect(fine.error(NODE)).toBeUndefined();
		expect(sent(sb, 'POST', '/payments/cashier').at(-1)!.body).toContain('"amount":1500,');
	});

	it('a customer pays on the cashier page: Get by tracking_id shows it successful', async () => {
		const created = await run(cashier({ trackingId: 'order-paid-1', amount: '42.10' }));
		const token = String(created.items[0].json.token);
		// no transaction until the customer acts
		const early = await run(getTransaction('order-paid-1'));
		expect(early.error(NODE)?.message).toMatch(/404/);
		sb.complete(token);
		const got = await run(getTransaction('order-paid-1'));
		expect(got.error(NODE)).toBeUndefined();
		expect(got.items[0].json).toEqual({
			id: 'order-paid-1',
			transaction_status: 'successful',
			rejected_reason: null,
		});
		expect(sb.transaction('order-paid-1')?.amount).toBe('42.10');
		expect(sent(sb, 'GET', '/transactions/order-paid-1').at(-1)!.status).toBe(200);
	});

	it('a second session with the same tracking_id is refused with the 409 and its hint', async () => {
		await run(cashier({ trackingId: 'order-dup-1' }));
		const again = await run(cashier({ trackingId: 'order-dup-1' }));
		const error = again.error(NODE);
		expect(error?.message).toMatch(/^Numipay error 409 \(HTTP 409\): Duplicate tracking_id/);
		expect(error?.description).toMatch(/Tracking ID/);
	});
});

describe('deposit: lost answers of a cashier session', () => {
	it('a connection dropped before Numipay acted is sent again: one session', async () => {
		sb.injectFault({ method: 'POST', path: '/payments/cashier', fault: 'drop' });
		const result = await run(cashier({ trackingId: 'order-drop-1' }));
		expect(result.error(NODE)).toBeUndefined();
		expect(String(result.items[0].json.token)).toMatch(/^[A-Za-z0-9]{50}$/);
		const tries = withTrackingId(sent(sb, 'POST', '/payments/cashier'), 'order-drop-1');
		expect(tries.map((r) => r.status ?? r.fault)).toEqual(['drop', 200]);
		expect(
			[...sb.sessions.values()].filter((s) => s.request.trackingId === 'order-drop-1'),
		).toHaveLength(1);
	});

	// Asked again, Numipay refuses the tracking_id it has just stored (409): the token is lost,
	// and neither an empty Tracking ID (Retry On Fail derives the same one) nor Get Transaction
	// (which cannot find a session nobody has used yet) would help
	it('a lost answer after Numipay opened the session: one session, and an error that says so', async () => {
		sb.injectFault({ method: 'POST', path: '/payments/cashier', fault: 'drop-after-commit' });
		const before = sent(sb, 'POST', '/payments/cashier').length;
		const result = await run(cashier());
		const first = sent(sb, 'POST', '/payments/cashier')[before];
		const trackingId = String(
			(JSON.parse(first.body) as { request: IDataObject }).request.tracking_id,
		);
		expect(
			[...sb.sessions.values()].filter((s) => s.request.trackingId === trackingId),
		).toHaveLength(1);
		const error = result.error(NODE);
		expect(error).toBeDefined();
		const lookedUp = await run(getTransaction(trackingId));
		expect(lookedUp.error(NODE)?.message).toMatch(/404/);
		expect(error?.description).not.toMatch(/Get Transaction/);
		expect(error?.description).not.toMatch(/leave Tracking ID empty/);
	});
});

describe('deposit: direct integration', () => {
	it('answers the provider URL and names a provider_id Numipay refuses', async () => {
		const result = await run({
			...cashier({ trackingId: 'order-direct-1' }),
			operation: 'createDirectDeposit',
			providerId: '210',
		});
		expect(result.error(NODE)).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ tracking_id: 'order-direct-1' });
		expect(String(result.items[0].json.url)).toMatch(new RegExp(`^${sb.url}/provider/\\w{50}$`));
		const body = JSON.parse(sent(sb, 'POST', '/payments/direct').at(-1)!.body) as {
			request: IDataObject;
		};
		expect(body.request).toMatchObject({ mode: 'test', provider_id: '210', amount: 10.5 });

		const refused = await run({
			...cashier({ trackingId: 'order-direct-2' }),
			operation: 'createDirectDeposit',
			providerId: '999',
		});
		expect(refused.error(NODE)?.message).toMatch(/^Numipay error 400 \(HTTP 400\): .*provider_id/);
		expect(refused.error(NODE)?.message).toContain('request.provider_id');
	});
});

describe('deposit: server-to-server card', () => {
	it('charges a card: successful at once, no 3-D Secure', async () => {
		const result = await run(cardDeposit({ trackingId: 'card-ok-1' }));
		expect(result.error(NODE)).toBeUndefined();
		expect(result.items[0].json).toEqual({
			tracking_id: 'card-ok-1',
			url: '',
			transaction_status: 'successful',
			threeDSecureRequired: false,
		});
		expect(sb.transaction('card-ok-1')).toMatchObject({ status: 'successful', amount: '19.99' });
		const body = JSON.parse(sent(sb, 'POST', '/payments/s2s').at(-1)!.body) as {
			request: IDataObject;
		};
		// what the sandbox keeps (it masks card data); the expiry month is padded
		expect(body.request).toMatchObject({
			mode: 'test',
			routing_id: 'routing-7',
			card_details: {
				holder_name: 'Ada Lovelace',
				card_number: '411111******1111',
				cvc: '***',
				exp_month: '05',
				exp_year: '2030',
			},
		});
	});

	it('outputs a declined card as data (rejected, with the error), without failing', async () => {
		const result = await run(
			cardDeposit({ trackingId: 'card-declined-1', cardNumber: TEST_CARDS.declined }),
		);
		expect(result.error(NODE)).toBeUndefined();
		expect(result.items[0].json).toMatchObject({
			tracking_id: 'card-declined-1',
			transaction_status: 'rejected',
			error: CARD_DECLINED_ERROR,
			threeDSecureRequired: false,
		});
		expect(sb.transaction('card-declined-1')?.status).toBe('rejected');
	});

	it('outputs the 3-D Secure URL and threeDSecureRequired for a card that needs it', async () => {
		const result = await run(
			cardDeposit({ trackingId: 'card-3ds-1', cardNumber: TEST_CARDS.threeDSecure }),
		);
		expect(result.error(NODE)).toBeUndefined();
		const json = result.items[0].json;
		expect(json).toMatchObject({
			tracking_id: 'card-3ds-1',
			transaction_status: 'pending',
			threeDSecureRequired: true,
		});
		const url = String(json.url);
		expect(url.startsWith(`${sb.url}/3ds/`)).toBe(true);
		// the customer passes 3-D Secure there
		sb.complete(url.split('/').at(-1)!);
		const got = await run(getTransaction('card-3ds-1'));
		expect(got.items[0].json.transaction_status).toBe('successful');
	});

	it('validates the card without repeating it, before any request', async () => {
		const before = sb.requests.length;
		const number = await run(cardDeposit({ cardNumber: BAD_CARD }));
		expect(number.error(NODE)?.message).toMatch(/^Card Number must be 12 to 19 digits/);
		const cvc = await run(cardDeposit({ cardSecurityCode: BAD_CVC }));
		expect(cvc.error(NODE)?.message).toMatch(/^CVC must be 3 or 4 digits/);
		const month = await run(cardDeposit({ cardExpiryMonth: '13' }));
		expect(month.error(NODE)?.message).toMatch(/^Expiry Month must be 01 to 12/);
		const routing = await run(cardDeposit({ routingId: ' ' }));
		expect(routing.error(NODE)?.message).toMatch(/^Routing ID is required/);
		expect(sb.requests.length).toBe(before);
		// n8n keeps the failed node's parameters with the error: the card data is masked there
		const parameters = (number.error(NODE) as unknown as { node: { parameters: IDataObject } }).node
			.parameters;
		expect(parameters.cardNumber).toBe('[redacted]');
		expect(parameters.cardSecurityCode).toBe('[redacted]');
	});

	it('a lost answer after Numipay created the deposit: looked up by tracking_id, never sent twice', async () => {
		sb.injectFault({ method: 'POST', path: '/payments/s2s', fault: 'drop-after-commit' });
		const result = await run(cardDeposit({ trackingId: 'card-lost-1' }));
		expect(result.error(NODE)).toBeUndefined();
		expect(result.items[0].json).toMatchObject({
			tracking_id: 'card-lost-1',
			transaction_status: 'successful',
			rejected_reason: null,
			foundAfterLostAnswer: true,
		});
		expect(transactionsWith(sb, 'card-lost-1')).toHaveLength(1);
		expect(withTrackingId(sent(sb, 'POST', '/payments/s2s'), 'card-lost-1')).toHaveLength(1);
		expect(sent(sb, 'GET', '/transactions/card-lost-1').map((r) => r.status)).toEqual([200]);
	});

	// after a lost answer the 3-D Secure URL is gone: a pending deposit must not claim that no
	// 3-D Secure is needed
	it('a lost answer of a 3-D Secure card deposit does not claim that no 3-D Secure is needed', async () => {
		sb.injectFault({ method: 'POST', path: '/payments/s2s', fault: 'drop-after-commit' });
		const result = await run(
			cardDeposit({ trackingId: 'card-lost-3ds', cardNumber: TEST_CARDS.threeDSecure }),
		);
		expect(result.error(NODE)).toBeUndefined();
		expect(transactionsWith(sb, 'card-lost-3ds')).toHaveLength(1);
		expect(result.items[0].json).toMatchObject({
			transaction_status: 'pending',
			foundAfterLostAnswer: true,
		});
		expect(result.items[0].json.threeDSecureRequired).not.toBe(false);
	});

	it('a connection dropped before Numipay acted: looked up, then sent again once, one deposit', async () => {
		sb.injectFault({ method: 'POST', path: '/payments/s2s', fault: 'drop' });
		const result = await run(cardDeposit({ trackingId: 'card-drop-1' }));
		expect(result.error(NODE)).toBeUndefined();
		expect(result.items[0].json).toMatchObject({
			tracking_id: 'card-drop-1',
			transaction_status: 'successful',
		});
		expect(transactionsWith(sb, 'card-drop-1')).toHaveLength(1);
		const trail = sb.requests
			.filter(
				(r) =>
					r.path === '/transactions/card-drop-1' || withTrackingId([r], 'card-drop-1').length === 1,
			)
			.map((r) => `${r.method} ${r.status ?? r.fault}`);
		expect(trail).toEqual(['POST drop', 'GET 404', 'POST 200']);
	});

	it('a 5xx on the card deposit is not re-sent blindly: looked up first', async () => {
		sb.injectFault({ method: 'POST', path: '/payments/s2s', fault: 'status', status: 503 });
		const result = await run(cardDeposit({ trackingId: 'card-503-1' }));
		expect(result.error(NODE)).toBeUndefined();
		expect(transactionsWith(sb, 'card-503-1')).toHaveLength(1);
		const trail = sb.requests
			.filter(
				(r) =>
					r.path === '/transactions/card-503-1' || withTrackingId([r], 'card-503-1').length === 1,
			)
			.map((r) => `${r.method} ${r.status}`);
		expect(trail).toEqual(['POST 503', 'GET 404', 'POST 200']);
	});
});

describe('withdrawal', () => {
	/** A withdrawal session the customer confirmed: a pending withdrawal and its transaction_id. */
	async function confirmedWithdrawal(trackingId: string): Promise<string> {
		const session = await run(withdrawalSession({ trackingId }));
		expect(session.error(NODE)).toBeUndefined();
		const token = String(session.items[0].json.token);
		expect(session.items[0].json.cashierUrl).toBe(sb.cashierUrl(token));
		sb.complete(token); // the customer confirms on the withdrawal cashier
		// the pending withdrawal in Get Many (today), as the operator would find it
		const listed = await run({ resource: 'transaction', operation: 'getMany', returnAll: true });
		expect(listed.error(NODE)).toBeUndefined();
		const transactionId = sb.transaction(trackingId)!.transactionId;
		expect(listed.items.map((i) => i.json).find((j) => j.transaction_id === transactionId)).toEqual(
			expect.objectContaining({ transaction_type: 'withdrawal', status: 'pending' }),
		);
		return transactionId;
	}

	it('approves a confirmed withdrawal, which becomes successful', async () => {
		const transactionId = await confirmedWithdrawal('payout-approve-1');
		const approved = await run({
			resource: 'withdrawal',
			operation: 'approve',
			transactionId,
		});
		expect(approved.error(NODE)).toBeUndefined();
		expect(approved.items[0].json).toEqual({
			transaction_id: transactionId,
			decision: 'approved',
			message: 'Transaction Withdrawal has been approved successfully',
			transaction_status: 'pending',
		});
		await sb.webhooksSettled(); // the payout delay
		const got = await run(getTransaction('payout-approve-1'));
		expect(got.items[0].json).toMatchObject({ transaction_status: 'successful' });
		const byGatewayId = await run(getTransaction(transactionId));
		expect(byGatewayId.items[0].json.transaction_status).toBe('successful');
	});

	it('rejects a confirmed withdrawal with a reason, which Get shows', async () => {
		const transactionId = await confirmedWithdrawal('payout-reject-1');
		const rejected = await run({
			resource: 'withdrawal',
			operation: 'reject',
			transactionId,
			reason: 'Above the daily limit',
		});
		expect(rejected.error(NODE)).toBeUndefined();
		expect(rejected.items[0].json).toEqual({
			transaction_id: transactionId,
			decision: 'rejected',
			reason: 'Above the daily limit',
		});
		const got = await run(getTransaction('payout-reject-1'));
		expect(got.items[0].json).toEqual({
			id: 'payout-reject-1',
			transaction_status: 'rejected',
			rejected_reason: 'Above the daily limit',
		});
	});

	// the likely mistake behind a 404 here is a Tracking ID (Get takes one): the hint says so
	it('Approve with a tracking_id instead of the transaction_id fails with a clear 404', async () => {
		await confirmedWithdrawal('payout-wrong-id-1');
		const result = await run({
			resource: 'withdrawal',
			operation: 'approve',
			transactionId: 'payout-wrong-id-1',
		});
		const error = result.error(NODE);
		expect(error?.message).toBe('Numipay error 404 (HTTP 404): Transaction not found');
		expect(error?.description).toMatch(/transaction_id .* not your Tracking ID/);
		expect(sb.transaction('payout-wrong-id-1')).toMatchObject({
			status: 'pending',
			approved: false,
		});
	});

	it('never sends an approval twice: a lost answer fails the item saying it may be done', async () => {
		const transactionId = await confirmedWithdrawal('payout-lost-1');
		sb.injectFault({ method: 'POST', path: '/payouts/approve', fault: 'drop-after-commit' });
		const result = await run({ resource: 'withdrawal', operation: 'approve', transactionId });
		const error = result.error(NODE);
		// n8n's NodeApiError would replace the message of an ECONNRESET with its own "... You can
		// retry the request immediately ...", inviting a second approval
		expect(error?.message).toMatch(/^Numipay could not be reached/);
		expect(error?.message).not.toMatch(/retry/i);
		expect(error?.description).toMatch(/may have carried it out/);
		const approvals = sent(sb, 'POST', '/payouts/approve').filter((r) =>
			r.body.includes(transactionId),
		);
		expect(approvals).toHaveLength(1);
		await sb.webhooksSettled();
		expect(sb.transaction(transactionId)?.status).toBe('successful');

		// a 5xx is not re-sent either
		const other = await confirmedWithdrawal('payout-503-1');
		sb.injectFault({ method: 'POST', path: '/payouts/reject', fault: 'status', status: 503 });
		const failed = await run({
			resource: 'withdrawal',
			operation: 'reject',
			transactionId: other,
		});
		expect(failed.error(NODE)?.message).toMatch(/^Numipay error 503 \(HTTP 503\)/);
		expect(sent(sb, 'POST', '/payouts/reject').filter((r) => r.body.includes(other))).toHaveLength(
			1,
		);
	});
});

describe('transaction: Get', () => {
	it('retries a read after a 503 and succeeds', async () => {
		const [seeded] = sb.seedTransactions({ count: 1 });
		const path = `/transactions/${seeded.trackingId}`;
		sb.injectFault({ method: 'GET', path, fault: 'status', status: 503 });
		const result = await run(getTransaction(seeded.trackingId));
		expect(result.error(NODE)).toBeUndefined();
		expect(result.items[0].json.transaction_status).toBe(seeded.status);
		expect(sent(sb, 'GET', path).map((r) => r.status)).toEqual([503, 200]);

		// a broken answer is read again too
		sb.injectFault({ method: 'GET', path, fault: 'malformed' });
		const again = await run(getTransaction(seeded.trackingId));
		expect(again.error(NODE)).toBeUndefined();
		expect(sent(sb, 'GET', path).map((r) => r.status)).toEqual([503, 200, 200, 200]);
	});

	it('outputs the normalized shape', async () => {
		const [seeded] = sb.seedTransactions({ count: 3 }).filter((t) => t.status === 'rejected');
		const result = await run(getTransaction(seeded.trackingId, { normalize: true }));
		expect(result.error(NODE)).toBeUndefined();
		expect(result.items[0].json).toMatchObject({
			provider: 'numipay',
			status: 'failed',
			providerStatus: 'rejected',
			raw: {
				id: seeded.trackingId,
				transaction_status: 'rejected',
				rejected_reason: 'Insufficient funds',
			},
		});
	});

	it('a wrong API key: an error naming Numipay and the hint about Mode and the DEV key', async () => {
		harness.setCredentials('numipayApi', credentials(sb, { apiKey: WRONG_API_KEY }));
		const result = await run(getTransaction('anything-1'));
		const error = result.error(NODE);
		expect(error?.message).toBe('Numipay error 401 (HTTP 401): Unauthorized');
		expect(error?.description).toMatch(/Mode/);
		expect(error?.description).toMatch(/DEV API key/);
		expect(sent(sb, 'GET', '/transactions/anything-1').at(-1)!.status).toBe(401);
	});

	it('in Live mode sends no mode "test", with the live key', async () => {
		harness.setCredentials('numipayApi', credentials(sb, { apiKey: LIVE_API_KEY, mode: 'live' }));
		const result = await run(cashier({ trackingId: 'order-live-1' }));
		expect(result.error(NODE)).toBeUndefined();
		const request = sent(sb, 'POST', '/payments/cashier').at(-1)!;
		expect(request.headers['x-api-key']).toBe(LIVE_API_KEY);
		expect((JSON.parse(request.body) as { request: IDataObject }).request.mode).toBeUndefined();
		expect(sb.sessions.get(String(result.items[0].json.token))?.request.test).toBe(false);
	});
});

describe('endpoint overrides', () => {
	it('a malformed override or an unknown operation is an error naming it, before any request', async () => {
		const before = sb.requests.length;
		harness.setCredentials(
			'numipayApi',
			credentials(sb, { endpointOverrides: '{"getTransaction": "FETCH /x"}' }),
		);
		const method = await run(getTransaction('anything-2'));
		expect(method.error(NODE)?.message).toMatch(/"getTransaction" must be "METHOD \/path"/);
		expect(method.error(NODE)?.message).toMatch(/Endpoint Overrides/);

		harness.setCredentials(
			'numipayApi',
			credentials(sb, { endpointOverrides: '{"getTransactionById": "GET /x/{id}"}' }),
		);
		const unknown = await run(cashier());
		expect(unknown.error(NODE)?.message).toMatch(/unknown operation "getTransactionById"/);

		harness.setCredentials(
			'numipayApi',
			credentials(sb, { endpointOverrides: '{"getTransaction": "GET /x/{transaction}"}' }),
		);
		const parameter = await run(getTransaction('anything-3'));
		expect(parameter.error(NODE)?.message).toMatch(/"getTransaction" has no path parameter/);

		harness.setCredentials('numipayApi', credentials(sb, { endpointOverrides: '[1]' }));
		const notObject = await run(cardDeposit());
		expect(notObject.error(NODE)?.message).toMatch(/must be a JSON object/);
		expect(sb.requests.length).toBe(before);
	});

	it('an overridden path reaches Numipay there, for Get and for the lookup after a lost answer', async () => {
		const moved = await ownSandbox({
			endpoints: { getTransaction: { method: 'GET', path: '/v9/tx/{id}' } },
		});
		const [seeded] = moved.seedTransactions({ count: 1 });
		// with the assumed path this Numipay has no such endpoint
		const assumed = await run(getTransaction(seeded.trackingId));
		expect(assumed.error(NODE)?.message).toMatch(/^Numipay error 404/);
		expect(assumed.error(NODE)?.description).toMatch(/Endpoint Overrides/);

		harness.setCredentials(
			'numipayApi',
			credentials(moved, { endpointOverrides: '{"getTransaction": "GET /v9/tx/{id}"}' }),
		);
		const result = await run(getTransaction(seeded.trackingId));
		expect(result.error(NODE)).toBeUndefined();
		expect(result.items[0].json.transaction_status).toBe(seeded.status);
		expect(sent(moved, 'GET', `/v9/tx/${seeded.trackingId}`).map((r) => r.status)).toEqual([200]);

		moved.injectFault({ method: 'POST', path: '/payments/s2s', fault: 'drop-after-commit' });
		const card = await run(cardDeposit({ trackingId: 'card-moved-1' }));
		expect(card.error(NODE)).toBeUndefined();
		expect(card.items[0].json.foundAfterLostAnswer).toBe(true);
		expect(transactionsWith(moved, 'card-moved-1')).toHaveLength(1);
		expect(sent(moved, 'GET', '/v9/tx/card-moved-1').map((r) => r.status)).toEqual([200]);
	});
});

describe('custom API call', () => {
	it('calls any path with the credential, and sends a body as typed', async () => {
		const [seeded] = sb.seedTransactions({ count: 1 });
		const got = await run({
			resource: 'customApiCall',
			operation: 'request',
			method: 'GET',
			path: `/transactions/${seeded.trackingId}`,
		});
		expect(got.error(NODE)).toBeUndefined();
		expect(got.items[0].json).toEqual({ transaction_status: seeded.status, rejected_reason: null });
		const read = sent(sb, 'GET', `/transactions/${seeded.trackingId}`).at(-1)!;
		expect(read.headers['x-api-key']).toBe(DEV_API_KEY);

		const body =
			'{"request": {"mode": "test", "user_id": "cust-9", "tracking_id": "custom-1", "amount": 10.50, "currency": "EUR"}}';
		const posted = await run({
			resource: 'customApiCall',
			operation: 'request',
			method: 'POST',
			path: '/payments/cashier',
			body,
		});
		expect(posted.error(NODE)).toBeUndefined();
		expect(posted.items[0].json.token).toMatch(/^[A-Za-z0-9]{50}$/);
		expect(sent(sb, 'POST', '/payments/cashier').at(-1)!.body).toBe(body);

		const listed = await run({
			resource: 'customApiCall',
			operation: 'request',
			method: 'GET',
			path: '/transactions',
			query: JSON.stringify({ from: '01-01-2020', to: '02-01-2020' }),
		});
		expect(listed.items[0].json).toEqual({ result: [] });
		expect(sent(sb, 'GET', '/transactions').at(-1)!.query).toEqual({
			from: '01-01-2020',
			to: '02-01-2020',
		});

		harness.setCredentials('numipayApi', credentials(sb, { apiKey: WRONG_API_KEY }));
		const refused = await run({
			resource: 'customApiCall',
			operation: 'request',
			method: 'GET',
			path: '/transactions',
		});
		expect(refused.error(NODE)?.message).toBe('Numipay error 401 (HTTP 401): Unauthorized');
	});
});

describe('transaction: Get Many', () => {
	/** The list requests a run sent: [from, to] as day numbers, newest window first. */
	const windows = (requests: RecordedRequest[]) =>
		requests.map((r) => [ddMmYyyyDay(r.query.from), ddMmYyyyDay(r.query.to)]);

	it('Return All over 30 days: every transaction once, newest first, in windows of at most 7 days', async () => {
		const list = await ownSandbox({ now: () => NOW });
		const seeded = list.seedTransactions({ count: 30, days: 30 });
		list.injectFault({ method: 'GET', path: '/transactions', fault: 'status', status: 503 });
		// a round trip, so that windows asked together are in flight together
		list.injectFault({
			method: 'GET',
			path: '/transactions',
			fault: 'delay',
			delayMs: 30,
			times: 10,
		});
		const from = dayOf(NOW, -29);
		const to = dayOf(NOW);
		const result = await run({
			resource: 'transaction',
			operation: 'getMany',
			returnAll: true,
			fromDate: `${from}T00:00:00`,
			toDate: `${to}T00:00:00`,
		});
		expect(result.error(NODE)).toBeUndefined();
		const ids = result.items.map((i) => String(i.json.transaction_id));
		expect(ids).toHaveLength(30);
		expect(new Set(ids).size).toBe(30);
		// seeded newest first
		expect(ids).toEqual(seeded.map((t) => t.transactionId));
		const dates = result.items.map((i) => String(i.json.transaction_date));
		expect([...dates].sort().reverse()).toEqual(dates);

		const answered = sent(list, 'GET', '/transactions').filter((r) => r.status === 200);
		expect(answered.length).toBeGreaterThanOrEqual(5);
		// sent 5 at a time (the default), so answered in any order
		const asked = windows(answered).sort((a, b) => b[1] - a[1]);
		expect(Math.max(...answered.map((r) => r.concurrent))).toBeGreaterThan(1);
		for (const [f, t] of asked) {
			expect(t - f).toBeGreaterThanOrEqual(0);
			expect(t - f).toBeLessThanOrEqual(7);
		}
		// the windows cover the range exactly, without a gap or an overlap, newest first
		expect(asked[0][1]).toBe(Date.parse(to) / DAY_MS);
		expect(asked.at(-1)![0]).toBe(Date.parse(from) / DAY_MS);
		for (let k = 1; k < asked.length; k++) expect(asked[k][1]).toBe(asked[k - 1][0] - 1);
		// the one 503 was read again
		expect(sent(list, 'GET', '/transactions').map((r) => r.status)[0]).toBe(503);
	});

	it('Limit stops reading once it has enough', async () => {
		const list = await ownSandbox({ now: () => NOW });
		const seeded = list.seedTransactions({ count: 30, days: 30 });
		const range = { fromDate: `${dayOf(NOW, -29)}T00:00:00`, toDate: `${dayOf(NOW)}T00:00:00` };
		const all = await run({
			resource: 'transaction',
			operation: 'getMany',
			returnAll: true,
			...range,
		});
		expect(all.items).toHaveLength(30);
		const allWindows = windows(sent(list, 'GET', '/transactions'));
		/** How many of the Return All windows, newest first, hold at least `limit` transactions. */
		const windowsFor = (limit: number) => {
			let found = 0;
			for (let k = 0; k < allWindows.length; k++) {
				const [f, t] = allWindows[k];
				found += seeded.filter((s) => {
					const day = Math.floor(s.createdAt.getTime() / DAY_MS);
					return day >= f && day <= t;
				}).length;
				if (found >= limit) return k + 1;
			}
			return allWindows.length;
		};
		for (const limit of [3, 10]) {
			const before = sent(list, 'GET', '/transactions').length;
			const limited = await run({
				resource: 'transaction',
				operation: 'getMany',
				returnAll: false,
				limit,
				...range,
			});
			expect(limited.items.map((i) => i.json.transaction_id)).toEqual(
				seeded.slice(0, limit).map((t) => t.transactionId),
			);
			const asked = windows(sent(list, 'GET', '/transactions').slice(before));
			expect(asked.length).toBeLessThan(allWindows.length);
			expect(asked).toEqual(allWindows.slice(0, windowsFor(limit)));
		}
	});

	it("keeps only the days asked in the workflow's time zone", async () => {
		const list = await ownSandbox({ now: () => NOW });
		// one transaction an hour over the last two days
		list.seedTransactions({ count: 48, days: 2 });
		const day = dayOf(NOW, -1);
		for (const [timezone, offsetHours] of [
			['Asia/Tokyo', 9],
			['Pacific/Honolulu', -10],
		] as const) {
			const before = sent(list, 'GET', '/transactions').length;
			const result = await run(
				{
					resource: 'transaction',
					operation: 'getMany',
					returnAll: true,
					fromDate: `${day}T00:00:00`,
					toDate: `${day}T00:00:00`,
				},
				{ timezone },
			);
			expect(result.error(NODE)).toBeUndefined();
			// that day in that zone, as instants
			const start = Date.parse(`${day}T00:00:00Z`) - offsetHours * 3600_000;
			const end = start + DAY_MS;
			const expected = [...list.transactions.values()]
				.filter((t) => t.createdAt.getTime() >= start && t.createdAt.getTime() < end)
				.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
				.map((t) => t.transactionId);
			expect(expected).toHaveLength(24);
			expect(result.items.map((i) => i.json.transaction_id)).toEqual(expected);
			// the API days (UTC) that overlap the day asked, in one request
			const asked = sent(list, 'GET', '/transactions').slice(before);
			expect(asked.map((r) => [r.query.from, r.query.to])).toEqual([
				[
					new Date(start).toISOString().slice(0, 10).split('-').reverse().join('-'),
					new Date(end - 1).toISOString().slice(0, 10).split('-').reverse().join('-'),
				],
			]);
		}
	});

	it('empty dates mean today, in the workflow time zone', async () => {
		const result = await run({ resource: 'transaction', operation: 'getMany', returnAll: true });
		expect(result.error(NODE)).toBeUndefined();
		const today = dayOf(new Date()).split('-').reverse().join('-');
		expect(sent(sb, 'GET', '/transactions').at(-1)!.query).toEqual({ from: today, to: today });
	});

	// n8n expressions such as {{ $today.minus({days: 2}) }} give a Luxon DateTime, not text
	it('takes From Date and To Date from a Luxon expression such as $today.minus(...)', async () => {
		const result = await run({
			resource: 'transaction',
			operation: 'getMany',
			returnAll: true,
			fromDate: '={{ $today.minus({ days: 2 }) }}',
			toDate: '={{ $today }}',
		});
		expect(result.error(NODE)).toBeUndefined();
		const now = new Date();
		expect(sent(sb, 'GET', '/transactions').at(-1)!.query).toEqual({
			from: dayOf(now, -2).split('-').reverse().join('-'),
			to: dayOf(now).split('-').reverse().join('-'),
		});
	});

	it('To Date before From Date is a clear error, before any request', async () => {
		const before = sb.requests.length;
		const result = await run({
			resource: 'transaction',
			operation: 'getMany',
			returnAll: true,
			fromDate: '2025-06-10T00:00:00',
			toDate: '2025-06-09T00:00:00',
		});
		expect(result.error(NODE)?.message).toBe(
			'To Date (2025-06-09) is before From Date (2025-06-10)',
		);
		const bad = await run({
			resource: 'transaction',
			operation: 'getMany',
			returnAll: true,
			fromDate: 'last tuesday',
		});
		expect(bad.error(NODE)?.message).toMatch(/^From Date must be a date and time/);
		expect(sb.requests.length).toBe(before);
	});

	it('outputs the normalized shape with the amount as the exact text', async () => {
		const list = await ownSandbox({ now: () => NOW });
		const seeded = list.seedTransactions({ count: 12, days: 6 });
		const result = await run({
			resource: 'transaction',
			operation: 'getMany',
			returnAll: true,
			fromDate: `${dayOf(NOW, -6)}T00:00:00`,
			toDate: `${dayOf(NOW)}T00:00:00`,
			normalize: true,
		});
		expect(result.error(NODE)).toBeUndefined();
		expect(result.items.map((i) => i.json)).toEqual(
			seeded.map((t) =>
				expect.objectContaining({
					provider: 'numipay',
					id: t.transactionId,
					type: t.type,
					status: t.status === 'successful' ? 'succeeded' : 'failed',
					providerStatus: t.status,
					amount: t.amount,
					currency: 'EUR',
					createdAt: t.createdAt.toISOString(),
				}),
			),
		);
		// amounts such as 10.00 and 20.70 keep their trailing zeros
		expect(seeded.map((t) => t.amount)).toEqual(expect.arrayContaining(['10.00', '20.70']));
		// the plain output keeps the exact text too
		const plain = await run({
			resource: 'transaction',
			operation: 'getMany',
			returnAll: true,
			fromDate: `${dayOf(NOW, -6)}T00:00:00`,
			toDate: `${dayOf(NOW)}T00:00:00`,
		});
		expect(plain.items.map((i) => i.json.amount)).toEqual(seeded.map((t) => t.amount));
	});
});

describe('Continue On Fail', () => {
	it('outputs {error, description} for a failing item and goes on with the others', async () => {
		const result = await run(cashier({ amount: '={{ $json.amount }}' }), {
			items: [{ amount: '10.00' }, { amount: '10.001' }, { amount: '7' }],
			continueOnFail: true,
		});
		expect(result.error(NODE)).toBeUndefined();
		expect(result.items).toHaveLength(3);
		expect(result.items[0].json.token).toMatch(/^[A-Za-z0-9]{50}$/);
		expect(Object.keys(result.items[1].json).sort()).toEqual(['description', 'error']);
		expect(result.items[1].json.error).toMatch(/^Amount has 3 decimal places but EUR allows 2/);
		expect(result.items[2].json.token).toMatch(/^[A-Za-z0-9]{50}$/);
		expect(result.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);

		// an API error of one item: its description is the operator hint
		const got = await run(getTransaction('={{ $json.id }}'), {
			items: [{ id: 'nobody-1' }, { id: sb.seedTransactions({ count: 1 })[0].trackingId }],
			continueOnFail: true,
		});
		expect(got.items[0].json).toEqual({
			error: expect.stringMatching(/^Numipay error 404 \(HTTP 404\)/),
			description: expect.stringMatching(/^Not found: check the ID/),
		});
		expect(got.items[1].json).toMatchObject({ transaction_status: 'successful' });
	});
});
