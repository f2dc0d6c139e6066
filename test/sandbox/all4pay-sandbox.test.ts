import { endpointPath } from '../../nodes/common/endpoints';
import { ALL4PAY_ASSUMED_ENDPOINTS, ALL4PAY_RATE_LIMITS } from '../../nodes/All4pay/endpoints';
import {
	type All4payOperation,
	type All4paySandbox,
	type All4paySandboxOptions,
	crc16,
	isValidCnpj,
	isValidCpf,
	startAll4paySandbox,
} from '../../sandbox/all4pay';
import { type Receiver, startReceiver } from './webhook-receiver';

interface ApiResult {
	status: number;
	headers: Headers;
	text: string;
	json: Record<string, unknown>;
}

const open: Array<{ close(): Promise<void> }> = [];

/** A pinned, movable clock: rate windows, the daily limit and the equal-request block read it. */
let current = new Date('2024-05-10T15:00:00.000Z');
const clock = () => current;
const advance = (ms: number) => {
	current = new Date(current.getTime() + ms);
};

beforeEach(() => {
	current = new Date('2024-05-10T15:00:00.000Z');
});

afterEach(async () => {
	await Promise.all(open.splice(0).map((item) => item.close()));
});

async function sandbox(options: All4paySandboxOptions = {}): Promise<All4paySandbox> {
	const started = await startAll4paySandbox({ port: 0, now: clock, ...options });
	open.push(started);
	return started;
}

async function withReceiver(
	options: All4paySandboxOptions = {},
	statuses?: number[],
): Promise<{ sb: All4paySandbox; hook: Receiver }> {
	const hook = await startReceiver(statuses);
	open.push(hook);
	const sb = await sandbox({ callbackUrl: hook.url, ...options });
	return { sb, hook };
}

async function http(
	url: string,
	method: string,
	body?: string | object,
	headers: Record<string, string> = {},
): Promise<ApiResult> {
	const response = await fetch(url, {
		method,
		redirect: 'manual',
		headers: { 'Content-Type': 'application/json', ...headers },
		body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
	});
	const text = await response.text();
	let json: Record<string, unknown> = {};
	try {
		json = JSON.parse(text) as Record<string, unknown>;
	} catch {
		// pages read `text`
	}
	return { status: response.status, headers: response.headers, text, json };
}

interface CallOptions {
	/** Default the sandbox's token; null = no Token header. */
	token?: string | null;
	id?: string;
	query?: string;
	headers?: Record<string, string>;
}

async function op(
	sb: All4paySandbox,
	operation: All4payOperation,
	body?: string | object,
	options: CallOptions = {},
): Promise<ApiResult> {
	const endpoint = sb.endpoints[operation];
	const headers: Record<string, string> = { ...options.headers };
	const token = options.token === undefined ? sb.token : options.token;
	if (token !== null) headers.Token = token;
	const path = endpointPath(endpoint, options.id === undefined ? {} : { id: options.id });
	return http(
		`${sb.url}${path}${options.query ? `?${options.query}` : ''}`,
		endpoint.method,
		body,
		headers,
	);
}

const CPF = '52998224725';
const OTHER_CPF = '11144477735';

/** Raw JSON so the amount keeps the digits written here. */
const depositBody = (amount: string, userId = 'user-1', cpf = CPF) =>
	`{"user_id":"${userId}","cpf":"${cpf}","name":"Maria Silva","email":"maria@example.com","amount":${amount}}`;

const withdrawalBody = (amount: string, extra: Record<string, string> = {}) =>
	JSON.stringify({
		user_id: 'user-1',
		pix_key: 'maria@example.com',
		pix_key_type: 'email',
		name: 'Maria Silva',
		cpf: CPF,
		...extra,
	}).replace(/}$/, `,"amount":${amount}}`);

const control = (sb: All4paySandbox, method: string, path: string, body?: object) =>
	http(`${sb.url}/__sandbox${path}`, method, body);

describe('documents', () => {
	it('checks CPF and CNPJ check digits', () => {
		expect(isValidCpf(CPF)).toBe(true);
		expect(isValidCpf(OTHER_CPF)).toBe(true);
		expect(isValidCpf('52998224724')).toBe(false);
		expect(isValidCpf('11111111111')).toBe(false);
		expect(isValidCpf('5299822472')).toBe(false);
		expect(isValidCnpj('11222333000181')).toBe(true);
		expect(isValidCnpj('11222333000182')).toBe(false);
	});
});

describe('auth', () => {
	it('answers 401 Bad Credentials without the Token header or with a wrong one', async () => {
		const sb = await sandbox();
		for (const token of [null, 'wrong']) {
			const res = await op(sb, 'getBalance', undefined, { token });
			expect(res.status).toBe(401);
			expect(res.text).toBe(
				'{"message":"API Credentials is not valid","reason":"Bad Credentials","code":"401"}',
			);
		}
		const ok = await op(sb, 'getBalance');
		expect(ok.status).toBe(200);
		expect(ok.text).toBe('{"available":10000.00,"pending_withdrawals":0.00,"currency":"BRL"}');
		expect(sb.requests.map((request) => request.status)).toEqual([401, 401, 200]);
	});

	it('serves the assumed endpoint table, and an override moves an operation', async () => {
		const sb = await sandbox({ endpoints: { getBalance: { method: 'GET', path: '/v2/saldo' } } });
		expect(sb.endpoints.createDeposit).toEqual(ALL4PAY_ASSUMED_ENDPOINTS.createDeposit);
		expect((await http(`${sb.url}/v2/saldo`, 'GET', undefined, { Token: sb.token })).status).toBe(
			200,
		);
		const old = await http(`${sb.url}/balance/`, 'GET', undefined, { Token: sb.token });
		expect(old.status).toBe(404);
		expect(old.json).toEqual({
			message: 'Page, action or record not found',
			reason: 'PageNotFound',
			code: '404',
		});
	});
});

describe('deposits', () => {
	it('creates a pending deposit with exact amount, PIX code and a pending callback', async () => {
		const { sb, hook } = await withReceiver({ dailyDepositLimit: '2000000.00' });
		const res = await op(sb, 'createDeposit', depositBody('1234567.8'));
		expect(res.status).toBe(200);
		expect(res.text).toContain('"amount":1234567.80,');
		const id = res.json.id as string;
		expect(id).toMatch(/^dep_[0-9a-f]{24}$/);
		expect(res.json).toMatchObject({
			user_id: 'user-1',
			cpf: CPF,
			status: 'pending',
			created_at: '2024-05-10T15:00:00.000Z',
			updated_at: '2024-05-10T15:00:00.000Z',
		});
		const pix = res.json.pix_code as string;
		expect(pix.startsWith('000201')).toBe(true);
		expect(pix).toContain('0014br.gov.bcb.pix');
		expect(pix).toContain('54101234567.80');
		expect(pix).toContain('5303986');
		expect(pix.slice(-4)).toBe(crc16(pix.slice(0, -4)));
		expect(
			Buffer.from(res.json.qr_code as string, 'base64')
				.subarray(1, 4)
				.toString(),
		).toBe('PNG');

		const got = await op(sb, 'getDeposit', undefined, { id });
		expect(got.text).toBe(res.text);
		await sb.callbacksSettled();
		expect(hook.received.map((callback) => callback.body)).toEqual([
			`{"id":"${id}","type":"deposit","status":"pending","amount":1234567.80,"user_id":"user-1"}`,
		]);
		expect(hook.received[0].headers['content-type']).toBe('application/json');
		expect(Object.keys(hook.received[0].headers).some((name) => /sign/i.test(name))).toBe(false);
	});

	it('confirms on pay (balance grows), expires, and redelivers with retries', async () => {
		const { sb, hook } = await withReceiver({}, [200, 500, 503]);
		const first = await op(sb, 'createDeposit', depositBody('10.5'));
		const second = await op(sb, 'createDeposit', depositBody('20.00'));
		await sb.callbacksSettled();
		const id = first.json.id as string;
		advance(60_000);
		expect(sb.pay(id).status).toBe('confirmed');
		await sb.callbacksSettled();
		const confirmed = `{"id":"${id}","type":"deposit","status":"confirmed","amount":10.50,"user_id":"user-1"}`;
		// The second deposit's pending callback got 500 then 503, then 200 on the third attempt.
		expect(sb.callbacks.map((attempt) => attempt.status)).toEqual([200, 500, 503, 200, 200]);
		expect(hook.received.at(-1)?.body).toBe(confirmed);
		expect(sb.balance()).toEqual({
			available: '10010.50',
			pending_withdrawals: '0.00',
			currency: 'BRL',
		});
		const got = await op(sb, 'getDeposit', undefined, { id });
		expect(got.json).toMatchObject({ status: 'confirmed', updated_at: '2024-05-10T15:01:00.000Z' });

		const redelivered = await sb.sendCallback(id, 2);
		expect(redelivered.map((attempt) => attempt.body)).toEqual([confirmed, confirmed]);

		sb.expire(second.json.id as string);
		await sb.callbacksSettled();
		expect(JSON.parse(hook.received.at(-1)?.body ?? '{}')).toMatchObject({ status: 'expired' });
		expect(() => sb.pay(second.json.id as string)).toThrow(/expired, not pending/);
		expect((await op(sb, 'getDeposit', undefined, { id: 'dep_nope' })).text).toBe(
			'{"message":"Results not found","reason":"Results not found","code":"404"}',
		);
	});

	it('pays through the /pix/{id} page', async () => {
		const sb = await sandbox();
		const id = (await op(sb, 'createDeposit', depositBody('99.90'))).json.id as string;
		const page = await http(sb.pixPageUrl(id), 'GET');
		expect(page.text).toContain('R$ 99,90');
		const action =
			/<form method="post" action="([^"]+)"><button type="submit">Pay with PIX<\/button>/.exec(
				page.text,
			);
		expect(action?.[1]).toBe(`/pix/${id}/pay`);
		const paid = await http(`${sb.url}${action?.[1]}`, 'POST', '');
		expect(paid.status).toBe(303);
		expect(sb.deposit(id)?.status).toBe('confirmed');
		expect((await http(sb.pixPageUrl(id), 'GET')).text).toContain('This deposit is confirmed.');
		expect((await http(`${sb.url}/pix/${id}/pay`, 'POST', '')).status).toBe(409);
		expect(sb.requests.every((request) => !request.path.startsWith('/pix/'))).toBe(true);
	});

	it('answers 422 Illegal Conditions naming every bad field', async () => {
		const sb = await sandbox();
		const empty = await op(sb, 'createDeposit', {});
		expect(empty.status).toBe(422);
		expect(empty.json.reason).toBe('Illegal Conditions');
		expect(empty.json.code).toBe('422');
		expect(empty.json.message).toMatch(
			/^Parameters not valid: user_id \(.*\), cpf \(.*\), name \(.*\), email \(.*\), amount \(.*\)$/,
		);
		const bad = async (body: string) =>
			((await op(sb, 'createDeposit', body)).json.message as string).replace(/ \([^)]*\)/g, '');
		expect(await bad(depositBody('10.00', 'u', '52998224724'))).toBe('Parameters not valid: cpf');
		for (const amount of ['10.505', '-1', '"10.50"', '0', '1e3', '0.00'])
			expect(await bad(depositBody(amount))).toBe('Parameters not valid: amount');
		expect(await bad(depositBody('1.00').replace('maria@example.com', 'not-an-email'))).toBe(
			'Parameters not valid: email',
		);
		expect(await bad('{"user_id":')).toBe('Parameters not valid: body');
		expect(sb.deposits.size).toBe(0);
	});

	it('refuses blocked CPFs and user_ids with 401 Illegal Conditions', async () => {
		const sb = await sandbox({ blockedCpfs: [OTHER_CPF], blockedUserIds: ['bad-user'] });
		const cpf = await op(sb, 'createDeposit', depositBody('10.00', 'u', OTHER_CPF));
		expect(cpf.status).toBe(401);
		expect(cpf.text).toBe(
			'{"message":"user CPF blocked by All4pay.","reason":"Illegal Conditions","code":"401"}',
		);
		const user = await op(sb, 'createDeposit', depositBody('10.00', 'bad-user'));
		expect(user.status).toBe(401);
		expect(user.json.message).toBe('user_id blocked by All4pay.');
		expect(
			(await op(sb, 'createWithdrawal', withdrawalBody('1.00', { cpf: OTHER_CPF }))).json,
		).toMatchObject({ message: 'user CPF blocked by All4pay.' });
		sb.updateSettings({ blockedCpfs: [] });
		expect((await op(sb, 'createDeposit', depositBody('10.00', 'u', OTHER_CPF))).status).toBe(200);
	});

	it('applies the daily limit per user and Sao Paulo day, with the published message', async () => {
		const sb = await sandbox();
		const big = await op(sb, 'createDeposit', depositBody('4000.00'));
		expect(big.status).toBe(200);
		const refused = await op(sb, 'createDeposit', depositBody('1500.00'));
		expect(refused.status).toBe(401);
		expect(refused.json).toEqual({
			message:
				'We were unable to complete your transaction due to your dayli limit of R$ 5.000,00 . You Still have R$ 1.000,00 available to deposit today.',
			reason: 'Illegal Conditions',
			code: '401',
		});
		expect((await op(sb, 'createDeposit', depositBody('1000.00'))).status).toBe(200);
		expect((await op(sb, 'createDeposit', depositBody('0.01'))).json.message).toContain(
			'You Still have R$ 0,00 available',
		);
		expect((await op(sb, 'createDeposit', depositBody('1500.00', 'user-2'))).status).toBe(200);
		// An expired deposit no longer counts.
		sb.expire(big.json.id as string);
		expect((await op(sb, 'createDeposit', depositBody('3999.99'))).status).toBe(200);
		// 15:00 UTC is 12:00 in Sao Paulo; 03:00 UTC next day is midnight there: a new day.
		current = new Date('2024-05-11T02:59:59.000Z');
		expect((await op(sb, 'createDeposit', depositBody('0.02'))).status).toBe(401);
		current = new Date('2024-05-11T03:00:00.000Z');
		expect((await op(sb, 'createDeposit', depositBody('5000.00'))).status).toBe(200);
	});

	it('blocks an equal request (same user and amount) for duplicateBlockMs', async () => {
		const sb = await sandbox({ duplicateBlockMs: 60_000 });
		expect((await op(sb, 'createDeposit', depositBody('10.00'))).status).toBe(200);
		advance(59_000);
		const equal = await op(sb, 'createDeposit', depositBody('10.0'));
		expect(equal.status).toBe(422);
		expect(equal.json).toMatchObject({ reason: 'Illegal Conditions', code: '422' });
		expect(equal.json.message).toMatch(
			/^Equal request blocked: a deposit of R\$ 10,00 .* 1 seconds\.$/,
		);
		expect((await op(sb, 'createDeposit', depositBody('10.01'))).status).toBe(200);
		expect((await op(sb, 'createDeposit', depositBody('10.00', 'user-2'))).status).toBe(200);
		advance(1_000);
		expect((await op(sb, 'createDeposit', depositBody('10.00'))).status).toBe(200);
		expect(sb.deposits.size).toBe(4);
	});

	it('lists deposits by user and ISO dates, newest first', async () => {
		const sb = await sandbox();
		const ids: string[] = [];
		for (const [amount, user] of [
			['1.00', 'a'],
			['2.00', 'b'],
			['3.00', 'a'],
		]) {
			ids.push((await op(sb, 'createDeposit', depositBody(amount, user))).json.id as string);
			advance(3_600_000);
		}
		const all = await op(sb, 'getDeposits');
		expect((all.json as unknown as Array<{ id: string }>).map((d) => d.id)).toEqual(
			[...ids].reverse(),
		);
		const listed = async (query: string) =>
			(
				(await op(sb, 'getDeposits', undefined, { query })).json as unknown as Array<{
					id: string;
				}>
			).map((d) => d.id);
		expect(await listed('user_id=a')).toEqual([ids[2], ids[0]]);
		expect(await listed('date_from=2024-05-10T16:00:00Z')).toEqual([ids[2], ids[1]]);
		expect(await listed('date_to=2024-05-10T16:00:00.000Z')).toEqual([ids[1], ids[0]]);
		expect(await listed('date_from=2024-05-10&date_to=2024-05-10&user_id=b')).toEqual([ids[1]]);
		expect(await listed('date_from=2024-05-11')).toEqual([]);
		const bad = await op(sb, 'getDeposits', undefined, { query: 'date_from=10-05-2024' });
		expect(bad.status).toBe(422);
		expect(bad.json.message).toMatch(/^Parameters not valid: date_from/);
	});
});

describe('withdrawals', () => {
	it('reserves, confirms (deducted) and rejects (released), with callbacks', async () => {
		const { sb, hook } = await withReceiver({ balance: '100.00' });
		const res = await op(sb, 'createWithdrawal', withdrawalBody('60.10'));
		expect(res.status).toBe(200);
		expect(res.text).toContain('"amount":60.10,');
		expect(res.json).toMatchObject({
			user_id: 'user-1',
			status: 'pending',
			pix_key: 'maria@example.com',
			pix_key_type: 'email',
		});
		const id = res.json.id as string;
		expect(id).toMatch(/^wd_[0-9a-f]{24}$/);
		expect((await op(sb, 'getBalance')).text).toBe(
			'{"available":39.90,"pending_withdrawals":60.10,"currency":"BRL"}',
		);
		expect((await op(sb, 'getWithdrawal', undefined, { id })).text).toBe(res.text);
		sb.confirmWithdrawal(id);
		expect(sb.balance()).toEqual({
			available: '39.90',
			pending_withdrawals: '0.00',
			currency: 'BRL',
		});
		const second = await op(sb, 'createWithdrawal', withdrawalBody('39.90'));
		expect(sb.rejectWithdrawal(second.json.id as string).status).toBe('canceled');
		expect(sb.balance().available).toBe('39.90');
		await sb.callbacksSettled();
		expect(hook.received.map((callback) => JSON.parse(callback.body) as object)).toEqual([
			{ id, type: 'withdrawal', status: 'pending', amount: 60.1, user_id: 'user-1' },
			{ id, type: 'withdrawal', status: 'confirmed', amount: 60.1, user_id: 'user-1' },
			expect.objectContaining({ status: 'pending', amount: 39.9 }),
			expect.objectContaining({ status: 'canceled', amount: 39.9 }),
		]);
		expect((await op(sb, 'getWithdrawal', undefined, { id: 'wd_x' })).status).toBe(404);
	});

	it('refuses with 0443, 0442 and 0441 and leaves the balance untouched', async () => {
		const sb = await sandbox({ balance: '100.00' });
		const over = await op(sb, 'createWithdrawal', withdrawalBody('100.01'));
		expect(over.status).toBe(422);
		expect(over.json).toEqual({
			message: 'withdrawal amount greater than your balance available',
			reason: 'IllegalConditions',
			code: '0443',
		});
		expect((await op(sb, 'createWithdrawal', withdrawalBody('70.00'))).status).toBe(200);
		const before = (await op(sb, 'getBalance')).text;
		const pending = await op(sb, 'createWithdrawal', withdrawalBody('30.01'));
		expect(pending.status).toBe(422);
		expect(pending.json).toEqual({
			message: 'insufficient balance available due to pending withdrawals',
			reason: 'IllegalConditions',
			code: '0442',
		});
		expect((await op(sb, 'getBalance')).text).toBe(before);
		expect((await op(sb, 'createWithdrawal', withdrawalBody('30.00'))).status).toBe(200);
		expect(sb.balance()).toEqual({
			available: '0.00',
			pending_withdrawals: '100.00',
			currency: 'BRL',
		});

		const empty = await sandbox({ balance: '0' });
		const none = await op(empty, 'createWithdrawal', withdrawalBody('1.00'));
		expect(none.json).toEqual({
			message: 'withdrawal not allowed due to insufficient balance available',
			reason: 'IllegalConditions',
			code: '0441',
		});
		expect(empty.withdrawals.size).toBe(0);
		expect(empty.setBalance('5.00').available).toBe('5.00');
		expect((await op(empty, 'createWithdrawal', withdrawalBody('5.00'))).status).toBe(200);
	});

	it('validates the PIX key by type and the amount', async () => {
		const sb = await sandbox();
		const bad = async (extra: Record<string, string>, amount = '1.00') =>
			(
				(await op(sb, 'createWithdrawal', withdrawalBody(amount, extra))).json.message as string
			).replace(/ \([^)]*\)/g, '');
		expect(await bad({ pix_key_type: 'iban' })).toBe('Parameters not valid: pix_key_type');
		expect(await bad({ pix_key_type: 'cpf', pix_key: '12345678900' })).toBe(
			'Parameters not valid: pix_key',
		);
		expect(await bad({ pix_key_type: 'phone', pix_key: '11987654321' })).toBe(
			'Parameters not valid: pix_key',
		);
		expect(await bad({}, '1.001')).toBe('Parameters not valid: amount');
		expect(await bad({ cpf: '123' })).toBe('Parameters not valid: cpf');
		for (const [type, key] of [
			['cpf', CPF],
			['cnpj', '11222333000181'],
			['phone', '+5511987654321'],
			['random', '123e4567-e89b-42d3-a456-426614174000'],
		]) {
			const ok = await op(
				sb,
				'createWithdrawal',
				withdrawalBody('2.00', { pix_key_type: type, pix_key: key, user_id: type }),
			);
			expect(ok.status).toBe(200);
		}
	});

	it('blocks an equal withdrawal request', async () => {
		const sb = await sandbox();
		expect((await op(sb, 'createWithdrawal', withdrawalBody('5.00'))).status).toBe(200);
		const equal = await op(sb, 'createWithdrawal', withdrawalBody('5.00'));
		expect(equal.status).toBe(422);
		expect(equal.json.message).toMatch(/^Equal request blocked: a withdrawal of R\$ 5,00/);
		advance(180_000);
		expect((await op(sb, 'createWithdrawal', withdrawalBody('5.00'))).status).toBe(200);
	});
});

describe('rate limits', () => {
	it('defaults to the published limits', async () => {
		const sb = await sandbox();
		expect(sb.settings.rateLimits).toEqual({
			perSecond: ALL4PAY_RATE_LIMITS.perEndpointPerSecond,
			perHour: ALL4PAY_RATE_LIMITS.overallPerHour,
		});
	});

	it('answers 429 over the per-second limit of a paced operation, and again after the window', async () => {
		const sb = await sandbox({ rateLimits: { perSecond: 2 } });
		const call = (headers?: Record<string, string>) =>
			op(sb, 'getWithdrawal', undefined, { id: 'wd_none', headers });
		expect((await call()).status).toBe(404);
		advance(500);
		expect((await call()).status).toBe(404);
		const over = await call();
		expect(over.status).toBe(429);
		expect(over.text).toBe(
			'{"message":"API request limit is exceeded","reason":"Rate Limit Exception","code":"429"}',
		);
		// Other operations and other addresses have their own windows.
		expect((await op(sb, 'createDeposit', depositBody('1.00'))).status).toBe(200);
		expect((await op(sb, 'getBalance')).status).toBe(200);
		expect((await call({ 'X-Forwarded-For': '203.0.113.9, 10.0.0.1' })).status).toBe(404);
		// Sliding: the first request leaves the window 1 s after it was made.
		advance(500);
		expect((await call()).status).toBe(404);
		expect((await call()).status).toBe(429);
		advance(1_000);
		expect((await call()).status).toBe(404);
		expect(sb.rateLimited).toBe(2);
		expect(sb.rateLimitStats()).toEqual({ accepted: 7, rateLimited: 2, perSecond: 2, perHour: 0 });
	});

	it('applies the hourly limit to every operation together', async () => {
		const sb = await sandbox({ rateLimits: { perHour: 3 } });
		expect((await op(sb, 'getBalance')).status).toBe(200);
		expect((await op(sb, 'getDeposits')).status).toBe(200);
		expect((await op(sb, 'getBalance', undefined, { token: 'wrong' })).status).toBe(401);
		expect((await op(sb, 'getBalance')).status).toBe(429);
		expect(
			(await op(sb, 'getBalance', undefined, { headers: { 'X-Forwarded-For': '198.51.100.1' } }))
				.status,
		).toBe(200);
		advance(3_600_000);
		expect((await op(sb, 'getBalance')).status).toBe(200);
		expect(sb.rateLimitStats().perHour).toBe(1);
		sb.resetRateLimits();
		expect(sb.rateLimited).toBe(0);
	});
});

describe('callbacks and controls', () => {
	it('sends a forged callback with a false status or amount; the stored state stays', async () => {
		const { sb, hook } = await withReceiver();
		const id = (await op(sb, 'createDeposit', depositBody('10.00'))).json.id as string;
		await sb.callbacksSettled();
		await sb.sendForgedCallback(id);
		await sb.sendForgedCallback(id, { status: 'confirmed', amount: '9999.99' });
		expect(hook.received.map((callback) => callback.body)).toEqual([
			`{"id":"${id}","type":"deposit","status":"pending","amount":10.00,"user_id":"user-1"}`,
			`{"id":"${id}","type":"deposit","status":"confirmed","amount":10.00,"user_id":"user-1"}`,
			`{"id":"${id}","type":"deposit","status":"confirmed","amount":9999.99,"user_id":"user-1"}`,
		]);
		expect(sb.forgedCallbacks).toHaveLength(2);
		expect(sb.callbacks).toHaveLength(1);
		expect(sb.deposit(id)?.status).toBe('pending');
		expect((await op(sb, 'getDeposit', undefined, { id })).json.status).toBe('pending');
		await expect(sb.sendForgedCallback('dep_nope')).rejects.toThrow('Results not found');
	});

	it('sends nothing without a callback URL, until one is set', async () => {
		const sb = await sandbox();
		const id = (await op(sb, 'createDeposit', depositBody('10.00'))).json.id as string;
		await sb.callbacksSettled();
		expect(sb.callbacks).toHaveLength(0);
		const hook = await startReceiver();
		open.push(hook);
		sb.updateSettings({ callbackUrl: hook.url });
		await sb.sendCallback(id);
		expect(hook.received).toHaveLength(1);
		expect(() => sb.updateSettings({ callbackAttempts: 0 })).toThrow(/callbackAttempts/);
	});

	it('drives everything through /__sandbox', async () => {
		const { sb, hook } = await withReceiver({}, [500]);
		const put = await control(sb, 'PUT', '/settings', {
			callbackAttempts: 2,
			dailyDepositLimit: '50',
			rateLimits: { perSecond: 10 },
		});
		expect(put.json).toMatchObject({
			callbackAttempts: 2,
			dailyDepositLimit: '50.00',
			rateLimits: { perSecond: 10, perHour: ALL4PAY_RATE_LIMITS.overallPerHour },
		});
		expect((await control(sb, 'PUT', '/settings', { bogus: 1 })).status).toBe(400);
		const limited = await op(sb, 'createDeposit', depositBody('50.01'));
		expect(limited.json.message).toContain('dayli limit of R$ 50,00 .');
		const id = (await op(sb, 'createDeposit', depositBody('50.00'))).json.id as string;
		expect((await control(sb, 'GET', '/deposits')).json).toMatchObject([{ id, status: 'pending' }]);
		expect((await control(sb, 'POST', `/deposits/${id}/pay`)).json).toMatchObject({
			status: 'confirmed',
		});
		expect((await control(sb, 'POST', `/deposits/${id}/expire`)).status).toBe(409);
		const redelivered = await control(sb, 'POST', `/transactions/${id}/callback`, { times: 2 });
		expect(redelivered.json).toHaveLength(2);
		const forged = await control(sb, 'POST', `/transactions/${id}/forged-callback`, {
			status: 'expired',
			amount: '1.00',
		});
		expect((forged.json as unknown as Array<{ body: string }>)[0].body).toContain(
			'"status":"expired","amount":1.00',
		);
		await sb.callbacksSettled();
		const log = (await control(sb, 'GET', '/callbacks')).json as unknown as Array<{
			forged: boolean;
			status: number;
		}>;
		expect(log.map((entry) => [entry.status, entry.forged])).toEqual([
			[500, false],
			[200, false],
			[200, false],
			[200, false],
			[200, false],
			[200, true],
		]);
		expect(hook.received).toHaveLength(6);

		expect((await control(sb, 'PUT', '/balance', { amount: '12.34' })).json).toEqual({
			available: '12.34',
			pending_withdrawals: '0.00',
			currency: 'BRL',
		});
		const wd = (await op(sb, 'createWithdrawal', withdrawalBody('2.00'))).json.id as string;
		expect((await control(sb, 'POST', `/withdrawals/${wd}/reject`)).json).toMatchObject({
			status: 'canceled',
		});
		expect((await control(sb, 'GET', '/balance')).json).toMatchObject({ available: '12.34' });
		expect((await control(sb, 'GET', '/rate-limits')).json).toMatchObject({ rateLimited: 0 });
		expect(((await control(sb, 'GET', '/requests')).json as unknown as unknown[]).length).toBe(3);

		expect(
			(await control(sb, 'POST', '/faults', { path: '/balance/', fault: 'status', status: 500 }))
				.status,
		).toBe(200);
		const faulted = await op(sb, 'getBalance');
		expect(faulted.text).toBe(
			'{"message":"Something wrong in All4Pay","reason":"Internal ServerError","code":"500"}',
		);
	});
});
