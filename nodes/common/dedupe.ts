import type {
	ICheckProcessedOptions,
	IDeduplicationOutput,
	IExecuteFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';
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

/** In webhook(): whether this process already received the event, without claiming it. */
export function wasReceived(ctx: IWebhookFunctions, key: string, now = Date.now()): boolean {
	const expires = recentEvents.get(`${ctx.getWorkflow().id}/${ctx.getNode().name}/${key}`);
	return expires !== undefined && expires > now;
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
 * An acquirer offers the smallest value there is (mode latestIncrementalKey keeps the largest),
 * so an existing row always answers "processed" (held) and only a fresh insert answers "new"
 * (acquired). The holder then stamps the row with minus its time, for the lease: a waiter can
 * tell a lock older than the lease without reading the row. (Offering minus the time directly
 * would be ambiguous: a holder whose time is later than the acquirer's, another process's clock
 * or a request that reached the database first, would read as "new" to both.)
 */
const ACQUIRE = Number.MIN_SAFE_INTEGER;
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

async function withDatabaseLock<T>(ctx: IExecuteFunctions, critical: () => Promise<T>): Promise<T> {
	const started = Date.now();
	let lastProbe = started;
	let lastError: unknown;
	for (;;) {
		const answer = await lockRow(ctx, ACQUIRE);
		// an error: the database refused a second insert of the lock row at the same moment
		if (answer instanceof Error) lastError = answer;
		else if (answer.new.length === 1) {
			try {
				await lockRow(ctx, -Date.now());
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
			if (await lockOutlivedLease(ctx, now)) {
				ctx.logger.warn('Taking over a de-duplication lock older than its lease');
				await ctx.helpers.clearAllProcessedItems('workflow', LOCK);
			}
		}
		await sleep(5 + Math.random() * 20);
	}
}

/** The store's answer for the lock row, or the database's error (another node's data: thrown). */
async function lockRow(
	ctx: IExecuteFunctions,
	value: number,
): Promise<IDeduplicationOutput | Error> {
	try {
		return await ctx.helpers.checkProcessedAndRecord([value], 'workflow', LOCK);
	} catch (error) {
		if (isModeClash(error)) throw storeInUse(ctx);
		return error as Error;
	}
}

/**
 * Whether the lock row is a lock whose holder took it more than a lease ago. "Processed" for
 * minus (now - lease) means the row's value is at least that: a lock that old, or another node's
 * value (Remove Duplicates at workflow scope keeping IDs), which, unlike every lock, is not
 * negative. "New" means a live holder, whose time then reads as lease-old, so another waiter may
 * take over during the milliseconds it still holds the lock; or a row that had just gone, which
 * this probe has recreated as a lock the next probe takes over; or a holder that crashed before
 * stamping its time, whose lock the next probe takes over too. All need waiters that already
 * waited a lease: a crashed holder or a database far slower than expected.
 */
async function lockOutlivedLease(ctx: IExecuteFunctions, now: number): Promise<boolean> {
	const age = await lockRow(ctx, -(now - LOCK_LEASE_MS));
	if (age instanceof Error || age.processed.length === 0) return false;
	const sign = await lockRow(ctx, 0);
	if (sign instanceof Error) return false;
	if (sign.processed.length === 1) throw storeInUse(ctx);
	return true;
}

/** One execution's claim, waiting for the next batch of its workflow. */
interface PendingClaim {
	ctx: IExecuteFunctions;
	keys: string[];
	/** Per key, the record entries that mean "claimed within the window". */
	entries: (key: string) => string[];
	settle: (result: boolean[] | Error) => void;
}

/*
 * Executions of one process claim in batches, one batch at a time per workflow: while a batch
 * holds the database lock, the claims that arrive wait, and go together in the next batch, under
 * one lock and one read-merge-write of each trigger node's record. Claiming one by one, the lock
 * and record were a queue under load (about 8 ms each, with up to 190 claims waiting at 50
 * deliveries/s); a batch costs about what one claim did. A process also has one waiter polling
 * the lock (each poll is a write) instead of one per running execution.
 */
const pendingClaims = new Map<string, PendingClaim[]>();

async function claimInBatch(claim: Omit<PendingClaim, 'settle'>): Promise<boolean[]> {
	const workflowId = String(claim.ctx.getWorkflow().id);
	const answer = await new Promise<boolean[] | Error>((settle) => {
		const waiting = pendingClaims.get(workflowId);
		if (waiting) waiting.push({ ...claim, settle });
		else {
			pendingClaims.set(workflowId, [{ ...claim, settle }]);
			void drainClaims(workflowId);
		}
	});
	if (answer instanceof Error) throw answer;
	return answer;
}

async function drainClaims(workflowId: string): Promise<void> {
	for (;;) {
		const batch = pendingClaims.get(workflowId) ?? [];
		if (batch.length === 0) {
			pendingClaims.delete(workflowId);
			return;
		}
		pendingClaims.set(workflowId, []);
		try {
			await withDatabaseLock(batch[0].ctx, async () => {
				// each trigger node of the workflow has its own record (n8n keys it by node ID)
				const byNode = new Map<string, PendingClaim[]>();
				for (const claim of batch) {
					const nodeId = claim.ctx.getNode().id;
					const claims = byNode.get(nodeId);
					if (claims) claims.push(claim);
					else byNode.set(nodeId, [claim]);
				}
				for (const claims of byNode.values()) {
					const items = [...new Set(claims.flatMap((c) => c.keys.flatMap(c.entries)))];
					const answer = await claims[0].ctx.helpers.checkProcessedAndRecord(items, 'node', {
						mode: 'entries',
						maxEntries: 2 * DEDUPE_MAX_EVENTS,
					});
					const seen = new Set(answer.processed.map(String));
					// the same key twice in a batch, in one claim or two: the first to arrive claims it
					const claimed = new Set<string>();
					for (const c of claims)
						c.settle(
							c.keys.map((key) => {
								if (c.entries(key).some((entry) => seen.has(entry)) || claimed.has(key))
									return false;
								claimed.add(key);
								return true;
							}),
						);
				}
			});
		} catch (error) {
			// fails the claims whose record was not written; the others keep their answer (a claim
			// settles once), so an error after the write, as in releasing the lock, is logged here
			for (const claim of batch) claim.settle(error as Error);
			batch[0].ctx.logger.warn(`De-duplication claim: ${(error as Error).message}`);
		}
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
	return await claimInBatch({
		ctx,
		keys,
		entries: (key) => [`${key}|${bucket}`, `${key}|${bucket - 1}`],
	});
}
