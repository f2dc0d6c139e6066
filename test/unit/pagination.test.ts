import fc from 'fast-check';

import {
	fetchNewestFirst,
	fetchNumberedPages,
	inOrder,
	splitTimeRange,
} from '../../nodes/common/pagination';

describe('splitTimeRange', () => {
	const day = 24 * 3600_000;
	it('covers the range exactly with windows no longer than the maximum, newest first', () => {
		const from = new Date('2026-01-01T00:00:00Z');
		const to = new Date('2026-01-20T12:00:00Z');
		const windows = splitTimeRange(from, to, 7 * day);
		expect(windows.map((w) => [w.from.toISOString(), w.to.toISOString()])).toEqual([
			['2026-01-13T12:00:00.000Z', '2026-01-20T12:00:00.000Z'],
			['2026-01-06T12:00:00.000Z', '2026-01-13T12:00:00.000Z'],
			['2026-01-01T00:00:00.000Z', '2026-01-06T12:00:00.000Z'],
		]);
		for (let k = 1; k < windows.length; k++)
			expect(windows[k].to.getTime()).toBe(windows[k - 1].from.getTime());
	});

	it('returns nothing for an empty range and rejects a non-positive window', () => {
		expect(splitTimeRange(new Date(5), new Date(5), day)).toEqual([]);
		expect(() => splitTimeRange(new Date(0), new Date(1), 0)).toThrow(RangeError);
	});
});

const tick = async (turns: number) => {
	for (let k = 0; k < turns; k++) await new Promise((resolve) => setImmediate(resolve));
};

describe('inOrder', () => {
	it('yields answers in index order with at most `concurrency` requests out', async () => {
		let out = 0;
		let peak = 0;
		const answers: number[] = [];
		for await (const answer of inOrder({
			concurrency: 3,
			count: 10,
			fetch: async (index) => {
				peak = Math.max(peak, ++out);
				await tick((index * 7) % 4);
				out--;
				return index;
			},
		}))
			answers.push(answer);
		expect(answers).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
		expect(peak).toBe(3);
	});

	it('stops after the answer that ends the list, and drops failures past it', async () => {
		const asked: number[] = [];
		const answers: number[] = [];
		for await (const answer of inOrder({
			concurrency: 4,
			fetch: async (index) => {
				asked.push(index);
				await tick(1);
				if (index > 2) throw new Error('past the end');
				return index;
			},
			isLast: (answer) => answer === 2,
		}))
			answers.push(answer);
		expect(answers).toEqual([0, 1, 2]);
		// the window moved on as 0 and 1 came: 3 requests (concurrency - 1) past the end
		expect(asked).toEqual([0, 1, 2, 3, 4, 5]);
	});

	it('in rounds, asks the next requests once the round before is answered, and none after the round that ends the list', async () => {
		const answered = new Set<number>();
		/** [index, answers come when it was asked] */
		const asked: Array<[number, number]> = [];
		const answers: number[] = [];
		for await (const answer of inOrder({
			concurrency: 3,
			rounds: true,
			fetch: async (index) => {
				asked.push([index, answered.size]);
				// later indexes answer first, so a request asked per answer would go out earlier
				await tick(3 - (index % 3));
				answered.add(index);
				return index;
			},
			isLast: (answer) => answer === 4,
		}))
			answers.push(answer);
		expect(answers).toEqual([0, 1, 2, 3, 4]);
		expect(asked).toEqual([
			[0, 0],
			[1, 0],
			[2, 0],
			[3, 3],
			[4, 3],
			[5, 3],
		]);
	});

	it('fails with the first failed answer in order', async () => {
		const read = async () => {
			for await (const answer of inOrder({
				concurrency: 2,
				count: 5,
				fetch: async (index) => {
					if (index === 1) throw new Error('page 1 failed');
					return index;
				},
			}))
				void answer;
		};
		await expect(read()).rejects.toThrow('page 1 failed');
	});
});

interface Row {
	id: number;
	/** Creation time, whole seconds (ms since the epoch). */
	created: number;
}

/**
 * An offset-paged provider sorted newest first (ties: higher id first). Every page request is
 * answered after a random number of turns, from the list as it is at that moment, and each request
 * first applies the next step of a script that adds and removes rows meanwhile.
 */
class MovingList {
	rows: Row[];
	requests = 0;
	/** Requests for a first page: one per pass over the list. */
	passes = 0;
	inFlight = 0;
	peak = 0;
	private nextId: number;
	private clock: number;

	constructor(
		size: number,
		private readonly script: Array<{
			add: number;
			remove: number[];
			advanceMs: number;
			turns: number;
		}>,
		/** Created times of arrivals: the provider's clock (monotone) or any time in the list. */
		private readonly arrivals: 'now' | 'anywhen',
	) {
		// up to 3 rows a second, so seconds are shared and pages end mid-second
		this.rows = Array.from({ length: size }, (_, k) => ({
			id: k + 1,
			created: 1_000_000_000 + Math.floor((k * 1000) / 3 / 1000) * 1000,
		}));
		this.nextId = size + 1;
		this.clock = (this.rows.at(-1)?.created ?? 1_000_000_000) + 1000;
	}

	sorted(): Row[] {
		return [...this.rows].sort((a, b) => b.created - a.created || b.id - a.id);
	}

	async page(before: number | undefined, offset: number, limit: number) {
		// the script runs once: the list then holds still, so every read ends
		const step = this.script[this.requests++];
		if (offset === 0) this.passes++;
		this.peak = Math.max(this.peak, ++this.inFlight);
		await tick(step?.turns ?? 0);
		if (step) {
			for (let k = 0; k < step.add; k++) {
				this.clock += step.advanceMs;
				const created =
					this.arrivals === 'now'
						? Math.floor(this.clock / 1000) * 1000
						: (this.rows[(this.nextId * 7919) % this.rows.length]?.created ?? this.clock);
				this.rows.push({ id: this.nextId++, created });
			}
			for (const r of step.remove)
				if (this.rows.length > 1) this.rows.splice(r % this.rows.length, 1);
		}
		const matching = this.sorted().filter((row) => before === undefined || row.created < before);
		this.inFlight--;
		return {
			items: matching.slice(offset, offset + limit),
			hasMore: offset + limit < matching.length,
		};
	}
}

const readAll = (
	list: MovingList,
	options: { pageSize: number; concurrency: number; maxOffset?: number; limit?: number },
) =>
	fetchNewestFirst<Row>({
		fetchPage: async (before, offset, limit) => await list.page(before, offset, limit),
		key: (row) => String(row.id),
		createdSecond: (row) => row.created,
		maxOffset: 1_000_000,
		...options,
	});

const scriptArbitrary = fc.array(
	fc.record({
		add: fc.nat(3),
		remove: fc.array(fc.nat(), { maxLength: 1 }),
		advanceMs: fc.integer({ min: 0, max: 1500 }),
		turns: fc.nat(6),
	}),
	{ maxLength: 30 },
);

describe('fetchNewestFirst', () => {
	it('outputs every row present throughout once, newest second first, while rows arrive and leave', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.integer({ min: 0, max: 120 }),
				scriptArbitrary,
				fc.constantFrom<'now' | 'anywhen'>('now', 'anywhen'),
				fc.integer({ min: 2, max: 9 }),
				fc.integer({ min: 1, max: 6 }),
				// 100: more than any one second holds here (the offsets must reach past a second)
				fc.constantFrom(1_000_000, 100),
				async (size, script, arrivals, pageSize, concurrency, maxOffset) => {
					const list = new MovingList(size, script, arrivals);
					const before = new Map(list.rows.map((row) => [row.id, row]));
					const result = await readAll(list, { pageSize, concurrency, maxOffset });
					const after = new Set(list.rows.map((row) => row.id));
					const ids = result.map((row) => row.id);
					expect(new Set(ids).size).toBe(ids.length);
					const output = new Set(ids);
					for (const id of before.keys()) if (after.has(id)) expect(output).toContain(id);
					for (let k = 1; k < result.length; k++)
						expect(result[k].created).toBeLessThanOrEqual(result[k - 1].created);
					expect(list.peak).toBeLessThanOrEqual(concurrency);
				},
			),
			{ numRuns: 300 },
		);
	});

	it('reads a list that grows at the top with one request per page: the pin keeps offsets still', async () => {
		const script = Array.from({ length: 50 }, () => ({
			add: 3,
			remove: [],
			advanceMs: 400,
			turns: 2,
		}));
		const list = new MovingList(1000, script, 'now');
		const result = await readAll(list, { pageSize: 100, concurrency: 5 });
		expect(result).toHaveLength(1000 + 3);
		expect(list.passes).toBe(1);
		// the first page, then 1000 - 100 rows at 99 new ones a page, and up to 4 past the end
		expect(list.requests).toBeGreaterThanOrEqual(1 + Math.ceil(900 / 99));
		expect(list.requests).toBeLessThanOrEqual(1 + Math.ceil(900 / 99) + 4);
	});

	it('stops at the limit', async () => {
		const list = new MovingList(50, [], 'now');
		const result = await readAll(list, { pageSize: 10, concurrency: 4, limit: 23 });
		expect(result.map((row) => row.id)).toEqual(
			list
				.sorted()
				.slice(0, 23)
				.map((row) => row.id),
		);
		expect(list.requests).toBeLessThanOrEqual(3);
	});

	it('says so when one second holds more rows than the offsets reach', async () => {
		const list = new MovingList(0, [{ add: 30, remove: [], advanceMs: 0, turns: 0 }], 'now');
		await expect(readAll(list, { pageSize: 4, concurrency: 2, maxOffset: 10 })).rejects.toThrow(
			'More than 10 items were created in one second',
		);
	});

	it('refuses to loop forever', async () => {
		await expect(
			fetchNewestFirst<Row>({
				fetchPage: async (_before, offset) => ({
					items: [
						{ id: offset, created: 0 },
						{ id: offset + 1, created: 0 },
					],
					hasMore: true,
				}),
				key: (row) => String(row.id),
				createdSecond: (row) => row.created,
				pageSize: 2,
				maxOffset: 1_000_000,
				concurrency: 3,
				maxPages: 10,
			}),
		).rejects.toThrow(/10 pages/);
	});
});

describe('fetchNumberedPages', () => {
	/** Pages numbered from 1; the list grows at the top after `growAfter` requests. */
	const provider = (rows: number, pageSize: number, growAfter = Infinity) => {
		let list = Array.from({ length: rows }, (_, k) => rows - k);
		let requests = 0;
		let peak = 0;
		let out = 0;
		return {
			get requests() {
				return requests;
			},
			get peak() {
				return peak;
			},
			fetchPage: async (page: number) => {
				if (++requests > growAfter) list = [list[0] + 1, ...list];
				peak = Math.max(peak, ++out);
				await tick(page % 3);
				out--;
				return {
					items: list.slice((page - 1) * pageSize, page * pageSize).map((id) => ({ id })),
					pages: Math.ceil(list.length / pageSize),
					size: String(list.length),
				};
			},
		};
	};

	it('reads every page, the rest concurrently, in order', async () => {
		const p = provider(95, 10);
		const result = await fetchNumberedPages({
			...p,
			firstPage: 1,
			key: (x) => String(x.id),
			concurrency: 4,
		});
		expect(result.map((x) => x.id)).toEqual(Array.from({ length: 95 }, (_, k) => 95 - k));
		expect(p.requests).toBe(10);
		expect(p.peak).toBe(4);
	});

	it('reads the list again, page after page, when its size changed during the read', async () => {
		const p = provider(95, 10, 3);
		const result = await fetchNumberedPages({
			...p,
			firstPage: 1,
			key: (x) => String(x.id),
			concurrency: 4,
		});
		const ids = result.map((x) => x.id);
		expect(new Set(ids).size).toBe(ids.length);
		for (let id = 1; id <= 95; id++) expect(ids).toContain(id);
		expect(p.requests).toBeGreaterThan(10);
	});

	it('stops at the limit', async () => {
		const p = provider(95, 10);
		const result = await fetchNumberedPages({
			...p,
			firstPage: 1,
			key: (x) => String(x.id),
			concurrency: 4,
			limit: 25,
		});
		expect(result).toHaveLength(25);
		expect(p.requests).toBe(3);
	});
});
