import { retryAfterMs } from '../../nodes/common/request';

describe('retryAfterMs', () => {
	const now = Date.parse('2026-11-21T10:00:00Z');
	it('reads seconds and HTTP dates, in either header case', () => {
		expect(retryAfterMs({ 'retry-after': '2' }, now)).toBe(2000);
		expect(retryAfterMs({ 'Retry-After': 1.5 }, now)).toBe(1500);
		expect(retryAfterMs({ 'retry-after': 'Sat, 21 Nov 2026 10:00:30 GMT' }, now)).toBe(30_000);
		expect(retryAfterMs({ 'retry-after': 'Sat, 21 Nov 2026 09:00:00 GMT' }, now)).toBe(0);
	});

	it('ignores what it cannot read', () => {
		expect(retryAfterMs(undefined, now)).toBeUndefined();
		expect(retryAfterMs({}, now)).toBeUndefined();
		expect(retryAfterMs({ 'retry-after': 'soon' }, now)).toBeUndefined();
		expect(retryAfterMs({ 'retry-after': '-3' }, now)).toBeUndefined();
	});
});
