import type { CardBehaviour, PaymentMethodDetails } from './types';

/** The sandbox test cards from the published "Testing" section. */
const TEST_CARDS: Record<string, CardBehaviour> = {
	'4000000000000002': { threeDSecure: true, approved: true },
	'4242424242424242': { threeDSecure: true, approved: false },
	'4000000000000408': { threeDSecure: false, approved: true },
	'4000000000000416': { threeDSecure: false, approved: false },
};

// Assumption: pay.tech does not say what other numbers do in its sandbox; approving them keeps
// ad-hoc manual testing simple.
const OTHER_CARD: CardBehaviour = { threeDSecure: false, approved: true };

export const CARD_DECLINE = { code: '4.00', message: 'Declined by Issuer' } as const;
export const THREE_DS_DECLINE = { code: '5.00', message: 'Declined by 3DS' } as const;

/** pay.tech ignores every non-digit in a card number. */
export function cardDigits(cardNumber: string): string {
	return cardNumber.replace(/\D/g, '');
}

export function cardBehaviour(digits: string | undefined): CardBehaviour {
	return (digits && TEST_CARDS[digits]) || OTHER_CARD;
}

/** The published masking shape: first six, three stars, last four ('400000***0002'). */
export function maskCardNumber(digits: string): string {
	return `${digits.slice(0, 6)}***${digits.slice(-4)}`;
}

export function cardBrand(digits: string): string {
	if (digits.startsWith('4')) return 'VISA';
	if (/^5[1-5]/.test(digits) || /^2[2-7]/.test(digits)) return 'MASTERCARD';
	if (/^3[47]/.test(digits)) return 'AMEX';
	return 'UNKNOWN';
}

export interface CardInput {
	cardNumber?: string;
	cardToken?: string;
	cardholderName?: string;
	expiryMonth?: string;
	expiryYear?: string;
}

/** What may be stored and shown about a card: never the PAN or the security code. */
export function paymentMethodDetailsFor(card: CardInput): PaymentMethodDetails {
	const digits = card.cardNumber === undefined ? undefined : cardDigits(card.cardNumber);
	return {
		customerAccountNumber: digits ? maskCardNumber(digits) : undefined,
		cardToken: card.cardToken,
		cardholderName: card.cardholderName,
		cardExpiryMonth: card.expiryMonth,
		cardExpiryYear: card.expiryYear,
		cardBrand: digits ? cardBrand(digits) : undefined,
	};
}
