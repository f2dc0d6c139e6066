import type {
	DeduplicationItemTypes,
	DeduplicationScope,
	ICheckProcessedOptions,
	IExecuteFunctions,
	INode,
	IWebhookFunctions,
} from 'n8n-workflow';

import { InMemoryDeduplicator } from '../harness/processed-data';

type Dedupe = typeof import('../../nodes/common/dedupe');

// The claims live in a module-level map: each test loads its own copy, as a fresh process would.
async function freshProcess(): Promise<Dedupe> {
	let dedupe: Dedupe | undefined;
	await jest.isolateModulesAsync(async () => {
		dedupe = await import('../../nodes/common/dedupe');
	});
	return dedupe!;
}

/** What isRedelivery reads from a WebhookContext. */
const webhookContext = (workflowId: string, nodeName: string) =>
	({
		getWorkflow: () => ({ id: workflowId }),
		getNode: () => ({ name: nodeName }),
	}) as unknown as IWebhookFunctions;

describe('claimRecentEvent', () => {
	it('claims a key once within the TTL, and again once it has expired', async () => {
		const { claimRecentEvent } = await freshProcess();
		expect(claimRecentEvent('p1:COMPLETED', 1000, 0)).toBe(true);
		expect(claimRecentEvent('p1:COMPLETED', 1000, 999)).toBe(false);
		expect(claimRecentEvent('p1:DECLINED', 1000, 999)).toBe(true);
		// a refused claim does not extend the first one
		expect(claimRecentEvent('p1:COMPLETED', 1000, 1000)).toBe(true);
		// the new claim runs from its own time
		expect(claimRecentEvent('p1:COMPLETED', 1000, 1999)).toBe(false);
		expect(claimRecentEvent('p1:COMPLETED', 1000, 2000)).toBe(true);
	});

	it('holds the newest 10,000 claims, dropping the oldest beyond them', async () => {
		const { claimRecentEvent } = await freshProcess();
		// nothing expires here: a key is claimable again only because it was dropped
		const ttl = 1e12;
		expect(claimRecentEvent('oldest', ttl, 0)).toBe(true);
		const claims = Array.from({ length: 9_999 }, (_, i) =>
			claimRecentEvent(`k${i + 1}`, ttl, i + 1),
		);
		expect(claims.every(Boolean)).toBe(true);
		expect(claimRecentEvent('oldest', ttl, 10_000)).toBe(false);
		expect(claimRecentEvent('newest', ttl, 10_001)).toBe(true);
		expect(claimRecentEvent('k1', ttl, 10_002)).toBe(false);
		expect(claimRecentEvent('newest', ttl, 10_003)).toBe(false);
		expect(claimRecentEvent('oldest', ttl, 10_004)).toBe(true);
		// that re-claim is the newest now, so the next oldest went
		expect(claimRecentEvent('k2', ttl, 10_005)).toBe(false);
		expect(claimRecentEvent('k1', ttl, 10_006)).toBe(true);
	});
});

describe('isRedelivery', () => {
	const ttl = 60_000;

	it('claims an event per workflow and trigger node', async () => {
		const { isRedelivery } = await freshProcess();
		expect(isRedelivery(webhookContext('wf-1', 'Trigger'), 'p1:COMPLETED', ttl)).toBe(false);
		expect(isRedelivery(webhookContext('wf-1', 'Trigger'), 'p1:COMPLETED', ttl)).toBe(true);
		expect(isRedelivery(webhookContext('wf-2', 'Trigger'), 'p1:COMPLETED', ttl)).toBe(false);
		expect(isRedelivery(webhookContext('wf-1', 'Other Trigger'), 'p1:COMPLETED', ttl)).toBe(false);
		expect(isRedelivery(webhookContext('wf-2', 'Trigger'), 'p1:COMPLETED', ttl)).toBe(true);
	});
});

/** The calls claimEvents made to n8n's store, by scope. */
type StoreCalls = Record<DeduplicationScope, number>;

/**
 * What claimEvents uses of an execution's context, on the harness's copy of n8n's store (its
 * table is shared by every context). As a database error would: the `failNodeRecordCall`-th write
 * of a node's record (counted in `calls`) fails; with `failRelease`, the next release of the lock.
 */
function executionContext(
	workflowId: string,
	nodeId: string,
	{
		calls = { node: 0, workflow: 0 },
		failNodeRecordCall = 0,
		failRelease = { next: false },
		warnings = [],
	}: {
		calls?: StoreCalls;
		failNodeRecordCall?: number;
		failRelease?: { next: boolean };
		warnings?: string[];
	} = {},
) {
	const store = new InMemoryDeduplicator();
	const data = { workflow: { id: workflowId, active: true }, node: { id: nodeId } as INode };
	return {
		getWorkflow: () => data.workflow,
		getNode: () => data.node,
		logger: { warn: (message: string) => warnings.push(message), info: () => undefined },
		helpers: {
			checkProcessedAndRecord: async (
				items: DeduplicationItemTypes[],
				scope: DeduplicationScope,
				options: ICheckProcessedOptions,
			) => {
				calls[scope]++;
				if (scope === 'node' && calls.node === failNodeRecordCall)
					throw new Error('SQLITE_BUSY: database is locked');
				return await store.checkProcessedAndRecord(items, scope, data, options);
			},
			clearAllProcessedItems: async (scope: DeduplicationScope) => {
				if (failRelease.next) {
					failRelease.next = false;
					throw new Error('SQLITE_IOERR: disk I/O error');
				}
				await store.clearAllProcessedItems(scope, data);
			},
		},
	} as unknown as IExecuteFunctions;
}

describe('claimEvents', () => {
	const hour = 3600_000;

	it('claims each key once within the window, for at most twice the window', async () => {
		const { claimEvents } = await freshProcess();
		const ctx = executionContext(`wf-${Math.random()}`, 'trigger');
		const start = 10 * hour + 1;
		expect(await claimEvents(ctx, ['p1:COMPLETED', 'p1:COMPLETED'], hour, start)).toEqual([
			true,
			false,
		]);
		expect(await claimEvents(ctx, ['p1:COMPLETED', 'p1:DECLINED'], hour, start)).toEqual([
			false,
			true,
		]);
		// records are per window-long bucket: 0.6 h later is inside the window, in the next bucket
		expect(await claimEvents(ctx, ['p2:COMPLETED'], hour, start + 0.9 * hour)).toEqual([true]);
		expect(await claimEvents(ctx, ['p2:COMPLETED'], hour, start + 1.5 * hour)).toEqual([false]);
		// two windows later the first claim is gone (no delivery in between refreshed it)
		expect(await claimEvents(ctx, ['p1:COMPLETED'], hour, start + 2 * hour)).toEqual([true]);
	});

	it('loses no claim and grants each key once when executions of two processes claim at once', async () => {
		// two copies of the module: two n8n processes, which share only the store
		const processes = [await freshProcess(), await freshProcess()];
		const ctx = executionContext(`wf-${Math.random()}`, 'trigger');
		await processes[0].claimEvents(ctx, ['earlier'], hour); // the row exists: claims read, merge, write
		const keys = Array.from({ length: 40 }, (_, k) => `event-${k % 20}`);
		const results = await Promise.all(
			keys.map(async (key, k) => await processes[k % 2].claimEvents(ctx, [key], hour)),
		);
		const granted = keys.filter((_, index) => results[index][0]);
		expect(granted.sort()).toEqual([...new Set(keys)].sort());
		expect(await processes[1].claimEvents(ctx, [...new Set(keys)], hour)).toEqual(
			Array(20).fill(false),
		);
	});

	it('claims for the executions that arrive while a batch holds the lock in one batch, the first to arrive winning a key', async () => {
		const { claimEvents } = await freshProcess();
		const calls: StoreCalls = { node: 0, workflow: 0 };
		const ctx = executionContext(`wf-${Math.random()}`, 'trigger', { calls });
		const keys = Array.from({ length: 30 }, (_, k) => `event-${k % 12}`);
		const results = await Promise.all(keys.map(async (key) => await claimEvents(ctx, [key], hour)));
		// the first execution finds no batch and claims alone; the other 29 wait for it, then go
		// together: two reads-merges-writes of the record, under two locks
		expect(calls.node).toBe(2);
		expect(calls.workflow).toBe(2 * 2); // per lock: acquire and stamp (the release is a delete)
		expect(results.map(([claimed]) => claimed)).toEqual(keys.map((_, k) => k < 12));
		expect(await claimEvents(ctx, [...new Set(keys)], hour)).toEqual(Array(12).fill(false));
	});

	it('keeps the records of two trigger nodes of one workflow apart within a batch', async () => {
		const { claimEvents } = await freshProcess();
		const workflowId = `wf-${Math.random()}`;
		const calls: StoreCalls = { node: 0, workflow: 0 };
		const [first, second] = ['trigger-1', 'trigger-2'].map((node) =>
			executionContext(workflowId, node, { calls }),
		);
		const claims = [first, first, second, second, first].map(
			async (ctx) => await claimEvents(ctx, ['p1:COMPLETED'], hour),
		);
		expect(await Promise.all(claims)).toEqual([[true], [false], [true], [false], [false]]);
		expect(calls.node).toBe(3); // the first alone, then one per node
		expect(await claimEvents(second, ['p1:COMPLETED'], hour)).toEqual([false]);
	});

	it('fails the claims of a batch whose record could not be written, releases the lock, and goes on with the next batch', async () => {
		const { claimEvents } = await freshProcess();
		// the second batch, which forms behind the first claim, fails
		const ctx = executionContext(`wf-${Math.random()}`, 'trigger', { failNodeRecordCall: 2 });
		const holder = claimEvents(ctx, ['first'], hour);
		const failing = ['a', 'b'].map(async (key) => await claimEvents(ctx, [key], hour));
		expect(await holder).toEqual([true]);
		for (const claim of failing) await expect(claim).rejects.toThrow(/database is locked/);
		// nothing of the failed batch was recorded, and the lock is free at once
		expect(await claimEvents(ctx, ['a', 'b'], hour)).toEqual([true, true]);
	});

	it('keeps the answers of a batch whose record was written when releasing the lock fails, and logs it', async () => {
		const { claimEvents } = await freshProcess();
		const warnings: string[] = [];
		const failRelease = { next: true };
		const ctx = executionContext(`wf-${Math.random()}`, 'trigger', { failRelease, warnings });
		expect(await claimEvents(ctx, ['e1'], hour)).toEqual([true]);
		// the claim was answered when its record was written; the release comes after
		for (let turn = 0; turn < 20 && !warnings.length; turn++)
			await new Promise((resolve) => setImmediate(resolve));
		expect(warnings).toEqual(['De-duplication claim: SQLITE_IOERR: disk I/O error']);
	});

	describe('the lock in the workflow-scope row', () => {
		const workflowScopeRow = async (
			workflowId: string,
			value: number,
			mode: 'entries' | 'latestIncrementalKey',
		) =>
			await new InMemoryDeduplicator().checkProcessedAndRecord(
				[value],
				'workflow',
				{ workflow: { id: workflowId, active: true } },
				{ mode },
			);
		/** Runs the claim with fake timers, moving time on until it settles. */
		async function claimWhileTimePasses(claim: () => Promise<boolean[]>) {
			jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick'] });
			try {
				let outcome: { value?: boolean[]; error?: unknown } | undefined;
				claim().then(
					(value) => (outcome = { value }),
					(error: unknown) => (outcome = { error }),
				);
				const started = Date.now();
				while (!outcome && Date.now() - started < 200_000) {
					await jest.advanceTimersByTimeAsync(50);
					for (let k = 0; k < 10; k++) await new Promise((r) => setImmediate(r));
				}
				return { ...outcome, waitedMs: Date.now() - started };
			} finally {
				jest.useRealTimers();
			}
		}

		it('takes over a lock left by a holder that crashed, after its lease', async () => {
			const { claimEvents } = await freshProcess();
			const workflowId = `wf-${Math.random()}`;
			await workflowScopeRow(workflowId, -Date.now(), 'latestIncrementalKey');
			const ctx = executionContext(workflowId, 'trigger');
			const result = await claimWhileTimePasses(async () => await claimEvents(ctx, ['e1'], hour));
			expect(result.value).toEqual([true]);
			expect(result.waitedMs).toBeGreaterThanOrEqual(30_000);
			expect(result.waitedMs).toBeLessThan(35_000);
		});

		it('waits for a holder whose time is later than its own (a clock ahead, or a request that reached the database first)', async () => {
			const { claimEvents } = await freshProcess();
			const workflowId = `wf-${Math.random()}`;
			await workflowScopeRow(workflowId, -(Date.now() + 5000), 'latestIncrementalKey');
			const ctx = executionContext(workflowId, 'trigger');
			const result = await claimWhileTimePasses(async () => await claimEvents(ctx, ['e1'], hour));
			// the holder never releases here: only the lease ends the wait
			expect(result.value).toEqual([true]);
			expect(result.waitedMs).toBeGreaterThanOrEqual(30_000);
		});

		it('names the other node when it keeps IDs at workflow scope, and leaves its data alone', async () => {
			const { claimEvents } = await freshProcess();
			const workflowId = `wf-${Math.random()}`;
			await workflowScopeRow(workflowId, 1234, 'latestIncrementalKey');
			const ctx = executionContext(workflowId, 'trigger');
			const result = await claimWhileTimePasses(async () => await claimEvents(ctx, ['e1'], hour));
			expect(String(result.error)).toMatch(/keeps de-duplication data at workflow scope/);
			expect(await workflowScopeRow(workflowId, 1234, 'latestIncrementalKey')).toEqual({
				new: [],
				processed: [1234],
			});
		});

		it('names the other node at once when it keeps entries at workflow scope', async () => {
			const { claimEvents } = await freshProcess();
			const workflowId = `wf-${Math.random()}`;
			await workflowScopeRow(workflowId, 1, 'entries');
			await expect(
				claimEvents(executionContext(workflowId, 'trigger'), ['e1'], hour),
			).rejects.toThrow(/keeps de-duplication data at workflow scope/);
		});
	});
});
