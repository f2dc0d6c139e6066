import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { OperationDescription } from '../../../common/operation';
import { paytechRequest, resultObject } from '../../transport';
import { readSubscriptionId, subscriptionIdProperty } from './subscriptionId';

export const description: OperationDescription = {
	name: 'Cancel',
	action: 'Cancel a subscription',
	description: 'Stop all future payments of a subscription',
	properties: [subscriptionIdProperty],
};

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const id = readSubscriptionId.call(this, i);
	// Setting the same state again is harmless, so this PATCH may be retried
	return resultObject(
		await paytechRequest.call(this, 'PATCH', `/subscriptions/${id}`, {
			body: { state: 'CANCELLED' },
			idempotent: true,
			itemIndex: i,
		}),
	);
}
