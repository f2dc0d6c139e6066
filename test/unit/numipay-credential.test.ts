/**
 * The Numipay credential's authenticate(): the key header, the base URL, and the credential test's
 * operation name turned into the list endpoint after the operator's overrides.
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { NumipayApi } from '../../credentials/NumipayApi.credentials';
import { CREDENTIAL_TEST_URL } from '../../nodes/Numipay/environment';

const credential = new NumipayApi();
const base: ICredentialDataDecryptedObject = {
	baseUrl: 'https://api.numipay.example/',
	apiKey: ' dev_key ',
	mode: 'test',
	endpointOverrides: '',
};

describe('the Numipay credential', () => {
	it('sends the key as X-Api-Key to the base URL without its trailing slash', async () => {
		const options = await credential.authenticate(base, {
			url: '/payments/cashier',
			method: 'POST',
		});
		expect(options.baseURL).toBe('https://api.numipay.example');
		expect(options.headers).toMatchObject({ 'X-Api-Key': 'dev_key' });
		expect(options.url).toBe('/payments/cashier');
	});

	it('tests the key on the assumed transaction list, or where the overrides put it', async () => {
		expect(credential.test.request.url).toBe(CREDENTIAL_TEST_URL);
		const assumed = await credential.authenticate(base, {
			url: CREDENTIAL_TEST_URL,
			method: 'GET',
		});
		expect(assumed).toMatchObject({ url: '/transactions', method: 'GET' });
		const overridden = await credential.authenticate(
			{ ...base, endpointOverrides: '{"getTransactions": "POST /v2/tx/list"}' },
			{ url: CREDENTIAL_TEST_URL, method: 'GET' },
		);
		expect(overridden).toMatchObject({ url: '/v2/tx/list', method: 'POST' });
	});

	it('fails the test with a message naming the operation of a malformed override', async () => {
		await expect(
			credential.authenticate(
				{ ...base, endpointOverrides: '{"getTransactions": "FETCH /x"}' },
				{ url: CREDENTIAL_TEST_URL, method: 'GET' },
			),
		).rejects.toThrow(/"getTransactions" must be "METHOD \/path"/);
		await expect(
			credential.authenticate(
				{ ...base, endpointOverrides: '{"listAll": "GET /x"}' },
				{ url: CREDENTIAL_TEST_URL, method: 'GET' },
			),
		).rejects.toThrow(/unknown operation "listAll"/);
	});

	it('refuses a base URL that is not http(s), naming the field', async () => {
		await expect(
			credential.authenticate({ ...base, baseUrl: 'api.numipay.example' }, { url: '/x' }),
		).rejects.toThrow(/Base URL must start with http/);
	});
});
