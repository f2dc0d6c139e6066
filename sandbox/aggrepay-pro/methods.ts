import { currencyDecimals, majorToMinor } from './money';
import type { PaymentMethod } from './types';

/** The merchant's methods unless the `paymentMethods` option replaces them (sandbox's choice). */
export const DEFAULT_PAYMENT_METHODS: readonly PaymentMethod[] = [
	{
		code: 'card_rub',
		name: 'Card (RUB)',
		type: 'payment',
		currencies: ['RUB'],
		minAmount: '100',
		maxAmount: '500000',
		banks: {
			RUB: [
				{ code: 'sber', name: 'Sberbank' },
				{ code: 'tbank', name: 'T-Bank' },
				{ code: 'vtb', name: 'VTB' },
			],
		},
	},
	{
		code: 'sbp',
		name: 'SBP (Faster Payments System)',
		type: 'payment',
		currencies: ['RUB'],
		minAmount: '10',
		maxAmount: '300000',
		banks: {
			RUB: [
				{ code: 'sber', name: 'Sberbank' },
				{ code: 'tbank', name: 'T-Bank' },
				{ code: 'alfa', name: 'Alfa-Bank' },
			],
		},
	},
	{
		code: 'card_eur',
		name: 'Card (EUR)',
		type: 'payment',
		currencies: ['EUR'],
		minAmount: '1.00',
		maxAmount: '10000.00',
	},
	{
		code: 'payout_card_eur',
		name: 'Card payout (EUR)',
		type: 'payout',
		currencies: ['EUR'],
		minAmount: '10.00',
		maxAmount: '5000.00',
	},
	{
		code: 'payout_card_rub',
		name: 'Card payout (RUB)',
		type: 'payout',
		currencies: ['RUB'],
		minAmount: '500',
		maxAmount: '300000',
		banks: {
			RUB: [
				{ code: 'sber', name: 'Sberbank' },
				{ code: 'tbank', name: 'T-Bank' },
			],
		},
	},
];

/** Available balances at start, major units. */
export const DEFAULT_BALANCES: Readonly<Record<string, string>> = {
	EUR: '1000.00',
	RUB: '100000.00',
};

/** Refuses a method list the sandbox could not serve exactly (throws Error naming the problem). */
export function checkPaymentMethods(methods: readonly PaymentMethod[]): void {
	const codes = new Set<string>();
	for (const method of methods) {
		if (!method.code || codes.has(method.code))
			throw new Error(`Payment method codes must be unique and non-empty: "${method.code}"`);
		codes.add(method.code);
		if (method.type !== 'payment' && method.type !== 'payout')
			throw new Error(`${method.code}: type must be "payment" or "payout"`);
		if (method.currencies.length === 0) throw new Error(`${method.code}: no currencies`);
		for (const currency of method.currencies) {
			const decimals = currencyDecimals(currency);
			if (decimals === undefined) throw new Error(`${method.code}: unknown currency ${currency}`);
			for (const limit of [method.minAmount, method.maxAmount])
				if (limit !== undefined && majorToMinor(limit, decimals) === undefined)
					throw new Error(
						`${method.code}: limit "${limit}" is not a major-unit amount of ${currency} (at most ${decimals} decimals)`,
					);
		}
		for (const currency of Object.keys(method.banks ?? {}))
			if (!method.currencies.includes(currency))
				throw new Error(`${method.code}: banks for ${currency}, which it does not take`);
	}
}
