import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { balanceOperations } from './actions/balance';
import { customApiCallFields, customApiCallOperations } from './actions/customApiCall';
import { paymentFields, paymentOperations } from './actions/payment';
import { router } from './actions/router';
import { subscriptionFields, subscriptionOperations } from './actions/subscription';
import { requestOptionsField } from './transport';

export class Paytech implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'pay.tech',
		name: 'paytech',
		icon: { light: 'file:paytech.svg', dark: 'file:paytech.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Create deposits, payouts and refunds, approve or reject withdrawals and read payments and balances on pay.tech',
		defaults: { name: 'pay.tech' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'paytechApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Balance', value: 'balance' },
					{ name: 'Custom API Call', value: 'customApiCall' },
					{ name: 'Payment', value: 'payment' },
					{ name: 'Subscription', value: 'subscription' },
				],
				default: 'payment',
			},
			paymentOperations,
			subscriptionOperations,
			balanceOperations,
			customApiCallOperations,
			...paymentFields,
			...subscriptionFields,
			...customApiCallFields,
			requestOptionsField,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
