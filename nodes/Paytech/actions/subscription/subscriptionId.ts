import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

export const subscriptionIdProperty: INodeProperties = {
	displayName: 'Subscription ID',
	name: 'subscriptionId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. 3529d42227424875af8722cbf54d7073',
};

export function readSubscriptionId(this: IExecuteFunctions, i: number): string {
	const id = String(this.getNodeParameter('subscriptionId', i) ?? '').trim();
	if (!/^[a-zA-Z0-9]{32}$/.test(id)) {
		throw new NodeOperationError(
			this.getNode(),
			`Subscription ID must be the 32 letters or digits pay.tech returned; got "${id}"`,
			{ itemIndex: i },
		);
	}
	return id;
}
