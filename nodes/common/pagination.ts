export interface TimeWindow {
	from: Date;
	/** Exclusive. */
	to: Date;
}

/**
 * Splits [from, to) into consecutive windows no longer than maxWindowMs, newest first, for APIs
 * that refuse longer ranges. The windows share edges and do not overlap, so an item on an edge is
 * fetched once (fetchAll's de-duplication covers providers whose bounds are inclusive).
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

export interface Page<T, C> {
	items: T[];
	/** Where the next page starts; undefined when this was the last page. */
	next?: C;
}

export interface FetchAllOptions<T, C> {
	fetchPage(cursor: C | undefined): Promise<Page<T, C>>;
	/** Identity of an item: an item seen twice (offset paging over a list that grew) is kept once. */
	key(item: T): string;
	/** Stop after this many items; undefined for all. */
	limit?: number;
	/** A runaway-loop guard: more pages than this is an error, not a silent cut. */
	maxPages?: number;
}

/** Follows pages until the last one or the limit, in provider order, without duplicates. */
export async function fetchAll<T, C>(options: FetchAllOptions<T, C>): Promise<T[]> {
	const { limit, maxPages = 100_000 } = options;
	const seen = new Set<string>();
	const result: T[] = [];
	let cursor: C | undefined;
	for (let page = 0; ; page++) {
		if (page >= maxPages)
			throw new Error(`Stopped after ${maxPages} pages: the provider kept returning more`);
		const { items, next } = await options.fetchPage(cursor);
		for (const item of items) {
			const key = options.key(item);
			if (seen.has(key)) continue;
			seen.add(key);
			result.push(item);
			if (limit !== undefined && result.length >= limit) return result;
		}
		if (next === undefined || items.length === 0) return result;
		cursor = next;
	}
}
