/** AggrePay shows Indian time without a zone ("2017-03-03 17:55:37"); months are IST months too. */
const IST_OFFSET_MS = (5 * 60 + 30) * 60 * 1000;

function shifted(date: Date): string {
	return new Date(date.getTime() + IST_OFFSET_MS).toISOString();
}

export function formatIst(date: Date): string {
	return shifted(date).slice(0, 19).replace('T', ' ');
}

/** YYYY-MM of the IST calendar month, the unit of the monthly limit. */
export function istMonth(date: Date): string {
	return shifted(date).slice(0, 7);
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/;

/**
 * IST date (start of day, or end of day when `endOfDay`) or IST date-time; undefined when the
 * text is neither or names an impossible date.
 */
export function parseIst(text: string, endOfDay = false): Date | undefined {
	let iso: string;
	if (DATE_ONLY.test(text)) iso = `${text}T${endOfDay ? '23:59:59' : '00:00:00'}`;
	else if (DATE_TIME.test(text)) iso = text.replace(' ', 'T');
	else return undefined;
	const date = new Date(`${iso}+05:30`);
	if (Number.isNaN(date.getTime()) || formatIst(date) !== iso.replace('T', ' ')) return undefined;
	return date;
}

/** YYYY-MM-DD that exists on the calendar (date_of_birth). */
export function isCalendarDate(text: string): boolean {
	if (!DATE_ONLY.test(text)) return false;
	const date = new Date(`${text}T00:00:00Z`);
	return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}
