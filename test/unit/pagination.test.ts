import { fetchAll, splitTimeRange } from '../../nodes/common/pagination';

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

describe('fetchAll', () => {
	const pages = [[1, 2, 3], [3, 4, 5], [6]];
	const fetchPage = async (cursor?: number) => {
		const index = cursor ?? 0;
		return {
			items: pages[index].map((id) => ({ id })),
			next: index + 1 < pages.length ? index + 1 : undefined,
		};
	};

	it('follows every page and drops items seen twice', async () => {
		expect((await fetchAll({ fetchPage, key: (x) => String(x.id) })).map((x) => x.id)).toEqual([
			1, 2, 3, 4, 5, 6,
		]);
	});

	it('stops at the limit', async () => {
		expect(
			(await fetchAll({ fetchPage, key: (x) => String(x.id), limit: 4 })).map((x) => x.id),
		).toEqual([1, 2, 3, 4]);
	});

	it('refuses to loop forever', async () => {
		await expect(
			fetchAll({
				fetchPage: async (c?: number) => ({ items: [{ id: c ?? 0 }], next: (c ?? 0) + 1 }),
				key: (x) => String(x.id),
				maxPages: 10,
			}),
		).rejects.toThrow(/10 pages/);
	});
});
