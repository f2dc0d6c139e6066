import type { ICredentialDataDecryptedObject, INodeParameters } from 'n8n-workflow';

import {
	startAll4paySandbox,
	type All4paySandbox,
	type All4paySandboxOptions,
} from '../../sandbox/all4pay';
import { Harness, outputsAndErrors } from '../harness/engine';
import {
	all4payCredentials,
	busiestWindow,
	CALLBACK_TOKEN,
	CUSTOMER_CPF_DIGITS,
	depositCreate,
	freshUser,
	NODE,
	RECIPIENT_CPF_DIGITS,
	runAll4pay,
	sent,
	TOKEN,
	withdrawalCreate,
	WRONG_CALLBACK_TOKEN,
	WRONG_TOKEN,
	type NodeRunOptions,
} from './all4pay.helpers';

// The All4Pay node driven through n8n's real engine (n8n-core) against the sandbox over HTTP.

let sb: All4paySandbox;
let harness: Harness;
const visible: string[] = [];
const extraSandboxes: All4paySandbox[] = [];

/** Another sandbox for this test only (closed after it), which the credential points at. */
async function ownSandbox(
	options: All4paySandboxOptions = {},
	credentialFields: ICredentialDataDecryptedObject = {},
): Promise<All4paySandbox> {
	const started = await startAll4paySandbox({ token: TOKEN, ...options });
	extraSandboxes.push(started);
	harness.setCredentials('all4payApi', all4payCredentials(started, credentialFields));
	return started;
}

async function run(parameters: INodeParameters, options: NodeRunOptions = {}) {
	const result = await runAll4pay(harness, parameters, options);
	visible.push(outputsAndErrors(result));
	return result;
}

const getDeposit = (id: string, fields: INodeParameters = {}): INodeParameters => ({
	resource: 'deposit',
	operation: 'get',
	id,
	...fields,
});
const getWithdrawal = (id: string, fields: INodeParameters = {}): INodeParameters => ({
	resource: 'withdrawal',
	operation: 'get',
	id,
	...fields,
});

beforeAll(async () => {
	sb = await startAll4paySandbox({ token: TOKEN });
	harness = await Harness.create({ credentials: { all4payApi: all4payCredentials(sb) } });
});

afterAll(async () => {
	await sb.close();
	// No run of this file may show the Token or the Callback Token (right or wrong): not in an
	// output, an error message, its description or the parameters n8n keeps with an error.
	const all = visible.join('\n');
	expect(visible.length).toBeGreaterThan(0);
	for (const secret of [TOKEN, CALLBACK_TOKEN, WRONG_TOKEN, WRONG_CALLBACK_TOKEN])
		expect(all).not.toContain(secret);
});

beforeEach(() => {
	sb.clearFaults();
	harness.setCredentials('all4payApi', all4payCredentials(sb));
});

afterEach(async () => {
	await Promise.all(extraSandboxes.splice(0).map(async (s) => await s.close()));
});

describe('deposit', () => {
	it('creates a PIX deposit, sending the amount with two decimals from the digits typed, and outputs it as exact text', async () => {
		const params = depositCreate({ amount: '10.5', email: ' Maria.Silva@Example.COM ' });
		const result = await run(params);
		expect(result.error(NODE)).toBeUndefined();
		const [item] = result.items;
		const id = String(item.json.id);
		expect(id).toMatch(/^dep_[0-9a-f]{24}$/);
		expect(item.json).toEqual({
			id,
			user_id: params.userId,
			cpf: CUSTOMER_CPF_DIGITS,
			amount: '10.50',
			status: 'pending',
			pix_code: expect.stringContaining('540510.50'),
			qr_code: expect.any(String),
			created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
			updated_at: expect.any(String),
		});
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(sb.deposit(id)).toMatchObject({ amount: '10.50', email: 'maria.silva@example.com' });

		const request = sent(sb, 'POST', '/deposit/').at(-1)!;
		expect(request.headers.token).toBe(TOKEN);
		expect(request.headers['content-type']).toMatch(/^application\/json/);
		// the amount as a JSON number written from the digits typed, the CPF as its 11 digits
		expect(request.body).toBe(
			`{"user_id":"${String(params.userId)}","cpf":"${CUSTOMER_CPF_DIGITS}","name":"Maria Silva","email":"maria.silva@example.com","amount":10.50}`,
		);
	});

	it('refuses a refused token with its hint, naming no secret', async () => {
		harness.setCredentials('all4payApi', all4payCredentials(sb, { token: WRONG_TOKEN }));
		const result = await run(getDeposit('dep_000000000000000000000000'));
		const error = result.error(NODE);
		expect(error?.message).toBe(
			'All4Pay error 401 (HTTP 401): Bad Credentials: API Credentials is not valid',
		);
		expect(error?.description).toMatch(/check the Token of the credential/);
		expect(sent(sb, 'GET', '/deposit/dep_000000000000000000000000').at(-1)!.headers.token).toBe(
			WRONG_TOKEN,
		);
	});

	it("Get with Normalize maps confirmed to succeeded and expired to canceled, keeping All4Pay's status and the exact amount", async () => {
		const paid = String((await run(depositCreate({ amount: '10.50' }))).items[0].json.id);
		const lapsed = String((await run(depositCreate({ amount: '7.00' }))).items[0].json.id);
		sb.pay(paid);
		sb.expire(lapsed);
		await sb.callbacksSettled();

		const got = await run(getDeposit('={{ $json.id }}', { normalize: true }), {
			items: [{ id: paid }, { id: lapsed }],
		});
		expect(got.error(NODE)).toBeUndefined();
		const [confirmed, expired] = got.items.map((i) => i.json);
		expect(confirmed).toEqual({
			provider: 'all4pay',
			id: paid,
			reference: sb.deposit(paid)!.userId,
			type: 'deposit',
			status: 'succeeded',
			providerStatus: 'confirmed',
			amount: '10.50',
			currency: 'BRL',
			createdAt: sb.deposit(paid)!.createdAt.toISOString(),
			updatedAt: sb.deposit(paid)!.updatedAt.toISOString(),
			raw: expect.objectContaining({ id: paid, status: 'confirmed', amount: '10.50' }),
		});
		expect(expired).toMatchObject({
			id: lapsed,
			status: 'canceled',
			providerStatus: 'expired',
			amount: '7.00',
			currency: 'BRL',
		});
		expect(got.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);

		// without Normalize the API's object, the amount still exact text
		const plain = await run(getDeposit(lapsed));
		expect(plain.items[0].json).toMatchObject({ id: lapsed, status: 'expired', amount: '7.00' });
	});
});

describe('deposit: lost answers', () => {
	it('a lost answer after All4Pay created the deposit: found by user_id, amount and time, never sent twice', async () => {
		sb.injectFault({ method: 'POST', path: '/deposit/', fault: 'drop-after-commit' });
		const params = depositCreate({ amount: '33.30' });
		const postsBefore = sent(sb, 'POST', '/deposit/').length;
		const started = Date.now();
		const result = await run(params);
		expect(result.error(NODE)).toBeUndefined();
		const mine = [...sb.deposits.values()].filter((d) => d.userId === params.userId);
		expect(mine).toHaveLength(1);
		expect(result.items[0].json).toMatchObject({
			id: mine[0].id,
			user_id: params.userId,
			amount: '33.30',
			status: 'pending',
			foundAfterLostAnswer: true,
		});
		const posts = sent(sb, 'POST', '/deposit/').slice(postsBefore);
		expect(posts.map((r) => r.fault ?? r.status)).toEqual(['drop-after-commit']);
		// the lookup: the user's deposits since a little before the request was sent
		const lookup = sent(sb, 'GET', '/deposit/').at(-1)!;
		expect(lookup.status).toBe(200);
		expect(lookup.query.user_id).toBe(params.userId);
		expect(Date.parse(lookup.query.date_from)).toBeLessThanOrEqual(started);
	});

	it('a connection dropped before All4Pay acted is sent again: one deposit', async () => {
		sb.injectFault({ method: 'POST', path: '/deposit/', fault: 'drop' });
		const params = depositCreate({ amount: '12.00' });
		const postsBefore = sent(sb, 'POST', '/deposit/').length;
		const result = await run(params);
		expect(result.error(NODE)).toBeUndefined();
		const mine = [...sb.deposits.values()].filter((d) => d.userId === params.userId);
		expect(mine).toHaveLength(1);
		expect(result.items[0].json.id).toBe(mine[0].id);
		expect(result.items[0].json.foundAfterLostAnswer).toBeUndefined();
		expect(
			sent(sb, 'POST', '/deposit/')
				.slice(postsBefore)
				.map((r) => r.fault ?? r.status),
		).toEqual(['drop', 200]);
	});
});

describe('withdrawal', () => {
	it('pays out to each PIX key type, sending the key as the DICT stores it', async () => {
		const keys: Array<[string, string, string]> = [
			['cpf', '111.444.777-35', RECIPIENT_CPF_DIGITS],
			['cnpj', '11.222.333/0001-81', '11222333000181'],
			['email', ' Joao.Souza@Example.com ', 'joao.souza@example.com'],
			['phone', '+55 (21) 99876-5432', '+5521998765432'],
			['random', '7D444840-9DC0-11D1-B245-5FFDCE74FAD2', '7d444840-9dc0-11d1-b245-5ffdce74fad2'],
		];
		const users = keys.map(() => freshUser('payee'));
		const result = await run(
			withdrawalCreate({
				userId: '={{ $json.user }}',
				pixKeyType: '={{ $json.type }}',
				pixKey: '={{ $json.key }}',
				amount: '20.1',
			}),
			{ items: keys.map(([type, key], i) => ({ type, key, user: users[i] })) },
		);
		expect(result.error(NODE)).toBeUndefined();
		expect(result.items).toHaveLength(keys.length);
		result.items.forEach((item, i) => {
			expect(item.json).toMatchObject({
				id: expect.stringMatching(/^wd_[0-9a-f]{24}$/),
				user_id: users[i],
				amount: '20.10',
				status: 'pending',
				pix_key: keys[i][2],
				pix_key_type: keys[i][0],
			});
			expect(sb.withdrawal(String(item.json.id))?.pixKey).toBe(keys[i][2]);
		});
		const bodies = sent(sb, 'POST', '/withdraw/')
			.slice(-keys.length)
			.map((r) => r.body);
		expect(bodies[0]).toBe(
			`{"user_id":"${users[0]}","amount":20.10,"pix_key":"${RECIPIENT_CPF_DIGITS}","pix_key_type":"cpf","name":"João Souza","cpf":"${RECIPIENT_CPF_DIGITS}"}`,
		);
	});

	it('a withdrawal larger than the balance fails with 0443 and its hint, and nothing is paid out', async () => {
		const own = await ownSandbox({ balance: '100.00' });
		const result = await run(withdrawalCreate({ amount: '150.00' }));
		const error = result.error(NODE);
		expect(error?.message).toBe(
			'All4Pay error 0443 (HTTP 422): IllegalConditions: withdrawal amount greater than your balance available',
		);
		expect(error?.description).toMatch(/nothing was paid out/);
		expect((error as unknown as { httpCode?: string }).httpCode).toBe('422');
		expect(own.withdrawals.size).toBe(0);
		expect(own.balance()).toEqual({
			available: '100.00',
			pending_withdrawals: '0.00',
			currency: 'BRL',
		});
		// refused, not lost: sent once
		expect(sent(own, 'POST', '/withdraw/').map((r) => r.status)).toEqual([422]);
	});

	it('0442 while pending withdrawals hold the balance, 0441 without funds; Balance Get shows both as exact text', async () => {
		const own = await ownSandbox({ balance: '100.00' });
		const first = await run(withdrawalCreate({ amount: '80.00' }));
		expect(first.error(NODE)).toBeUndefined();
		const balance = await run({ resource: 'balance', operation: 'get' });
		expect(balance.items[0].json).toEqual({
			available: '20.00',
			pending_withdrawals: '80.00',
			currency: 'BRL',
		});

		const held = await run(withdrawalCreate({ amount: '50.00' }));
		expect(held.error(NODE)?.message).toMatch(/^All4Pay error 0442 \(HTTP 422\)/);
		expect(held.error(NODE)?.description).toMatch(/nothing was paid out/);
		expect(own.withdrawals.size).toBe(1);

		own.rejectWithdrawal(String(first.items[0].json.id));
		own.setBalance('0.00');
		const empty = await run(withdrawalCreate({ amount: '1.00' }));
		expect(empty.error(NODE)?.message).toMatch(/^All4Pay error 0441 \(HTTP 422\)/);
		expect(empty.error(NODE)?.description).toMatch(/nothing was paid out/);
		expect(own.withdrawals.size).toBe(1);
	});

	it('a lost answer: the item fails with "outcome unknown", one withdrawal exists, and it was not sent twice', async () => {
		const own = await ownSandbox();
		own.injectFault({ method: 'POST', path: '/withdraw/', fault: 'drop-after-commit' });
		const params = withdrawalCreate({ amount: '42.00' });
		const result = await run(params);
		const error = result.error(NODE);
		expect(error?.message).toBe(
			`The outcome of the All4Pay withdrawal of R$ 42.00 for User ID "${String(params.userId)}" is unknown`,
		);
		expect(error?.description).toMatch(/it was not sent again/);
		expect(error?.description).toMatch(/Check the All4Pay dashboard/);
		expect([...own.withdrawals.values()].map((w) => [w.userId, w.amount])).toEqual([
			[params.userId, '42.00'],
		]);
		expect(own.requests.map((r) => `${r.method} ${r.path} ${r.fault ?? r.status}`)).toEqual([
			'POST /withdraw/ drop-after-commit',
		]);
	});

	it('a connection dropped before All4Pay acted is not sent again either (it cannot be told from a lost answer)', async () => {
		const own = await ownSandbox();
		own.injectFault({ method: 'POST', path: '/withdraw/', fault: 'drop' });
		const result = await run(withdrawalCreate({ amount: '43.00' }));
		expect(result.error(NODE)?.message).toMatch(
			/^The outcome of the All4Pay withdrawal .* is unknown$/,
		);
		expect(own.withdrawals.size).toBe(0);
		expect(sent(own, 'POST', '/withdraw/').map((r) => r.fault ?? r.status)).toEqual(['drop']);
	});

	it("Get with Normalize maps a withdrawal's confirmed to succeeded and canceled to canceled", async () => {
		const paid = String((await run(withdrawalCreate({ amount: '5.05' }))).items[0].json.id);
		const refused = String((await run(withdrawalCreate({ amount: '6.00' }))).items[0].json.id);
		sb.confirmWithdrawal(paid);
		sb.rejectWithdrawal(refused);
		const got = await run(getWithdrawal('={{ $json.id }}', { normalize: true }), {
			items: [{ id: paid }, { id: refused }],
		});
		expect(got.error(NODE)).toBeUndefined();
		expect(got.items.map((i) => i.json)).toEqual([
			expect.objectContaining({
				provider: 'all4pay',
				id: paid,
				type: 'withdrawal',
				status: 'succeeded',
				providerStatus: 'confirmed',
				amount: '5.05',
				currency: 'BRL',
			}),
			expect.objectContaining({
				id: refused,
				status: 'canceled',
				providerStatus: 'canceled',
				amount: '6.00',
			}),
		]);
		// the published spelling of the withdrawal path
		expect(sent(sb, 'GET', `/witddraw/${paid}`).map((r) => r.status)).toEqual([200]);
	});
});

describe('validation before anything is sent', () => {
	// what the messages must not repeat: the CPF and keys typed (the messages give their own examples)
	const BAD_CPF = '529.982.247-26';
	const cases: Array<[string, INodeParameters, RegExp, string[]]> = [
		[
			'a deposit with a CPF whose check digits are wrong',
			depositCreate({ cpf: BAD_CPF }),
			/^CPF must be 11 digits with valid check digits .*; got 11 digits whose check digits do not match$/,
			['52998224726', BAD_CPF],
		],
		[
			'a withdrawal with a CPF whose check digits are wrong',
			withdrawalCreate({ cpf: BAD_CPF }),
			/^CPF must be 11 digits/,
			['52998224726', BAD_CPF],
		],
		[
			'a CPF key with wrong check digits',
			withdrawalCreate({ pixKeyType: 'cpf', pixKey: '390.533.447-06' }),
			/^PIX Key \(CPF\) must be 11 digits with valid check digits/,
			['39053344706', '390.533.447-06'],
		],
		[
			'a CNPJ key with wrong check digits',
			withdrawalCreate({ pixKeyType: 'cnpj', pixKey: '45.723.174/0001-11' }),
			/^PIX Key \(CNPJ\) must be 14 digits/,
			['45723174000111', '45.723.174/0001-11'],
		],
		[
			'an email key with two @',
			withdrawalCreate({ pixKeyType: 'email', pixKey: 'joao@@souza.com.br' }),
			/^PIX Key \(Email\) must be an email address.*; got text with more than one @$/,
			['joao@@souza.com.br'],
		],
		[
			'a phone key of another country',
			withdrawalCreate({ pixKeyType: 'phone', pixKey: '+1 415 555 0199' }),
			/^PIX Key \(Phone\) must be a Brazilian phone number.*another country code than \+55$/,
			['4155550199', '+1 415 555 0199'],
		],
		[
			'a phone key that is a CPF',
			withdrawalCreate({ pixKeyType: 'phone', pixKey: RECIPIENT_CPF_DIGITS }),
			/^PIX Key \(Phone\) must be .*also a valid CPF/,
			[RECIPIENT_CPF_DIGITS],
		],
		[
			'a random key that is not a UUID',
			withdrawalCreate({ pixKeyType: 'random', pixKey: '9f2c41d0-77aa-4e2b-b1c3' }),
			/^PIX Key \(Random Key\) must be a random key \(EVP\)/,
			['9f2c41d0-77aa-4e2b-b1c3'],
		],
		[
			'a deposit amount with 3 decimals',
			depositCreate({ amount: '10.505' }),
			/^Amount \(BRL\) has 3 decimal places but BRL allows 2/,
			[],
		],
		[
			'a withdrawal amount with 3 decimals',
			withdrawalCreate({ amount: '0.001' }),
			/^Amount \(BRL\) has 3 decimal places but BRL allows 2/,
			[],
		],
		[
			'a deposit email that is not an address',
			depositCreate({ email: 'maria.silva' }),
			/^Email must be an email address/,
			[],
		],
		['an empty User ID', depositCreate({ userId: ' ' }), /^User ID is required/, []],
	];

	it.each(cases)(
		'%s fails the item with a message naming the field',
		async (_name, params, message, hidden) => {
			const before = sb.requests.length;
			const result = await run(params);
			const error = result.error(NODE);
			expect(error?.message).toMatch(message);
			expect(sb.requests.length).toBe(before);
			// described, never repeated
			for (const text of hidden) {
				expect(error?.message).not.toContain(text);
				expect(String(error?.description ?? '')).not.toContain(text);
			}
		},
	);

	it('with Continue On Fail, a bad item outputs its error and the others go on', async () => {
		const users = [freshUser(), freshUser(), freshUser()];
		const result = await run(
			depositCreate({ userId: '={{ $json.user }}', cpf: '={{ $json.cpf }}' }),
			{
				items: [
					{ user: users[0], cpf: CUSTOMER_CPF_DIGITS },
					{ user: users[1], cpf: '52998224726' },
					{ user: users[2], cpf: CUSTOMER_CPF_DIGITS },
				],
				continueOnFail: true,
			},
		);
		expect(result.error(NODE)).toBeUndefined();
		expect(result.items.map((i) => i.json.user_id ?? i.json.error)).toEqual([
			users[0],
			expect.stringMatching(/^CPF must be 11 digits/),
			users[2],
		]);
		expect([...sb.deposits.values()].filter((d) => d.userId === users[1])).toHaveLength(0);
	});
});

describe('endpoint overrides', () => {
	const MOVED = {
		createDeposit: { method: 'POST', path: '/v2/pix/deposits' },
		getDeposit: { method: 'GET', path: '/v2/pix/deposits/{id}' },
		getDeposits: { method: 'GET', path: '/v2/pix/deposits' },
		getWithdrawal: { method: 'GET', path: '/v2/pix/payouts/{id}' },
	} as const;
	const OVERRIDES = JSON.stringify(
		Object.fromEntries(Object.entries(MOVED).map(([op, e]) => [op, `${e.method} ${e.path}`])),
	);

	it('reach the sandbox at the overridden paths, for a create, a Get and the lookup after a lost answer', async () => {
		const moved = await ownSandbox({ endpoints: MOVED });
		// at the assumed paths this All4Pay has nothing
		const assumed = await run(depositCreate());
		// not n8n's "incorrect host" text, which it puts in place of a message holding "ENOTFOUND"
		expect(assumed.error(NODE)?.message).toBe(
			'All4Pay error 404 (HTTP 404): PageNotFound: Page, action or record not found',
		);
		expect(assumed.error(NODE)?.description).toMatch(/Endpoint Overrides/);
		expect(moved.deposits.size).toBe(0);

		harness.setCredentials(
			'all4payApi',
			all4payCredentials(moved, { endpointOverrides: OVERRIDES }),
		);
		const created = await run(depositCreate({ amount: '15.00' }));
		expect(created.error(NODE)).toBeUndefined();
		const id = String(created.items[0].json.id);
		expect(sent(moved, 'POST', '/v2/pix/deposits').map((r) => r.status)).toEqual([200]);
		const got = await run(getDeposit(id));
		expect(got.items[0].json).toMatchObject({ id, amount: '15.00' });
		expect(sent(moved, 'GET', `/v2/pix/deposits/${id}`).map((r) => r.status)).toEqual([200]);

		moved.injectFault({ method: 'POST', path: '/v2/pix/deposits', fault: 'drop-after-commit' });
		const params = depositCreate({ amount: '16.00' });
		const lost = await run(params);
		expect(lost.error(NODE)).toBeUndefined();
		expect([...moved.deposits.values()].filter((d) => d.userId === params.userId)).toHaveLength(1);
		expect(sent(moved, 'GET', '/v2/pix/deposits').at(-1)).toMatchObject({
			status: 200,
			query: expect.objectContaining({ user_id: params.userId }),
		});

		// not overridden: the assumed path
		const wd = await run(withdrawalCreate());
		expect(sent(moved, 'POST', '/withdraw/').map((r) => r.status)).toEqual([200]);
		await run(getWithdrawal(String(wd.items[0].json.id)));
		expect(sent(moved, 'GET', `/v2/pix/payouts/${String(wd.items[0].json.id)}`)).toHaveLength(1);
		// nothing reached the sandbox at a path it does not serve after the overrides
		expect(moved.requests.filter((r) => r.status === 404)).toHaveLength(1);
	});

	it('a malformed override is an error naming it, before any request', async () => {
		const before = sb.requests.length;
		harness.setCredentials(
			'all4payApi',
			all4payCredentials(sb, { endpointOverrides: '{"createDeposit": "SEND /deposit/"}' }),
		);
		const method = await run(depositCreate());
		expect(method.error(NODE)?.message).toMatch(/"createDeposit" must be "METHOD \/path"/);
		harness.setCredentials(
			'all4payApi',
			all4payCredentials(sb, { endpointOverrides: '{"createPayout": "POST /payout/"}' }),
		);
		const unknown = await run(withdrawalCreate());
		expect(unknown.error(NODE)?.message).toMatch(/unknown operation "createPayout"/);
		expect(sb.requests.length).toBe(before);
	});
});

describe('pacing', () => {
	it("120 deposit creates from two concurrent executions stay under All4Pay's 50 a second: no 429", async () => {
		const own = await ownSandbox();
		expect(own.settings.rateLimits.perSecond).toBe(50);
		// A long-running n8n has talked to All4Pay before. The very first request to a new host
		// reaches it about 30 ms later than the requests after it (connection set-up in this
		// process), which is the pacer's whole jitter margin: see the report of this test.
		const warm = await run(depositCreate({ amount: '1.00' }));
		expect(warm.error(NODE)).toBeUndefined();

		const items = (execution: string) =>
			Array.from({ length: 60 }, (_, k) => ({ user: freshUser(`pace-${execution}${k}`) }));
		const params = depositCreate({ userId: '={{ $json.user }}', amount: '10.00' });
		const started = Date.now();
		const [a, b] = await Promise.all([
			run(params, { items: items('a') }),
			run(params, { items: items('b') }),
		]);
		const elapsed = Date.now() - started;
		expect(a.error(NODE)).toBeUndefined();
		expect(b.error(NODE)).toBeUndefined();
		expect(a.items.length + b.items.length).toBe(120);
		expect(own.deposits.size).toBe(121);
		expect(own.rateLimitStats()).toMatchObject({ rateLimited: 0, accepted: 121 });
		const posts = sent(own, 'POST', '/deposit/');
		expect(posts.map((r) => r.status)).toEqual(Array(121).fill(200));
		expect(
			busiestWindow(
				posts.map((r) => r.at.getTime()),
				1000,
			),
		).toBeLessThanOrEqual(50);
		// both executions ran side by side, not one after the other
		const order = posts
			.slice(1, 61)
			.map((r) => (JSON.parse(r.body) as { user_id: string }).user_id[5]);
		expect(order).toContain('a');
		expect(order).toContain('b');
		// 120 at 50 a second take at least 70 spacings of 20 ms
		expect(elapsed).toBeGreaterThanOrEqual(1400);
	});
});

describe('custom API call', () => {
	it('calls a path with the credential and is refused with the hint for a wrong token', async () => {
		const got = await run({
			resource: 'customApiCall',
			operation: 'request',
			method: 'GET',
			path: '/balance/',
		});
		expect(got.error(NODE)).toBeUndefined();
		expect(got.items[0].json).toMatchObject({ currency: 'BRL' });
		expect(typeof got.items[0].json.available).toBe('string');
		expect(sent(sb, 'GET', '/balance/').at(-1)!.headers.token).toBe(TOKEN);

		harness.setCredentials('all4payApi', all4payCredentials(sb, { token: WRONG_TOKEN }));
		const refused = await run({
			resource: 'customApiCall',
			operation: 'request',
			method: 'GET',
			path: '/balance/',
		});
		expect(refused.error(NODE)?.message).toMatch(
			/^All4Pay error 401 \(HTTP 401\): Bad Credentials/,
		);
	});
});
