import type { IDataObject } from 'n8n-workflow';

import { startPaytechSandbox, type PaytechSandbox } from '../../sandbox/paytech';
import { Harness } from '../harness/engine';
import {
	API_KEY,
	SIGNING_KEY,
	everythingVisible,
	paytechCredentials,
	runPaytech,
} from './paytech.helpers';

let sandbox: PaytechSandbox;
let harness: Harness;
const visible: string[] = [];

const deposit = (fields: IDataObject = {}) => ({
	resource: 'payment',
	operation: 'createDeposit',
	amount: '10.50',
	currency: 'EUR',
	...fields,
});
const listRequests = () =>
	sandbox.requests.filter((r) => r.method === 'GET' && r.path === '/api/v1/payments');
const postsTo = (path: string) =>
	sandbox.requests.filter((r) => r.method === 'POST' && r.path === path);

beforeAll(async () => {
	sandbox = await startPaytechSandbox({ apiKey: API_KEY, signingKey: SIGNING_KEY });
	harness = await Harness.create({ credentials: { paytechApi: paytechCredentials(sandbox) } });
});

afterAll(async () => {
	// No run of this file may show a secret, in an output, an error message or its description.
	const all = visible.join('\n');
	expect(all).not.toContain(API_KEY);
	expect(all).not.toContain(SIGNING_KEY);
	expect(all).not.toContain('Bearer');
	await sandbox.close();
});

beforeEach(() => {
	sandbox.clearFaults();
	sandbox.settings.withdrawalApproval = false;
	harness.setCredentials('paytechApi', paytechCredentials(sandbox));
});

async function run(parameters: IDataObject, options?: Parameters<typeof runPaytech>[2]) {
	const result = await runPaytech(harness, parameters as never, options);
	visible.push(everythingVisible(result));
	return result;
}

describe('create deposit', () => {
	it('creates a CHECKOUT deposit with the exact amount, a derived reference and the pack User-Agent', async () => {
		const result = await run(deposit({ amount: '10.10' }));
		expect(result.error('pay.tech')).toBeUndefined();
		const [item] = result.items;
		expect(item.json).toMatchObject({
			paymentType: 'DEPOSIT',
			state: 'CHECKOUT',
			currency: 'EUR',
			amount: '10.10',
		});
		expect(item.json.redirectUrl).toMatch(/\/checkout\//);
		expect(item.json.referenceId).toMatch(/^n8n-[0-9a-f]{32}$/);
		expect(item.pairedItem).toEqual({ item: 0 });

		const request = postsTo('/api/v1/payments').at(-1)!;
		// canonical decimal text: the same value, trailing zeros dropped
		expect(request.body).toContain('"amount":10.10,');
		expect(request.headers['user-agent']).toMatch(/^n8n-nodes-payops\/\d+\.\d+\.\d+$/);
	});

	it('sends crypto amounts with all 18 decimals, which a float would round', async () => {
		// the Currency list holds ISO 4217 codes: a crypto-currency is given as an expression
		const result = await run(
			deposit({ amount: '1.000000000000000001', currency: '=BTC', normalize: true }),
		);
		expect(postsTo('/api/v1/payments').at(-1)!.body).toContain('"currency":"BTC"');
		expect(postsTo('/api/v1/payments').at(-1)!.body).toContain('"amount":1.000000000000000001,');
		expect(result.items[0].json.amount).toBe('1.000000000000000001');
		expect(sandbox.payments.get(String(result.items[0].json.id))?.amount).toBe(
			'1.000000000000000001',
		);
	});

	it('derives a different reference per item, and keeps a given one', async () => {
		const result = await run(deposit({ referenceId: '={{ $json.ref }}' }), {
			items: [{ ref: '' }, { ref: '' }, { ref: 'order-77' }],
		});
		const refs = result.items.map((i) => i.json.referenceId);
		expect(new Set(refs).size).toBe(3);
		expect(refs[2]).toBe('order-77');
		// no trigger of the pack started this run: derived from the execution, and said so
		expect(result.items.map((i) => i.json.derivedReference)).toEqual([
			{ reference: refs[0], from: 'execution' },
			{ reference: refs[1], from: 'execution' },
			undefined,
		]);
		expect(result.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	it('rejects "10.005" EUR and "-5" naming the field, and sends nothing', async () => {
		const before = postsTo('/api/v1/payments').length;
		const tooPrecise = await run(deposit({ amount: '10.005' }));
		expect(tooPrecise.error('pay.tech')?.message).toBe(
			'Amount has 3 decimal places but EUR allows 2; got "10.005". Round it yourself before sending, the pack never rounds money',
		);
		const negative = await run(deposit({ amount: '-5' }));
		expect(negative.error('pay.tech')?.message).toMatch(/^Amount must not be negative; got "-5"/);
		const badCurrency = await run(deposit({ currency: '={{ "E" }}' }));
		expect(badCurrency.error('pay.tech')?.message).toMatch(/^Currency must be an ISO 4217 code/);
		expect(postsTo('/api/v1/payments').length).toBe(before);
	});

	it('takes a Currency from an expression, checked like a listed one', async () => {
		const before = postsTo('/api/v1/payments').length;
		const result = await run(deposit({ amount: '1500', currency: '={{ $json.currency }}' }), {
			items: [{ currency: 'jpy' }, { currency: '€' }, { currency: 'JPY' }],
			continueOnFail: true,
		});
		expect(result.items[0].json).toMatchObject({ currency: 'JPY', amount: '1500' });
		expect(result.items[1].json.error).toBe(
			'Currency must be an ISO 4217 code such as EUR or a crypto-currency symbol such as BTC (2 to 12 letters or digits); got "€"',
		);
		expect(result.items[2].json).toMatchObject({ currency: 'JPY', amount: '1500' });
		expect(postsTo('/api/v1/payments').length).toBe(before + 2);

		const captured = await run({
			resource: 'payment',
			operation: 'capture',
			paymentId: 'a'.repeat(32),
			captureAmount: '1.5',
			captureCurrency: '={{ "€" }}',
		});
		expect(captured.error('pay.tech')?.message).toMatch(/^Currency must be an ISO 4217 code/);
	});

	it('returns a DECLINED card deposit as data with its error code and message', async () => {
		const result = await run(
			deposit({
				card: {
					cardNumber: '4000 0000 0000 0416',
					expiryMonth: '12',
					expiryYear: '2030',
					cardSecurityCode: '123',
				},
			}),
		);
		expect(result.error('pay.tech')).toBeUndefined();
		expect(result.items[0].json).toMatchObject({
			state: 'DECLINED',
			errorCode: '4.00',
			errorHint: expect.stringMatching(/bank declined/),
		});
		expect(typeof result.items[0].json.errorMessage).toBe('string');
		expect(JSON.stringify(result.items[0].json)).not.toContain('4000000000000416');
	});

	it('outputs the normalized view with the amount as exact decimal text', async () => {
		const result = await run(deposit({ amount: '1500', currency: 'JPY', normalize: true }));
		expect(result.items[0].json).toMatchObject({
			provider: 'paytech',
			type: 'deposit',
			status: 'requires_action',
			amount: '1500',
			currency: 'JPY',
		});
		expect((result.items[0].json.raw as IDataObject).paymentType).toBe('DEPOSIT');
	});
});

describe('money in outputs', () => {
	it('shows the exact digits pay.tech holds in every output mode, as text, for 18-decimal crypto and 0-decimal currencies', async () => {
		for (const [amount, currency] of [
			['0.123456789012345678', 'BTC'],
			['1500', 'JPY'],
			['10.00', 'EUR'],
		]) {
			const created = await run(deposit({ amount, currency, referenceId: `money-${currency}` }));
			const id = created.items[0].json.id;
			expect(created.items[0].json.amount).toBe(amount);
			const plain = await run({ resource: 'payment', operation: 'get', paymentId: id });
			expect(plain.items[0].json.amount).toBe(amount);
			const normalized = await run({
				resource: 'payment',
				operation: 'get',
				paymentId: id,
				normalize: true,
			});
			expect(normalized.items[0].json.amount).toBe(amount);
			expect((normalized.items[0].json.raw as IDataObject).amount).toBe(amount);
			const listed = await run({
				resource: 'payment',
				operation: 'getMany',
				returnAll: false,
				limit: 5,
				filters: { referenceId: `money-${currency}` },
			});
			expect(listed.items.map((i) => i.json.amount)).toEqual([amount]);
		}
	});
});

describe('subscriptions', () => {
	it("reads the Start Time in the workflow's time zone, like the list filters", async () => {
		const schedule = { frequency: 1, frequencyUnit: 'MONTH', startTime: '2027-01-01T00:00:00' };
		const result = await run(
			deposit({ recurring: { startRecurring: true, subscription: { schedule } } }),
		);
		expect(result.error('pay.tech')).toBeUndefined();
		// Europe/Berlin is UTC+1 in January
		expect(postsTo('/api/v1/payments').at(-1)!.body).toContain('"startTime":"2026-12-31T23:00:00"');
	});

	it('names the field when the Start Time is not a date, and sends nothing', async () => {
		const before = postsTo('/api/v1/payments').length;
		const schedule = { frequency: 1, frequencyUnit: 'MONTH', startTime: 'next tuesday' };
		const result = await run(
			deposit({ recurring: { startRecurring: true, subscription: { schedule } } }),
		);
		expect(result.error('pay.tech')?.message).toMatch(
			/^Subscription Start Time must be a date and time like 2026-11-01T00:00:00 \(in the workflow's time zone, Europe\/Berlin\)/,
		);
		expect(postsTo('/api/v1/payments').length).toBe(before);
	});
});

describe('ambiguous failures are reconciled, never blindly re-sent', () => {
	it('finds a create whose response was lost by its reference instead of creating it twice', async () => {
		const postsBefore = postsTo('/api/v1/payments').length;
		const countBefore = sandbox.payments.size;
		sandbox.injectFault({
			method: 'POST',
			path: '/api/v1/payments',
			fault: 'drop-after-commit',
			times: 1,
		});
		const result = await run({
			resource: 'payment',
			operation: 'createWithdrawal',
			amount: '25.00',
			currency: 'EUR',
			referenceId: 'payout-lost-1',
			reuseExisting: false,
		});
		expect(result.error('pay.tech')).toBeUndefined();
		expect(result.items[0].json).toMatchObject({
			referenceId: 'payout-lost-1',
			paymentType: 'WITHDRAWAL',
			amount: '25.00',
		});
		expect(sandbox.payments.size).toBe(countBefore + 1);
		expect(postsTo('/api/v1/payments').length).toBe(postsBefore + 1);
		const lookup = sandbox.requests
			.filter((r) => r.method === 'GET' && r.path === '/api/v1/payments')
			.at(-1)!;
		expect(lookup.query['referenceId.eq']).toBe('payout-lost-1');
	});

	it('sends again after a 503 only once the lookup proved the payment does not exist', async () => {
		const countBefore = sandbox.payments.size;
		sandbox.injectFault({
			method: 'POST',
			path: '/api/v1/payments',
			fault: 'status',
			status: 503,
			times: 1,
		});
		const result = await run(deposit({ referenceId: 'dep-503' }));
		expect(result.error('pay.tech')).toBeUndefined();
		expect(sandbox.payments.size).toBe(countBefore + 1);
		const trail = sandbox.requests
			.filter((r) => r.path === '/api/v1/payments')
			.slice(-3)
			.map((r) => `${r.method} ${r.status}`);
		expect(trail).toEqual(['POST 503', 'GET 200', 'POST 200']);
	});

	it('never re-sends a create that timed out: finds it once pay.tech has processed it', async () => {
		const postsBefore = postsTo('/api/v1/payments').length;
		sandbox.injectFault({
			method: 'POST',
			path: '/api/v1/payments',
			fault: 'delay',
			delayMs: 2000,
			times: 1,
		});
		const result = await run({
			resource: 'payment',
			operation: 'createWithdrawal',
			amount: '7.00',
			currency: 'EUR',
			referenceId: 'payout-slow-1',
			requestOptions: { timeout: 1 },
		});
		expect(result.error('pay.tech')).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ referenceId: 'payout-slow-1', amount: '7.00' });
		expect(postsTo('/api/v1/payments').length).toBe(postsBefore + 1);
	});

	it('reports a create that timed out and cannot be found as unknown, without sending it again', async () => {
		const postsBefore = postsTo('/api/v1/payments').length;
		sandbox.injectFault({
			method: 'POST',
			path: '/api/v1/payments',
			fault: 'delay',
			delayMs: 8000,
			times: 1,
		});
		const result = await run({
			resource: 'payment',
			operation: 'createWithdrawal',
			amount: '8.00',
			currency: 'EUR',
			referenceId: 'payout-slow-2',
			requestOptions: { timeout: 1 },
		});
		const error = result.error('pay.tech');
		expect(error?.message).toBe(
			'The outcome of the pay.tech withdrawal with Reference ID "payout-slow-2" is unknown',
		);
		expect(error?.description).toMatch(/may still be processing it, so it was not sent again/);
		expect(postsTo('/api/v1/payments').length).toBe(postsBefore + 1);
		// one check before sending (Return Existing, on by default for payouts), three after the timeout
		const lookups = sandbox.requests.filter(
			(r) => r.method === 'GET' && r.query['referenceId.eq'] === 'payout-slow-2',
		);
		expect(lookups.map((r) => r.query['created.gte'] === '2000-01-01T00:00:00')).toEqual([
			true,
			false,
			false,
			false,
		]);
	}, 20_000);

	it('returns the existing payout for a reused reference instead of paying twice', async () => {
		const first = await run({
			resource: 'payment',
			operation: 'createWithdrawal',
			amount: '12.34',
			currency: 'EUR',
			referenceId: 'payout-rerun',
		});
		const again = await run({
			resource: 'payment',
			operation: 'createWithdrawal',
			amount: '12.34',
			currency: 'EUR',
			referenceId: 'payout-rerun',
		});
		expect(again.items[0].json.id).toBe(first.items[0].json.id);
		const clash = await run({
			resource: 'payment',
			operation: 'createWithdrawal',
			amount: '99.00',
			currency: 'EUR',
			referenceId: 'payout-rerun',
		});
		expect(clash.error('pay.tech')?.message).toMatch(
			/Reference ID "payout-rerun" already belongs to pay.tech payment \w{32} \(WITHDRAWAL 12.34 EUR\)/,
		);
	});
});

describe('retries', () => {
	it('retries a GET transparently after a 503', async () => {
		const [payment] = sandbox.seedPayments(1);
		sandbox.injectFault({
			method: 'GET',
			path: `/api/v1/payments/${payment.id}`,
			fault: 'status',
			status: 503,
			times: 1,
		});
		const result = await run({ resource: 'payment', operation: 'get', paymentId: payment.id });
		expect(result.error('pay.tech')).toBeUndefined();
		expect(result.items[0].json.id).toBe(payment.id);
		expect(
			sandbox.requests
				.filter((r) => r.path === `/api/v1/payments/${payment.id}`)
				.map((r) => r.status),
		).toEqual([503, 200]);
	});

	it('honours Retry-After on a 429, also for a create (it was turned away, not processed)', async () => {
		sandbox.injectFault({
			method: 'POST',
			path: '/api/v1/payments',
			fault: 'status',
			status: 429,
			retryAfter: 1,
			times: 1,
		});
		const started = Date.now();
		const result = await run(deposit({ referenceId: 'dep-429' }));
		expect(result.error('pay.tech')).toBeUndefined();
		expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
		expect(
			postsTo('/api/v1/payments')
				.slice(-2)
				.map((r) => r.status),
		).toEqual([429, 200]);
	});

	it('retries a dropped connection and a malformed answer on a GET', async () => {
		const [payment] = sandbox.seedPayments(1);
		sandbox.injectFault({
			method: 'GET',
			path: `/api/v1/payments/${payment.id}`,
			fault: 'drop',
			times: 1,
		});
		sandbox.injectFault({
			method: 'GET',
			path: `/api/v1/payments/${payment.id}/operations`,
			fault: 'malformed',
			times: 1,
		});
		expect(
			(await run({ resource: 'payment', operation: 'get', paymentId: payment.id })).items[0].json
				.id,
		).toBe(payment.id);
		expect(
			(await run({ resource: 'payment', operation: 'getOperations', paymentId: payment.id })).error(
				'pay.tech',
			),
		).toBeUndefined();
	});

	it('gives up on a GET that keeps failing with a clear error', async () => {
		const [payment] = sandbox.seedPayments(1);
		sandbox.injectFault({
			method: 'GET',
			path: `/api/v1/payments/${payment.id}`,
			fault: 'status',
			status: 500,
			times: 100,
		});
		const result = await run({ resource: 'payment', operation: 'get', paymentId: payment.id });
		expect(result.error('pay.tech')?.message).toMatch(/^pay.tech error 500 \(HTTP 500\)/);
		expect(result.error('pay.tech')?.description).toMatch(/Gave up after 5 attempts/);
	}, 60_000);
});

describe('get many', () => {
	it('returns all of 2,500 payments with Return All, newest first, without duplicates or gaps', async () => {
		const from = new Date('2026-06-01T00:00:00Z');
		const to = new Date('2026-06-02T00:00:00Z');
		const seeded = sandbox.seedPayments(2500, { createdFrom: from, createdTo: to });
		// a round trip, so that requests sent together are in flight together
		sandbox.injectFault({
			method: 'GET',
			path: '/api/v1/payments',
			fault: 'delay',
			delayMs: 30,
			times: 10,
		});
		const before = listRequests().length;
		// created-range filters are wall-clock times in the workflow's zone (Europe/Berlin: UTC+2 in June)
		const result = await run({
			resource: 'payment',
			operation: 'getMany',
			returnAll: true,
			filters: { createdFrom: '2026-06-01T02:00:00', createdTo: '2026-06-02T02:00:00' },
		});
		expect(result.error('pay.tech')).toBeUndefined();
		const ids = result.items.map((i) => String(i.json.id));
		expect(ids).toHaveLength(2500);
		expect(new Set(ids)).toEqual(new Set(seeded.map((p) => p.id)));
		const created = result.items.map((i) => String(i.json.created));
		expect([...created].sort().reverse()).toEqual(created);
		const pages = listRequests().slice(before);
		// the first page, then the rest below the newest payment's second, overlapping by one, in
		// rounds of 10 (the default)
		const newest = String(result.items[0].json.created);
		expect(pages[0].query).toMatchObject({
			offset: '0',
			limit: '1000',
			'created.gte': '2026-06-01T00:00:00',
			'created.lt': '2026-06-02T00:00:00',
		});
		const rest = pages.slice(1).map((r) => [Number(r.query.offset), r.query['created.lt']]);
		expect(rest.slice(0, 2)).toEqual([
			[998, newest],
			[1997, newest],
		]);
		// 2 pages hold the rest; the round's other 8, past the end, were out with them
		expect(rest).toHaveLength(2 + 8);
		expect(Math.max(...pages.map((r) => r.concurrent))).toBe(10);
	});

	it('returns every payment once while payments arrive and leave during the read, 3 pages at a time', async () => {
		const from = new Date('2026-07-01T00:00:00Z');
		const to = new Date('2026-07-01T01:00:00Z');
		// 3 payments a second (seeded in the middle of 1.2 s slots, so some seconds hold 2 or 4):
		// pages end in the middle of a second
		const seeded = sandbox.seedPayments(3000, { createdFrom: from, createdTo: to });
		// round trips of 0 to 90 ms: pages sent together are read at different moments
		for (let k = 0; k < 60; k++)
			sandbox.injectFault({
				method: 'GET',
				path: '/api/v1/payments',
				fault: 'delay',
				delayMs: (k * 37) % 91,
			});
		const before = listRequests().length;
		// While the node reads, every 10 ms: a new payment at the top (created now); one at a random
		// second of the hour (an import, or a provider whose clock is not ours); and three of the hour's
		// payments updated now, so they leave the Updated Before window
		const left = new Set<string>();
		const arrive = setInterval(() => {
			sandbox.seedPayments(1, { createdFrom: new Date(Date.now() - 1), createdTo: new Date() });
			const at = from.getTime() + Math.floor(Math.random() * 3600) * 1000;
			sandbox.seedPayments(1, { createdFrom: new Date(at), createdTo: new Date(at + 1) });
			for (let k = 0; k < 3; k++) {
				const leaving = seeded[Math.floor(Math.random() * seeded.length)];
				leaving.updated = new Date();
				left.add(leaving.id);
			}
		}, 10);
		const result = await run({
			resource: 'payment',
			operation: 'getMany',
			returnAll: true,
			pagesInParallel: 3,
			filters: { createdFrom: '2026-07-01T02:00:00', updatedTo: '2026-07-01T04:00:00' },
		}).finally(() => clearInterval(arrive));
		expect(result.error('pay.tech')).toBeUndefined();
		const ids = result.items.map((i) => String(i.json.id));
		expect(new Set(ids).size).toBe(ids.length);
		const output = new Set(ids);
		expect(left.size).toBeGreaterThan(5);
		expect(seeded.filter((p) => !left.has(p.id) && !output.has(p.id))).toEqual([]);
		const pages = listRequests().slice(before);
		expect(Math.max(...pages.map((r) => r.concurrent))).toBe(3);
	});

	it('reads one page after another at node version 1, and refuses a Pages in Parallel out of range', async () => {
		sandbox.seedPayments(2500, {
			createdFrom: new Date('2026-08-01T00:00:00Z'),
			createdTo: new Date('2026-08-02T00:00:00Z'),
		});
		sandbox.injectFault({
			method: 'GET',
			path: '/api/v1/payments',
			fault: 'delay',
			delayMs: 20,
			times: 10,
		});
		const filters = { createdFrom: '2026-08-01T02:00:00', createdTo: '2026-08-02T02:00:00' };
		const before = listRequests().length;
		const v1 = await run(
			{ resource: 'payment', operation: 'getMany', returnAll: true, filters },
			{ typeVersion: 1 },
		);
		expect(v1.items).toHaveLength(2500);
		const pages = listRequests().slice(before);
		expect(pages.map((r) => r.concurrent)).toEqual([1, 1, 1]);

		const sent = listRequests().length;
		for (const pagesInParallel of [0, 21, 2.5])
			expect(
				(
					await run({
						resource: 'payment',
						operation: 'getMany',
						returnAll: true,
						pagesInParallel,
						filters,
					})
				).error('pay.tech')?.message,
			).toBe(`Pages in Parallel must be a whole number from 1 to 20, not ${pagesInParallel}`);
		expect(listRequests().length).toBe(sent);
	});

	it('honours a limit and always sends created.gte (pay.tech would otherwise list only 24 hours)', async () => {
		sandbox.seedPayments(5, {
			createdFrom: new Date('2025-01-01T00:00:00Z'),
			createdTo: new Date('2025-01-02T00:00:00Z'),
		});
		const result = await run({
			resource: 'payment',
			operation: 'getMany',
			returnAll: false,
			limit: 3,
		});
		expect(result.items).toHaveLength(3);
		const last = sandbox.requests.at(-1)!;
		expect(last.query).toMatchObject({
			limit: '3',
			offset: '0',
			'created.gte': '2000-01-01T00:00:00',
		});
	});

	it('filters by reference and explains a bad date', async () => {
		await run(deposit({ referenceId: 'find-me' }));
		const found = await run({
			resource: 'payment',
			operation: 'getMany',
			returnAll: true,
			filters: { referenceId: 'find-me' },
			normalize: true,
		});
		expect(found.items.map((i) => i.json.reference)).toEqual(['find-me']);
		const bad = await run({
			resource: 'payment',
			operation: 'getMany',
			returnAll: true,
			filters: { createdFrom: 'last tuesday' },
		});
		expect(bad.error('pay.tech')?.message).toMatch(/^Created After must be a date and time like/);
	});
});

describe('withdrawal approval', () => {
	it('approves one withdrawal and rejects another with a reason', async () => {
		sandbox.settings.withdrawalApproval = true;
		const created = await run(
			{
				resource: 'payment',
				operation: 'createWithdrawal',
				amount: '50',
				currency: 'EUR',
				referenceId: '={{ $json.ref }}',
			},
			{
				items: [{ ref: 'wd-approve' }, { ref: 'wd-reject' }],
			},
		);
		const [a, b] = created.items.map((i) => String(i.json.id));
		expect(created.items.map((i) => i.json.state)).toEqual([
			'AWAITING_APPROVAL',
			'AWAITING_APPROVAL',
		]);
		const approved = await run({
			resource: 'payment',
			operation: 'approveWithdrawal',
			paymentId: a,
			normalize: true,
		});
		expect(approved.items[0].json.status).not.toBe('awaiting_approval');
		const rejected = await run({
			resource: 'payment',
			operation: 'rejectWithdrawal',
			paymentId: b,
			rejectReason: 'Suspicious activity',
		});
		expect(rejected.items[0].json).toMatchObject({
			state: 'CANCELLED',
			externalResultCode: 'Suspicious activity',
		});
		const twice = await run({ resource: 'payment', operation: 'approveWithdrawal', paymentId: b });
		expect(twice.error('pay.tech')?.message).toMatch(/^pay.tech error 400 \(HTTP 400\)/);
		expect(twice.error('pay.tech')?.description).toMatch(/fix the field/);
	});

	it('reads an approval back when its answer is lost instead of approving again', async () => {
		sandbox.settings.withdrawalApproval = true;
		const created = await run({
			resource: 'payment',
			operation: 'createWithdrawal',
			amount: '5',
			currency: 'EUR',
		});
		const id = String(created.items[0].json.id);
		sandbox.injectFault({
			method: 'POST',
			path: `/api/v1/payments/${id}/approve`,
			fault: 'drop-after-commit',
			times: 1,
		});
		const result = await run({
			resource: 'payment',
			operation: 'approveWithdrawal',
			paymentId: id,
		});
		expect(result.error('pay.tech')).toBeUndefined();
		expect(result.items[0].json.state).not.toBe('AWAITING_APPROVAL');
		expect(
			sandbox.requests.filter((r) => r.path === `/api/v1/payments/${id}/approve`),
		).toHaveLength(1);
	});

	it('validates the payment ID before calling', async () => {
		const result = await run({
			resource: 'payment',
			operation: 'approveWithdrawal',
			paymentId: 'abc',
		});
		expect(result.error('pay.tech')?.message).toBe(
			'Payment ID must be the 32 letters or digits pay.tech returned; got "abc"',
		);
	});
});

describe('refunds, pre-authorization, subscriptions, balances, custom calls', () => {
	it('refunds a completed deposit', async () => {
		const dep = await run(deposit({ amount: '30.00' }));
		await sandbox.complete(String(dep.items[0].json.id));
		const refund = await run({
			resource: 'payment',
			operation: 'createRefund',
			parentPaymentId: dep.items[0].json.id,
			amount: '10.00',
			currency: 'EUR',
		});
		expect(refund.items[0].json).toMatchObject({
			paymentType: 'REFUND',
			parentPaymentId: dep.items[0].json.id,
		});
	});

	it('captures part of a pre-authorized card deposit', async () => {
		const auth = await run(
			deposit({
				amount: '40.00',
				recurring: { preAuth: true },
				card: {
					cardNumber: '4000000000000408',
					expiryMonth: '12',
					expiryYear: '2030',
					cardSecurityCode: '123',
				},
			}),
		);
		expect(auth.items[0].json.state).toBe('AUTHORIZED');
		const captured = await run({
			resource: 'payment',
			operation: 'capture',
			paymentId: auth.items[0].json.id,
			captureAmount: '15.50',
			captureCurrency: 'EUR',
		});
		expect(captured.items[0].json).toMatchObject({ state: 'COMPLETED', amount: '15.50' });
	});

	it('starts and cancels a subscription', async () => {
		const dep = await run(
			deposit({
				recurring: {
					startRecurring: true,
					subscription: { schedule: { frequency: 1, frequencyUnit: 'MONTH', numberOfCycles: 12 } },
				},
			}),
		);
		const subscriptionId = String(dep.items[0].json.subscriptionId ?? '');
		expect(subscriptionId).toMatch(/^[a-zA-Z0-9]{32}$/);
		const cancelled = await run({ resource: 'subscription', operation: 'cancel', subscriptionId });
		expect(cancelled.items[0].json.state).toBe('CANCELLED');
	});

	it('lists balances, one item per balance', async () => {
		const result = await run({ resource: 'balance', operation: 'getAvailable' });
		expect(result.error('pay.tech')).toBeUndefined();
		for (const item of result.items)
			expect(item.json).toEqual({
				currency: expect.any(String),
				amount: expect.stringMatching(/^\d+(\.\d+)?$/),
			});
	});

	it('makes a custom API call signed like the others, sending the body as typed', async () => {
		const result = await run({
			resource: 'customApiCall',
			operation: 'request',
			method: 'POST',
			path: '/api/v1/payments',
			body: '{"paymentType":"DEPOSIT","currency":"BTC","amount":1.000000000000000001}',
		});
		expect(result.items[0].json).toMatchObject({ status: 200 });
		expect(postsTo('/api/v1/payments').at(-1)!.body).toContain('1.000000000000000001');
	});
});

describe('errors', () => {
	it('reports a refused API key with a hint and no key in it', async () => {
		harness.setCredentials('paytechApi', paytechCredentials(sandbox, { apiKey: 'wrong-key' }));
		const result = await run({ resource: 'payment', operation: 'get', paymentId: 'a'.repeat(32) });
		const error = result.error('pay.tech');
		expect(error?.message).toBe('pay.tech error 401 (HTTP 401): Invalid token');
		expect(error?.description).toMatch(/check the API key/);
		expect(everythingVisible(result)).not.toContain('wrong-key');
	});

	it('keeps going per item with Continue On Fail', async () => {
		const result = await run(deposit({ amount: '={{ $json.amount }}' }), {
			items: [{ amount: '5.00' }, { amount: '5.001' }, { amount: '6' }],
			continueOnFail: true,
		});
		expect(result.items).toHaveLength(3);
		expect(result.items[1].json.error).toMatch(/^Amount has 3 decimal places/);
		expect(result.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(result.items[2].json.state).toBe('CHECKOUT');
	});
});
