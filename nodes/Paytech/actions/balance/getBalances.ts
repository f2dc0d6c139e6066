import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { OperationDescription } from '../../../common/operation';
import { paytechRequest, resultList } from '../../transport';

export const description: OperationDescription = {
	name: 'Get Balances',
	action: 'Get balances',
	description: 'Processing, available and withdrawal balances of the financial module',
	properties: [],
};

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	return resultList(await paytechRequest.call(this, 'GET', '/balances', { itemIndex: i }));
}
