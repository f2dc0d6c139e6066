import type { IDataObject } from 'n8n-workflow';

import { parseJson } from '../../nodes/common/json';
import { normalizeNumipayTransaction } from '../../nodes/Numipay/normalize';

// the published webhook vector's payload
const WEBHOOK =
	'{"transaction_id":"r21nmrtpcmrcava","user_id":"1111222","tracking_id":"b8f04416-116a-11ed-861d-0242ac120002","status":"rejected","currency":"GBP","amount":"200.00","transaction_type":"withdrawal"}';

describe('normalizeNumipayTransaction', () => {
	it('maps a webhook payload with the amount text as sent', () => {
		const raw = parseJson(WEBHOOK) as IDataObject;
		expect(normalizeNumipayTransaction(raw)).toEqual({
			provider: 'numipay',
			id: 'r21nmrtpcmrcava',
			reference: 'b8f04416-116a-11ed-861d-0242ac120002',
			type: 'withdrawal',
			status: 'failed',
			providerStatus: 'rejected',
			amount: '200.00',
			currency: 'GBP',
			createdAt: null,
			updatedAt: null,
			raw,
		});
	});

	it('maps a list row, keeping the digits of a numeric amount and reading the date as UTC', () => {
		const raw = parseJson(
			'{"transaction_id":"k3j9x0a8b7c6d5e","gateway_transaction_id":"gw-1","provider_transaction_id":"pv-1","transaction_type":"deposit","transaction_date":"2026-11-01 10:11:12","status":"successful","payment_provider":"numipay_simulator","customer_id":1000,"amount":10.10,"currency":"EUR","user_amount":10.10,"user_currency":"EUR","fx_amount":0}',
		) as IDataObject;
		expect(normalizeNumipayTransaction(raw)).toEqual({
			provider: 'numipay',
			id: 'k3j9x0a8b7c6d5e',
			reference: null,
			type: 'deposit',
			status: 'succeeded',
			providerStatus: 'successful',
			amount: '10.10',
			currency: 'EUR',
			createdAt: '2026-11-01T10:11:12.000Z',
			updatedAt: null,
			raw,
		});
	});

	it('keeps an amount that is already exact text, and writes a plain number without exponent', () => {
		expect(
			normalizeNumipayTransaction({ transaction_id: 'x', amount: '0.000000000000000001' }).amount,
		).toBe('0.000000000000000001');
		expect(normalizeNumipayTransaction({ transaction_id: 'x', amount: 1e-7 }).amount).toBe(
			'0.0000001',
		);
		expect(normalizeNumipayTransaction({ transaction_id: 'x' }).amount).toBeNull();
	});

	it("maps the Numipay node's Get Transaction output, whose status is transaction_status", () => {
		const raw = { id: 'order-42', transaction_status: 'pending', rejected_reason: null };
		expect(normalizeNumipayTransaction(raw)).toEqual({
			provider: 'numipay',
			id: 'order-42',
			reference: null,
			type: 'other',
			status: 'pending',
			providerStatus: 'pending',
			amount: null,
			currency: null,
			createdAt: null,
			updatedAt: null,
			raw,
		});
	});

	it.each([
		['pending', 'pending'],
		['successful', 'succeeded'],
		['rejected', 'failed'],
	])('status %s is %s', (status, normalized) => {
		expect(normalizeNumipayTransaction({ transaction_id: 'x', status }).status).toBe(normalized);
	});

	it('keeps a status it does not know in providerStatus and calls it pending', () => {
		const t = normalizeNumipayTransaction({ transaction_id: 'x', status: 'chargeback_review' });
		expect([t.status, t.providerStatus]).toEqual(['pending', 'chargeback_review']);
		expect(normalizeNumipayTransaction({ transaction_id: 'x' }).providerStatus).toBeNull();
	});

	it('calls a transaction type it does not know "other"', () => {
		expect(
			normalizeNumipayTransaction({ transaction_id: 'x', transaction_type: 'refund' }).type,
		).toBe('other');
	});

	it('prefers transaction_id to id, and has no createdAt for a date it cannot read', () => {
		const t = normalizeNumipayTransaction({
			transaction_id: 'gateway-id',
			id: 'asked-for',
			transaction_date: 'yesterday',
		});
		expect([t.id, t.createdAt]).toEqual(['gateway-id', null]);
	});
});
