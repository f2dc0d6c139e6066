import { createHash } from 'node:crypto';

import { endpointPath } from '../../nodes/common/endpoints';
import { NUMIPAY_ASSUMED_ENDPOINTS } from '../../nodes/Numipay/endpoints';
import {
	type NumipayOperation,
	type NumipaySandbox,
	type NumipaySandboxOptions,
	signNumipayPayload,
	startNumipaySandbox,
	TEST_CARDS,
} from '../../sandbox/numipay';
import { type ReceivedWebhook, type Receiver, startReceiver } from './webhook-receiver';

interface ApiResult {
	status: number;
	headers: Headers;
	text: string;
	json: Record<string, unknown>;
}

const open: Array<{ close(): Promise<void> }> = [];

async function sandbox(options: NumipaySandboxOptions = {}): Promise<NumipaySandbox> {
	const started = await startNumipaySandbox({ port: 0, ...options });
	open.push(started);
	return started;
}

async function receiver(statuses?: number[]): Promise<Receiver> {
	const started = await startReceiver(statuses);
	open.push(started);
	return started;
}

/** A sandbox whose webhooks go to a fresh receiver. */
async function withReceiver(
	options: NumipaySandboxOptions = {},
	statuses?: number[],
): Promise<{ sb: NumipaySandbox; hook: Receiver }> {
	const hook = await receiver(statuses);
	const sb = await sandbox({ webhookUrl: hook.url, ...options });
	return { sb, hook };
}

afterEach(async () => {
	await Promise.all(open.splice(0).map((item) => item.close()));
});

async function http(
	url: string,
	method: string,
	body?: string | object,
	headers: Record<string, string> = {},
): Promise<ApiResult> {
	const response = await fetch(url, {
		method,
		headers: { 'Content-Type': 'application/json', ...headers },
		body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
	});
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
	/** 'dev' (default), 'live', a literal key, or null for no key. */
	key?: 'dev' | 'live' | string | null;
	params?: Record<string, string>;
	query?: string;
	headers?: Record<string, string>;
}

/** Calls an operation at the endpoint the sandbox serves for it. */
async function op(
	sb: NumipaySandbox,
	operation: NumipayOperation,
	body?: string | object,
	options: CallOptions = {},
): Promise<ApiResult> {
	const endpoint = sb.endpoints[operation];
	const key =
		options.key === undefined || options.key === 'dev'
			? sb.devApiKey
			: options.key === 'live'
				? sb.apiKey
				: options.key;
	const headers: Record<string, string> = { ...options.headers };
	if (key !== null) headers['X-Api-Key'] = key;
	const path = endpointPath(endpoint, options.params);
	return http(
		`${sb.url}${path}${options.query ? `?${options.query}` : ''}`,
		endpoint.method,
		body,
		headers,
	);
}

let trackingCounter = 0;
const nextTracking = () => `trk-${++trackingCounter}-${Date.now()}`;

/** Published example fields; `mode: "test"` unless live. */
function paymentRequest(extra: Record<string, unknown> = {}, live = false): object {
	return {
		request: {
			...(live ? {} : { mode: 'test' }),
			settings: {},
			user_id: '128',
			tracking_id: nextTracking(),
			ip: '127.34.125.54',
			amount: 10.05,
			currency: 'EUR',
			customer: { first_name: 'John', last_name: 'Doe', email: 'user@example.com' },
			...extra,
		},
	};
}

/** Raw JSON text, so amounts keep the digits written here. */
function rawRequest(fields: string): string {
	return `{"request":{"mode":"test","user_id":"128","tracking_id":"${nextTracking()}",${fields}}}`;
}

const cardDetails = (cardNumber: string) => ({
	holder_name: 'John Doe',
	card_number: cardNumber,
	cvc: '444',
	exp_month: '05',
	exp_year: '2031',
});

function formAction(page: string, label: string): string {
	const match = new RegExp(
		`<form method="post" action="([^"]+)"><button type="submit">${label}</button></form>`,
	).exec(page);
	if (!match) throw new Error(`No ${label} button in page:\n${page}`);
	return match[1];
}

/** Opens a page and submits its `label` form like a browser (following the redirect). */
async function clickButton(sb: NumipaySandbox, pageUrl: string, label: string): Promise<ApiResult> {
	const page = await http(pageUrl, 'GET');
	expect(page.status).toBe(200);
	return http(`${sb.url}${formAction(page.text, label)}`, 'POST', '', {
		'Content-Type': 'application/x-www-form-urlencoded',
	});
}

const sha1Upper = (text: string) => createHash('sha1').update(text).digest('hex').toUpperCase();

function verifyWebhook(sb: NumipaySandbox, webhook: ReceivedWebhook): Record<string, string> {
	expect(webhook.headers['x-signature']).toBe(sha1Upper(webhook.body + sb.signaturePassword));
	return JSON.parse(webhook.body) as Record<string, string>;
}

async function cashierToken(sb: NumipaySandbox, extra: Record<string, unknown> = {}) {
	const res = await op(sb, 'createCashierSession', paymentRequest(extra));
	expect(res.status).toBe(200);
	return res.json.token as string;
}

describe('auth and mode', () => {
	it('answers 401 without a key or with an unknown key', async () => {
		const sb = await sandbox();
		for (const key of [null, 'wrong']) {
			const res = await op(sb, 'getTransactions', undefined, { key });
			expect(res.status).toBe(401);
			expect(res.json).toEqual({ message: 'Unauthorized' });
		}
		expect(sb.requests.map((request) => request.status)).toEqual([401, 401]);
	});

	it('needs the DEV key with mode "test" and the live key without it', async () => {
		const sb = await sandbox();
		const devLive = await op(sb, 'createCashierSession', paymentRequest({}, true));
		expect(devLive.status).toBe(400);
		expect(devLive.json.message).toMatch(/DEV API key.*test mode/);
		const liveTest = await op(sb, 'createCashierSession', paymentRequest(), { key: 'live' });
		expect(liveTest.status).toBe(400);
		expect(liveTest.json.message).toMatch(/"test" needs a DEV API key/);
		expect((await op(sb, 'createCashierSession', paymentRequest())).json.token).toMatch(
			/^[A-Za-z0-9]{50}$/,
		);
		const live = await op(sb, 'createCashierSession', paymentRequest({}, true), { key: 'live' });
		expect(live.status).toBe(200);
		expect(sb.sessions.size).toBe(2);
	});
});

describe('validation', () => {
	it('names every missing field', async () => {
		const sb = await sandbox();
		const res = await op(sb, 'createCashierSession', { request: { mode: 'test' } });
		expect(res.status).toBe(400);
		expect(Object.keys(res.json.errors as object).sort()).toEqual([
			'request.amount',
			'request.currency',
			'request.tracking_id',
			'request.user_id',
		]);
		expect(res.json.message).toMatch(/request\.user_id.*and 3 more errors/);
		const wrapped = await op(sb, 'createCashierSession', { amount: 1 });
		expect([wrapped.status, Object.keys(wrapped.json.errors as object)]).toEqual([
			400,
			['request'],
		]);
		expect((await op(sb, 'createCashierSession', '{"request":')).status).toBe(400);
	});

	it('checks amounts against the currency minor units', async () => {
		const sb = await sandbox();
		const cases: Array<[string, number, string?]> = [
			['"amount":10.055,"currency":"EUR"', 400, 'at most 2 decimals for EUR'],
			['"amount":10.5,"currency":"JPY"', 400, 'at most 0 decimals for JPY'],
			['"amount":"10.05","currency":"EUR"', 400, 'must be a number'],
			['"amount":0,"currency":"EUR"', 400, 'greater than 0'],
			['"amount":-5,"currency":"EUR"', 400, 'greater than 0'],
			['"amount":1.5,"currency":"eur"', 400, 'ISO 4217'],
			['"amount":1.5,"currency":"XXX"', 400, 'not supported'],
			['"amount":1.234,"currency":"KWD"', 200],
			['"amount":1500,"currency":"JPY"', 200],
			['"amount":10.050,"currency":"EUR"', 200],
		];
		for (const [fields, status, message] of cases) {
			const res = await op(sb, 'createCashierSession', rawRequest(fields));
			expect([fields, res.status]).toEqual([fields, status]);
			if (message) expect(res.json.message).toContain(message);
		}
	});

	it('refuses a second request with the same tracking_id (409)', async () => {
		const sb = await sandbox();
		const body = paymentRequest();
		expect((await op(sb, 'createCashierSession', body)).status).toBe(200);
		const again = await op(sb, 'createCashierSession', body);
		expect(again.status).toBe(409);
		expect(again.json.message).toMatch(/Duplicate tracking_id/);
		expect((await op(sb, 'createWithdrawalSession', body)).status).toBe(409);
	});
});

describe('published webhook signature', () => {
	it('reproduces the published vector', () => {
		const payload =
			'{"transaction_id":"r21nmrtpcmrcava","user_id":"1111222","tracking_id":"b8f04416-116a-11ed-861d-0242ac120002","status":"rejected","currency":"GBP","amount":"200.00","transaction_type":"withdrawal"}';
		const password = 'spg_test_companyxxxxQyGAheyMqcHVmp8ZMQtkYcev27sCu7RF';
		expect(signNumipayPayload(payload, password)).toBe('5FDDA8F46411C132DCFBEE53C39BA06298CB48BC');
		expect(sha1Upper(payload + password)).toBe('5FDDA8F46411C132DCFBEE53C39BA06298CB48BC');
	});
});

describe('hosted cashier', () => {
	it('Pay through the page form makes a successful deposit and a signed webhook', async () => {
		const { sb, hook } = await withReceiver();
		const trackingId = nextTracking();
		const token = await cashierToken(sb, { tracking_id: trackingId });
		expect(sb.transactions.size).toBe(0);
		expect((await op(sb, 'getTransaction', undefined, { params: { id: trackingId } })).status).toBe(
			404,
		);
		const page = await http(sb.cashierUrlTemplate.replace('{token}', token), 'GET');
		expect(page.text).toContain('10.05 EUR');
		const done = await clickButton(sb, sb.cashierUrl(token), 'Pay');
		expect(done.status).toBe(200);
		expect(done.text).toMatch(/already been used: transaction \w+ is successful/);
		await sb.webhooksSettled();
		expect(hook.received).toHaveLength(1);
		expect(hook.received[0].body).toBe(
			`{"transaction_id":"${sb.transaction(trackingId)?.transactionId}","user_id":"128","tracking_id":"${trackingId}","status":"successful","currency":"EUR","amount":"10.05","transaction_type":"deposit"}`,
		);
		const payload = verifyWebhook(sb, hook.received[0]);
		for (const id of [trackingId, payload.transaction_id]) {
			const got = await op(sb, 'getTransaction', undefined, { params: { id } });
			expect(got.json).toEqual({ transaction_status: 'successful', rejected_reason: null });
		}
		const reused = await http(`${sb.url}/cashier/${token}/pay`, 'POST', '');
		expect(reused.status).toBe(409);
		expect(reused.text).toContain('already been used');
	});

	it('Reject through the page form makes a rejected deposit with a reason and a webhook', async () => {
		const { sb, hook } = await withReceiver();
		const trackingId = nextTracking();
		const token = await cashierToken(sb, { tracking_id: trackingId, amount: 200 });
		await clickButton(sb, sb.cashierUrl(token), 'Reject');
		await sb.webhooksSettled();
		const payload = verifyWebhook(sb, hook.received[0]);
		expect(payload).toMatchObject({
			status: 'rejected',
			amount: '200.00',
			tracking_id: trackingId,
		});
		const got = await op(sb, 'getTransaction', undefined, { params: { id: trackingId } });
		expect(got.json).toEqual({
			transaction_status: 'rejected',
			rejected_reason: 'Rejected by customer',
		});
		expect((await http(`${sb.url}/cashier/nope`, 'GET')).status).toBe(404);
	});

	it('keeps the exact amount digits in the list and formats the webhook amount', async () => {
		const { sb, hook } = await withReceiver();
		const create = await op(
			sb,
			'createCashierSession',
			rawRequest('"amount":10.10,"currency":"EUR"'),
		);
		sb.complete(create.json.token as string);
		const kwd = await op(sb, 'createCashierSession', rawRequest('"amount":7.5,"currency":"KWD"'));
		sb.complete(kwd.json.token as string);
		await sb.webhooksSettled();
		const list = await op(sb, 'getTransactions');
		expect(list.text).toContain('"amount":10.10,"currency":"EUR","user_amount":10.10');
		expect(list.text).toContain('"amount":7.5,"currency":"KWD"');
		expect(hook.received.map((webhook) => JSON.parse(webhook.body).amount)).toEqual([
			'10.10',
			'7.500',
		]);
	});

	it('sends pretty JSON signed over the compact JSON when asked', async () => {
		const { sb, hook } = await withReceiver({ webhookFormat: 'pretty' });
		sb.complete(await cashierToken(sb));
		await sb.webhooksSettled();
		const { body, headers } = hook.received[0];
		expect(body).toContain('\n  "transaction_id": ');
		const compact = JSON.stringify(JSON.parse(body));
		expect(headers['x-signature']).toBe(sha1Upper(compact + sb.signaturePassword));
		expect(headers['x-signature']).not.toBe(sha1Upper(body + sb.signaturePassword));
	});
});

describe('direct integration', () => {
	it('needs a known provider_id and answers a provider page url', async () => {
		const { sb, hook } = await withReceiver();
		const missing = await op(sb, 'createDirectDeposit', paymentRequest());
		expect(missing.status).toBe(400);
		expect(missing.json.errors).toHaveProperty(['request.provider_id']);
		const unknown = await op(sb, 'createDirectDeposit', paymentRequest({ provider_id: 999 }));
		expect(unknown.json.message).toMatch(/provider_id is invalid; this sandbox has 210/);
		const res = await op(sb, 'createDirectDeposit', paymentRequest({ provider_id: 210 }));
		expect(res.status).toBe(200);
		expect(res.json.url).toMatch(new RegExp(`^${sb.url}/provider/[A-Za-z0-9]{50}$`));
		await clickButton(sb, res.json.url as string, 'Pay');
		await sb.webhooksSettled();
		expect(verifyWebhook(sb, hook.received[0])).toMatchObject({ status: 'successful' });
		const byName = await op(
			sb,
			'createDirectDeposit',
			paymentRequest({ provider_id: 'numipay_simulator' }),
		);
		await clickButton(sb, byName.json.url as string, 'Reject');
		await sb.webhooksSettled();
		expect(verifyWebhook(sb, hook.received[1])).toMatchObject({ status: 'rejected' });
	});
});

describe('server-to-server card deposits', () => {
	it('approves, declines, asks for 3-D Secure, refuses a bad Luhn, and logs no card data', async () => {
		const { sb, hook } = await withReceiver();
		const card = (number: string, tracking = nextTracking()) =>
			op(
				sb,
				'createCardDeposit',
				paymentRequest({
					routing_id: 210,
					tracking_id: tracking,
					card_details: cardDetails(number),
				}),
			);

		const approved = await card(TEST_CARDS.approved);
		expect([approved.status, approved.json]).toEqual([
			200,
			{ url: '', transaction_status: 'successful' },
		]);

		const declined = await card(TEST_CARDS.declined);
		expect([declined.status, declined.json]).toEqual([
			200,
			{ url: '', transaction_status: 'rejected', error: 'Card declined by issuer' },
		]);

		const threeDsTracking = nextTracking();
		const threeDs = await card(TEST_CARDS.threeDSecure, threeDsTracking);
		expect(threeDs.json.transaction_status).toBe('pending');
		expect(threeDs.json.url).toMatch(new RegExp(`^${sb.url}/3ds/[A-Za-z0-9]{50}$`));
		expect(
			(await op(sb, 'getTransaction', undefined, { params: { id: threeDsTracking } })).json
				.transaction_status,
		).toBe('pending');
		await clickButton(sb, threeDs.json.url as string, 'Pay');
		expect(
			(await op(sb, 'getTransaction', undefined, { params: { id: threeDsTracking } })).json
				.transaction_status,
		).toBe('successful');

		const failing3ds = await card(TEST_CARDS.threeDSecure);
		await clickButton(sb, failing3ds.json.url as string, 'Reject');

		const luhn = await card('4111111111111112');
		expect(luhn.status).toBe(400);
		expect(luhn.json.errors).toHaveProperty(['request.card_details.card_number']);
		expect(luhn.text).not.toContain('4111111111111112');
		const noCard = await op(sb, 'createCardDeposit', paymentRequest({ routing_id: 210 }));
		expect(noCard.json.errors).toHaveProperty(['request.card_details']);

		await sb.webhooksSettled();
		expect(hook.received.map((webhook) => verifyWebhook(sb, webhook).status)).toEqual([
			'successful',
			'rejected',
			'successful',
			'rejected',
		]);
		const everything = JSON.stringify([sb.requests, sb.webhooks, hook.received]);
		for (const number of [...Object.values(TEST_CARDS), '4111111111111112'])
			expect(everything).not.toContain(number);
		expect(everything).not.toContain('"cvc":"444"');
		expect(sb.requests[0].body).toContain('"card_number":"411111******1111"');
		const controlLog = await http(`${sb.url}/__sandbox/requests`, 'GET');
		expect(controlLog.text).not.toContain(TEST_CARDS.approved);
	});
});

describe('withdrawals', () => {
	async function pendingWithdrawal(sb: NumipaySandbox, trackingId = nextTracking()) {
		const res = await op(
			sb,
			'createWithdrawalSession',
			paymentRequest({ tracking_id: trackingId, amount: 200 }),
		);
		expect(res.status).toBe(200);
		const page = await clickButton(sb, sb.cashierUrl(res.json.token as string), 'Confirm');
		expect(page.text).toContain('is pending');
		const transaction = sb.transaction(trackingId);
		if (!transaction) throw new Error('no withdrawal');
		return transaction;
	}

	it('confirm -> pending (webhook) -> approve -> successful (webhook)', async () => {
		const { sb, hook } = await withReceiver({ payoutDelayMs: 300 });
		const withdrawal = await pendingWithdrawal(sb);
		await sb.webhooksSettled();
		expect(verifyWebhook(sb, hook.received[0])).toMatchObject({
			status: 'pending',
			transaction_type: 'withdrawal',
			amount: '200.00',
		});
		const approve = await op(sb, 'approveWithdrawal', { transaction_id: withdrawal.transactionId });
		expect(approve.json).toEqual({
			message: 'Transaction Withdrawal has been approved successfully',
			transaction_status: 'pending',
		});
		expect(
			(await op(sb, 'getTransaction', undefined, { params: { id: withdrawal.transactionId } })).json
				.transaction_status,
		).toBe('pending');
		const again = await op(sb, 'approveWithdrawal', { transaction_id: withdrawal.transactionId });
		expect(again.status).toBe(400);
		expect(again.json.message).toMatch(/not a pending withdrawal awaiting approval/);
		await sb.webhooksSettled();
		expect(withdrawal.status).toBe('successful');
		expect(verifyWebhook(sb, hook.received[1])).toMatchObject({
			status: 'successful',
			transaction_id: withdrawal.transactionId,
		});
	});

	it('reject with a reason; cancel makes nothing; wrong ids and states are refused', async () => {
		const { sb, hook } = await withReceiver();
		const trackingId = nextTracking();
		const withdrawal = await pendingWithdrawal(sb, trackingId);
		const byTracking = await op(sb, 'approveWithdrawal', { transaction_id: trackingId });
		expect([byTracking.status, byTracking.json]).toEqual([
			404,
			{ message: 'Transaction not found' },
		]);
		const live = await op(
			sb,
			'rejectWithdrawal',
			{ transaction_id: withdrawal.transactionId },
			{ key: 'live' },
		);
		expect(live.status).toBe(404);
		expect((await op(sb, 'rejectWithdrawal', {})).json.errors).toHaveProperty(['transaction_id']);
		const rejected = await op(sb, 'rejectWithdrawal', {
			transaction_id: withdrawal.transactionId,
			reason: 'KYC incomplete',
		});
		expect([rejected.status, rejected.json]).toEqual([200, {}]);
		expect(
			(await op(sb, 'getTransaction', undefined, { params: { id: trackingId } })).json,
		).toEqual({ transaction_status: 'rejected', rejected_reason: 'KYC incomplete' });
		await sb.webhooksSettled();
		expect(hook.received.map((webhook) => verifyWebhook(sb, webhook).status)).toEqual([
			'pending',
			'rejected',
		]);

		const deposit = sb.complete(await cashierToken(sb));
		const notPayout = await op(sb, 'approveWithdrawal', { transaction_id: deposit.transactionId });
		expect(notPayout.status).toBe(400);

		const cancelled = await op(sb, 'createWithdrawalSession', paymentRequest());
		const page = await clickButton(sb, sb.cashierUrl(cancelled.json.token as string), 'Cancel');
		expect(page.text).toContain('withdrawal was cancelled');
		expect(sb.transactions.size).toBe(2);
	});
});

describe('list transactions', () => {
	const at = (iso: string) => new Date(iso);

	it('defaults to today, allows at most 7 days, refuses bad dates', async () => {
		let clock = at('2024-08-08T12:00:00Z');
		const sb = await sandbox({ now: () => clock });
		sb.seedTransactions({ count: 3, days: 3 });
		const today = await op(sb, 'getTransactions');
		expect(today.status).toBe(200);
		expect((today.json as unknown as unknown[]).length).toBe(1);
		const list = JSON.parse(today.text) as Array<Record<string, unknown>>;
		expect(Object.keys(list[0])).toEqual([
			'transaction_id',
			'gateway_transaction_id',
			'provider_transaction_id',
			'transaction_type',
			'transaction_date',
			'status',
			'payment_provider',
			'customer_id',
			'amount',
			'currency',
			'user_amount',
			'user_currency',
			'fx_amount',
		]);
		expect(list[0]).toMatchObject({
			transaction_date: '2024-08-08 12:00:00',
			payment_provider: 'numipay_simulator',
			customer_id: 1000,
			amount: 10,
			fx_amount: 0,
		});
		expect(today.text).toContain('"amount":10.00,');

		const sevenDays = await op(sb, 'getTransactions', undefined, {
			query: 'from=01-08-2024&to=08-08-2024',
		});
		expect(sevenDays.status).toBe(200);
		for (const query of [
			'from=01-08-2024&to=09-08-2024',
			'from=08-08-2024&to=07-08-2024',
			'from=2024-08-01',
			'from=31-02-2024',
		]) {
			const res = await op(sb, 'getTransactions', undefined, { query });
			expect([query, res.status]).toEqual([query, 400]);
			expect(typeof res.json.message).toBe('string');
		}
		expect(
			(await op(sb, 'getTransactions', undefined, { query: 'from=01-08-2024&to=09-08-2024' })).json
				.message,
		).toMatch(/Maximum range between dates is 7 days/);

		// Inclusive `to`, newest first.
		clock = at('2024-08-08T23:59:59Z');
		sb.complete(await cashierToken(sb));
		const inclusive = await op(sb, 'getTransactions', undefined, {
			query: 'from=06-08-2024&to=08-08-2024',
		});
		const dates = (JSON.parse(inclusive.text) as Array<{ transaction_date: string }>).map(
			(item) => item.transaction_date,
		);
		expect(dates).toEqual([
			'2024-08-08 23:59:59',
			'2024-08-08 12:00:00',
			'2024-08-07 12:00:00',
			'2024-08-06 12:00:00',
		]);
		const next = await op(sb, 'getTransactions', undefined, {
			query: 'from=09-08-2024&to=09-08-2024',
		});
		expect(next.json).toEqual([]);
	});

	it('walks 30 seeded days window by window and keeps DEV and live apart', async () => {
		const sb = await sandbox({ now: () => at('2024-08-31T10:00:00Z') });
		const seeded = sb.seedTransactions({ count: 30, days: 30 });
		sb.seedTransactions({ count: 5, days: 5, mode: 'live' });
		const seen: string[] = [];
		// Windows of 8 calendar days (to - from = 7), from 31-08 back to 25-07.
		let to = Date.UTC(2024, 7, 31);
		for (let window = 0; window < 5; window++) {
			const format = (ms: number) => {
				const date = new Date(ms);
				return `${String(date.getUTCDate()).padStart(2, '0')}-${String(date.getUTCMonth() + 1).padStart(2, '0')}-${date.getUTCFullYear()}`;
			};
			const from = to - 7 * 86_400_000;
			const res = await op(sb, 'getTransactions', undefined, {
				query: `from=${format(from)}&to=${format(to)}`,
			});
			expect(res.status).toBe(200);
			seen.push(
				...(res.json as unknown as Array<{ transaction_id: string }>).map(
					(item) => item.transaction_id,
				),
			);
			to = from - 86_400_000;
		}
		expect(seen).toEqual(seeded.map((transaction) => transaction.transactionId));
		const live = await op(sb, 'getTransactions', undefined, {
			key: 'live',
			query: 'from=25-08-2024&to=31-08-2024',
		});
		expect((live.json as unknown as unknown[]).length).toBe(5);
		const dev = await op(sb, 'getTransactions', undefined, {
			query: 'from=25-08-2024&to=31-08-2024',
		});
		expect((dev.json as unknown as unknown[]).length).toBe(7);
		expect(
			(
				await op(sb, 'getTransaction', undefined, {
					key: 'live',
					params: { id: seeded[0].trackingId },
				})
			).status,
		).toBe(404);
	});

	it('reads from/to in the configured time zone', async () => {
		const clock = at('2024-08-08T20:00:00Z');
		const utc = await sandbox({ now: () => clock });
		const tokyo = await sandbox({ now: () => clock, timeZone: 'Asia/Tokyo' });
		for (const sb of [utc, tokyo]) sb.complete(await cashierToken(sb));
		const query = 'from=09-08-2024&to=09-08-2024';
		expect((await op(utc, 'getTransactions', undefined, { query })).json).toEqual([]);
		expect(
			((await op(tokyo, 'getTransactions', undefined, { query })).json as unknown as unknown[])
				.length,
		).toBe(1);
		expect(((await op(tokyo, 'getTransactions')).json as unknown as unknown[]).length).toBe(1);
	});
});

describe('endpoint table', () => {
	it('serves the assumed table by default and an overridden path when asked', async () => {
		const sb = await sandbox();
		expect(sb.endpoints).toEqual(NUMIPAY_ASSUMED_ENDPOINTS);
		const moved = await sandbox({
			endpoints: {
				getTransaction: { method: 'GET', path: '/v2/tx/{id}/status' },
				createCashierSession: { method: 'PUT', path: '/v2/cashier' },
			},
		});
		const tracking = nextTracking();
		const token = (
			await http(`${moved.url}/v2/cashier`, 'PUT', paymentRequest({ tracking_id: tracking }), {
				'X-Api-Key': moved.devApiKey,
			})
		).json.token as string;
		moved.complete(token);
		const status = await http(`${moved.url}/v2/tx/${tracking}/status`, 'GET', undefined, {
			'X-Api-Key': moved.devApiKey,
		});
		expect(status.json).toEqual({ transaction_status: 'successful', rejected_reason: null });
		expect((await http(`${moved.url}/payments/cashier`, 'POST', paymentRequest())).status).toBe(
			404,
		);
		expect(moved.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
			'PUT /v2/cashier',
			`GET /v2/tx/${tracking}/status`,
			'POST /payments/cashier',
		]);
	});
});

describe('faults', () => {
	it('injects statuses in the error shape, drops, malformed answers', async () => {
		const sb = await sandbox();
		sb.injectFault({ method: 'GET', path: '/transactions', fault: 'status', status: 503 });
		const failed = await op(sb, 'getTransactions');
		expect([failed.status, failed.json.message]).toEqual([
			503,
			'Service Unavailable (injected by sandbox)',
		]);
		expect((await op(sb, 'getTransactions')).status).toBe(200);
		const limited = await op(sb, 'getTransactions', undefined, {
			headers: { 'X-Sandbox-Fault': 'status=429;retry-after=2' },
		});
		expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '2']);
		await expect(
			op(sb, 'createCashierSession', paymentRequest(), { headers: { 'X-Sandbox-Fault': 'drop' } }),
		).rejects.toThrow();
		expect(sb.sessions.size).toBe(0);
		const malformed = await op(sb, 'getTransactions', undefined, {
			headers: { 'X-Sandbox-Fault': 'malformed' },
		});
		expect(malformed.status).toBe(200);
		expect(() => JSON.parse(malformed.text) as unknown).toThrow();
		expect(
			(
				await http(`${sb.url}/__sandbox/faults`, 'POST', {
					path: '/transactions',
					fault: 'status',
					status: 500,
				})
			).status,
		).toBe(200);
		expect((await op(sb, 'getTransactions')).status).toBe(500);
		await http(`${sb.url}/__sandbox/faults`, 'POST', {
			path: '/transactions',
			fault: 'status',
			status: 500,
		});
		await http(`${sb.url}/__sandbox/faults`, 'DELETE');
		expect((await op(sb, 'getTransactions')).status).toBe(200);
		expect(
			(await http(`${sb.url}/__sandbox/faults`, 'POST', { path: '/x', fault: 'nope' })).status,
		).toBe(400);
	});

	it('drop-after-commit: the card deposit exists, a retry is a duplicate, get finds it by tracking_id', async () => {
		const sb = await sandbox();
		sb.injectFault({ method: 'POST', path: '/payments/s2s', fault: 'drop-after-commit' });
		const body = paymentRequest({
			routing_id: 210,
			card_details: cardDetails(TEST_CARDS.approved),
		});
		await expect(op(sb, 'createCardDeposit', body)).rejects.toThrow();
		expect(sb.transactions.size).toBe(1);
		expect(sb.requests[0].fault).toBe('drop-after-commit');
		expect(sb.requests[0].status).toBeUndefined();
		expect((await op(sb, 'createCardDeposit', body)).status).toBe(409);
		const trackingId = (body as { request: { tracking_id: string } }).request.tracking_id;
		expect(
			(await op(sb, 'getTransaction', undefined, { params: { id: trackingId } })).json,
		).toEqual({
			transaction_status: 'successful',
			rejected_reason: null,
		});
	});
});

describe('webhook delivery and controls', () => {
	it('retries non-2xx and redelivers identical bytes on request', async () => {
		const { sb, hook } = await withReceiver({}, [500, 503]);
		const deposit = sb.complete(await cashierToken(sb));
		await sb.webhooksSettled();
		expect(sb.webhooks.map((delivery) => delivery.status)).toEqual([500, 503, 200]);
		const resent = await http(
			`${sb.url}/__sandbox/transactions/${deposit.trackingId}/webhook`,
			'POST',
			{
				times: 2,
			},
		);
		expect((resent.json as unknown as unknown[]).length).toBe(2);
		await sb.sendWebhook(deposit.transactionId);
		expect(hook.received).toHaveLength(6);
		expect(new Set(hook.received.map((webhook) => webhook.body)).size).toBe(1);
		expect(new Set(hook.received.map((webhook) => webhook.headers['x-signature'])).size).toBe(1);
		verifyWebhook(sb, hook.received[5]);
	});

	it('settings, complete / reject, seed and the request log over HTTP', async () => {
		const { sb, hook } = await withReceiver();
		const control = (method: string, path: string, body?: object) =>
			http(`${sb.url}/__sandbox${path}`, method, body);
		expect((await control('GET', '/settings')).json).toEqual({
			webhookUrl: hook.url,
			webhookFormat: 'compact',
			payoutDelayMs: 20,
			webhookAttempts: 3,
			timeZone: 'UTC',
		});
		const put = await control('PUT', '/settings', { payoutDelayMs: 0, webhookFormat: 'pretty' });
		expect(put.json).toMatchObject({ payoutDelayMs: 0, webhookFormat: 'pretty' });
		expect(sb.settings.webhookFormat).toBe('pretty');
		expect((await control('PUT', '/settings', { timeZone: 'Mars/Olympus' })).status).toBe(400);
		expect((await control('PUT', '/settings', { bogus: 1 })).status).toBe(400);
		await control('PUT', '/settings', { webhookFormat: 'compact' });

		const token = await cashierToken(sb);
		const completed = await control('POST', `/transactions/${token}/complete`);
		expect(completed.json).toMatchObject({ status: 'successful', type: 'deposit' });
		const withdrawalToken = (await op(sb, 'createWithdrawalSession', paymentRequest())).json
			.token as string;
		const pending = await control('POST', `/transactions/${withdrawalToken}/complete`);
		expect(pending.json).toMatchObject({ status: 'pending', type: 'withdrawal' });
		const rejected = await control(
			'POST',
			`/transactions/${pending.json.transactionId as string}/reject`,
			{
				reason: 'Limit',
			},
		);
		expect(rejected.json).toMatchObject({ status: 'rejected', rejectedReason: 'Limit' });
		expect((await control('POST', '/transactions/nope/complete')).status).toBe(404);
		expect((await control('POST', `/transactions/${token}/complete`)).status).toBe(409);

		const seeded = await control('POST', '/seed', {
			count: 4,
			days: 2,
			mode: 'live',
			status: 'successful',
		});
		expect((seeded.json.transaction_ids as string[]).length).toBe(4);
		expect((await control('POST', '/seed', { count: 0 })).status).toBe(400);
		expect(((await control('GET', '/transactions')).json as unknown as unknown[]).length).toBe(6);

		expect(((await control('GET', '/requests')).json as unknown as unknown[]).length).toBe(2);
		await control('DELETE', '/requests');
		expect(sb.requests).toHaveLength(0);
		await sb.webhooksSettled();
		expect(((await control('GET', '/webhooks')).json as unknown as unknown[]).length).toBe(
			hook.received.length,
		);
	});
});
