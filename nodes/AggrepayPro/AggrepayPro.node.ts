import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { ACTION_NODE_VERSIONS, executeOperation, resourceProperties } from '../common/operation';
import { AGGREPAY_PRO_DESCRIPTION, AGGREPAY_PRO_RESOURCES } from './actions/resources';

export class AggrepayPro implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Aggrepay.pro',
		name: 'aggrepayPro',
		icon: { light: 'file:aggrepayPro.svg', dark: 'file:aggrepayPro.dark.svg' },
		group: ['transform'],
		version: ACTION_NODE_VERSIONS,
		defaultVersion: 2,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: AGGREPAY_PRO_DESCRIPTION,
		defaults: { name: 'Aggrepay.pro' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'aggrepayProApi', required: true }],
		properties: [
			{
				displayName:
					"Aggrepay.pro is the P2P payment gateway, not AggrePay India (that is the AggrePay node). It does not publish its API paths: the pack assumes them, and the credential's Endpoint Overrides replace any of them without touching this workflow.",
				name: 'aboutNotice',
				type: 'notice',
				default: '',
			},
			...resourceProperties('Aggrepay.pro', AGGREPAY_PRO_RESOURCES),
			{
				displayName: 'Response Signature Check',
				name: 'responseSignatureCheck',
				type: 'options',
				options: [
					{
						name: 'Fail the Item',
						value: 'error',
						description: 'An answer whose signature does not verify is not used',
					},
					{ name: 'Warn', value: 'warn', description: 'Use the answer and show a warning' },
				],
				default: 'error',
				description:
					'Aggrepay.pro signs its answers with the secret key; this is what happens when an answer has no signature or one that does not match',
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeOperation.call(this, AGGREPAY_PRO_RESOURCES);
	}
}
