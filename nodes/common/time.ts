// Date ranges typed in the editor are wall-clock times in the workflow's time zone; providers want
// UTC. Intl does the zone arithmetic, so no date library has to ship with the pack.

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?$/;

export class DateInputError extends Error {}

/**
 * The instant a date-time input means. Text with "Z" or an offset is taken as is; text without one
 * ("2026-11-01T00:00:00", or n8n's date picker value) is a wall-clock time in `timeZone`.
 */
export function toInstant(value: unknown, timeZone: string, field: string): Date {
	if (value instanceof Date && !Number.isNaN(value.getTime())) return value;
	// an expression such as {{ $today.minus({ days: 2 }) }} gives a Luxon DateTime
	const luxon = value as { toJSDate?: () => unknown } | null;
	if (luxon && typeof luxon === 'object' && typeof luxon.toJSDate === 'function') {
		const date = luxon.toJSDate();
		if (date instanceof Date && !Number.isNaN(date.getTime())) return date;
	}
	const text = typeof value === 'string' ? value.trim() : '';
	const local = LOCAL.exec(text);
	if (local) {
		const [, y, mo, d, h = '0', mi = '0', s = '0', ms = '0'] = local;
		return zonedToUtc([+y, +mo, +d, +h, +mi, +s, +ms.padEnd(3, '0')], timeZone);
	}
	if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(text)) {
		const date = new Date(text);
		if (!Number.isNaN(date.getTime())) return date;
	}
	throw new DateInputError(
		`${field} must be a date and time like 2026-11-01T00:00:00 (in the workflow's time zone, ${timeZone}) or with an offset like 2026-11-01T00:00:00Z; got ${text ? `"${text}"` : typeof value === 'string' || value === undefined || value === null ? 'nothing' : typeof value}`,
	);
}

/** "YYYY-MM-DDTHH:MM:SS" in UTC, the format most payment APIs take. */
export function formatUtcSeconds(date: Date): string {
	return date.toISOString().slice(0, 19);
}

function zonedToUtc(parts: number[], timeZone: string): Date {
	const [y, mo, d, h, mi, s, ms] = parts;
	const wall = Date.UTC(y, mo - 1, d, h, mi, s, ms);
	const check = new Date(wall);
	if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) {
		throw new DateInputError(`Not a valid calendar date and time: ${parts.slice(0, 6).join('-')}`);
	}
	// The offset at the guessed instant, then again at the corrected one: right across DST changes
	let utc = wall - offsetMs(wall, timeZone);
	utc = wall - offsetMs(utc, timeZone);
	return new Date(utc);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** How far the zone's wall clock is ahead of UTC at the instant `utcMs`. */
export function offsetMs(utcMs: number, timeZone: string): number {
	let format = formatters.get(timeZone);
	if (!format) {
		format = !knownZone(timeZone)
			? undefined
			: new Intl.DateTimeFormat('en-US', {
					timeZone,
					hourCycle: 'h23',
					year: 'numeric',
					month: 'numeric',
					day: 'numeric',
					hour: 'numeric',
					minute: 'numeric',
					second: 'numeric',
				});
		if (!format)
			throw new DateInputError(
				`Unknown time zone "${timeZone}": set a valid IANA zone such as Europe/Berlin in the workflow settings`,
			);
		formatters.set(timeZone, format);
	}
	const get: Record<string, number> = {};
	for (const p of format.formatToParts(new Date(utcMs)))
		if (p.type !== 'literal') get[p.type] = Number(p.value);
	const asUtc = Date.UTC(get.year, get.month - 1, get.day, get.hour, get.minute, get.second);
	return asUtc - Math.floor(utcMs / 1000) * 1000;
}

/** Whether the runtime knows this IANA time zone. */
export function knownZone(timeZone: string): boolean {
	try {
		new Intl.DateTimeFormat('en-US', { timeZone });
		return true;
	} catch {
		return false;
	}
}

/** A day of the calendar, without a time or a zone. */
export interface CalendarDate {
	year: number;
	/** 1 to 12 */
	month: number;
	day: number;
}

const DAY_MS = 24 * 3600_000;
const dayNumber = (date: CalendarDate) => Date.UTC(date.year, date.month - 1, date.day) / DAY_MS;
const fromDayNumber = (n: number): CalendarDate => {
	const date = new Date(n * DAY_MS);
	return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
};

/** The day it is in `timeZone` at `instant`. */
export function calendarDateIn(instant: Date, timeZone: string): CalendarDate {
	const wall = new Date(instant.getTime() + offsetMs(instant.getTime(), timeZone));
	return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate() };
}

/** "DD-MM-YYYY" */
export function formatDdMmYyyy(date: CalendarDate): string {
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${pad(date.day)}-${pad(date.month)}-${String(date.year).padStart(4, '0')}`;
}

/**
 * The days from `from` to `to` (both included) as consecutive windows, oldest first, each with at
 * most `maxDaysBetween` days between its first and last day, for APIs that take a date range of
 * limited length. Calendar arithmetic only: a daylight-saving change does not move a day.
 */
export function splitDateRange(
	from: CalendarDate,
	to: CalendarDate,
	maxDaysBetween: number,
): Array<{ from: CalendarDate; to: CalendarDate }> {
	if (!Number.isInteger(maxDaysBetween) || maxDaysBetween < 0)
		throw new RangeError('maxDaysBetween must be a whole number of days, 0 or more');
	const last = dayNumber(to);
	const windows: Array<{ from: CalendarDate; to: CalendarDate }> = [];
	for (let start = dayNumber(from); start <= last; start += maxDaysBetween + 1)
		windows.push({
			from: fromDayNumber(start),
			to: fromDayNumber(Math.min(start + maxDaysBetween, last)),
		});
	return windows;
}
