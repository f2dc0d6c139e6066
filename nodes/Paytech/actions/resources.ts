import { balance } from './balance';
import { customApiCall } from './customApiCall';
import { payment } from './payment';
import { subscription } from './subscription';

export const PAYTECH_RESOURCES = [payment, subscription, balance, customApiCall];
