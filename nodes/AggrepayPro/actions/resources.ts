import { balance, customApiCall, paymentMethod } from './account';
import { payment, payout } from './transfers';

export const AGGREPAY_PRO_RESOURCES = [payment, payout, paymentMethod, balance, customApiCall];

/** What the Aggrepay.pro node does; Aggrepay.pro Trigger carries it too (see actionNodeDescription in nodes/common/trigger.ts). */
export const AGGREPAY_PRO_DESCRIPTION =
	'Create payments and payouts on Aggrepay.pro (the P2P gateway, not AggrePay India), read their status, payment methods, banks and balance';
