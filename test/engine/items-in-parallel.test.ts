/**
 * Items in Parallel (nodes/common/execute.ts, every action node from version 2): several items
 * sent at once, through n8n's engine against the pay.tech sandbox, with the money-moving
 * guarantees of one item at a time: output in input order and paired, a lost answer looked up by
 * its reference (never sent twice), Continue On Fail per item, and after a failure no new item
 * started and nothing that was sent hidden from the operator.
 */
import { DEFAULT_PARALLEL } from '../../nodes/common/operation';
import { startPaytechSandbox, type PaytechSandbox } from '../../sandbox/paytech';
import { Harness } from '../harness/engine';
import { API_KEY, SIGNING_KEY, paytechCredentials, runPaytech } from './paytech.helpers';

let sandbox: PaytechSandbox;
let harness: Harness;
let batch = 0;

beforeAll(async () => {
	sandbox = await startPaytechSandbox({ apiKey: API_KEY, signingKey: SIGNING_KEY });
	harness = await Harness.create({ credentials: { paytechApi: paytechCredentials(sandbox) } });
});

afterAll(async () => await sandbox.close());

/** `count` payout items with references of their own: `<batch>-<n>`. */
function payouts(count: number, amount = (n: number) => `${n + 1}.00`) {
	batch++;
	return Array.from({ length: count }, (_, n) => ({ ref: `par-${batch}-${n}`, amount: amount(n) }));
}

const createWithdrawals = {
	resource: 'payment',
	operation: 'createWithdrawal',
	amount: '={{ $json.amount }}',
	currency: 'EUR',
	referenceId: '={{ $json.ref }}',
};

/** The withdrawal creates of these items the sandbox received, and how many were in flight at most. */
function sent(items: Array<{ ref: string }>) {
	const refs = new Set(items.map((i) => i.ref));
	const posts = sandbox.requests.filter(
		(r) =>
			r.method === 'POST' &&
			r.path === '/api/v1/payments' &&
			refs.has(String((JSON.parse(r.body) as { referenceId?: string }).referenceId)),
	);
	const references = posts.map((r) => (JSON.parse(r.body) as { referenceId: string }).referenceId);
	return { references, peak: Math.max(0, ...posts.map((r) => r.concurrent)) };
}

/** The next `times` withdrawal creates each wait `delayMs` before the sandbox handles them. */
const slowCreates = (delayMs: number, times: number) =>
	sandbox.injectFault({ method: 'POST', path: '/api/v1/payments', fault: 'delay', delayMs, times });

const heldPayments = (items: Array<{ ref: string }>) =>
	items.map(
		(item) => [...sandbox.payments.values()].filter((p) => p.referenceId === item.ref).length,
	);

describe('Items in Parallel', () => {
	it(`sends up to ${DEFAULT_PARALLEL} items at once in a new node, with the output in input order and paired`, async () => {
		const items = payouts(25);
		slowCreates(100, 25);
		const result = await runPaytech(harness, createWithdrawals, { items });
		expect(result.error('pay.tech')).toBeUndefined();
		expect(result.items.map((i) => i.json.referenceId)).toEqual(items.map((i) => i.ref));
		expect(result.items.map((i) => i.json.amount)).toEqual(items.map((i) => i.amount));
		expect(result.items.map((i) => i.pairedItem)).toEqual(items.map((_, n) => ({ item: n })));
		const { references, peak } = sent(items);
		expect(references.sort()).toEqual(items.map((i) => i.ref).sort());
		expect(peak).toBe(DEFAULT_PARALLEL);
		expect(heldPayments(items)).toEqual(items.map(() => 1));
	});

	it('sends one item after another in a node saved at version 1, and when set to 1', async () => {
		for (const options of [{ typeVersion: 1 }, {}]) {
			const items = payouts(6);
			slowCreates(50, 6);
			const parameters =
				'typeVersion' in options ? createWithdrawals : { ...createWithdrawals, itemsInParallel: 1 };
			const result = await runPaytech(harness, parameters, { items, ...options });
			expect(result.error('pay.tech')).toBeUndefined();
			expect(result.items.map((i) => i.json.referenceId)).toEqual(items.map((i) => i.ref));
			expect(sent(items).peak).toBe(1);
		}
	});

	it('looks up each create whose answer was lost by its reference, and sends none twice', async () => {
		const items = payouts(12);
		sandbox.injectFault({
			method: 'POST',
			path: '/api/v1/payments',
			fault: 'drop-after-commit',
			times: 4,
		});
		const result = await runPaytech(
			harness,
			{ ...createWithdrawals, itemsInParallel: 6 },
			{
				items,
			},
		);
		expect(result.error('pay.tech')).toBeUndefined();
		expect(result.items.map((i) => i.json.referenceId)).toEqual(items.map((i) => i.ref));
		expect(sent(items).references.sort()).toEqual(items.map((i) => i.ref).sort());
		expect(heldPayments(items)).toEqual(items.map(() => 1));
	});

	it('after a failure starts no further item, and names the items that were sent with it', async () => {
		// item 3 (index 2) has an amount EUR cannot have: it fails before anything is sent
		const items = payouts(25, (n) => (n === 2 ? '1.005' : `${n + 1}.00`));
		slowCreates(100, 25);
		const result = await runPaytech(harness, createWithdrawals, { items });
		const error = result.error('pay.tech');
		expect(error?.message).toMatch(/amount/i);
		// the ones already started when item 3 failed: items 1, 2 and 4 to 10
		const started = items.slice(0, DEFAULT_PARALLEL).filter((_, n) => n !== 2);
		expect(sent(items).references.sort()).toEqual(started.map((i) => i.ref).sort());
		expect(heldPayments(items)).toEqual(items.map((i) => (started.includes(i) ? 1 : 0)));
		expect(error?.description).toContain(
			'Item 3 failed while other items were being sent at the same time (Items in Parallel). Items 4, 5, 6, 7, 8, 9 and 10 after it succeeded, as did every item before it',
		);
		expect(error?.description).toContain('Turn on Continue On Fail');
	});

	it('with Continue On Fail, outputs every item in order, the failed one with its error', async () => {
		const items = payouts(15, (n) => (n === 7 ? '0.001' : `${n + 1}.00`));
		const result = await runPaytech(harness, createWithdrawals, { items, continueOnFail: true });
		expect(result.items.map((i) => i.pairedItem)).toEqual(items.map((_, n) => ({ item: n })));
		expect(result.items.map((i) => i.json.referenceId ?? `error: ${String(i.json.error)}`)).toEqual(
			items.map((item, n) => (n === 7 ? expect.stringMatching(/^error: .*amount/i) : item.ref)),
		);
		expect(heldPayments(items)).toEqual(items.map((_, n) => (n === 7 ? 0 : 1)));
	});

	it.each([0, 101, 2.5, 'ten'])(
		'refuses Items in Parallel %p, naming the field and what is allowed',
		async (value) => {
			const items = payouts(2);
			const result = await runPaytech(
				harness,
				{ ...createWithdrawals, itemsInParallel: value },
				{
					items,
				},
			);
			expect(result.error('pay.tech')?.message).toBe(
				`Items in Parallel must be a whole number from 1 to 100, not ${JSON.stringify(value)}`,
			);
			expect(sent(items).references).toEqual([]);
		},
	);
});
