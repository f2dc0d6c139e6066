import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { OperationDescription } from '../../../common/operation';
import { paytechRequest, resultObject } from '../../transport';
import { readSubscriptionId, subscriptionIdProperty } from './subscriptionId';

export const description: OperationDescription = {
	name: 'Get',
	action: 'Get a subscription',
	description: 'Get a subscription and its cycles',
	properties: [subscriptionIdProperty],
};

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	return resultObject(
		await paytechRequest.call(this, 'GET', `/subscriptions/${readSubscriptionId.call(this, i)}`, {
			itemIndex: i,
		}),
	);
}
