import { classifyNetworkFailure, retryAfterMs } from '../../nodes/common/request';

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

describe('classifyNetworkFailure', () => {
	it('retries what never reached the provider, even a create', () => {
		expect(classifyNetworkFailure('ECONNREFUSED', false)).toEqual({
			retryable: true,
			ambiguous: false,
			mayStillBeProcessing: false,
		});
	});

	it('retries a broken or timed-out read, never a broken or timed-out create', () => {
		expect(classifyNetworkFailure('ECONNRESET', true)).toMatchObject({
			retryable: true,
			ambiguous: true,
		});
		expect(classifyNetworkFailure('ECONNRESET', false)).toEqual({
			retryable: false,
			ambiguous: true,
			mayStillBeProcessing: false,
		});
		expect(classifyNetworkFailure('ETIMEDOUT', false)).toEqual({
			retryable: false,
			ambiguous: true,
			mayStillBeProcessing: true,
		});
		expect(classifyNetworkFailure('ECONNABORTED', true)).toEqual({
			retryable: true,
			ambiguous: true,
			mayStillBeProcessing: true,
		});
	});

	it('treats an unknown failure as ambiguous and possibly still in progress', () => {
		expect(classifyNetworkFailure(undefined, false)).toEqual({
			retryable: false,
			ambiguous: true,
			mayStillBeProcessing: true,
		});
		expect(classifyNetworkFailure('EWEIRD', true)).toMatchObject({
			retryable: false,
			ambiguous: true,
		});
	});
});
