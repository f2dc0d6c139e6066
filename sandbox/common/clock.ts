/** Time as the emulators show it, from one injectable source so tests can pin "now". */

export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

/** Envelope timestamp: 2020-10-07T13:36:32.595+00:00 */
export function formatEnvelopeTimestamp(date: Date): string {
	return date.toISOString().replace('Z', '+00:00');
}

/** Second-precision UTC date-time without zone: 2030-12-25T10:11:12 */
export function formatDateTime(date: Date): string {
	return date.toISOString().slice(0, 19);
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/;

/** Parses exactly YYYY-MM-DDTHH:MM:SS as UTC; anything else (or an impossible date) is undefined. */
export function parseDateTime(text: string): Date | undefined {
	const match = DATE_TIME.exec(text);
	if (!match) return undefined;
	const date = new Date(`${text}Z`);
	if (Number.isNaN(date.getTime()) || formatDateTime(date) !== text) return undefined;
	return date;
}
