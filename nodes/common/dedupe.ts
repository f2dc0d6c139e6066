import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	IWebhookFunctions,
} from 'n8n-workflow';

export interface DedupeOptions {
	ttlMs: number;
	maxEntries: number;
	now?: number;
}

// De-duplication needs two stores, because n8n 2.x does not save static data that webhook()
// changed when the request starts an execution (WorkflowRunner clears the change flag before the
// response callback saves it). So:
// - the execution records the event in static data (the trigger's execute() runs first in it, and
//   n8n saves static data after the run), which outlives restarts and is shared in queue mode;
// - webhook() also claims the event in this process, which covers a redelivery that arrives
//   before that execution has saved, and executions that overwrite each other's static data.
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

/** Whether static data holds the key within its TTL. */
export function wasEventSeen(staticData: IDataObject, key: string, now = Date.now()): boolean {
	const expires = (staticData.seenEvents as Record<string, number> | undefined)?.[key];
	return expires !== undefined && expires > now;
}

/**
 * Records event keys in the workflow's static data, bounded in age and number. Returns true the
 * first time a key is seen within the TTL, false for a redelivery.
 */
export function rememberEvent(
	staticData: IDataObject,
	key: string,
	{ ttlMs, maxEntries, now = Date.now() }: DedupeOptions,
): boolean {
	const seen = (staticData.seenEvents ??= {}) as Record<string, number>;
	for (const [k, expires] of Object.entries(seen)) if (expires <= now) delete seen[k];
	if (key in seen) return false;
	seen[key] = now + ttlMs;
	const keys = Object.keys(seen);
	if (keys.length > maxEntries) {
		// insertion order is expiry order (the TTL is fixed), so the first keys are the oldest
		for (const k of keys.slice(0, keys.length - maxEntries)) delete seen[k];
	}
	return true;
}

// Bound on remembered events, so workflow static data stays small (about 50 bytes each).
export const DEDUPE_MAX_EVENTS = 5000;

/**
 * In webhook(): whether this event was already received (recorded by an execution, or claimed by
 * this process), claiming it when not.
 */
export function isRedelivery(ctx: IWebhookFunctions, key: string, ttlMs: number): boolean {
	if (wasEventSeen(ctx.getWorkflowStaticData('node'), key)) return true;
	return !claimRecentEvent(`${ctx.getWorkflow().id}/${ctx.getNode().name}/${key}`, ttlMs);
}

/**
 * A trigger's execute(), which n8n runs as the first step of the execution webhook() started:
 * records each item's event in static data (saved after the run) and passes the items on.
 */
export function recordEvents(
	ctx: IExecuteFunctions,
	keyOf: (json: IDataObject) => string | undefined,
	ttlMs: number,
): INodeExecutionData[][] {
	const items = ctx.getInputData();
	const staticData = ctx.getWorkflowStaticData('node');
	for (const item of items) {
		const key = keyOf(item.json);
		if (key) rememberEvent(staticData, key, { ttlMs, maxEntries: DEDUPE_MAX_EVENTS });
	}
	return [items.map((item, index) => ({ ...item, pairedItem: { item: index } }))];
}
