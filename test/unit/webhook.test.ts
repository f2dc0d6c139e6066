import { ipAllowed, ipBytes, parseAllowlist, redactHeaders } from '../../nodes/common/webhook';

describe('IP allowlist', () => {
	it('matches IPv4, IPv6 and IPv4-mapped addresses against CIDR ranges', () => {
		const list = parseAllowlist('203.0.113.10, 198.51.100.0/24\n2001:db8::/32 10.0.0.0/8');
		expect(ipAllowed('203.0.113.10', list)).toBe(true);
		expect(ipAllowed('203.0.113.11', list)).toBe(false);
		expect(ipAllowed('198.51.100.255', list)).toBe(true);
		expect(ipAllowed('::ffff:198.51.100.7', list)).toBe(true);
		expect(ipAllowed('2001:db8:1::5', list)).toBe(true);
		expect(ipAllowed('2001:db9::1', list)).toBe(false);
		expect(ipAllowed('10.255.0.1', list)).toBe(true);
		expect(ipAllowed(undefined, list)).toBe(false);
		expect(ipAllowed('garbage', list)).toBe(false);
		expect(ipAllowed('127.0.0.1', parseAllowlist('127.0.0.0/30'))).toBe(true);
		expect(ipAllowed('127.0.0.4', parseAllowlist('127.0.0.0/30'))).toBe(false);
	});

	it('parses addresses exactly', () => {
		expect(ipBytes('::1')?.toString('hex')).toBe('00000000000000000000000000000001');
		expect(ipBytes('fe80::1%eth0')?.toString('hex')).toBe('fe800000000000000000000000000001');
		expect(ipBytes('1:2:3:4:5:6:7:8')?.toString('hex')).toBe('00010002000300040005000600070008');
		expect(ipBytes('256.1.1.1')).toBeUndefined();
		expect(ipBytes('1::2::3')).toBeUndefined();
	});

	it('names the bad entry', () => {
		expect(() => parseAllowlist('10.0.0.0/33')).toThrow(
			'IP Allowlist entry "10.0.0.0/33" is not an IPv4 or IPv6 address or CIDR range (like 203.0.113.0/24)',
		);
		expect(() => parseAllowlist('example.com')).toThrow(/"example.com"/);
	});
});

describe('redactHeaders', () => {
	it('hides signature and auth headers, keeps the rest', () => {
		expect(
			redactHeaders(
				{ Signature: 'abc', authorization: 'Bearer x', 'content-type': 'application/json' },
				['signature'],
			),
		).toEqual({
			Signature: '[redacted]',
			authorization: '[redacted]',
			'content-type': 'application/json',
		});
	});
});
