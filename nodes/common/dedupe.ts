import type { ICheckProcessedOptions, IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

// De-duplication happens in two places:
// - webhook() claims the event in this process, so a redelivery to the same n8n process does not
//   even start an execution;
// - the trigger's execute(), the first step of the execution webhook() started, claims it in n8n's
//   de-duplication store (the database every main, worker and webhook process shares, kept across
//   restarts), and ends the execution with no items when another execution claimed it first.
// Workflow static data cannot do the second job: n8n saves it only after an execution finishes,
// as one object per workflow, so overlapping executions overwrite each other's records.

const recentEvents = new Map<string, number>();
const RECENT_EVENTS_MAX = 10_000;

/** True when the key was not claimed in this process within the TTL; claims it. */
export function claimRecentEvent(key: string, ttlMs: number, now = Date.now()): boolean {
	const expires = recentEvents.get(key);
	if (expires !== undefined && expires > now) return false;
	recentEvents.delete(key);
	recentEvents.set(key, now + ttlMs);
	// Map order is insertion order: drop the oldest claims beyond the bound
	for (const k of recentEvents.keys()) {
		if (recentEvents.size <= RECENT_EVENTS_MAX) break;
		recentEvents.delete(k);
	}
	return true;
}

/** In webhook(): whether this process already received the event, claiming it when not. */
export function isRedelivery(ctx: IWebhookFunctions, key: string, ttlMs: number): boolean {
	return !claimRecentEvent(`${ctx.getWorkflow().id}/${ctx.getNode().name}/${key}`, ttlMs);
}

// Bound on remembered events per trigger node (each takes two entries of about 27 bytes).
export const DEDUPE_MAX_EVENTS = 5000;

/*
 * n8n's store keeps one row per node (`checkProcessedAndRecord` with scope 'node') and updates it
 * by read, merge and write, so two executions recording at the same moment can both find an
 * event new, and one's record can overwrite the other's. The only atomic step it has is the
 * insert of a row that does not exist yet: the database refuses the second of two at once. That
 * makes a lock: the row of scope 'workflow', inserted to acquire and deleted to release, around
 * every read-merge-write of the node's row.
 *
 * The lock row holds minus its acquisition time (mode latestIncrementalKey keeps the largest
 * value): a later acquirer offers minus a later time, which is smaller, so the store answers
 * "processed" (held) without changing it, while a fresh insert answers "new" (acquired).
 */
const LOCK: ICheckProcessedOptions = { mode: 'latestIncrementalKey' };
// A holder that crashed between acquire and release leaves the row; it is taken over after this.
const LOCK_LEASE_MS = 30_000;
const LOCK_GIVE_UP_MS = 120_000;

function isModeClash(error: unknown): boolean {
	return /incompatible setting/i.test(String((error as Error)?.message));
}

function storeInUse(ctx: IExecuteFunctions): NodeOperationError {
	return new NodeOperationError(
		ctx.getNode(),
		'Another node of this workflow keeps de-duplication data at workflow scope, which this trigger needs for its lock',
		{
			description:
				"Set that node's Scope to Node (for example a Remove Duplicates node with Scope: Workflow), then retry this execution",
		},
	);
}

async function withWorkflowLock<T>(ctx: IExecuteFunctions, critical: () => Promise<T>): Promise<T> {
	const started = Date.now();
	let lastProbe = started;
	let lastError: unknown;
	for (;;) {
		let acquired = false;
		try {
			const answer = await ctx.helpers.checkProcessedAndRecord([-Date.now()], 'workflow', LOCK);
			acquired = answer.new.length === 1;
		} catch (error) {
			if (isModeClash(error)) throw storeInUse(ctx);
			// the database refused a second insert of the lock row at the same moment
			lastError = error;
		}
		if (acquired) {
			try {
				return await critical();
			} finally {
				await ctx.helpers.clearAllProcessedItems('workflow', LOCK);
			}
		}
		const now = Date.now();
		if (now - started > LOCK_GIVE_UP_MS) {
			throw new NodeOperationError(
				ctx.getNode(),
				`Could not claim the event in n8n's de-duplication store within ${LOCK_GIVE_UP_MS / 1000} s`,
				{
					description: `Check n8n's database; nothing after this trigger ran. Retry this execution when it is reachable.${lastError ? ` Last error: ${(lastError as Error).message}` : ''}`,
				},
			);
		}
		if (now - lastProbe > LOCK_LEASE_MS) {
			lastProbe = now;
			// "processed" means the holder's time is older than the lease: take the lock over.
			// "new" means a live holder (whose time now reads as lease-old, so a later prober may
			// take over during the milliseconds it still holds it), or a row that had just gone
			// (this probe then left one that the next probe takes over): both need waiters that
			// already waited a lease, so a crashed holder or a database far slower than expected.
			const probe = await ctx.helpers.checkProcessedAndRecord(
				[-(now - LOCK_LEASE_MS)],
				'workflow',
				LOCK,
			);
			if (probe.processed.length === 1) {
				ctx.logger.warn('Taking over a de-duplication lock older than its lease');
				await ctx.helpers.clearAllProcessedItems('workflow', LOCK);
			}
		}
		await sleep(5 + Math.random() * 20);
	}
}

/**
 * Claims event keys for this trigger node in n8n's de-duplication store. Returns, per key, true
 * when this execution claimed it and false when an execution did within the window. A key is
 * remembered for at least `windowMs` and at most twice that (records are per window-long bucket:
 * the current one and the one before are checked), and among the last DEDUPE_MAX_EVENTS.
 */
export async function claimEvents(
	ctx: IExecuteFunctions,
	keys: string[],
	windowMs: number,
	now = Date.now(),
): Promise<boolean[]> {
	if (keys.length === 0) return [];
	const bucket = Math.floor(now / windowMs);
	const entries = (key: string) => [`${key}|${bucket}`, `${key}|${bucket - 1}`];
	const answer = await withWorkflowLock(ctx, async () =>
		ctx.helpers.checkProcessedAndRecord(keys.flatMap(entries), 'node', {
			mode: 'entries',
			maxEntries: 2 * DEDUPE_MAX_EVENTS,
		}),
	);
	const seen = new Set(answer.processed.map(String));
	const claimed = new Set<string>();
	return keys.map((key) => {
		// the same key twice in one call: the first is the claim
		if (entries(key).some((entry) => seen.has(entry)) || claimed.has(key)) return false;
		claimed.add(key);
		return true;
	});
}
