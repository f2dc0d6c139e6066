import { createHmac } from 'node:crypto';

import { endpointPath } from '../../nodes/common/endpoints';
import { AGGREPAY_PRO_ASSUMED_ENDPOINTS } from '../../nodes/AggrepayPro/endpoints';
import {
	type AggrepayProOperation,
	type AggrepayProSandbox,
	type AggrepayProSandboxOptions,
	signAggrepayPro,
	startAggrepayProSandbox,
} from '../../sandbox/aggrepay-pro';
import { type ReceivedWebhook, type Receiver, startReceiver } from './webhook-receiver';

interface ApiResult {
	status: number;
	headers: Headers;
	text: string;
	json: Record<string, unknown>;
}

const open: Array<{ close(): Promise<void> }> = [];

async function sandbox(options: AggrepayProSandboxOptions = {}): Promise<AggrepayProSandbox> {
	const started = await startAggrepayProSandbox({ port: 0, ...options });
	open.push(started);
	return started;
}

async function receiver(statuses?: number[]): Promise<Receiver> {
	const started = await startReceiver(statuses);
	open.push(started);
	return started;
}

afterEach(async () => {
	await Promise.all(open.splice(0).map((item) => item.close()));
});

const hmac = (key: string, body: string) =>
	createHmac('sha256', key).update(body, 'utf8').digest('hex');

async function http(
	url: string,
	method: string,
	body?: string,
	headers: Record<string, string> = {},
): Promise<ApiResult> {
	const response = await fetch(url, { method, headers, body });
	const text = await response.text();
	let json: Record<string, unknown> = {};
	try {
		json = JSON.parse(text) as Record<string, unknown>;
	} catch {
		// pages and malformed-fault tests read `text`
	}
	return { status: response.status, headers: response.headers, text, json };
}

interface CallOptions {
	/** Default the sandbox's key; null = no Authorization header. */
	key?: string | null;
	/** Default the HMAC of the body sent; null = no Signature header. */
	signature?: string | null;
	params?: Record<string, string>;
	query?: Record<string, string>;
	headers?: Record<string, string>;
}

/** Calls an operation at the endpoint the sandbox serves, signing the exact bytes sent. */
async function op(
	sb: AggrepayProSandbox,
	operation: AggrepayProOperation,
	body?: string | object,
	options: CallOptions = {},
): Promise<ApiResult> {
	const endpoint = sb.endpoints[operation];
	const text =
		body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
	const headers: Record<string, string> = { 'Content-Type': 'application/json' };
	const key = options.key === undefined ? sb.apiKey : options.key;
	if (key !== null) headers.Authorization = `Bearer ${key}`;
	const signature =
		options.signature === undefined ? hmac(sb.secretKey, text ?? '') : options.signature;
	if (signature !== null) headers.Signature = signature;
	const query = options.query ? `?${new URLSearchParams(options.query).toString()}` : '';
	return http(`${sb.url}${endpointPath(endpoint, options.params)}${query}`, endpoint.method, text, {
		...headers,
		...options.headers,
	});
}

/** The answer's Signature header is the HMAC of its exact body; returns `data`. */
function verified(sb: AggrepayProSandbox, res: ApiResult): Record<string, unknown> {
	expect(res.headers.get('signature')).toBe(hmac(sb.secretKey, res.text));
	return res.json.data as Record<string, unknown>;
}

function expectError(
	sb: AggrepayProSandbox,
	res: ApiResult,
	status: number,
	code: number,
	message?: string | RegExp,
): void {
	expect([res.status, res.json.status, res.json.code]).toEqual([status, false, code]);
	expect(res.headers.get('signature')).toBe(hmac(sb.secretKey, res.text));
	if (typeof message === 'string') expect(res.json.message).toBe(message);
	else if (message) expect(res.json.message).toMatch(message);
}

let orderCounter = 0;
const nextOrder = () => `ord-${++orderCounter}-${Date.now()}`;

/** Raw JSON text, so amounts keep the digits written here. */
function rawPayment(sb: AggrepayProSandbox, fields: string, orderId = nextOrder()): string {
	return `{"orderId":"${orderId}","merchantId":"${sb.merchantId}",${fields}}`;
}

function payment(sb: AggrepayProSandbox, extra: Record<string, unknown> = {}): object {
	return {
		orderId: nextOrder(),
		merchantId: sb.merchantId,
		amount: 1500,
		currency: 'RUB',
		...extra,
	};
}

function payout(sb: AggrepayProSandbox, extra: Record<string, unknown> = {}): object {
	return {
		orderId: nextOrder(),
		merchantId: sb.merchantId,
		amount: 100,
		currency: 'EUR',
		paymentMethod: 'payout_card_eur',
		recipient: { account: '4000123412341234', name: 'Jane Doe' },
		...extra,
	};
}

function formAction(page: string, label: string): string {
	const match = new RegExp(
		`<form method="post" action="([^"]+)"><button type="submit">${label.replace(/[()]/g, '\\$&')}</button></form>`,
	).exec(page);
	if (!match) throw new Error(`No ${label} button in page:\n${page}`);
	return match[1];
}

/** Opens a page and submits its `label` form like a browser (following the redirect). */
async function clickButton(
	sb: AggrepayProSandbox,
	pageUrl: string,
	label: string,
): Promise<ApiResult> {
	const page = await http(pageUrl, 'GET');
	expect(page.status).toBe(200);
	return http(`${sb.url}${formAction(page.text, label)}`, 'POST', '', {
		'Content-Type': 'application/x-www-form-urlencoded',
	});
}

function callbackData(sb: AggrepayProSandbox, callback: ReceivedWebhook): Record<string, unknown> {
	expect(callback.headers.signature).toBe(hmac(sb.secretKey, callback.body));
	const parsed = JSON.parse(callback.body) as { status: boolean; data: Record<string, unknown> };
	expect(parsed.status).toBe(true);
	return parsed.data;
}

describe('signatures', () => {
	it('reproduces the computed vector of the docs', () => {
		const body = '{"orderId":"123","merchantId":"your_merchant_id","amount":1000}';
		const expected = '324abb73fc9ba1b6c6c54689f086957f9e2f6875e1e231f8468b6fb2d4d02328';
		expect(signAggrepayPro(body, 'your_secret_key')).toBe(expected);
		expect(signAggrepayPro(Buffer.from(body), 'your_secret_key')).toBe(expected);
		expect(hmac('your_secret_key', body)).toBe(expected);
	});

	it('refuses a missing or wrong bearer and a missing, wrong or re-serialised signature', async () => {
		const sb = await sandbox();
		for (const key of [null, 'wrong']) {
			const res = await op(sb, 'getBalance', undefined, { key });
			expectError(sb, res, 401, 401);
			expect(res.text).toBe('{"status":false,"code":401,"message":"Unauthorized"}');
		}
		const body = JSON.stringify(payment(sb));
		const pretty = JSON.stringify(JSON.parse(body), null, 2);
		for (const signature of [
			null,
			'',
			'0'.repeat(64),
			hmac('other_secret', body),
			hmac(sb.secretKey, pretty),
			hmac(sb.secretKey, body).toUpperCase(),
		]) {
			const res = await op(sb, 'createPayment', body, { signature });
			expectError(sb, res, 401, 401, /^Unauthorized: Signature does not match the request body/);
		}
		// A GET signs the empty string.
		expectError(
			sb,
			await op(sb, 'getBalance', undefined, { signature: hmac(sb.secretKey, '{}') }),
			401,
			401,
		);
		expect(verified(sb, await op(sb, 'getBalance'))).toBeDefined();
		expect(sb.payments.size).toBe(0);
		// The exact bytes: a pretty body signed as sent is fine.
		const prettyRes = await op(sb, 'createPayment', pretty);
		expect(prettyRes.status).toBe(200);
		expect(sb.requests.at(-1)?.body).toBe(pretty);
		for (const request of sb.requests) expect(request.headers.authorization).toBeUndefined();
		expect(sb.requests.at(-1)?.headers.signature).toBe(hmac(sb.secretKey, pretty));
	});

	it('signs every answer, errors included, over its exact bytes', async () => {
		const sb = await sandbox();
		const answers = [
			await op(sb, 'getBalance'),
			await op(sb, 'getPaymentMethods'),
			await op(sb, 'getPaymentStatus', undefined, { query: { orderId: 'nope' } }),
			await http(`${sb.url}/api/v1/nothing`, 'GET'),
			await op(sb, 'createPayment', '{"orderId":'),
		];
		for (const res of answers) {
			expect(res.headers.get('signature')).toMatch(/^[0-9a-f]{64}$/);
			expect(res.headers.get('signature')).toBe(hmac(sb.secretKey, res.text));
		}
		expect(answers.map((res) => [res.status, res.json.code])).toEqual([
			[200, undefined],
			[200, undefined],
			[404, 40401],
			[404, 40404],
			[422, 422],
		]);
	});
});

describe('payments', () => {
	it('without a method: created, with a pay page; looked up by orderId and id', async () => {
		const at = new Date('2024-05-06T07:08:09.010Z');
		const sb = await sandbox({ now: () => at });
		const orderId = nextOrder();
		const res = await op(
			sb,
			'createPayment',
			rawPayment(sb, '"amount":1500.50,"currency":"RUB","userId":42', orderId),
		);
		expect(res.status).toBe(200);
		const data = verified(sb, res);
		expect(res.json.status).toBe(true);
		expect(Object.keys(data)).toEqual([
			'id',
			'orderId',
			'merchantId',
			'type',
			'state',
			'amount',
			'currency',
			'paymentMethod',
			'paymentUri',
			'requisite',
			'createdAt',
			'updatedAt',
		]);
		expect(data).toMatchObject({
			orderId,
			merchantId: sb.merchantId,
			type: 'payment',
			state: 'created',
			currency: 'RUB',
			paymentMethod: null,
			requisite: null,
			createdAt: '2024-05-06T07:08:09.010Z',
			updatedAt: '2024-05-06T07:08:09.010Z',
		});
		expect(data.id).toMatch(/^pay_[0-9a-f]{24}$/);
		expect(data.paymentUri).toBe(`${sb.url}/pay/${data.id as string}`);
		expect(res.text).toContain('"amount":1500.50,');
		for (const query of [
			{ orderId } as Record<string, string>,
			{ id: data.id as string },
			{ id: data.id as string, orderId },
		]) {
			const got = await op(sb, 'getPaymentStatus', undefined, { query });
			expect(got.text).toBe(res.text);
			verified(sb, got);
		}
		expect(sb.payment(orderId)?.userId).toBe('42');
		expectError(
			sb,
			await op(sb, 'getPaymentStatus', undefined, {
				query: { id: data.id as string, orderId: 'x' },
			}),
			404,
			40401,
			'Payment not found',
		);
		expectError(sb, await op(sb, 'getPaymentStatus'), 422, 422, /orderId=.*id=/);
		// orderId is looked up among orderIds only, never as an id.
		expectError(
			sb,
			await op(sb, 'getPaymentStatus', undefined, { query: { orderId: data.id as string } }),
			404,
			40401,
		);
		expectError(sb, await op(sb, 'getPayoutStatus', undefined, { query: { orderId } }), 404, 40401);
	});

	it('with a method: pending with a requisite; 40002 when every requisite is busy', async () => {
		const sb = await sandbox();
		const res = await op(sb, 'createPayment', payment(sb, { paymentMethod: 'sbp' }));
		const data = verified(sb, res);
		expect(data).toMatchObject({ state: 'pending', paymentMethod: 'sbp' });
		expect(data.requisite).toEqual({
			bank: 'Sberbank',
			account: expect.stringMatching(/^\+79\d{9}$/),
			holder: 'SANDBOX HOLDER',
		});
		const card = verified(
			sb,
			await op(sb, 'createPayment', payment(sb, { paymentMethod: 'card_rub' })),
		);
		expect((card.requisite as { account: string }).account).toMatch(/^2200\d{12}$/);

		sb.settings.requisitesBusy = true;
		const body = payment(sb, { paymentMethod: 'card_rub' });
		expectError(sb, await op(sb, 'createPayment', body), 400, 40002, /All requisites are busy/);
		expect(verified(sb, await op(sb, 'createPayment', payment(sb))).state).toBe('created');
		sb.updateSettings({ requisitesBusy: false });
		expect((await op(sb, 'createPayment', body)).status).toBe(200);
	});

	it('answers every validation error with its code', async () => {
		const sb = await sandbox();
		const cases: Array<[string, number, number, RegExp]> = [
			[
				'{"orderId":"a","merchantId":"x","amount":1,"currency":"RUB"}',
				404,
				40401,
				/^Merchant not found/,
			],
			['{"orderId":"a","amount":1,"currency":"RUB"}', 404, 40401, /Merchant not found/],
			[
				rawPayment(sb, '"amount":150,"currency":"RUB"', 'has space'),
				400,
				40001,
				/^Invalid orderId/,
			],
			[
				rawPayment(sb, '"amount":150,"currency":"RUB"', 'x'.repeat(65)),
				400,
				40001,
				/Invalid orderId/,
			],
			[`{"merchantId":"${sb.merchantId}","amount":150,"currency":"RUB"}`, 400, 40001, /required/],
			[rawPayment(sb, '"amount":150,"currency":"rub"'), 422, 422, /ISO 4217/],
			[rawPayment(sb, '"amount":150,"currency":"XXX"'), 422, 422, /not supported/],
			[rawPayment(sb, '"amount":150'), 422, 422, /currency/],
			[
				rawPayment(sb, '"amount":"150.00","currency":"RUB"'),
				400,
				400,
				/^Invalid amount: .*JSON number/,
			],
			[rawPayment(sb, '"currency":"RUB"'), 400, 400, /^Invalid amount/],
			[rawPayment(sb, '"amount":0,"currency":"RUB"'), 400, 400, /greater than 0/],
			[rawPayment(sb, '"amount":-5,"currency":"RUB"'), 400, 400, /greater than 0/],
			[rawPayment(sb, '"amount":150.001,"currency":"RUB"'), 400, 400, /at most 2 decimals/],
			[rawPayment(sb, '"amount":1.5e2,"currency":"RUB"'), 400, 400, /exponent/],
			[
				rawPayment(sb, '"amount":99.99,"currency":"RUB","paymentMethod":"card_rub"'),
				400,
				400,
				/^Invalid amount: below the minimum of card_rub \(100\.00 to 500000\.00 RUB\)/,
			],
			[
				rawPayment(sb, '"amount":500000.01,"currency":"RUB","paymentMethod":"card_rub"'),
				400,
				400,
				/above the maximum/,
			],
			[
				rawPayment(sb, '"amount":5,"currency":"RUB"'),
				400,
				400,
				/no payment method for RUB takes it/,
			],
			[rawPayment(sb, '"amount":5,"currency":"USD"'), 404, 40403, /^No payment methods found/],
			[
				rawPayment(sb, '"amount":150,"currency":"RUB","paymentMethod":"paypal"'),
				400,
				40003,
				/^Invalid payment method: .*no method "paypal"/,
			],
			[
				rawPayment(sb, '"amount":150,"currency":"RUB","paymentMethod":"card_eur"'),
				400,
				40003,
				/does not take RUB/,
			],
			[
				rawPayment(sb, '"amount":600,"currency":"RUB","paymentMethod":"payout_card_rub"'),
				400,
				40003,
				/is a payout method/,
			],
			[
				rawPayment(sb, '"amount":150,"currency":"RUB","callbackUri":"/hook"'),
				422,
				422,
				/callbackUri must be an absolute/,
			],
			[
				rawPayment(sb, '"amount":150,"currency":"RUB","callbackUri":"ftp://x/y"'),
				422,
				422,
				/callbackUri/,
			],
			[rawPayment(sb, '"amount":150,"currency":"RUB","returnUri":"nope"'), 422, 422, /returnUri/],
			[
				rawPayment(sb, '"amount":150,"currency":"RUB","customer":"John"'),
				422,
				422,
				/customer must be an object/,
			],
			[
				rawPayment(sb, '"amount":150,"currency":"RUB","customer":{"email":5}'),
				422,
				422,
				/customer\.email/,
			],
			[rawPayment(sb, '"amount":150,"currency":"RUB","userId":true'), 422, 422, /userId/],
			['{"orderId":', 422, 422, /not valid JSON/],
			['[1]', 422, 422, /JSON object/],
		];
		for (const [body, status, code, message] of cases) {
			const res = await op(sb, 'createPayment', body);
			expect([body, res.status, res.json.code]).toEqual([body, status, code]);
			expect(res.json.message).toMatch(message);
		}
		expect(sb.payments.size).toBe(0);
		const edge = await op(
			sb,
			'createPayment',
			rawPayment(
				sb,
				'"amount":100.00,"currency":"RUB","paymentMethod":"card_rub"',
				`A_b-9${'x'.repeat(59)}`,
			),
		);
		expect(edge.status).toBe(200);
	});

	it('refuses an existing orderId with 409 40901 and one in flight with 40008', async () => {
		const sb = await sandbox({ processingDelayMs: 300 });
		const body = JSON.stringify(payment(sb));
		const first = op(sb, 'createPayment', body);
		while (sb.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
		expectError(sb, await op(sb, 'createPayment', body), 400, 40008, /^Request is being processed/);
		expect((await first).status).toBe(200);
		expectError(sb, await op(sb, 'createPayment', body), 409, 40901, /^Duplicate payment/);
		// Payments and payouts share the orderId space.
		const orderId = (JSON.parse(body) as { orderId: string }).orderId;
		expectError(sb, await op(sb, 'createPayout', payout(sb, { orderId })), 409, 40901);
		expect(sb.payments.size).toBe(1);
	});

	it('anti-spam: the request after maxRequests blocks the user (40302), then 40301', async () => {
		let clock = new Date('2024-01-01T00:00:00Z');
		const sb = await sandbox({ now: () => clock, antiSpam: { maxRequests: 3, windowMs: 60_000 } });
		const spam = () => op(sb, 'createPayment', payment(sb, { userId: 'u1' }));
		for (let index = 0; index < 3; index++) expect((await spam()).status).toBe(200);
		expectError(sb, await spam(), 403, 40302, /^Anti-spam protection triggered/);
		expectError(sb, await spam(), 403, 40301, 'User blocked');
		expect((await op(sb, 'createPayment', payment(sb, { userId: 'u2' }))).status).toBe(200);
		expect((await op(sb, 'createPayment', payment(sb))).status).toBe(200);
		// The window slides: u2 is counted afresh a minute later.
		for (let index = 0; index < 2; index++)
			expect((await op(sb, 'createPayment', payment(sb, { userId: 'u2' }))).status).toBe(200);
		clock = new Date('2024-01-01T00:01:00.001Z');
		for (let index = 0; index < 3; index++)
			expect((await op(sb, 'createPayment', payment(sb, { userId: 'u2' }))).status).toBe(200);
		expectError(sb, await spam(), 403, 40301);
		await http(`${sb.url}/__sandbox/anti-spam`, 'DELETE');
		expect((await spam()).status).toBe(200);
		sb.updateSettings({ antiSpam: null });
		for (let index = 0; index < 5; index++) expect((await spam()).status).toBe(200);
	});

	it('IP whitelist: other callers get 403 code 403', async () => {
		const sb = await sandbox({ ipWhitelist: ['203.0.113.7'] });
		expectError(sb, await op(sb, 'getBalance'), 403, 403, /not in the whitelist/);
		expect(
			(await op(sb, 'getBalance', undefined, { headers: { 'X-Forwarded-For': '203.0.113.7' } }))
				.status,
		).toBe(200);
		sb.updateSettings({ ipWhitelist: ['::1'] });
		expect((await op(sb, 'getBalance')).status).toBe(200);
		sb.updateSettings({ ipWhitelist: null });
		expect((await op(sb, 'getBalance', undefined, { key: 'x' })).status).toBe(401);
	});

	it('answers errors with HTTP 200 when asked, the body unchanged', async () => {
		const sb = await sandbox({ errorsAsHttp200: true });
		const res = await op(sb, 'getPaymentStatus', undefined, { query: { orderId: 'nope' } });
		expect(res.status).toBe(200);
		expect(res.text).toBe('{"status":false,"code":40401,"message":"Payment not found"}');
		expect(res.headers.get('signature')).toBe(hmac(sb.secretKey, res.text));
	});
});

describe('pay page and callbacks', () => {
	it('offers "Confirm receipt (as Aggrepay.pro)" only in check, and it finishes the payment', async () => {
		const sb = await sandbox();
		const orderId = nextOrder();
		const created = verified(
			sb,
			await op(
				sb,
				'createPayment',
				payment(sb, { orderId, amount: 1500, paymentMethod: 'card_rub' }),
			),
		);
		const pending = await http(created.paymentUri as string, 'GET');
		expect(pending.text).not.toContain('Confirm receipt');
		const early = await http(`${sb.url}/pay/${String(created.id)}/confirm`, 'POST', '', {
			'Content-Type': 'application/x-www-form-urlencoded',
		});
		expect(early.status).toBe(409);
		expect(sb.payment(orderId)?.state).toBe('pending');
		await clickButton(sb, created.paymentUri as string, 'I have paid');
		const confirmed = await clickButton(
			sb,
			created.paymentUri as string,
			'Confirm receipt (as Aggrepay.pro)',
		);
		expect(confirmed.text).toContain('This payment is finished');
		expect(sb.payment(orderId)?.state).toBe('finished');
	});

	it('choose a method, "I have paid", finish: signed callbacks equal to the status answer', async () => {
		const hook = await receiver([500]);
		const sb = await sandbox();
		const orderId = nextOrder();
		const created = verified(
			sb,
			await op(
				sb,
				'createPayment',
				payment(sb, {
					orderId,
					amount: 2500,
					callbackUri: hook.url,
					returnUri: 'https://shop.example/back',
				}),
			),
		);
		const page = await http(created.paymentUri as string, 'GET');
		expect(page.text).toContain('2500.00 RUB');
		expect(page.text).toContain('Choose Card (RUB)');
		expect(page.text).toContain('Choose SBP (Faster Payments System)');
		expect(page.text).not.toContain('Card (EUR)');

		const chosen = await clickButton(
			sb,
			created.paymentUri as string,
			'Choose SBP (Faster Payments System)',
		);
		expect(chosen.text).toContain('<span id="state">pending</span>');
		expect(chosen.text).toContain('<span id="bank">Sberbank</span>');
		// Let the retry of the first delivery land first, so the order below is fixed.
		await sb.callbacksSettled();
		await clickButton(sb, created.paymentUri as string, 'I have paid');
		expect(sb.payment(orderId)?.state).toBe('in_check');
		const finished = await http(`${sb.url}/__sandbox/payments/${orderId}/finish`, 'POST');
		expect(finished.json).toMatchObject({ state: 'finished', callbackUri: hook.url });
		const final = await http(created.paymentUri as string, 'GET');
		expect(final.text).toContain('This payment is finished');
		expect(final.text).toContain('https://shop.example/back');
		// A finished payment adds its amount to the available balance.
		expect(sb.balances()).toContainEqual({
			currency: 'RUB',
			available: '102500.00',
			reserved: '0.00',
		});
		await sb.callbacksSettled();

		// The first delivery got 500 and was retried.
		expect(sb.callbacks.map((callback) => callback.status)).toEqual([500, 200, 200, 200]);
		expect(hook.received.map((callback) => callbackData(sb, callback).state)).toEqual([
			'pending',
			'pending',
			'in_check',
			'finished',
		]);
		const status = await op(sb, 'getPaymentStatus', undefined, { query: { orderId } });
		expect(hook.received[3].body).toBe(status.text);
		expect(sb.callbacks[3]).toMatchObject({
			url: hook.url,
			body: status.text,
			signature: hmac(sb.secretKey, status.text),
		});
		expect(hook.received[3].headers['content-type']).toBe('application/json');

		// Redelivery: identical bytes and signature.
		const resent = await http(
			`${sb.url}/__sandbox/payments/${created.id as string}/callback`,
			'POST',
			'{"times":2}',
		);
		expect((resent.json as unknown as unknown[]).length).toBe(2);
		await sb.sendCallback(orderId);
		expect(hook.received.slice(3).map((callback) => callback.body)).toEqual(
			Array(4).fill(status.text),
		);
		expect(new Set(hook.received.slice(3).map((callback) => callback.headers.signature)).size).toBe(
			1,
		);
		expect(
			((await http(`${sb.url}/__sandbox/callbacks`, 'GET')).json as unknown as unknown[]).length,
		).toBe(7);

		// Finished is final.
		const again = await http(`${sb.url}/__sandbox/payments/${orderId}/cancel`, 'POST');
		expect([again.status, again.json.code]).toEqual([409, 409]);
		expect((await http(`${sb.url}/pay/${created.id as string}/cancel`, 'POST', '')).status).toBe(
			409,
		);
	});

	it('Cancel on the page, retries up to callbackAttempts, no callback without a callbackUri', async () => {
		const hook = await receiver([500, 502, 503]);
		const sb = await sandbox({ callbackAttempts: 2 });
		const data = verified(
			sb,
			await op(sb, 'createPayment', payment(sb, { callbackUri: hook.url })),
		);
		const canceled = await clickButton(sb, data.paymentUri as string, 'Cancel');
		expect(canceled.text).toContain('This payment is canceled');
		await sb.callbacksSettled();
		expect(sb.callbacks.map((callback) => [callback.attempt, callback.status])).toEqual([
			[1, 500],
			[2, 502],
		]);
		const quiet = verified(
			sb,
			await op(sb, 'createPayment', payment(sb, { paymentMethod: 'sbp' })),
		);
		sb.check(quiet.id as string);
		sb.dispute(quiet.id as string);
		expect(sb.finish(quiet.id as string).state).toBe('finished');
		expect(await sb.sendCallback(quiet.id as string)).toEqual([]);
		await sb.callbacksSettled();
		expect(sb.callbacks).toHaveLength(2);
		expect((await http(`${sb.url}/pay/pay_000000000000000000000000`, 'GET')).status).toBe(404);
	});

	it('every control transition, refused ones with 409; choose with busy requisites', async () => {
		const hook = await receiver();
		const sb = await sandbox();
		const make = async (extra: Record<string, unknown> = {}) =>
			verified(sb, await op(sb, 'createPayment', payment(sb, { callbackUri: hook.url, ...extra })))
				.id as string;
		const expired = await make();
		expect(sb.expire(expired).state).toBe('expired');
		expect(sb.dispute(expired).state).toBe('dispute');
		expect(sb.cancel(expired).state).toBe('canceled');
		const failed = await make({ paymentMethod: 'card_rub' });
		expect(sb.fail(failed).state).toBe('failed');
		expect(() => sb.finish(failed)).toThrow(
			/state failed; finish needs pending, in_check, dispute/,
		);
		const created = await make();
		expect(() => sb.check(created)).toThrow(/check needs pending/);
		sb.settings.requisitesBusy = true;
		const busy = await http(`${sb.url}/pay/${created}/choose/sbp`, 'POST', '');
		expect([busy.status, busy.text.includes('All requisites are busy')]).toEqual([400, true]);
		sb.settings.requisitesBusy = false;
		const chosen = await http(
			`${sb.url}/__sandbox/payments/${created}/choose`,
			'POST',
			'{"paymentMethod":"card_rub"}',
		);
		expect(chosen.json).toMatchObject({ state: 'pending', paymentMethod: 'card_rub' });
		expect(
			(
				await http(
					`${sb.url}/__sandbox/payments/${created}/choose`,
					'POST',
					'{"paymentMethod":"card_rub"}',
				)
			).status,
		).toBe(409);
		const unknown = await http(`${sb.url}/__sandbox/payments/nope/finish`, 'POST');
		expect([unknown.status, unknown.json.code]).toEqual([404, 40401]);
		await sb.callbacksSettled();
		expect(hook.received.map((callback) => callbackData(sb, callback).state)).toEqual([
			'expired',
			'dispute',
			'canceled',
			'failed',
			'pending',
		]);
	});
});

describe('payouts and balances', () => {
	const balance = async (sb: AggrepayProSandbox) => {
		const res = await op(sb, 'getBalance');
		verified(sb, res);
		return res.text;
	};

	it('reserves, finishes after payoutDelayMs and deducts; 40004 moves nothing', async () => {
		const hook = await receiver();
		const sb = await sandbox({ payoutDelayMs: 250 });
		expect(await balance(sb)).toBe(
			'{"status":true,"data":[{"currency":"EUR","available":1000.00,"reserved":0.00},{"currency":"RUB","available":100000.00,"reserved":0.00}]}',
		);
		const orderId = nextOrder();
		const res = await op(
			sb,
			'createPayout',
			rawPayment(
				sb,
				'"amount":100.50,"currency":"EUR","paymentMethod":"payout_card_eur","recipient":{"account":"4000123412341234","name":"Jane Doe","bank":"N26"},"callbackUri":"' +
					hook.url +
					'"',
				orderId,
			),
		);
		const data = verified(sb, res);
		expect(data).toMatchObject({
			type: 'payout',
			state: 'in_check',
			paymentMethod: 'payout_card_eur',
			paymentUri: null,
			requisite: null,
		});
		expect(data.id).toMatch(/^po_[0-9a-f]{24}$/);
		expect(res.text).toContain('"amount":100.50,');
		expect(await balance(sb)).toContain('{"currency":"EUR","available":899.50,"reserved":100.50}');
		expect(sb.payment(orderId)?.recipient).toEqual({
			account: '4000123412341234',
			name: 'Jane Doe',
			bank: 'N26',
		});

		const tooMuch = payout(sb, { amount: 900 });
		const before = await balance(sb);
		expectError(
			sb,
			await op(sb, 'createPayout', tooMuch),
			400,
			40004,
			/^Insufficient funds.*available 899\.50 EUR/,
		);
		expect(await balance(sb)).toBe(before);
		expect(sb.payments.size).toBe(1);

		await sb.callbacksSettled();
		expect(sb.payment(orderId)?.state).toBe('finished');
		expect(await balance(sb)).toContain('{"currency":"EUR","available":899.50,"reserved":0.00}');
		const status = await op(sb, 'getPayoutStatus', undefined, { query: { orderId } });
		expect(verified(sb, status).state).toBe('finished');
		expect(hook.received.map((callback) => callback.body)).toEqual([status.text]);
		expectError(
			sb,
			await op(sb, 'getPaymentStatus', undefined, { query: { id: data.id as string } }),
			404,
			40401,
		);

		// The same orderId after a 40004 is free.
		sb.setBalance('EUR', '2000.00');
		expect((await op(sb, 'createPayout', tooMuch)).status).toBe(200);
	});

	it('cancel and fail release the reservation; payout validation', async () => {
		const sb = await sandbox({ payoutDelayMs: null, balances: { EUR: '50.00' } });
		const res = await op(sb, 'createPayout', payout(sb, { amount: 20 }));
		const id = verified(sb, res).id as string;
		expect(sb.balances()).toEqual([{ currency: 'EUR', available: '30.00', reserved: '20.00' }]);
		expect(() => sb.expire(id)).toThrow(/expire needs a payment/);
		expect(sb.cancel(id).state).toBe('canceled');
		expect(sb.balances()).toEqual([{ currency: 'EUR', available: '50.00', reserved: '0.00' }]);
		const second = verified(sb, await op(sb, 'createPayout', payout(sb, { amount: 50 })))
			.id as string;
		expect(sb.balances()[0]).toMatchObject({ available: '0.00', reserved: '50.00' });
		sb.fail(second);
		expect(sb.balances()[0]).toMatchObject({ available: '50.00', reserved: '0.00' });
		expectError(
			sb,
			await op(
				sb,
				'createPayout',
				payout(sb, { currency: 'RUB', amount: 600, paymentMethod: 'payout_card_rub' }),
			),
			400,
			40004,
		);

		const cases: Array<[object, number, number, RegExp]> = [
			[payout(sb, { paymentMethod: undefined }), 400, 40003, /needs paymentMethod/],
			[
				payout(sb, { paymentMethod: 'card_eur' }),
				400,
				40003,
				/payment method, not a payout method/,
			],
			[payout(sb, { recipient: undefined }), 422, 422, /recipient is required/],
			[payout(sb, { recipient: { account: '1' } }), 422, 422, /recipient\.name/],
			[payout(sb, { amount: 9.99 }), 400, 400, /below the minimum of payout_card_eur/],
			[payout(sb, { merchantId: 'other' }), 404, 40401, /Merchant not found/],
		];
		for (const [body, status, code, message] of cases)
			expectError(sb, await op(sb, 'createPayout', body), status, code, message);
	});

	it('balances over the control API keep the exact digits', async () => {
		const sb = await sandbox();
		const put = await http(
			`${sb.url}/__sandbox/balances`,
			'PUT',
			'{"EUR":"12.30","RUB":250000.10}',
		);
		expect(put.text).toBe(
			'[{"currency":"EUR","available":12.30,"reserved":0.00},{"currency":"RUB","available":250000.10,"reserved":0.00}]',
		);
		expect((await http(`${sb.url}/__sandbox/balances`, 'PUT', '{"EUR":"1.234"}')).status).toBe(400);
		expect(
			(await http(`${sb.url}/__sandbox/balances`, 'PUT', '{"EUR":"5.00","ZZZ":"1"}')).status,
		).toBe(400);
		expect(sb.balances()[0].available).toBe('12.30');
		expect(() => sb.setBalance('EUR', 'lots')).toThrow(/major units/);
	});
});

describe('methods and banks', () => {
	it('lists methods (optionally per currency) and banks per method and currency', async () => {
		const sb = await sandbox();
		const all = await op(sb, 'getPaymentMethods');
		expect((verified(sb, all) as unknown as unknown[]).length).toBe(5);
		const eur = await op(sb, 'getPaymentMethods', undefined, { query: { currency: 'EUR' } });
		expect(eur.text).toBe(
			'{"status":true,"data":[{"code":"card_eur","name":"Card (EUR)","type":"payment","currencies":["EUR"],"minAmount":1.00,"maxAmount":10000.00},{"code":"payout_card_eur","name":"Card payout (EUR)","type":"payout","currencies":["EUR"],"minAmount":10.00,"maxAmount":5000.00}]}',
		);
		expectError(
			sb,
			await op(sb, 'getPaymentMethods', undefined, { query: { currency: 'JPY' } }),
			404,
			40403,
			/^No payment methods found/,
		);
		const banks = await op(sb, 'getBanks', undefined, {
			params: { method: 'sbp' },
			query: { currency: 'RUB' },
		});
		expect(verified(sb, banks)).toEqual([
			{ code: 'sber', name: 'Sberbank' },
			{ code: 'tbank', name: 'T-Bank' },
			{ code: 'alfa', name: 'Alfa-Bank' },
		]);
		expect(
			(
				verified(
					sb,
					await op(sb, 'getBanks', undefined, { params: { method: 'card_rub' } }),
				) as unknown as unknown[]
			).length,
		).toBe(3);
		expectError(
			sb,
			await op(sb, 'getBanks', undefined, { params: { method: 'card_eur' } }),
			404,
			40402,
			/^No banks available/,
		);
		expectError(
			sb,
			await op(sb, 'getBanks', undefined, {
				params: { method: 'sbp' },
				query: { currency: 'EUR' },
			}),
			404,
			40402,
			/No banks available/,
		);
		expectError(
			sb,
			await op(sb, 'getBanks', undefined, { params: { method: 'paypal' } }),
			404,
			40402,
			/^Payment method not found/,
		);
	});

	it('refuses a method list it could not serve exactly', async () => {
		await expect(
			startAggrepayProSandbox({
				paymentMethods: [
					{ code: 'x', name: 'X', type: 'payment', currencies: ['EUR'], minAmount: '0.001' },
				],
			}),
		).rejects.toThrow(/at most 2 decimals/);
		await expect(startAggrepayProSandbox({ balances: { EUR: '1.005' } })).rejects.toThrow(
			/major units/,
		);
		await expect(startAggrepayProSandbox({ callbackAttempts: 0 })).rejects.toThrow(
			/callbackAttempts/,
		);
	});
});

describe('amount units', () => {
	it('keeps the digits in major units', async () => {
		const sb = await sandbox();
		for (const [fields, expected] of [
			['"amount":10.50,"currency":"EUR"', '"amount":10.50,'],
			['"amount":10.5,"currency":"EUR"', '"amount":10.5,'],
			['"amount":1000,"currency":"EUR"', '"amount":1000,'],
			['"amount":123456789.01,"currency":"RUB","paymentMethod":"card_rub"', null],
		] as const) {
			const res = await op(sb, 'createPayment', rawPayment(sb, fields));
			if (expected === null) expectError(sb, res, 400, 400, /above the maximum/);
			else {
				expect(res.status).toBe(200);
				expect(res.text).toContain(expected);
			}
		}
	});

	it('reads and writes integer minor units when amountUnit is minor', async () => {
		const hook = await receiver();
		const sb = await sandbox({ amountUnit: 'minor', payoutDelayMs: null });
		const res = await op(
			sb,
			'createPayment',
			rawPayment(
				sb,
				`"amount":1050,"currency":"EUR","paymentMethod":"card_eur","callbackUri":"${hook.url}"`,
			),
		);
		const data = verified(sb, res);
		expect(res.text).toContain('"amount":1050,');
		expect(sb.payment(data.id as string)?.minorAmount).toBe(BigInt(1050));
		expectError(
			sb,
			await op(sb, 'createPayment', rawPayment(sb, '"amount":10.50,"currency":"EUR"')),
			400,
			400,
			/whole number of minor units/,
		);
		expectError(
			sb,
			await op(
				sb,
				'createPayment',
				rawPayment(sb, '"amount":99,"currency":"EUR","paymentMethod":"card_eur"'),
			),
			400,
			400,
			/below the minimum/,
		);
		expect((await op(sb, 'getBalance')).text).toContain(
			'{"currency":"EUR","available":100000,"reserved":0}',
		);
		expect(
			(await op(sb, 'getPaymentMethods', undefined, { query: { currency: 'EUR' } })).text,
		).toContain('"minAmount":100,"maxAmount":1000000}');
		await op(
			sb,
			'createPayout',
			rawPayment(
				sb,
				'"amount":2001,"currency":"EUR","paymentMethod":"payout_card_eur","recipient":{"account":"1","name":"J"}',
			),
		);
		expect(sb.balances()[0]).toEqual({ currency: 'EUR', available: '979.99', reserved: '20.01' });
		sb.check(data.id as string);
		await sb.callbacksSettled();
		expect(hook.received[0].body).toContain('"amount":1050,');

		// Switching the unit shows stored amounts converted, exactly.
		sb.updateSettings({ amountUnit: 'major' });
		const major = await op(sb, 'getPaymentStatus', undefined, { query: { id: data.id as string } });
		expect(major.text).toContain('"amount":10.50,');
		expect((await op(sb, 'getBalance')).text).toContain('"available":979.99,"reserved":20.01');
	});
});

describe('endpoint table', () => {
	it('serves the assumed table by default and overridden paths when asked', async () => {
		const sb = await sandbox();
		expect(sb.endpoints).toEqual(AGGREPAY_PRO_ASSUMED_ENDPOINTS);
		const moved = await sandbox({
			endpoints: {
				createPayment: { method: 'PUT', path: '/v2/invoices' },
				getPaymentStatus: { method: 'GET', path: '/v2/invoices/{orderId}' },
				getBanks: { method: 'GET', path: '/v2/banks' },
			},
		});
		const orderId = nextOrder();
		const created = await op(moved, 'createPayment', payment(moved, { orderId }));
		expect(created.status).toBe(200);
		expect(moved.requests[0]).toMatchObject({ method: 'PUT', path: '/v2/invoices' });
		const status = await op(moved, 'getPaymentStatus', undefined, {
			params: { orderId },
			query: { orderId },
		});
		expect(status.text).toBe(created.text);
		const banks = await op(moved, 'getBanks', undefined, {
			query: { method: 'sbp', currency: 'RUB' },
		});
		expect((verified(moved, banks) as unknown as unknown[]).length).toBe(3);
		const old = await http(`${moved.url}/api/v1/payments`, 'POST', '{}');
		expectError(moved, old, 404, 40404, 'No endpoint POST /api/v1/payments');
		const wrongMethod = await http(`${moved.url}/v2/invoices`, 'POST', '{}');
		expect([wrongMethod.status, wrongMethod.headers.get('allow')]).toEqual([405, 'PUT']);
	});
});

describe('faults', () => {
	it('injects statuses in the signed error shape, drops and malformed answers', async () => {
		const sb = await sandbox();
		sb.injectFault({
			method: 'GET',
			path: '/api/v1/balance',
			fault: 'status',
			status: 429,
			retryAfter: 2,
		});
		const limited = await op(sb, 'getBalance');
		expectError(sb, limited, 429, 429, 'Too Many Requests (injected by sandbox)');
		expect(limited.headers.get('retry-after')).toBe('2');
		expect((await op(sb, 'getBalance')).status).toBe(200);
		expectError(
			sb,
			await op(sb, 'getBalance', undefined, { headers: { 'X-Sandbox-Fault': 'status=500' } }),
			500,
			50001,
			'Internal Server Error (injected by sandbox)',
		);
		await expect(
			op(sb, 'createPayment', payment(sb), { headers: { 'X-Sandbox-Fault': 'drop' } }),
		).rejects.toThrow();
		expect(sb.payments.size).toBe(0);
		const malformed = await op(sb, 'getBalance', undefined, {
			headers: { 'X-Sandbox-Fault': 'malformed' },
		});
		expect(malformed.status).toBe(200);
		expect(() => JSON.parse(malformed.text) as unknown).toThrow();
		expect(
			(
				await http(
					`${sb.url}/__sandbox/faults`,
					'POST',
					'{"path":"/api/v1/*","fault":"status","status":503,"times":2}',
				)
			).status,
		).toBe(200);
		expect((await op(sb, 'getPaymentMethods')).status).toBe(503);
		await http(`${sb.url}/__sandbox/faults`, 'DELETE');
		expect((await op(sb, 'getPaymentMethods')).status).toBe(200);
		expect(
			(await http(`${sb.url}/__sandbox/faults`, 'POST', '{"path":"/x","fault":"nope"}')).status,
		).toBe(400);
	});

	it('drop-after-commit: the payment exists, a retry is 40901, the lookup by orderId finds it', async () => {
		const sb = await sandbox();
		sb.injectFault({ method: 'POST', path: '/api/v1/payments', fault: 'drop-after-commit' });
		const body = payment(sb, { paymentMethod: 'card_rub' }) as { orderId: string };
		await expect(op(sb, 'createPayment', body)).rejects.toThrow();
		expect(sb.payments.size).toBe(1);
		expect(sb.requests[0].fault).toBe('drop-after-commit');
		expect(sb.requests[0].status).toBeUndefined();
		expectError(sb, await op(sb, 'createPayment', body), 409, 40901);
		const found = await op(sb, 'getPaymentStatus', undefined, { query: { orderId: body.orderId } });
		expect(verified(sb, found)).toMatchObject({ state: 'pending', amount: 1500, currency: 'RUB' });
	});
});

describe('control API', () => {
	it('settings, payments and the request log over HTTP', async () => {
		const sb = await sandbox();
		const control = (method: string, path: string, body?: string) =>
			http(`${sb.url}/__sandbox${path}`, method, body);
		expect((await control('GET', '/settings')).json).toEqual({
			callbackAttempts: 3,
			amountUnit: 'major',
			requisitesBusy: false,
			payoutDelayMs: 50,
			processingDelayMs: 0,
			antiSpam: { maxRequests: 5, windowMs: 60000 },
			ipWhitelist: null,
			errorsAsHttp200: false,
		});
		const put = await control(
			'PUT',
			'/settings',
			'{"callbackAttempts":5,"payoutDelayMs":null,"ipWhitelist":["127.0.0.1"]}',
		);
		expect(put.json).toMatchObject({
			callbackAttempts: 5,
			payoutDelayMs: null,
			ipWhitelist: ['127.0.0.1'],
		});
		expect(sb.settings.callbackAttempts).toBe(5);
		for (const bad of [
			'{"bogus":1}',
			'{"amountUnit":"cents"}',
			'{"antiSpam":{"maxRequests":0,"windowMs":1}}',
			'{"callbackAttempts":0}',
		]) {
			const res = await control('PUT', '/settings', bad);
			expect([bad, res.status, res.json.code]).toEqual([bad, 400, 400]);
		}
		expect(sb.settings.amountUnit).toBe('major');
		expect(() => sb.updateSettings({ processingDelayMs: -1 })).toThrow(/processingDelayMs/);

		const id = verified(
			sb,
			await op(
				sb,
				'createPayment',
				payment(sb, { customer: { name: 'Ivan', email: 'i@example.com' } }),
			),
		).id as string;
		const listed = (await control('GET', '/payments')).json as unknown as Array<
			Record<string, unknown>
		>;
		expect(listed).toHaveLength(1);
		expect(listed[0]).toMatchObject({
			id,
			amountUnit: 'major',
			minorAmount: '150000',
			customer: { name: 'Ivan', email: 'i@example.com' },
		});
		expect((await control('GET', `/payments/${id}`)).json).toMatchObject({ id, state: 'created' });
		expect((await control('POST', `/payments/${id}/expire`)).json).toMatchObject({
			state: 'expired',
		});

		const log = (await control('GET', '/requests')).json as unknown as Array<
			Record<string, unknown>
		>;
		expect(log).toHaveLength(1);
		expect(log[0]).toMatchObject({ method: 'POST', path: '/api/v1/payments', status: 200 });
		expect(JSON.stringify(log)).not.toContain(sb.apiKey);
		await control('DELETE', '/requests');
		expect(sb.requests).toHaveLength(0);
		await http(sb.payUrl(id), 'GET');
		expect(sb.requests).toHaveLength(0);
	});
});
