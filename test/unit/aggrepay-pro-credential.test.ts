/**
 * The Aggrepay.pro credential's authenticate(): the body is serialized once and exactly those
 * bytes are signed and sent; a GET signs the empty body; the credential test follows the overrides.
 */
import { createHmac } from 'node:crypto';

import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { AggrepayProApi } from '../../credentials/AggrepayProApi.credentials';
import { stringifyJson, JsonNumber } from '../../nodes/common/json';
import { CREDENTIAL_TEST_URL } from '../../nodes/AggrepayPro/environment';

const credential = new AggrepayProApi();
const SECRET = 'pro_secret_ключ_SECRET';
const base: ICredentialDataDecryptedObject = {
	baseUrl: 'https://api.aggrepay.example/',
	apiKey: 'pro_key',
	secretKey: SECRET,
	merchantId: 'm-1',
	amountUnit: 'major',
	endpointOverrides: '',
};
const hmac = (bytes: string) => createHmac('sha256', SECRET).update(bytes, 'utf8').digest('hex');

describe('the Aggrepay.pro credential', () => {
	it('signs exactly the text it sends: non-ASCII, "/" and trailing zeros kept', async () => {
		const body = stringifyJson({
			orderId: 'order/1',
			amount: new JsonNumber('10.50'),
			customer: { name: 'Zoë Ångström — 東京' },
			callbackUri: 'https://n8n.example/webhook/a/callback',
		});
		const options = await credential.authenticate(base, {
			url: '/api/v1/payments',
			method: 'POST',
			body,
		});
		expect(options.body).toBe(body);
		expect(body).toContain('"amount":10.50');
		expect(body).toContain('order/1');
		expect(options.headers).toMatchObject({
			Authorization: 'Bearer pro_key',
			'Content-Type': 'application/json',
			Signature: hmac(body),
		});
		expect(options.baseURL).toBe('https://api.aggrepay.example');
	});

	it('signs an object body as the one text it sends', async () => {
		const options = await credential.authenticate(base, {
			url: '/x',
			method: 'POST',
			body: { a: 'ü/1' },
		});
		expect(typeof options.body).toBe('string');
		expect(options.headers?.Signature).toBe(hmac(options.body as string));
	});

	it('signs the empty body of a GET, and tests on the payment methods where the overrides put them', async () => {
		const assumed = await credential.authenticate(base, {
			url: CREDENTIAL_TEST_URL,
			method: 'GET',
		});
		expect(assumed).toMatchObject({
			url: '/api/v1/payment-methods',
			method: 'GET',
			body: undefined,
		});
		expect(assumed.headers?.Signature).toBe(hmac(''));
		const overridden = await credential.authenticate(
			{ ...base, endpointOverrides: '{"getPaymentMethods": "POST /methods/list"}' },
			{ url: CREDENTIAL_TEST_URL, method: 'GET' },
		);
		expect(overridden).toMatchObject({ url: '/methods/list', method: 'POST' });
		await expect(
			credential.authenticate(
				{ ...base, endpointOverrides: '{"getPaymentMethods": "GET methods"}' },
				{ url: CREDENTIAL_TEST_URL, method: 'GET' },
			),
		).rejects.toThrow(/"getPaymentMethods" must be "METHOD \/path"/);
	});
});
