import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { OperationDescription } from '../../../common/operation';
import { paytechRequest, resultList } from '../../transport';

export const description: OperationDescription = {
	name: 'Get Available for Withdrawal',
	action: 'Get available balances for withdrawal',
	description: 'Funds available for payouts through the API, per currency',
	properties: [],
};

// The path of API 1.0.341; 1.0.61 did not publish one (docs/providers/paytech.md)
export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	return resultList(
		await paytechRequest.call(this, 'GET', '/available-withdrawal-balances', { itemIndex: i }),
	);
}
