import type { IDataObject } from 'n8n-workflow';

import { moneyAsText, parseJson } from '../../nodes/common/json';
import { normalizeAggrepayProPayment } from '../../nodes/AggrepayPro/normalize';

// A status answer's data as the pack assumes it (docs/providers/aggrepay-pro.md, section 3)
const PAYMENT =
	'{"id":"ap_7f3c91","orderId":"order-1001","merchantId":"m-42","type":"payment","state":"finished","amount":10.50,"currency":"EUR","paymentMethod":"card_p2p","paymentUri":"https://pay.example/ap_7f3c91","requisite":{"bank":"Demo Bank","account":"4000 0000 0000 0002","holder":"J. Doe"},"createdAt":"2026-03-01T10:11:12Z","updatedAt":"2026-03-01T10:15:00.250Z"}';

const parsed = (text: string) => moneyAsText(parseJson(text) as IDataObject, new Set(['amount']));

describe('normalizeAggrepayProPayment', () => {
	it('maps a finished payment with the amount digits as sent', () => {
		const raw = parsed(PAYMENT);
		expect(normalizeAggrepayProPayment(raw)).toEqual({
			provider: 'aggrepay-pro',
			id: 'ap_7f3c91',
			reference: 'order-1001',
			type: 'deposit',
			status: 'succeeded',
			providerStatus: 'finished',
			amount: '10.50',
			currency: 'EUR',
			createdAt: '2026-03-01T10:11:12.000Z',
			updatedAt: '2026-03-01T10:15:00.250Z',
			raw,
		});
	});

	it('maps a payout in check, with a numeric id and orderId, and no requisite', () => {
		const raw = parsed(
			'{"id":98765,"orderId":555,"merchantId":"m-42","type":"payout","state":"in_check","amount":2500,"currency":"RUB","paymentMethod":"sbp","paymentUri":null,"requisite":null,"createdAt":"2026-03-01T10:11:12","updatedAt":null}',
		);
		expect(normalizeAggrepayProPayment(raw)).toEqual({
			provider: 'aggrepay-pro',
			id: '98765',
			reference: '555',
			type: 'withdrawal',
			status: 'pending',
			providerStatus: 'in_check',
			amount: '2500',
			currency: 'RUB',
			// a time without a zone is read as UTC, as the pack assumes for Aggrepay.pro's dates
			createdAt: '2026-03-01T10:11:12.000Z',
			updatedAt: null,
			raw,
		});
	});

	it('keeps the amount in the unit it was sent in: minor units stay minor', () => {
		// an account in minor units sends 1050 for 10.50: converting is the caller's, with the credential
		expect(normalizeAggrepayProPayment(parsed('{"id":"a","amount":1050}')).amount).toBe('1050');
		expect(normalizeAggrepayProPayment(parsed('{"id":"a","amount":10.50}')).amount).toBe('10.50');
		expect(normalizeAggrepayProPayment(parsed('{"id":"a","amount":1000.000}')).amount).toBe(
			'1000.000',
		);
		expect(normalizeAggrepayProPayment({ id: 'a', amount: '0.000000000000000001' }).amount).toBe(
			'0.000000000000000001',
		);
		// a number that did not come through parseJson is written without an exponent
		expect(normalizeAggrepayProPayment({ id: 'a', amount: 1e-7 }).amount).toBe('0.0000001');
		expect(normalizeAggrepayProPayment({ id: 'a' }).amount).toBeNull();
		expect(normalizeAggrepayProPayment({ id: 'a', amount: null }).amount).toBeNull();
	});

	it.each([
		// the customer has to choose a payment method
		['created', 'requires_action'],
		['pending', 'pending'],
		['in_check', 'pending'],
		// open until the gateway's appeal decides it; not a decision the merchant takes
		['dispute', 'pending'],
		['finished', 'succeeded'],
		['canceled', 'canceled'],
		// abandoned, like a cancellation: nothing was refused
		['expired', 'canceled'],
		['failed', 'failed'],
	])('state %s is %s', (state, normalized) => {
		const t = normalizeAggrepayProPayment({ id: 'x', state });
		expect([t.status, t.providerStatus]).toEqual([normalized, state]);
	});

	it('reads a state or type in another letter case, keeping the state as sent', () => {
		const t = normalizeAggrepayProPayment({ id: 'x', state: 'FINISHED', type: 'Payout' });
		expect([t.status, t.providerStatus, t.type]).toEqual(['succeeded', 'FINISHED', 'withdrawal']);
	});

	it('calls a state it does not know pending and keeps it in providerStatus', () => {
		const t = normalizeAggrepayProPayment({ id: 'x', state: 'refunded' });
		expect([t.status, t.providerStatus]).toEqual(['pending', 'refunded']);
		const none = normalizeAggrepayProPayment({ id: 'x' });
		expect([none.status, none.providerStatus]).toEqual(['pending', null]);
	});

	it('calls a missing or unknown type "other"', () => {
		expect(normalizeAggrepayProPayment({ id: 'x' }).type).toBe('other');
		expect(normalizeAggrepayProPayment({ id: 'x', type: 'refund' }).type).toBe('other');
	});

	it('has null for what is missing or unreadable', () => {
		const t = normalizeAggrepayProPayment({
			orderId: '',
			currency: '',
			createdAt: 'yesterday',
			updatedAt: 1767225600,
		});
		expect(t).toMatchObject({
			id: '',
			reference: null,
			currency: null,
			createdAt: null,
			updatedAt: null,
		});
	});
});
