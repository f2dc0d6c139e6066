export interface TimeWindow {
	from: Date;
	/** Exclusive. */
	to: Date;
}

/**
 * Splits [from, to) into consecutive windows no longer than maxWindowMs, newest first, for APIs
 * that refuse longer ranges. The windows share edges and do not overlap, so an item on an edge is
 * fetched once (callers still drop an item listed twice, for providers whose bounds are inclusive).
 */
export function splitTimeRange(from: Date, to: Date, maxWindowMs: number): TimeWindow[] {
	if (!(maxWindowMs > 0)) throw new RangeError('maxWindowMs must be positive');
	const windows: TimeWindow[] = [];
	for (let end = to.getTime(); end > from.getTime(); end -= maxWindowMs) {
		windows.push({
			from: new Date(Math.max(from.getTime(), end - maxWindowMs)),
			to: new Date(end),
		});
	}
	return windows;
}

/** A runaway-loop guard: more page requests than this is an error, not a silent cut. */
const MAX_PAGES = 100_000;

function tooManyPages(maxPages: number): Error {
	return new Error(`Stopped after ${maxPages} pages: the provider kept returning more`);
}

/**
 * Requests fetch(0), fetch(1)... with up to `concurrency` requests out at once, and yields the
 * answers in index order. It stops at `count`, after an answer `isLast` says ends the list, or
 * when the caller stops iterating; answers to requests made past the end are dropped, once they
 * have come (up to concurrency - 1 requests). At most `concurrency` answers are held, so memory
 * stays bounded however far the head lags.
 *
 * `rounds` is for lists whose end only an answer tells: the next `concurrency` requests go out
 * when every answer of the round before has come. Asking a new request each time one is answered
 * keeps more out when round trips vary, but at the end it has asked past the last page before
 * that page's answer comes, and waiting for those answers costs one more round trip.
 */
export async function* inOrder<R>(options: {
	concurrency: number;
	count?: number;
	rounds?: boolean;
	fetch(index: number): Promise<R>;
	isLast?(answer: R): boolean;
}): AsyncGenerator<R> {
	const { concurrency, count = Infinity, rounds = false, fetch, isLast } = options;
	const pending = new Map<number, Promise<R>>();
	let next = 0;
	try {
		for (let index = 0; index < count; index++) {
			if (!rounds || index === next)
				while (pending.size < concurrency && next < count) {
					const request = fetch(next);
					// an answer nobody waits for any more (past the end, or after a failure) must not
					// become an unhandled rejection
					request.catch(() => undefined);
					pending.set(next++, request);
				}
			const answer = await pending.get(index)!;
			pending.delete(index);
			yield answer;
			if (isLast?.(answer)) return;
		}
	} finally {
		// the provider sees at most `concurrency` requests, also across reads one after another
		await Promise.allSettled(pending.values());
	}
}

export interface NewestFirstPage<T> {
	items: T[];
	hasMore: boolean;
}

export interface NewestFirstOptions<T> {
	/**
	 * Items created before `before` (epoch ms, exclusive; undefined for no bound), newest first,
	 * from `offset`, at most `limit`.
	 */
	fetchPage(before: number | undefined, offset: number, limit: number): Promise<NewestFirstPage<T>>;
	key(item: T): string;
	/** The start of the second the item was created in, epoch ms: the list's bound has seconds. */
	createdSecond(item: T): number;
	pageSize: number;
	/** The largest offset the provider accepts. */
	maxOffset: number;
	concurrency: number;
	before?: number;
	/** Stop after this many items; undefined for all. */
	limit?: number;
	maxPages?: number;
}

/**
 * Every item of an offset-paged list sorted newest first (creation time, then a fixed tiebreak),
 * with pages requested `concurrency` at a time, in list order, without duplicates.
 *
 * Pages read at different moments see different offsets when items arrive or leave meanwhile:
 * read one after another, that only repeats items; read concurrently, a later page read before an
 * arrival and an earlier one after it would skip the items in between. Two things prevent that:
 * - The pin. The first page names the newest second; the rest of the list is read as "created
 *   before that second". Items arriving during the read are created later (by the provider's own
 *   clock, so no clock skew enters), so they do not move the pinned list's offsets. Items of the
 *   newest second come from the first page, which holds all of them unless it is all one second.
 * - The chain. Consecutive pages overlap by one item: each must begin with the item the page
 *   before it ended with. Each page is an unbroken run of the list as it was when read, and the
 *   runs meet at an item, so every item present throughout lies in one of them. A page that does
 *   not begin where the last ended (an item left an Updated Before window, or the provider's order
 *   is not what it is assumed to be) stops this pass; the read starts again below the second of
 *   the last item that chained (that second is listed again; items already output are dropped).
 * The same restart continues the read where offsets run out (maxOffset).
 * Only a page's hasMore tells where the list ends, so pages are asked in rounds (see inOrder).
 */
export async function fetchNewestFirst<T>(options: NewestFirstOptions<T>): Promise<T[]> {
	const { key, createdSecond, pageSize, maxOffset, limit, maxPages = MAX_PAGES } = options;
	if (pageSize < 2) throw new RangeError('pageSize must be at least 2: pages overlap by one');
	const seen = new Set<string>();
	const result: T[] = [];
	/** Adds the items not seen yet; true when the limit is reached. */
	const take = (items: T[], from = 0): boolean => {
		for (let k = from; k < items.length; k++) {
			const id = key(items[k]);
			if (seen.has(id)) continue;
			seen.add(id);
			result.push(items[k]);
			if (limit !== undefined && result.length >= limit) return true;
		}
		return false;
	};
	let requests = 0;
	const fetchPage = async (before: number | undefined, offset: number) => {
		if (++requests > maxPages) throw tooManyPages(maxPages);
		return await options.fetchPage(before, offset, pageSize);
	};

	let before = options.before;
	for (let stale = 0; ; ) {
		const known = result.length;
		const first = await fetchPage(before, 0);
		if (take(first.items) || !first.hasMore || first.items.length === 0) return result;
		const newest = createdSecond(first.items[0]);
		const inNewest = first.items.findIndex((item) => createdSecond(item) < newest);
		// All of the first page in one second: more of that second may follow, so keep its bound
		const pinned = inNewest > 0;
		const bound = pinned ? newest : before;
		let last = first.items[first.items.length - 1];
		// `last`'s offset in the bound list; page j starts there, and each page after it
		const start = first.items.length - (pinned ? inNewest : 0) - 1;
		const step = pageSize - 1;
		let count = Math.floor((maxOffset - start) / step) + 1;
		if (limit !== undefined) count = Math.min(count, Math.ceil((limit - result.length) / step));
		const pages = inOrder({
			concurrency: options.concurrency,
			count,
			rounds: true,
			fetch: async (j) => await fetchPage(bound, start + j * step),
			isLast: (page) => !page.hasMore,
		});
		let ended = false;
		for await (const page of pages) {
			if (page.items.length === 0 || key(page.items[0]) !== key(last)) break;
			if (take(page.items, 1)) return result;
			last = page.items[page.items.length - 1];
			if (!page.hasMore) ended = true;
		}
		if (ended) return result;
		before = createdSecond(last) + 1000;
		// a pass may end with nothing new while the list moves; three in a row means one second
		// holds more items than the offsets reach
		stale = result.length === known ? stale + 1 : 0;
		if (stale === 3)
			throw new Error(
				`More than ${maxOffset} items were created in one second; the list cannot be read past them by offset`,
			);
	}
}

/**
 * Every item of a list paged by number whose pages tell how many pages there are, in order,
 * without duplicates: the first page alone, then the others `concurrency` at a time.
 * Each page also tells the list's size. If that changes between pages, items arrived or left
 * while pages were read at different moments, and a concurrent read may have skipped some: the
 * list is then read again one page after another, which only repeats items (dropped) while items
 * only arrive.
 */
export async function fetchNumberedPages<T>(options: {
	fetchPage(page: number): Promise<{ items: T[]; pages: number; size: string }>;
	firstPage: number;
	key(item: T): string;
	concurrency: number;
	limit?: number;
}): Promise<T[]> {
	const { key, limit, firstPage } = options;
	const read = async (concurrency: number): Promise<T[] | undefined> => {
		const seen = new Set<string>();
		const result: T[] = [];
		const take = (items: T[]): boolean => {
			for (const item of items) {
				const id = key(item);
				if (seen.has(id)) continue;
				seen.add(id);
				result.push(item);
				if (limit !== undefined && result.length >= limit) return true;
			}
			return false;
		};
		const first = await options.fetchPage(firstPage);
		if (take(first.items) || first.items.length === 0) return result;
		// one after another, each page says whether more follow, as the list may grow meanwhile
		const sequential = concurrency === 1;
		let count = sequential ? MAX_PAGES : first.pages - 1;
		if (!sequential && limit !== undefined)
			count = Math.min(count, Math.ceil((limit - result.length) / first.items.length));
		if (first.pages <= 1) return result;
		if (first.pages > MAX_PAGES) throw tooManyPages(MAX_PAGES);
		const pages = inOrder({
			concurrency,
			count,
			fetch: async (k) => ({ k, ...(await options.fetchPage(firstPage + 1 + k)) }),
		});
		for await (const page of pages) {
			if (!sequential && page.size !== first.size) return undefined;
			if (take(page.items) || page.k + 2 >= page.pages || page.items.length === 0) return result;
		}
		if (sequential) throw tooManyPages(MAX_PAGES);
		return result;
	};
	return (await read(options.concurrency)) ?? (await read(1))!;
}
