import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { paytechRequest, resultList } from '../../transport';

export const balanceOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['balance'] } },
	options: [
		{
			name: 'Get Available for Withdrawal',
			value: 'getAvailable',
			action: 'Get balances available for withdrawal',
			description: 'Funds available for payouts through the API, per currency',
		},
		{ name: 'Get Balances', value: 'getBalances', action: 'Get balances', description: 'Processing, available and withdrawal balances of the financial module' },
	],
	default: 'getBalances',
};

export async function getBalances(this: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	return resultList(await paytechRequest.call(this, 'GET', '/balances', { itemIndex: i }));
}

export async function getAvailable(this: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	return resultList(await paytechRequest.call(this, 'GET', '/available-withdrawal-balances', { itemIndex: i }));
}
