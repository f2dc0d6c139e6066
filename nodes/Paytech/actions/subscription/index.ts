import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { paytechRequest, resultObject } from '../../transport';

export const subscriptionOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['subscription'] } },
	options: [
		{ name: 'Cancel', value: 'cancel', action: 'Cancel a subscription', description: 'Stop all future payments of a subscription' },
		{ name: 'Get', value: 'get', action: 'Get a subscription', description: 'Get a subscription and its cycles' },
	],
	default: 'get',
};

export const subscriptionFields: INodeProperties[] = [
	{
		displayName: 'Subscription ID',
		name: 'subscriptionId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '3529d42227424875af8722cbf54d7073',
		displayOptions: { show: { resource: ['subscription'] } },
	},
];

function subscriptionId(this: IExecuteFunctions, i: number): string {
	const id = String(this.getNodeParameter('subscriptionId', i) ?? '').trim();
	if (!/^[a-zA-Z0-9]{32}$/.test(id)) {
		throw new NodeOperationError(this.getNode(), `Subscription ID must be the 32 letters or digits pay.tech returned; got "${id}"`, { itemIndex: i });
	}
	return id;
}

export async function get(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	return resultObject(await paytechRequest.call(this, 'GET', `/subscriptions/${subscriptionId.call(this, i)}`, { itemIndex: i }));
}

export async function cancel(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	// Setting the same state again is harmless, so this PATCH may be retried
	return resultObject(
		await paytechRequest.call(this, 'PATCH', `/subscriptions/${subscriptionId.call(this, i)}`, { body: { state: 'CANCELLED' }, idempotent: true, itemIndex: i }),
	);
}
