import { balance } from './balance';
import { customApiCall } from './customApiCall';
import { payment } from './payment';
import { subscription } from './subscription';

export const PAYTECH_RESOURCES = [payment, subscription, balance, customApiCall];

/** What the pay.tech node does; pay.tech Trigger carries it too (see actionNodeDescription in nodes/common/trigger.ts). */
export const PAYTECH_DESCRIPTION =
	'Create deposits, payouts and refunds, approve or reject withdrawals and read payments and balances on pay.tech';
