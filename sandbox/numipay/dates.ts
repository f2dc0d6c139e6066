/**
 * Dates of the list endpoint: `from` / `to` as DD-MM-YYYY, read as whole days in the sandbox's
 * time zone (default UTC; the zone is not published).
 */

const DAY_MS = 86_400_000;
const DD_MM_YYYY = /^(\d{2})-(\d{2})-(\d{4})$/;

export interface CalendarDate {
	year: number;
	month: number;
	day: number;
}

export function parseDdMmYyyy(text: string): CalendarDate | undefined {
	const match = DD_MM_YYYY.exec(text);
	if (!match) return undefined;
	const [day, month, year] = [Number(match[1]), Number(match[2]), Number(match[3])];
	const check = new Date(Date.UTC(year, month - 1, day));
	if (
		check.getUTCFullYear() !== year ||
		check.getUTCMonth() !== month - 1 ||
		check.getUTCDate() !== day
	)
		return undefined;
	return { year, month, day };
}

export function formatDdMmYyyy(date: CalendarDate): string {
	const pad = (value: number, size = 2) => String(value).padStart(size, '0');
	return `${pad(date.day)}-${pad(date.month)}-${pad(date.year, 4)}`;
}

/** Throws RangeError for a zone Intl does not know. */
export function checkTimeZone(timeZone: string): void {
	new Intl.DateTimeFormat('en-US', { timeZone });
}

function zoneParts(instant: Date, timeZone: string): Record<string, number> {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
	}).formatToParts(instant);
	const values: Record<string, number> = {};
	for (const part of parts) if (part.type !== 'literal') values[part.type] = Number(part.value);
	return values;
}

/** The calendar date of `instant` in `timeZone`. */
export function dateIn(instant: Date, timeZone: string): CalendarDate {
	const parts = zoneParts(instant, timeZone);
	return { year: parts.year, month: parts.month, day: parts.day };
}

/** Milliseconds the zone is ahead of UTC at `instant`. */
function offsetAt(instant: number, timeZone: string): number {
	const parts = zoneParts(new Date(instant), timeZone);
	const asUtc = Date.UTC(
		parts.year,
		parts.month - 1,
		parts.day,
		parts.hour,
		parts.minute,
		parts.second,
	);
	return asUtc - Math.floor(instant / 1000) * 1000;
}

/** The instant the day starts in `timeZone`. */
export function startOfDay(date: CalendarDate, timeZone: string): number {
	const wall = Date.UTC(date.year, date.month - 1, date.day);
	let instant = wall - offsetAt(wall, timeZone);
	instant = wall - offsetAt(instant, timeZone);
	return instant;
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: CalendarDate, to: CalendarDate): number {
	const value = (date: CalendarDate) => Date.UTC(date.year, date.month - 1, date.day);
	return Math.round((value(to) - value(from)) / DAY_MS);
}

export function nextDay(date: CalendarDate): CalendarDate {
	const next = new Date(Date.UTC(date.year, date.month - 1, date.day) + DAY_MS);
	return { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() };
}

/** transaction_date: "YYYY-MM-DD HH:MM:SS" in UTC. */
export function formatTransactionDate(date: Date): string {
	return date.toISOString().slice(0, 19).replace('T', ' ');
}
