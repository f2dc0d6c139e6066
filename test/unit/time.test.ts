import { DateInputError, formatUtcSeconds, offsetMs, toInstant } from '../../nodes/common/time';

describe('toInstant', () => {
	it('reads wall-clock input in the workflow time zone', () => {
		expect(toInstant('2026-11-01T00:00:00', 'Europe/Berlin', 'Created After').toISOString()).toBe(
			'2026-10-31T23:00:00.000Z',
		);
		expect(toInstant('2026-07-01T00:00:00', 'Europe/Berlin', 'x').toISOString()).toBe(
			'2026-06-30T22:00:00.000Z',
		);
		expect(toInstant('2026-11-01', 'America/New_York', 'x').toISOString()).toBe(
			'2026-11-01T04:00:00.000Z',
		);
		expect(toInstant('2026-11-01T00:00:00.250', 'UTC', 'x').toISOString()).toBe(
			'2026-11-01T00:00:00.250Z',
		);
		expect(toInstant('2026-11-01 12:30', 'Asia/Kolkata', 'x').toISOString()).toBe(
			'2026-11-01T07:00:00.000Z',
		);
	});

	it('is right on both sides of a daylight-saving change', () => {
		// Berlin: clocks go back at 03:00 CEST on 2026-10-25 (01:00 UTC)
		expect(toInstant('2026-10-25T00:30:00', 'Europe/Berlin', 'x').toISOString()).toBe(
			'2026-10-24T22:30:00.000Z',
		);
		expect(toInstant('2026-10-25T04:00:00', 'Europe/Berlin', 'x').toISOString()).toBe(
			'2026-10-25T03:00:00.000Z',
		);
		// New York: 02:30 on 2026-03-08 does not exist; it resolves one way or the other, never NaN
		expect(Number.isNaN(toInstant('2026-03-08T02:30:00', 'America/New_York', 'x').getTime())).toBe(
			false,
		);
	});

	it('takes explicit offsets as given', () => {
		expect(toInstant('2026-11-01T00:00:00Z', 'Europe/Berlin', 'x').toISOString()).toBe(
			'2026-11-01T00:00:00.000Z',
		);
		expect(toInstant('2026-11-01T00:00:00+05:30', 'Europe/Berlin', 'x').toISOString()).toBe(
			'2026-10-31T18:30:00.000Z',
		);
	});

	it('names the field and the expected format on bad input', () => {
		expect(() => toInstant('yesterday', 'UTC', 'Created After')).toThrow(
			/Created After must be a date and time like 2026-11-01T00:00:00/,
		);
		expect(() => toInstant('2026-02-30T00:00:00', 'UTC', 'Created After')).toThrow(DateInputError);
		expect(() => toInstant('2026-11-01T00:00:00', 'Mars/Base', 'x')).toThrow(
			/Unknown time zone "Mars\/Base"/,
		);
	});
});

describe('offsetMs and formatUtcSeconds', () => {
	it('reports zone offsets', () => {
		expect(offsetMs(Date.UTC(2026, 0, 1), 'Asia/Kolkata')).toBe(5.5 * 3600_000);
		expect(offsetMs(Date.UTC(2026, 0, 1), 'UTC')).toBe(0);
	});

	it('formats UTC to the second', () => {
		expect(formatUtcSeconds(new Date('2026-11-01T10:11:12.999Z'))).toBe('2026-11-01T10:11:12');
	});
});
