import { createHmac, timingSafeEqual } from 'node:crypto';

import {
	type PaytechSandbox,
	type PaytechSandboxOptions,
	startPaytechSandbox,
} from '../../sandbox/paytech';
import { type Receiver, startReceiver } from './webhook-receiver';

interface ApiResult {
	status: number;
	headers: Headers;
	text: string;
	json: Record<string, unknown> & { result?: unknown };
}

const open: Array<{ close(): Promise<void> }> = [];

async function sandbox(options: PaytechSandboxOptions = {}): Promise<PaytechSandbox> {
	const started = await startPaytechSandbox({ port: 0, ...options });
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

async function call(
	sb: PaytechSandbox,
	method: string,
	path: string,
	body?: string | object,
	headers: Record<string, string> = {},
): Promise<ApiResult> {
	const response = await fetch(`${sb.url}${path}`, {
		method,
		headers: {
			Authorization: `Bearer ${sb.apiKey}`,
			'Content-Type': 'application/json',
			'User-Agent': 'payops-test/1.0',
			...headers,
		},
		body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
	});
	const text = await response.text();
	let json: ApiResult['json'] = {};
	try {
		json = JSON.parse(text) as ApiResult['json'];
	} catch {
		// malformed-fault tests read `text`
	}
	return { status: response.status, headers: response.headers, text, json };
}

type PaymentJson = Record<string, unknown> & { id: string; state: string };

async function createPayment(
	sb: PaytechSandbox,
	body: object,
	headers?: Record<string, string>,
): Promise<PaymentJson> {
	const res = await call(sb, 'POST', '/api/v1/payments', body, headers);
	expect(res.status).toBe(200);
	return res.json.result as PaymentJson;
}

function fieldsOf(res: ApiResult): string[] {
	return ((res.json.errors ?? []) as Array<{ field: string }>).map((error) => error.field);
}

const deposit = (extra: object = {}) => ({
	paymentType: 'DEPOSIT',
	amount: 25.5,
	currency: 'EUR',
	...extra,
});
const card = (cardNumber: string) => ({
	cardNumber,
	expiryMonth: '12',
	expiryYear: '2030',
	cardSecurityCode: '123',
});

describe('auth', () => {
	it('answers 401 in the documented shape without a valid bearer token', async () => {
		const sb = await sandbox();
		for (const headers of [{ Authorization: '' }, { Authorization: 'Bearer wrong' }]) {
			const res = await call(sb, 'GET', '/api/v1/payments', undefined, headers);
			expect(res.status).toBe(401);
			expect(res.json).toMatchObject({
				status: 401,
				error: 'Unauthorized',
				message: 'Invalid token',
				path: '/api/v1/payments',
			});
			expect(res.json.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/);
		}
		expect((await call(sb, 'GET', '/api/v1/payments')).status).toBe(200);
		expect(sb.requests.map((request) => request.status)).toEqual([401, 401, 200]);
		expect(sb.requests[2].headers['user-agent']).toBe('payops-test/1.0');
	});
});

describe('deposits', () => {
	it('goes CHECKOUT -> COMPLETED and sends one webhook signed with HMAC-SHA256 hex', async () => {
		const hook = await receiver();
		const sb = await sandbox({ webhookUrl: hook.url, signingKey: 'shop_signing_key' });
		const created = await createPayment(
			sb,
			deposit({ referenceId: 'order-1', returnUrl: 'https://shop.example/r' }),
		);
		expect(created.id).toMatch(/^[0-9a-f]{32}$/);
		expect(created.state).toBe('CHECKOUT');
		expect(created.redirectUrl).toBe(`${sb.url}/checkout/${created.id}`);
		expect(created.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
		expect(hook.received).toHaveLength(0);

		const completed = await sb.complete(created.id);
		expect(completed.state).toBe('COMPLETED');
		expect(hook.received).toHaveLength(1);
		const [webhook] = hook.received;
		expect(webhook.headers['content-type']).toBe('application/json');
		const expected = createHmac('sha256', 'shop_signing_key')
			.update(Buffer.from(webhook.body, 'utf8'))
			.digest();
		const signature = String(webhook.headers.signature);
		expect(signature).toMatch(/^[0-9a-f]{64}$/);
		expect(timingSafeEqual(Buffer.from(signature, 'hex'), expected)).toBe(true);

		const found = await call(sb, 'GET', `/api/v1/payments/${created.id}`);
		expect(JSON.parse(webhook.body)).toEqual(found.json.result);
		expect(found.json.result).toMatchObject({
			state: 'COMPLETED',
			referenceId: 'order-1',
			amount: 25.5,
		});
		expect(sb.webhooks).toEqual([
			expect.objectContaining({ paymentId: created.id, status: 200, attempt: 1, signature }),
		]);
		expect(sb.webhooks[0].body).toBe(webhook.body);

		const operations = await call(sb, 'GET', `/api/v1/payments/${created.id}/operations`);
		const names = (operations.json.result as Array<{ operation: string }>).map(
			(operation) => operation.operation,
		);
		expect(names).toEqual(['TRIGGER_WEBHOOK', 'DEPOSIT', 'CREATE_PAYMENT']);
	});

	it('applies the published test cards and never keeps the card number or CVV', async () => {
		const hook = await receiver();
		const sb = await sandbox({ webhookUrl: hook.url });
		const approved = await createPayment(sb, deposit({ card: card('4000 0000 0000 0408') }));
		expect(approved).toMatchObject({
			state: 'COMPLETED',
			paymentMethod: 'BASIC_CARD',
			paymentMethodDetails: {
				customerAccountNumber: '400000***0408',
				cardExpiryMonth: '12',
				cardExpiryYear: '2030',
			},
		});
		const declined = await createPayment(sb, deposit({ card: card('4000000000000416') }));
		expect(declined).toMatchObject({
			state: 'DECLINED',
			errorCode: '4.00',
			errorMessage: 'Declined by Issuer',
		});

		const threeDsOk = await createPayment(sb, deposit({ card: card('4000000000000002') }));
		const threeDsBad = await createPayment(sb, deposit({ card: card('4242 4242 4242 4242') }));
		expect([threeDsOk.state, threeDsBad.state]).toEqual(['CHECKOUT', 'CHECKOUT']);
		expect(threeDsOk.redirectUrl).toBe(`${sb.url}/checkout/${threeDsOk.id}`);
		expect((await sb.complete(threeDsOk.id)).state).toBe('COMPLETED');
		expect(await sb.complete(threeDsBad.id)).toMatchObject({
			state: 'DECLINED',
			errorCode: '5.00',
			errorMessage: 'Declined by 3DS',
		});

		await sb.webhooksSettled();
		expect(
			hook.received.map((webhook) => (JSON.parse(webhook.body) as PaymentJson).state).sort(),
		).toEqual(['COMPLETED', 'COMPLETED', 'DECLINED', 'DECLINED']);
		const stored = JSON.stringify([...sb.payments.values()]);
		const answered = (await call(sb, 'GET', '/api/v1/payments')).text;
		for (const text of [stored, answered, ...hook.received.map((webhook) => webhook.body)]) {
			expect(text).not.toMatch(/4000000000000408|4242424242424242|"123"|cardSecurityCode/);
		}
	});

	it('authorizes pre-auth deposits, captures partially, and rejects illegal transitions', async () => {
		const sb = await sandbox();
		const authorized = await createPayment(
			sb,
			deposit({ amount: 100, preAuth: true, card: card('4000000000000408') }),
		);
		expect(authorized.state).toBe('AUTHORIZED');
		const tooMuch = await call(sb, 'POST', `/api/v1/payments/${authorized.id}/capture`, {
			amount: 100.01,
		});
		expect(tooMuch.status).toBe(400);
		expect(fieldsOf(tooMuch)).toEqual(['amount']);
		const captured = await call(
			sb,
			'POST',
			`/api/v1/payments/${authorized.id}/capture`,
			'{"amount":40.25}',
		);
		expect(captured.json.result).toMatchObject({ state: 'COMPLETED', amount: 40.25 });
		const again = await call(sb, 'POST', `/api/v1/payments/${authorized.id}/void`);
		expect(again.status).toBe(400);
		expect(again.json.message).toMatch(/^Illegal Workflow State/);

		const zero = await createPayment(
			sb,
			deposit({ amount: 0, preAuth: true, card: card('4000000000000408') }),
		);
		expect(zero.state).toBe('AUTHORIZED');
		const voided = await call(sb, 'POST', `/api/v1/payments/${zero.id}/void`);
		expect(voided.json.result).toMatchObject({ state: 'CANCELLED' });
	});

	it('declines deposits of 10,000,000 or more on completion and executes a deposit by PATCH', async () => {
		const sb = await sandbox();
		const big = await createPayment(sb, deposit({ amount: 10000000 }));
		expect(await sb.complete(big.id)).toMatchObject({ state: 'DECLINED', errorCode: '1.08' });
		const small = await createPayment(sb, deposit({ amount: 9999999.99 }));
		expect(await sb.complete(small.id)).toMatchObject({ state: 'COMPLETED' });

		const executable = await createPayment(sb, deposit());
		const missingIp = await call(sb, 'PATCH', `/api/v1/payments/${executable.id}`, {});
		expect(fieldsOf(missingIp)).toEqual(['customerIp']);
		const executed = await call(sb, 'PATCH', `/api/v1/payments/${executable.id}`, {
			customerIp: '152.13.130.125',
		});
		expect(executed.json.result).toMatchObject({ state: 'COMPLETED' });
		const twice = await call(sb, 'PATCH', `/api/v1/payments/${executable.id}`, {
			customerIp: '152.13.130.125',
		});
		expect(twice.status).toBe(400);
	});
});

describe('withdrawals', () => {
	it('waits for approval, then settles; reject cancels with 8.00 and the reason', async () => {
		const hook = await receiver();
		const sb = await sandbox({ withdrawalApproval: true, webhookUrl: hook.url });
		const withdrawal = { paymentType: 'WITHDRAWAL', amount: 500, currency: 'EUR' };
		const first = await createPayment(sb, withdrawal);
		expect(first.state).toBe('AWAITING_APPROVAL');
		const approved = await call(sb, 'POST', `/api/v1/payments/${first.id}/approve`);
		expect(approved.json.result).toMatchObject({ state: 'PENDING' });
		expect((await sb.complete(first.id)).state).toBe('COMPLETED');
		expect((await call(sb, 'POST', `/api/v1/payments/${first.id}/approve`)).status).toBe(400);

		const second = await createPayment(sb, withdrawal);
		const rejected = await call(sb, 'POST', `/api/v1/payments/${second.id}/reject`, {
			rejectReason: 'Suspicious activity',
		});
		expect(rejected.json.result).toMatchObject({
			state: 'CANCELLED',
			errorCode: '8.00',
			errorMessage: 'Rejected by merchant',
			externalResultCode: 'Suspicious activity',
		});
		expect((await call(sb, 'POST', `/api/v1/payments/${second.id}/reject`)).status).toBe(400);
		await sb.webhooksSettled();
		expect(hook.received.map((webhook) => (JSON.parse(webhook.body) as PaymentJson).state)).toEqual(
			['COMPLETED', 'CANCELLED'],
		);

		const depositPayment = await createPayment(sb, deposit());
		expect((await call(sb, 'POST', `/api/v1/payments/${depositPayment.id}/approve`)).status).toBe(
			400,
		);
	});

	it('starts PENDING without the approval setting and declines above 10,000', async () => {
		const sb = await sandbox();
		const large = await createPayment(sb, {
			paymentType: 'WITHDRAWAL',
			amount: 10000.01,
			currency: 'EUR',
		});
		expect(large.state).toBe('PENDING');
		expect(await sb.complete(large.id)).toMatchObject({ state: 'DECLINED', errorCode: '1.08' });
		sb.settings.withdrawalApproval = true;
		expect(
			(await createPayment(sb, { paymentType: 'WITHDRAWAL', amount: 1, currency: 'EUR' })).state,
		).toBe('AWAITING_APPROVAL');
	});
});

describe('refunds', () => {
	it('needs a completed deposit in the same currency and never refunds more than it', async () => {
		const sb = await sandbox();
		const refund = (extra: object) =>
			call(sb, 'POST', '/api/v1/payments', { paymentType: 'REFUND', currency: 'EUR', ...extra });
		expect(fieldsOf(await refund({ amount: 1 }))).toEqual(['parentPaymentId']);
		expect(fieldsOf(await refund({ amount: 1, parentPaymentId: 'f'.repeat(32) }))).toEqual([
			'parentPaymentId',
		]);

		const open = await createPayment(sb, deposit({ amount: 100 }));
		expect(fieldsOf(await refund({ amount: 1, parentPaymentId: open.id }))).toEqual([
			'parentPaymentId',
		]);
		await sb.complete(open.id);
		expect(
			fieldsOf(await refund({ amount: 1, parentPaymentId: open.id, currency: 'USD' })),
		).toEqual(['currency']);
		expect(fieldsOf(await refund({ amount: 100.01, parentPaymentId: open.id }))).toEqual([
			'amount',
		]);

		const first = await refund({ amount: 60.1, parentPaymentId: open.id });
		expect(first.json.result).toMatchObject({
			state: 'PENDING',
			parentPaymentId: open.id,
			amount: 60.1,
		});
		expect(fieldsOf(await refund({ amount: 40, parentPaymentId: open.id }))).toEqual(['amount']);
		const rest = await refund({ amount: 39.9, parentPaymentId: open.id });
		expect(rest.status).toBe(200);
		const firstId = (first.json.result as PaymentJson).id;
		expect((await sb.complete(firstId)).state).toBe('COMPLETED');

		const balances = await call(sb, 'GET', '/api/v1/balances');
		expect(balances.text).toContain(
			'"accountType":"PROCESSING","name":"Processing Balance(EUR) of shop \\"sandbox-shop\\" terminal \\"sandbox\\"","currency":"EUR","amount":39.9}',
		);
		const available = await call(sb, 'GET', '/api/v1/available-withdrawal-balances');
		// 39.9 settled minus the 39.9 refund still pending: nothing to withdraw.
		expect(available.json.result).toEqual([]);
	});
});

describe('payment list', () => {
	it('pages 2,500 payments with limit 1000: every id once, newest first, hasMore right', async () => {
		const now = new Date('2030-06-01T12:00:00.000Z');
		const sb = await sandbox({ now: () => now });
		const seeded = sb.seedPayments(2500, {
			createdFrom: new Date('2030-05-31T12:00:00Z'),
			createdTo: now,
		});
		expect(new Set(seeded.map((payment) => payment.referenceId)).size).toBe(2500);
		const seen: string[] = [];
		const hasMore: unknown[] = [];
		let previous = '9999';
		for (let offset = 0; offset < 3000; offset += 1000) {
			const page = await call(
				sb,
				'GET',
				`/api/v1/payments?limit=1000&offset=${offset}&created.gte=2030-05-31T12:00:00`,
			);
			expect(page.status).toBe(200);
			hasMore.push(page.json.hasMore);
			for (const payment of page.json.result as Array<{ id: string; created: string }>) {
				expect(payment.created <= previous).toBe(true);
				previous = payment.created;
				seen.push(payment.id);
			}
		}
		expect(hasMore).toEqual([true, true, false]);
		expect(seen).toHaveLength(2500);
		expect(new Set(seen)).toEqual(new Set(seeded.map((payment) => payment.id)));
	});

	it('defaults created.gte to now-24h and filters by referenceId.eq', async () => {
		const now = new Date('2030-06-01T12:00:00.000Z');
		const sb = await sandbox({ now: () => now });
		const [old] = sb.seedPayments(1, {
			createdFrom: new Date('2030-05-30T00:00:00Z'),
			createdTo: new Date('2030-05-30T01:00:00Z'),
		});
		const [recent] = sb.seedPayments(1, { referenceId: 'recent-1' });
		const ids = async (query: string) =>
			((await call(sb, 'GET', `/api/v1/payments${query}`)).json.result as PaymentJson[]).map(
				(payment) => payment.id,
			);
		expect(await ids('')).toEqual([recent.id]);
		expect(await ids('?created.gte=2030-05-29T00:00:00')).toEqual([recent.id, old.id]);
		expect(await ids('?created.gte=2030-05-29T00:00:00&created.lt=2030-05-31T00:00:00')).toEqual([
			old.id,
		]);
		expect(await ids('?referenceId.eq=recent-1')).toEqual([recent.id]);
	});

	it('rejects out-of-range paging and badly formatted dates', async () => {
		const sb = await sandbox();
		for (const [query, field] of [
			['limit=0', 'limit'],
			['limit=1001', 'limit'],
			['limit=1.5', 'limit'],
			['offset=-1', 'offset'],
			['offset=1000001', 'offset'],
			['created.gte=2030-05-29', 'created.gte'],
			['updated.lt=2030-05-29T00:00:00Z', 'updated.lt'],
		]) {
			const res = await call(sb, 'GET', `/api/v1/payments?${query}`);
			expect([query, res.status, fieldsOf(res)]).toEqual([query, 400, [field]]);
		}
	});
});

describe('faults', () => {
	it('answers injected statuses with a pay.tech error body, Retry-After for 429, then recovers', async () => {
		const sb = await sandbox();
		sb.injectFault({
			method: 'GET',
			path: '/api/v1/payments',
			fault: 'status',
			status: 503,
			times: 2,
		});
		expect((await call(sb, 'POST', '/api/v1/payments', deposit())).status).toBe(200);
		const first = await call(sb, 'GET', '/api/v1/payments');
		expect(first.status).toBe(503);
		expect(first.json).toMatchObject({
			status: 503,
			error: 'Service Unavailable',
			path: '/api/v1/payments',
		});
		expect(first.headers.get('retry-after')).toBeNull();
		expect((await call(sb, 'GET', '/api/v1/payments')).status).toBe(503);
		expect((await call(sb, 'GET', '/api/v1/payments')).status).toBe(200);

		const limited = await call(sb, 'GET', '/api/v1/payments', undefined, {
			'X-Sandbox-Fault': 'status=429;retry-after=2',
		});
		expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '2']);
		sb.injectFault({ path: '/api/v1/*', fault: 'status', status: 429 });
		const ruled = await call(sb, 'GET', '/api/v1/balances');
		expect([ruled.status, ruled.headers.get('retry-after')]).toEqual([429, '1']);
		expect(sb.requests.filter((request) => request.fault === 'status')).toHaveLength(4);
	});

	it('delays, drops, and answers malformed JSON', async () => {
		const sb = await sandbox();
		const started = Date.now();
		expect(
			(await call(sb, 'GET', '/api/v1/payments', undefined, { 'X-Sandbox-Fault': 'delay=200' }))
				.status,
		).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(190);

		await expect(
			call(sb, 'POST', '/api/v1/payments', deposit(), { 'X-Sandbox-Fault': 'drop' }),
		).rejects.toThrow();
		expect(sb.payments.size).toBe(0);

		const malformed = await call(sb, 'GET', '/api/v1/payments', undefined, {
			'X-Sandbox-Fault': 'malformed',
		});
		expect(malformed.status).toBe(200);
		expect(malformed.text).toMatch(/^\{"timestamp": ".*", "result": \{$/);
		expect(() => JSON.parse(malformed.text) as unknown).toThrow();

		const bad = await call(sb, 'GET', '/api/v1/payments', undefined, {
			'X-Sandbox-Fault': 'explode',
		});
		expect(bad.status).toBe(400);
	});

	it('drop-after-commit creates the payment while the client sees a socket error', async () => {
		const sb = await sandbox();
		sb.injectFault({ method: 'POST', path: '/api/v1/payments', fault: 'drop-after-commit' });
		await expect(
			call(sb, 'POST', '/api/v1/payments', deposit({ referenceId: 'lost-response' })),
		).rejects.toThrow();
		expect(sb.payments.size).toBe(1);
		expect(sb.requests[0].fault).toBe('drop-after-commit');
		expect(sb.requests[0].status).toBeUndefined();
		const lookup = await call(sb, 'GET', '/api/v1/payments?referenceId.eq=lost-response');
		expect((lookup.json.result as PaymentJson[]).map((payment) => payment.id)).toEqual([
			...sb.payments.keys(),
		]);
		// The rule was spent: the next create goes through.
		expect((await call(sb, 'POST', '/api/v1/payments', deposit())).status).toBe(200);
	});
});

describe('validation', () => {
	it('names every bad field', async () => {
		const sb = await sandbox();
		const res = await call(sb, 'POST', '/api/v1/payments', {
			amount: 'ten',
			referenceId: 'r'.repeat(257),
			description: 'd'.repeat(513),
			returnUrl: 'u'.repeat(513),
			card: { cardNumber: '4000', expiryMonth: '13', expiryYear: '30' },
			billingAddress: { countryCode: 'gb' },
			paymentMethod: 'NOT_A_METHOD',
		});
		expect(res.status).toBe(400);
		expect(res.json).toMatchObject({ status: 400, error: 'Bad Request', path: '/api/v1/payments' });
		expect(fieldsOf(res).sort()).toEqual(
			[
				'amount',
				'billingAddress.countryCode',
				'card.cardNumber',
				'card.expiryMonth',
				'card.expiryYear',
				'currency',
				'description',
				'paymentMethod',
				'paymentType',
				'referenceId',
				'returnUrl',
			].sort(),
		);
		const first = (res.json.errors as Array<Record<string, unknown>>)[0];
		expect(first).toMatchObject({
			objectName: 'paymentRequest',
			defaultMessage: expect.any(String),
			codes: expect.any(Array),
		});
		expect(res.text).not.toContain('4000"');

		expect(fieldsOf(await call(sb, 'POST', '/api/v1/payments', deposit({ amount: 0 })))).toEqual([
			'amount',
		]);
		expect(
			fieldsOf(await call(sb, 'POST', '/api/v1/payments', deposit({ amount: 1000000000.01 }))),
		).toEqual(['amount']);
		expect((await call(sb, 'POST', '/api/v1/payments', '{"paymentType":')).status).toBe(400);
		expect((await call(sb, 'POST', '/api/v1/payments')).status).toBe(400);
	});

	it('checks ids and answers 404 for unknown payments and paths', async () => {
		const sb = await sandbox();
		expect((await call(sb, 'GET', '/api/v1/payments/short')).status).toBe(400);
		const missing = await call(sb, 'GET', `/api/v1/payments/${'a'.repeat(32)}`);
		expect(missing.json).toMatchObject({
			status: 404,
			error: 'Not Found',
			message: 'Payment not found',
		});
		expect((await call(sb, 'GET', '/api/v1/nothing-here')).status).toBe(404);
		expect((await call(sb, 'DELETE', '/api/v1/payments')).status).toBe(405);
	});
});

describe('exact amounts', () => {
	it('returns the digits the client sent, in API answers and webhooks', async () => {
		const hook = await receiver();
		const sb = await sandbox({ webhookUrl: hook.url });
		const eur = await call(
			sb,
			'POST',
			'/api/v1/payments',
			'{"paymentType":"DEPOSIT","amount":10.10,"currency":"EUR"}',
		);
		expect(eur.text).toContain('"amount":10.10,');
		const eurId = (eur.json.result as PaymentJson).id;
		expect(sb.payments.get(eurId)?.amount).toBe('10.10');

		const btcBody = '{"paymentType":"DEPOSIT","amount":1.000000000000000001,"currency":"BTC"}';
		const btc = await call(sb, 'POST', '/api/v1/payments', btcBody);
		expect(btc.text).toContain('"amount":1.000000000000000001,');
		const btcId = (btc.json.result as PaymentJson).id;
		expect((await call(sb, 'GET', `/api/v1/payments/${btcId}`)).text).toContain(
			'"amount":1.000000000000000001,',
		);
		await sb.complete(btcId);
		expect(hook.received[0].body).toContain('"amount":1.000000000000000001,');

		// 18 decimals is the published precision, but 1e-18 is below the 0.00001 minimum.
		const tiny = await call(
			sb,
			'POST',
			'/api/v1/payments',
			'{"paymentType":"DEPOSIT","amount":0.000000000000000001,"currency":"BTC"}',
		);
		expect(fieldsOf(tiny)).toEqual(['amount']);
		const tooPrecise = await call(
			sb,
			'POST',
			'/api/v1/payments',
			'{"paymentType":"DEPOSIT","amount":1.0000000000000000001,"currency":"BTC"}',
		);
		expect(fieldsOf(tooPrecise)).toEqual(['amount']);
		const exponent = await call(
			sb,
			'POST',
			'/api/v1/payments',
			'{"paymentType":"DEPOSIT","amount":1.5e2,"currency":"EUR"}',
		);
		expect(exponent.text).toContain('"amount":150,');
	});
});

describe('webhooks', () => {
	it('retries on failure and redelivers identical bytes', async () => {
		const hook = await receiver([500, 503]);
		const sb = await sandbox();
		const created = await createPayment(sb, deposit({ webhookUrl: hook.url }));
		await sb.complete(created.id);
		expect(sb.webhooks.map((delivery) => [delivery.attempt, delivery.status])).toEqual([
			[1, 500],
			[2, 503],
			[3, 200],
		]);
		const again = await sb.sendWebhook(created.id, 2);
		expect(again).toHaveLength(2);
		const bodies = new Set(hook.received.map((webhook) => webhook.body));
		expect(bodies.size).toBe(1);
		expect(hook.received).toHaveLength(5);

		const unreachable = await sandbox({
			webhookUrl: 'http://127.0.0.1:9/closed',
			webhookAttempts: 2,
		});
		const lost = await createPayment(unreachable, deposit());
		await unreachable.complete(lost.id);
		expect(
			unreachable.webhooks.map((delivery) => [delivery.attempt, typeof delivery.error]),
		).toEqual([
			[1, 'string'],
			[2, 'string'],
		]);
	});

	it('sends nothing without a webhook URL', async () => {
		const sb = await sandbox();
		const created = await createPayment(sb, deposit());
		await sb.complete(created.id);
		expect(await sb.sendWebhook(created.id)).toEqual([]);
		expect(sb.webhooks).toEqual([]);
	});
});

describe('subscriptions', () => {
	it('creates an ACTIVE subscription that can only be cancelled', async () => {
		const sb = await sandbox();
		const created = await createPayment(
			sb,
			deposit({
				startRecurring: true,
				subscription: { frequency: 1, frequencyUnit: 'MONTH', amount: 9.99 },
			}),
		);
		await sb.complete(created.id);
		const payment = (await call(sb, 'GET', `/api/v1/payments/${created.id}`)).json
			.result as PaymentJson;
		expect(payment.recurringToken).toEqual(expect.any(String));
		const path = `/api/v1/subscriptions/${String(payment.subscriptionId)}`;
		expect((await call(sb, 'GET', path)).json.result).toMatchObject({
			state: 'ACTIVE',
			amount: 9.99,
			frequencyUnit: 'MONTH',
		});
		expect((await call(sb, 'PATCH', path, { state: 'ACTIVE' })).status).toBe(400);
		expect((await call(sb, 'PATCH', path, { state: 'CANCELLED' })).json.result).toMatchObject({
			state: 'CANCELLED',
		});
		const withoutRecurring = await call(
			sb,
			'POST',
			'/api/v1/payments',
			deposit({ subscription: { frequency: 1 } }),
		);
		expect(fieldsOf(withoutRecurring)).toEqual(['subscription']);
	});
});

describe('control endpoints and checkout page', () => {
	it('drives the sandbox over HTTP', async () => {
		const hook = await receiver();
		const sb = await sandbox();
		const control = (method: string, path: string, body?: object) =>
			call(sb, method, `/__sandbox${path}`, body, { Authorization: '' });
		expect(
			(await control('PUT', '/settings', { withdrawalApproval: true, webhookUrl: hook.url })).json,
		).toEqual({
			withdrawalApproval: true,
			webhookUrl: hook.url,
		});
		const seeded = await control('POST', '/seed', {
			count: 3,
			paymentType: 'WITHDRAWAL',
			state: 'DECLINED',
			currency: 'USD',
		});
		expect(seeded.json.count).toBe(3);
		expect(
			[...sb.payments.values()].every(
				(payment) => payment.state === 'DECLINED' && payment.currency === 'USD',
			),
		).toBe(true);

		const created = await createPayment(sb, deposit());
		const declined = await control('POST', `/payments/${created.id}/decline`, {
			errorCode: '4.01',
		});
		expect(declined.json).toMatchObject({
			state: 'DECLINED',
			errorCode: '4.01',
			errorMessage: 'Insufficient Funds',
		});
		expect((await control('POST', `/payments/${created.id}/complete`)).status).toBe(400);
		expect(
			(
				(await control('POST', `/payments/${created.id}/webhook`, { times: 2 }))
					.json as unknown as unknown[]
			).length,
		).toBe(2);
		expect(((await control('GET', '/webhooks')).json as unknown as unknown[]).length).toBe(3);

		expect(
			(await control('POST', '/faults', { path: '/api/v1/balances', fault: 'status', status: 500 }))
				.status,
		).toBe(200);
		expect(
			(await control('POST', '/faults', { path: '/api/v1/balances', fault: 'nope' })).status,
		).toBe(400);
		expect((await call(sb, 'GET', '/api/v1/balances')).status).toBe(500);
		await control('POST', '/faults', { path: '/api/v1/balances', fault: 'status', status: 500 });
		await control('DELETE', '/faults');
		expect((await call(sb, 'GET', '/api/v1/balances')).status).toBe(200);
		expect(sb.requests.some((request) => request.path.startsWith('/__sandbox'))).toBe(false);
	});

	it('lets a human pay on the hosted checkout and returns to returnUrl', async () => {
		const sb = await sandbox();
		const created = await createPayment(
			sb,
			deposit({ referenceId: 'web-1', returnUrl: 'https://shop.example/return/{id}/{state}' }),
		);
		const page = await fetch(String(created.redirectUrl));
		expect(page.status).toBe(200);
		expect(await page.text()).toContain(`action="/checkout/${created.id}/pay"`);
		const paid = await fetch(`${sb.url}/checkout/${created.id}/pay`, {
			method: 'POST',
			redirect: 'manual',
		});
		expect(paid.status).toBe(303);
		expect(paid.headers.get('location')).toBe(
			`https://shop.example/return/${created.id}/COMPLETED`,
		);
		expect(sb.payments.get(created.id)?.state).toBe('COMPLETED');
	});
});
