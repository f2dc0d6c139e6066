import { deposit } from './deposit';
import { customApiCall, transaction } from './transaction';
import { withdrawal } from './withdrawal';

export const NUMIPAY_RESOURCES = [deposit, withdrawal, transaction, customApiCall];

/** What the Numipay node does; Numipay Trigger carries it too (see actionNodeDescription in nodes/common/trigger.ts). */
export const NUMIPAY_DESCRIPTION =
	'Take deposits through the Numipay cashier, a payment provider or server-to-server cards, approve or reject payouts, and list transactions';
