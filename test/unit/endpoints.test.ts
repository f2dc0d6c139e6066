import {
	endpointPath,
	CredentialSettingError,
	parseEndpoint,
	resolveEndpoints,
} from '../../nodes/common/endpoints';
import { NUMIPAY_ASSUMED_ENDPOINTS } from '../../nodes/Numipay/endpoints';

describe('endpoint overrides', () => {
	it('keeps every assumed endpoint when there is no override', () => {
		expect(resolveEndpoints(NUMIPAY_ASSUMED_ENDPOINTS, '')).toEqual(NUMIPAY_ASSUMED_ENDPOINTS);
		expect(resolveEndpoints(NUMIPAY_ASSUMED_ENDPOINTS, '  \n')).toEqual(NUMIPAY_ASSUMED_ENDPOINTS);
		expect(resolveEndpoints(NUMIPAY_ASSUMED_ENDPOINTS, undefined)).toEqual(
			NUMIPAY_ASSUMED_ENDPOINTS,
		);
	});

	it('replaces only the operations named, method in any case', () => {
		const resolved = resolveEndpoints(
			NUMIPAY_ASSUMED_ENDPOINTS,
			'{"getTransaction": "get /v2/tx/{id}/status", "rejectWithdrawal": "PUT /v2/payouts/reject"}',
		);
		expect(resolved.getTransaction).toEqual({ method: 'GET', path: '/v2/tx/{id}/status' });
		expect(resolved.rejectWithdrawal).toEqual({ method: 'PUT', path: '/v2/payouts/reject' });
		expect(resolved.createCashierSession).toEqual(NUMIPAY_ASSUMED_ENDPOINTS.createCashierSession);
	});

	it.each([
		[
			'not JSON',
			'{getTransaction: GET /x}',
			/must be a JSON object of operation -> "METHOD \/path"/,
		],
		['an array', '["GET /x"]', /must be a JSON object/],
		[
			'an unknown operation',
			'{"getTx": "GET /x"}',
			/unknown operation "getTx"; the operations are createCashierSession, /,
		],
		[
			'no method',
			'{"getTransactions": "/transactions"}',
			/"getTransactions" must be "METHOD \/path"/,
		],
		[
			'an unknown method',
			'{"getTransactions": "FETCH /transactions"}',
			/METHOD one of GET, POST, PUT, PATCH, DELETE/,
		],
		['a relative path', '{"getTransactions": "GET transactions"}', /a path starting with \//],
		['a number', '{"getTransactions": 5}', /"getTransactions" must be "METHOD \/path"/],
		[
			'a parameter the operation lacks',
			'{"getTransactions": "GET /t/{id}"}',
			/"getTransactions" has no path parameter \{id\}; it has none/,
		],
	])('refuses %s with a message that names the field and what is allowed', (_, text, message) => {
		expect(() => resolveEndpoints(NUMIPAY_ASSUMED_ENDPOINTS, text)).toThrow(CredentialSettingError);
		expect(() => resolveEndpoints(NUMIPAY_ASSUMED_ENDPOINTS, text)).toThrow(message);
		expect(() => resolveEndpoints(NUMIPAY_ASSUMED_ENDPOINTS, text)).toThrow(/^Endpoint Overrides/);
	});

	it('fills path parameters, URL-encoded, and refuses a missing one', () => {
		const endpoint = parseEndpoint('GET /transactions/{id}')!;
		expect(endpointPath(endpoint, { id: 'a/b c' })).toBe('/transactions/a%2Fb%20c');
		expect(() => endpointPath(endpoint)).toThrow('no value for path parameter {id}');
	});

	it('states an assumed endpoint for every operation, each a valid "METHOD /path"', () => {
		for (const endpoint of Object.values(NUMIPAY_ASSUMED_ENDPOINTS))
			expect(parseEndpoint(`${endpoint.method} ${endpoint.path}`)).toEqual(endpoint);
	});
});
