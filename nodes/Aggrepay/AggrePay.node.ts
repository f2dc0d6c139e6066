import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { ACTION_NODE_VERSIONS, executeOperation, resourceProperties } from '../common/operation';
import { AGGREPAY_DESCRIPTION, AGGREPAY_RESOURCES } from './actions/resources';

export class AggrePay implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'AggrePay',
		name: 'aggrePay',
		icon: { light: 'file:aggrepay.svg', dark: 'file:aggrepay.dark.svg' },
		group: ['transform'],
		version: ACTION_NODE_VERSIONS,
		defaultVersion: 2,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: AGGREPAY_DESCRIPTION,
		defaults: { name: 'AggrePay' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'aggrePayApi', required: true }],
		properties: [
			...resourceProperties('AggrePay', AGGREPAY_RESOURCES),
			{
				displayName: 'Response Hash Check',
				name: 'hashCheck',
				type: 'options',
				options: [
					{
						name: 'Fail the Item',
						value: 'error',
						description: 'An answer whose hash does not verify is not used',
					},
					{ name: 'Warn', value: 'warn', description: 'Use the answer and show a warning' },
				],
				default: 'error',
				description:
					'AggrePay signs its answers with the salt; this is what happens when that signature does not match',
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeOperation.call(this, AGGREPAY_RESOURCES);
	}
}
