import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { executePerItem } from '../../common/execute';

import { normalizePaytechPayment } from '../normalize';
import * as balance from './balance';
import * as customApiCall from './customApiCall';
import * as payment from './payment/actions';
import { createPayment } from './payment/create';
import * as getMany from './payment/getMany';
import * as subscription from './subscription';

type Operation = (this: IExecuteFunctions, i: number) => Promise<IDataObject | IDataObject[]>;

const OPERATIONS: Record<string, Record<string, Operation>> = {
	payment: {
		createDeposit(i) {
			return createPayment.call(this, i, 'DEPOSIT');
		},
		createWithdrawal(i) {
			return createPayment.call(this, i, 'WITHDRAWAL');
		},
		createRefund(i) {
			return createPayment.call(this, i, 'REFUND');
		},
		get: payment.get,
		getMany: getMany.execute,
		getOperations: payment.getOperations,
		executeDeposit: payment.executeDeposit,
		capture: payment.capture,
		void: payment.voidPayment,
		approveWithdrawal: payment.approveWithdrawal,
		rejectWithdrawal: payment.rejectWithdrawal,
	},
	subscription: { get: subscription.get, cancel: subscription.cancel },
	balance: { getBalances: balance.getBalances, getAvailable: balance.getAvailable },
	customApiCall: { request: customApiCall.request },
};

/** Runs the chosen operation for every input item. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const run = OPERATIONS[resource]?.[operation];
	if (!run) throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
	return await executePerItem(
		this,
		(i) => run.call(this, i),
		(json, i) => (resource === 'payment' && this.getNodeParameter('normalize', i, false) ? normalizePaytechPayment(json) : json),
	);
}
