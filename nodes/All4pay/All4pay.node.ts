import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { ACTION_NODE_VERSIONS, executeOperation, resourceProperties } from '../common/operation';
import { ALL4PAY_DESCRIPTION, ALL4PAY_RESOURCES } from './actions/resources';

export class All4pay implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'All4Pay',
		name: 'all4pay',
		icon: { light: 'file:all4pay.svg', dark: 'file:all4pay.dark.svg' },
		group: ['transform'],
		version: ACTION_NODE_VERSIONS,
		defaultVersion: 2,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: ALL4PAY_DESCRIPTION,
		defaults: { name: 'All4Pay' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'all4payApi', required: true }],
		properties: [
			{
				displayName:
					"All4Pay publishes only two of its API paths and none of its fields: the pack assumes the rest, and the credential's Endpoint Overrides replace any path without touching this workflow. Requests are paced under All4Pay's published limits (50 a second per create endpoint, 216,000 an hour) for every workflow of this n8n process.",
				name: 'assumptionNotice',
				type: 'notice',
				default: '',
			},
			...resourceProperties('All4Pay', ALL4PAY_RESOURCES),
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeOperation.call(this, ALL4PAY_RESOURCES);
	}
}
