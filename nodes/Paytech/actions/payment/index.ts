import { defineResource } from '../../../common/operation';
import * as approveWithdrawal from './approveWithdrawal';
import * as capture from './capture';
import * as createDeposit from './createDeposit';
import * as createRefund from './createRefund';
import * as createWithdrawal from './createWithdrawal';
import * as executeDeposit from './executeDeposit';
import * as get from './get';
import * as getMany from './getMany';
import * as getOperations from './getOperations';
import * as rejectWithdrawal from './rejectWithdrawal';
import * as voidPayment from './void';

export const payment = defineResource({
	value: 'payment',
	name: 'Payment',
	operations: {
		approveWithdrawal,
		capture,
		createDeposit,
		createRefund,
		createWithdrawal,
		executeDeposit,
		get,
		getMany,
		getOperations,
		rejectWithdrawal,
		void: voidPayment,
	},
	default: 'createDeposit',
});
