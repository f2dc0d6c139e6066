import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { ACTION_NODE_VERSIONS, executeOperation, resourceProperties } from '../common/operation';
import { PAYTECH_DESCRIPTION, PAYTECH_RESOURCES } from './actions/resources';
import { requestOptionsField } from './transport';

export class Paytech implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'pay.tech',
		name: 'paytech',
		icon: { light: 'file:paytech.svg', dark: 'file:paytech.dark.svg' },
		group: ['transform'],
		version: ACTION_NODE_VERSIONS,
		defaultVersion: 2,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: PAYTECH_DESCRIPTION,
		defaults: { name: 'pay.tech' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'paytechApi', required: true }],
		properties: [...resourceProperties('pay.tech', PAYTECH_RESOURCES), requestOptionsField],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeOperation.call(this, PAYTECH_RESOURCES);
	}
}
