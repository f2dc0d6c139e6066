import { defineResource } from '../../../common/operation';
import * as getAvailable from './getAvailable';
import * as getBalances from './getBalances';

export const balance = defineResource({
	value: 'balance',
	name: 'Balance',
	operations: { getAvailable, getBalances },
	default: 'getBalances',
});
