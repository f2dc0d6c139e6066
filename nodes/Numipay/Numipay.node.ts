import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { ACTION_NODE_VERSIONS, executeOperation, resourceProperties } from '../common/operation';
import { NUMIPAY_DESCRIPTION, NUMIPAY_RESOURCES } from './actions/resources';

export class Numipay implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Numipay',
		name: 'numipay',
		icon: { light: 'file:numipay.svg', dark: 'file:numipay.dark.svg' },
		group: ['transform'],
		version: ACTION_NODE_VERSIONS,
		defaultVersion: 2,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: NUMIPAY_DESCRIPTION,
		defaults: { name: 'Numipay' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'numipayApi', required: true }],
		properties: [
			{
				displayName:
					"Numipay does not publish its API paths: the pack assumes them, and the credential's Endpoint Overrides replace any of them without touching this workflow.",
				name: 'endpointNotice',
				type: 'notice',
				default: '',
			},
			...resourceProperties('Numipay', NUMIPAY_RESOURCES),
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeOperation.call(this, NUMIPAY_RESOURCES);
	}
}
