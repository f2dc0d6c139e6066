import type { IDataObject } from 'n8n-workflow';

import { parseJson } from '../../nodes/common/json';
import { normalizePaytechPayment } from '../../nodes/Paytech/normalize';

describe('normalizePaytechPayment', () => {
	it('maps a pay.tech payment onto the shared shape with the amount text as sent', () => {
		const raw = parseJson(
			'{"id":"91d27876e87f4b22b3ecd53924bf973d","referenceId":"order-1","created":"2026-11-01T10:11:12","paymentType":"WITHDRAWAL","state":"AWAITING_APPROVAL","amount":10.10,"currency":"EUR"}',
		) as IDataObject;
		expect(normalizePaytechPayment(raw)).toEqual({
			provider: 'paytech',
			id: '91d27876e87f4b22b3ecd53924bf973d',
			reference: 'order-1',
			type: 'withdrawal',
			status: 'awaiting_approval',
			providerStatus: 'AWAITING_APPROVAL',
			amount: '10.10',
			currency: 'EUR',
			createdAt: '2026-11-01T10:11:12.000Z',
			updatedAt: null,
			raw,
		});
	});

	it.each([
		['CHECKOUT', 'requires_action'],
		['PENDING', 'pending'],
		['AUTHORIZED', 'authorized'],
		['COMPLETED', 'succeeded'],
		['DECLINED', 'failed'],
		['CANCELLED', 'canceled'],
	])('state %s is %s', (state, status) => {
		expect(
			normalizePaytechPayment({ id: 'x', state, paymentType: 'DEPOSIT', amount: 1e-7 }).status,
		).toBe(status);
	});

	it('prints amounts that did not come through parseJson without exponent', () => {
		expect(normalizePaytechPayment({ id: 'x', amount: 1e-7 }).amount).toBe('0.0000001');
		expect(normalizePaytechPayment({ id: 'x' }).amount).toBeNull();
	});
});
