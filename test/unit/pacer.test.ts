import fc from 'fast-check';

import { Pacer, pacerFor, type RateLimit, spacingMs } from '../../nodes/common/pacer';

/**
 * A virtual clock: sleep() registers a timer, run() fires the timers in time order until the
 * awaited promise settles, letting every promise chain finish between two timers. No real waiting.
 * `drift` moves each firing away from its due time (Node's timers fire late, and can fire 1 ms early).
 */
class FakeClock {
	time = 0;

	private timers: Array<{ at: number; ms: number; seq: number; fire: () => void }> = [];

	private seq = 0;

	constructor(private readonly drift: () => number = () => 0) {}

	readonly now = () => this.time;

	readonly sleep = async (ms: number) =>
		await new Promise<void>((fire) => {
			this.timers.push({ at: this.time + ms, ms, seq: this.seq++, fire });
		});

	get pendingTimers(): number {
		return this.timers.length;
	}

	async run<T>(promise: Promise<T>): Promise<T> {
		let settled = false;
		promise.then(
			() => (settled = true),
			() => (settled = true),
		);
		for (;;) {
			// every microtask runs before setImmediate's callback
			await new Promise((resolve) => setImmediate(resolve));
			if (settled) return await promise;
			if (this.timers.length === 0) throw new Error(`stuck at ${this.time} ms: nothing scheduled`);
			let next = 0;
			for (let i = 1; i < this.timers.length; i++) {
				const [a, b] = [this.timers[i], this.timers[next]];
				if (a.at < b.at || (a.at === b.at && a.seq < b.seq)) next = i;
			}
			const [timer] = this.timers.splice(next, 1);
			// early by at most 1 ms, and a timer never fires before time moved on (or nothing could wait)
			this.time = Math.max(this.time, timer.at + Math.max(this.drift(), Math.min(0, 1 - timer.ms)));
			timer.fire();
		}
	}
}

/** The most times in any half-open window [s, s + windowMs). */
function maxInSlidingWindow(times: readonly number[], windowMs: number): number {
	const sorted = [...times].sort((a, b) => a - b);
	let max = 0;
	for (let i = 0, j = 0; i < sorted.length; i++) {
		while (j < sorted.length && sorted[j] < sorted[i] + windowMs) j++;
		max = Math.max(max, j - i);
	}
	return max;
}

/** The most times in any fixed window [offset + k W, offset + (k + 1) W), over every whole-ms offset. */
function maxInFixedWindows(times: readonly number[], windowMs: number, offsetStep = 1): number {
	let max = 0;
	for (let offset = 0; offset < windowMs; offset += offsetStep) {
		const counts = new Map<number, number>();
		for (const t of times) {
			const k = Math.floor((t - offset) / windowMs);
			const n = (counts.get(k) ?? 0) + 1;
			counts.set(k, n);
			if (n > max) max = n;
		}
	}
	return max;
}

/** Requests a server counting prev * (1 - elapsed share) + current per fixed window refuses. */
function refusedByWeightedWindow(arrivals: readonly number[], limit: number, windowMs: number) {
	const sorted = [...arrivals].sort((a, b) => a - b);
	const accepted = new Map<number, number>();
	let refused = 0;
	for (const t of sorted) {
		const k = Math.floor(t / windowMs);
		const share = (t - k * windowMs) / windowMs;
		const estimate = (accepted.get(k - 1) ?? 0) * (1 - share) + (accepted.get(k) ?? 0);
		if (estimate + 1 > limit) refused++;
		else accepted.set(k, (accepted.get(k) ?? 0) + 1);
	}
	return refused;
}

/** Requests a token bucket of capacity `limit` refilled at limit / windowMs refuses. */
function refusedByTokenBucket(arrivals: readonly number[], limit: number, windowMs: number) {
	const sorted = [...arrivals].sort((a, b) => a - b);
	let tokens = limit;
	let last = sorted[0] ?? 0;
	let refused = 0;
	for (const t of sorted) {
		tokens = Math.min(limit, tokens + ((t - last) * limit) / windowMs);
		last = t;
		if (tokens >= 1) tokens -= 1;
		else refused++;
	}
	return refused;
}

interface Grant {
	call: number;
	names: readonly string[];
	at: number;
}

type Calls = ReadonlyArray<{ names: readonly string[]; arrival?: number }>;

/** Starts one acquisition per entry (at its arrival time); `done` settles when all are granted. */
function startCalls(clock: FakeClock, pacer: Pacer, calls: Calls) {
	const grants: Grant[] = [];
	const done = Promise.all(
		calls.map(async ({ names, arrival }, call) => {
			if (arrival !== undefined) await clock.sleep(arrival);
			await pacer.acquire(names);
			grants.push({ call, names, at: clock.now() });
		}),
	);
	return { grants, done };
}

async function runCalls(clock: FakeClock, pacer: Pacer, calls: Calls): Promise<Grant[]> {
	const { grants, done } = startCalls(clock, pacer, calls);
	await clock.run(done);
	return grants;
}

const timesOf = (grants: readonly Grant[], name?: string) =>
	grants.filter((g) => name === undefined || g.names.includes(name)).map((g) => g.at);

/** The sustained rate a limit allows, per ms. */
const allowedRate = (count: number, windowMs: number) => count / windowMs;

let keys = 0;
const uniqueKey = () => `https://pacer.test/${++keys}`;

const PER_SECOND_50: RateLimit = { count: 50, windowMs: 1000 };

describe('spacingMs', () => {
	it('spaces 50/s at (1000 + 30 + 2) / 50 ms: above 96% of the rate', () => {
		expect(spacingMs(PER_SECOND_50)).toBeCloseTo(20.64, 10);
		expect(1000 / spacingMs(PER_SECOND_50) / 50).toBeGreaterThan(0.96);
		// a long window keeps a 30 ms margin, so the rate is almost all of the limit
		expect(spacingMs({ count: 216_000, windowMs: 3_600_000 })).toBeCloseTo(3_600_032 / 216_000, 10);
	});

	it('refuses limits that are not a positive whole count per positive window', () => {
		for (const limit of [
			{ count: 0, windowMs: 1000 },
			{ count: 2.5, windowMs: 1000 },
			{ count: 5, windowMs: 0 },
			{ count: 5, windowMs: Infinity },
			{ count: 5, windowMs: Number.NaN },
		])
			expect(() => spacingMs(limit)).toThrow(/positive whole count/);
	});
});

describe('Pacer', () => {
	it('spreads 2,000 concurrent calls at 50/s: never over 50 a second, 95% of the rate, FIFO', async () => {
		const clock = new FakeClock();
		const pacer = new Pacer({ create: PER_SECOND_50 }, clock);
		const grants = await runCalls(
			clock,
			pacer,
			Array.from({ length: 2000 }, () => ({ names: ['create'] })),
		);
		const times = timesOf(grants);
		expect(maxInSlidingWindow(times, 1000)).toBeLessThanOrEqual(50);
		expect(maxInFixedWindows(times, 1000)).toBeLessThanOrEqual(50);
		expect(1999 / (times[1999] - times[0])).toBeGreaterThanOrEqual(0.95 * allowedRate(50, 1000));
		expect(grants.map((g) => g.call)).toEqual(grants.map((_, i) => i));
		expect(pacer.waiting).toBe(0);
	});

	it('stays under every usual server counter when requests reach the server up to 20 ms apart in delay', async () => {
		const clock = new FakeClock();
		const pacer = new Pacer({ create: PER_SECOND_50 }, clock);
		const grants = await runCalls(
			clock,
			pacer,
			Array.from({ length: 1500 }, (_, i) => ({ names: ['create'], arrival: (i % 7) * 300 })),
		);
		const random = fc.sample(fc.double({ min: 0, max: 20, noNaN: true }), {
			numRuns: 1500,
			seed: 7,
		});
		const arrivals = timesOf(grants).map((t, i) => t + 120 + random[i]);
		expect(maxInSlidingWindow(arrivals, 1000)).toBeLessThanOrEqual(50);
		expect(maxInFixedWindows(arrivals, 1000, 3)).toBeLessThanOrEqual(50);
		expect(refusedByWeightedWindow(arrivals, 50, 1000)).toBe(0);
		expect(refusedByTokenBucket(arrivals, 50, 1000)).toBe(0);
	});

	it('leaves room for a first request that opens a connection and arrives late', async () => {
		const clock = new FakeClock();
		const pacer = new Pacer({ create: PER_SECOND_50 }, clock);
		const burst = () => Array.from({ length: 60 }, () => ({ names: ['create'] }));
		// two busy spells with an idle second between them
		const first = timesOf(await runCalls(clock, pacer, burst()));
		await clock.run(clock.sleep(2000));
		const second = timesOf(await runCalls(clock, pacer, burst()));
		for (const grants of [first, second]) {
			// the first two requests open connections and take 45 and 30 ms to arrive, the others 3 ms
			const arrivals = grants.map((t, i) => t + (i === 0 ? 45 : i === 1 ? 30 : 3));
			expect(maxInSlidingWindow(arrivals, 1000)).toBeLessThanOrEqual(50);
		}
	});

	it('keeps the limit when timers fire 1 ms early or up to 30 ms late', async () => {
		const drifts = fc.sample(fc.integer({ min: -1, max: 30 }), { numRuns: 5000, seed: 3 });
		let i = 0;
		const clock = new FakeClock(() => drifts[i++ % drifts.length]);
		const pacer = new Pacer({ create: { count: 10, windowMs: 200 } }, clock);
		const grants = await runCalls(
			clock,
			pacer,
			Array.from({ length: 500 }, () => ({ names: ['create'] })),
		);
		expect(maxInSlidingWindow(timesOf(grants), 200)).toBeLessThanOrEqual(10);
	});

	it('keeps a per-endpoint limit and a shared one together, serving both endpoints', async () => {
		const clock = new FakeClock();
		const pacer = new Pacer(
			{ deposit: PER_SECOND_50, withdrawal: PER_SECOND_50, all: { count: 3600, windowMs: 60_000 } },
			clock,
		);
		// two workflows at once, each sending its next item when the last one is granted
		const grants: Grant[] = [];
		let call = 0;
		const workflow = async (endpoint: string) => {
			for (let n = 0; n < 600; n++) {
				await pacer.acquire([endpoint, 'all']);
				grants.push({ call: call++, names: [endpoint, 'all'], at: clock.now() });
			}
		};
		await clock.run(Promise.all([workflow('deposit'), workflow('withdrawal')]));
		for (const endpoint of ['deposit', 'withdrawal'])
			expect(maxInSlidingWindow(timesOf(grants, endpoint), 1000)).toBeLessThanOrEqual(50);
		const all = timesOf(grants, 'all');
		expect(maxInSlidingWindow(all, 60_000)).toBeLessThanOrEqual(3600);
		// the shared limit (60/s) is the bottleneck, and both endpoints get their turns all along
		expect(1199 / (all[1199] - all[0])).toBeGreaterThanOrEqual(0.95 * allowedRate(3600, 60_000));
		const firstHalf = grants.slice(0, 600);
		expect(firstHalf.filter((g) => g.names[0] === 'deposit').length).toBeGreaterThan(290);
	});

	it('refuses a limit it does not know, and leaves no timer behind once the queue is empty', async () => {
		const clock = new FakeClock();
		const pacer = new Pacer({ create: PER_SECOND_50 }, clock);
		await expect(pacer.acquire(['nope'])).rejects.toThrow('No rate limit named nope');
		await runCalls(clock, pacer, [{ names: ['create'] }, { names: ['create'] }]);
		expect(clock.pendingTimers).toBe(0);
		expect(pacer.waiting).toBe(0);
	});
});

describe('pacerFor', () => {
	it('returns one pacer per key for the whole process, and refuses other limits for it', () => {
		const key = uniqueKey();
		const pacer = pacerFor(key, { create: PER_SECOND_50 });
		expect(pacerFor(key, { create: { windowMs: 1000, count: 50 } })).toBe(pacer);
		expect(pacerFor(uniqueKey(), { create: PER_SECOND_50 })).not.toBe(pacer);
		expect(() => pacerFor(key, { create: { count: 51, windowMs: 1000 } })).toThrow(
			/already set differently/,
		);
	});

	it('paces callers of one key together and two keys independently', async () => {
		const clock = new FakeClock();
		const [a, b] = [uniqueKey(), uniqueKey()];
		const grants: Grant[] = [];
		const calls = [a, a, b, b, a].map(async (key, call) => {
			await pacerFor(key, { create: { count: 1, windowMs: 1000 } }, clock).acquire(['create']);
			grants.push({ call, names: [key], at: clock.now() });
		});
		await clock.run(Promise.all(calls));
		// (1000 + 30 + 2) ms apart, with one margin (30 ms) more after the first grant of a busy spell
		expect(timesOf(grants, a)).toEqual([0, 1062, 2094]);
		expect(timesOf(grants, b)).toEqual([0, 1062]);
	});
});

describe('Pacer properties', () => {
	const limitArb = fc.record({
		count: fc.integer({ min: 1, max: 12 }),
		windowMs: fc.integer({ min: 5, max: 2000 }),
	});

	it('never puts more than the count in any window, for any arrivals, limits and timer drift', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.array(limitArb, { minLength: 1, maxLength: 3 }),
				fc.array(
					fc.record({
						arrival: fc.integer({ min: 0, max: 5000 }),
						which: fc.array(fc.nat(2), { minLength: 1, maxLength: 3 }),
					}),
					{ minLength: 1, maxLength: 60 },
				),
				fc.array(fc.integer({ min: -1, max: 20 }), { minLength: 1, maxLength: 10 }),
				async (limitList, arrivals, drifts) => {
					const limits = Object.fromEntries(limitList.map((limit, i) => [`l${i}`, limit]));
					let d = 0;
					const clock = new FakeClock(() => drifts[d++ % drifts.length]);
					const pacer = new Pacer(limits, clock);
					const calls = arrivals.map(({ arrival, which }) => ({
						arrival,
						names: [...new Set(which.map((w) => `l${w % limitList.length}`))],
					}));
					const grants = await runCalls(clock, pacer, calls);
					expect(grants).toHaveLength(calls.length);
					expect(pacer.waiting).toBe(0);
					for (const [name, limit] of Object.entries(limits)) {
						const times = timesOf(grants, name);
						expect(maxInSlidingWindow(times, limit.windowMs)).toBeLessThanOrEqual(limit.count);
						expect(maxInFixedWindows(times, limit.windowMs, 17)).toBeLessThanOrEqual(limit.count);
					}
					// first come, first served
					const order = grants.map((g) => [calls[g.call].arrival, g.call]);
					expect(order).toEqual([...order].sort((x, y) => x[0] - y[0] || x[1] - y[1]));
				},
			),
			{ numRuns: 150, seed: 20240611 },
		);
	});

	it('keeps at least 95% of the allowed rate under steady demand, for any limit', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.integer({ min: 1, max: 60 }),
				fc.integer({ min: 200, max: 5000 }),
				async (count, windowMs) => {
					const clock = new FakeClock();
					const pacer = new Pacer({ only: { count, windowMs } }, clock);
					const n = 4 * count + 1;
					const grants = await runCalls(
						clock,
						pacer,
						Array.from({ length: n }, () => ({ names: ['only'] })),
					);
					const times = timesOf(grants);
					expect((n - 1) / (times[n - 1] - times[0])).toBeGreaterThanOrEqual(
						0.95 * allowedRate(count, windowMs),
					);
				},
			),
			{ numRuns: 60, seed: 42 },
		);
	});
});
