import { sleep as n8nSleep } from 'n8n-workflow';

// Client-side pacing for providers that publish rate limits (All4Pay: 50 requests a second to each
// create endpoint, 216,000 an hour overall, per client IP, 429 beyond). Retrying on 429 is not
// enough: the refused requests count too, and a payout run would spend its time in backoff. So
// every attempt, retries included, first waits for its turn here.
//
// Scope: the provider counts per IP, but a node can only coordinate what shares its memory, so
// pacers live in a module-level registry (pacerFor), one per key (the provider's base URL): every
// item, execution and workflow of this n8n process that calls one base URL shares one pacer.
// Several n8n processes behind one IP (queue mode) each pace on their own and together may exceed
// the limit; the 429 that follows is retried (the provider did not act on it).
//
// Algorithm: "N requests per window W" is kept as a minimum spacing T = (W + margin + CARRY) / N
// between grants, in arrival order (one FIFO queue per pacer, each call waiting until every limit
// it names is free). Any N + 1 grants then span at least W + margin, so no window of length W holds
// more than N of them, under any counter a server may use (fixed, sliding, weighted sliding,
// token bucket), as long as requests reach the server within `margin` of each other's delay.
// Evenly spaced requests are what "50 per second" promises; a burst is never needed here, since an
// n8n execution sends one item at a time.
//
// A timer fires a little late; the schedule absorbs up to CARRY ms of that lateness instead of
// pushing every later grant back by it (which would lose a few percent of the rate). Lateness
// beyond that is not made up (catching up would mean bursts): on a busy machine the rate drops
// below the 96.9% an idle one reaches for 50/s (bench/README.md).
//
// After a spell of idleness (a whole window without a grant) the first request usually opens a
// connection and reaches the server later than the next ones, which shortens the window its
// successors arrive in by that delay: the second grant then waits one margin more.

export interface PacerClock {
	now(): number;
	sleep(ms: number): Promise<void>;
}

/** At most `count` requests in any `windowMs`. */
export interface RateLimit {
	count: number;
	windowMs: number;
}

const CARRY_MS = 2;

/** The default jitter allowance: 30 ms a second (the rate stays above 96% of the limit). */
export const marginFor = (windowMs: number) => Math.min(30, windowMs * 0.03);

/** The spacing that keeps `limit`. */
export function spacingMs({ count, windowMs }: RateLimit): number {
	if (!(Number.isSafeInteger(count) && count > 0 && Number.isFinite(windowMs) && windowMs > 0))
		throw new Error(
			`A rate limit needs a positive whole count and window, not ${count}/${windowMs} ms`,
		);
	return (windowMs + marginFor(windowMs) + CARRY_MS) / count;
}

interface Slot {
	spacingMs: number;
	windowMs: number;
	/** Earliest time of the next grant. */
	nextAt: number;
}

/** Paces calls under several named rate limits at once, first come first served. */
export class Pacer {
	private readonly slots = new Map<string, Slot>();

	private readonly queue: Array<{ slots: Slot[]; granted: () => void }> = [];

	private draining = false;

	private readonly clock: PacerClock;

	constructor(limits: Readonly<Record<string, RateLimit>>, clock: Partial<PacerClock> = {}) {
		for (const [name, limit] of Object.entries(limits))
			this.slots.set(name, {
				spacingMs: spacingMs(limit),
				windowMs: limit.windowMs,
				nextAt: -Infinity,
			});
		this.clock = {
			now: clock.now ?? (() => Date.now()),
			sleep: clock.sleep ?? (async (ms: number) => await n8nSleep(ms)),
		};
	}

	/** Calls waiting for their turn. */
	get waiting(): number {
		return this.queue.length;
	}

	/** Resolves when a request may be sent under every named limit, and counts it in all of them. */
	async acquire(names: readonly string[]): Promise<void> {
		const slots = names.map((name) => {
			const slot = this.slots.get(name);
			if (!slot) throw new Error(`No rate limit named ${name}`);
			return slot;
		});
		await new Promise<void>((granted) => {
			this.queue.push({ slots, granted });
			if (!this.draining) void this.drain();
		});
	}

	private async drain(): Promise<void> {
		this.draining = true;
		try {
			while (this.queue.length > 0) {
				const { slots, granted } = this.queue[0];
				const now = this.clock.now();
				const due = Math.max(-Infinity, ...slots.map((slot) => slot.nextAt));
				if (due > now) {
					await this.clock.sleep(Math.max(1, Math.ceil(due - now)));
					continue;
				}
				this.queue.shift();
				for (const slot of slots)
					slot.nextAt =
						slot.nextAt < now - slot.windowMs
							? now + slot.spacingMs + marginFor(slot.windowMs)
							: Math.max(slot.nextAt, now - CARRY_MS) + slot.spacingMs;
				granted();
			}
		} finally {
			this.draining = false;
		}
	}
}

const registry = new Map<string, { signature: string; pacer: Pacer }>();

/**
 * The pacer of this n8n process for `key`, created with `limits` on first use and shared by every
 * later caller. Other limits for an existing key throw: two pacers for one server would each
 * allow the full rate. `clock` only applies on creation.
 */
export function pacerFor(
	key: string,
	limits: Readonly<Record<string, RateLimit>>,
	clock?: Partial<PacerClock>,
): Pacer {
	const signature = JSON.stringify(
		Object.entries(limits)
			.map(([name, limit]) => [name, limit.count, limit.windowMs])
			.sort(([a], [b]) => String(a).localeCompare(String(b))),
	);
	const existing = registry.get(key);
	if (existing) {
		if (existing.signature !== signature)
			throw new Error(`The rate limits for ${key} were already set differently in this process`);
		return existing.pacer;
	}
	const pacer = new Pacer(limits, clock);
	registry.set(key, { signature, pacer });
	return pacer;
}
