import fc from 'fast-check';

import {
	calendarDateIn,
	formatDdMmYyyy,
	splitDateRange,
	type CalendarDate,
} from '../../nodes/common/time';

const day = (text: string): CalendarDate => {
	const [year, month, dayOfMonth] = text.split('-').map(Number);
	return { year, month, day: dayOfMonth };
};
const windowsAsText = (from: string, to: string, max: number) =>
	splitDateRange(day(from), day(to), max).map(
		(w) => `${formatDdMmYyyy(w.from)}..${formatDdMmYyyy(w.to)}`,
	);

describe('date windows for APIs that limit a range to a few days', () => {
	it('splits across a month and a leap day', () => {
		expect(windowsAsText('2028-02-20', '2028-03-10', 6)).toEqual([
			'20-02-2028..26-02-2028',
			'27-02-2028..04-03-2028',
			'05-03-2028..10-03-2028',
		]);
	});

	it('splits across a year', () => {
		expect(windowsAsText('2026-12-28', '2027-01-05', 6)).toEqual([
			'28-12-2026..03-01-2027',
			'04-01-2027..05-01-2027',
		]);
	});

	it('gives one window for one day and none for a range that ends before it starts', () => {
		expect(windowsAsText('2026-11-23', '2026-11-23', 6)).toEqual(['23-11-2026..23-11-2026']);
		expect(windowsAsText('2026-11-23', '2026-11-22', 6)).toEqual([]);
		expect(() => splitDateRange(day('2026-11-23'), day('2026-11-24'), -1)).toThrow(RangeError);
	});

	it('covers every day once, in order, each window within the limit', () => {
		const toNumber = (d: CalendarDate) => Date.UTC(d.year, d.month - 1, d.day) / 86_400_000;
		fc.assert(
			fc.property(
				fc.date({ min: new Date('1999-01-01'), max: new Date('2100-12-31'), noInvalidDate: true }),
				fc.nat(400),
				fc.nat(30),
				(start, length, max) => {
					const from = calendarDateIn(start, 'UTC');
					const to = calendarDateIn(new Date(start.getTime() + length * 86_400_000), 'UTC');
					const windows = splitDateRange(from, to, max);
					// plain checks: an expect() per window would dominate the run time
					let next = toNumber(from);
					for (const w of windows) {
						const first = toNumber(w.from);
						const last = toNumber(w.to);
						if (first !== next || last < first || last - first > max) return false;
						next = last + 1;
					}
					return next === toNumber(to) + 1;
				},
			),
			{ seed: 20261124, numRuns: 1000 },
		);
	});

	it("reads an instant's day in the API's zone, also across a daylight-saving change", () => {
		// Europe/Berlin moves from UTC+1 to UTC+2 at 2026-03-29 01:00 UTC
		expect(calendarDateIn(new Date('2026-03-28T23:30:00Z'), 'Europe/Berlin')).toEqual(
			day('2026-03-29'),
		);
		expect(calendarDateIn(new Date('2026-03-28T23:30:00Z'), 'UTC')).toEqual(day('2026-03-28'));
		expect(calendarDateIn(new Date('2026-03-29T22:30:00Z'), 'Europe/Berlin')).toEqual(
			day('2026-03-30'),
		);
		expect(calendarDateIn(new Date('2026-03-29T21:59:59Z'), 'Europe/Berlin')).toEqual(
			day('2026-03-29'),
		);
		// a week of Berlin wall-clock days that holds the change is still 7 calendar days
		const from = calendarDateIn(new Date('2026-03-25T23:00:00Z'), 'Europe/Berlin');
		const to = calendarDateIn(new Date('2026-04-01T21:59:59Z'), 'Europe/Berlin');
		expect(
			windowsAsText(
				`${from.year}-${from.month}-${from.day}`,
				`${to.year}-${to.month}-${to.day}`,
				6,
			),
		).toEqual(['26-03-2026..01-04-2026']);
		// and the southern hemisphere's change the other way (Australia/Sydney, 2026-04-05)
		expect(calendarDateIn(new Date('2026-04-04T14:30:00Z'), 'Australia/Sydney')).toEqual(
			day('2026-04-05'),
		);
	});
});
