import { gateway } from './gateway';
import { wallet } from './wallet';

// Wallet first: it is the Resource parameter's default
export const AGGREPAY_RESOURCES = [wallet, gateway];

/** What the AggrePay node does; AggrePay Trigger carries it too (see actionNodeDescription in nodes/common/trigger.ts). */
export const AGGREPAY_DESCRIPTION =
	'Wallets and payment links of AggrePay (India): register customers, credit and debit wallets, take payments, refund';
