import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { executePerItem } from '../common/execute';
import { executeGateway, GATEWAY_OPERATIONS } from './actions/gateway';
import { operationFields, operationOptions } from './actions/spec';
import { executeWallet, WALLET_OPERATIONS } from './actions/wallet';
import { normalizeAggrepayPayment, normalizeAggrepayWalletTransaction } from './normalize';
import type { HashCheck } from './transport';

const LISTS = ['getTransactions', 'getPayments'];

export class Aggrepay implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'AggrePay',
		name: 'aggrePay',
		icon: { light: 'file:aggrepay.svg', dark: 'file:aggrepay.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Wallets and payment links of AggrePay (India): register customers, credit and debit wallets, take payments, refund',
		defaults: { name: 'AggrePay' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'aggrePayApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Payment Gateway', value: 'gateway' },
					{ name: 'Wallet', value: 'wallet' },
				],
				default: 'wallet',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['wallet'] } },
				options: operationOptions(WALLET_OPERATIONS),
				default: 'getBalance',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['gateway'] } },
				options: operationOptions(GATEWAY_OPERATIONS),
				default: 'createPaymentLink',
			},
			...operationFields('wallet', WALLET_OPERATIONS),
			...operationFields('gateway', GATEWAY_OPERATIONS),
			{
				displayName: 'Return All',
				name: 'returnAll',
				type: 'boolean',
				default: false,
				description: 'Whether to return all results or only up to a given limit',
				displayOptions: { show: { operation: LISTS } },
			},
			{
				displayName: 'Limit',
				name: 'limit',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 50,
				description: 'Max number of results to return',
				displayOptions: { show: { operation: LISTS, returnAll: [false] } },
			},
			{
				displayName: 'Normalized Output',
				name: 'normalize',
				type: 'boolean',
				default: false,
				description: 'Whether to output {provider, ID, reference, type, status, amount, currency, createdAt, updatedAt, raw} with a status shared by all providers, instead of AggrePay\'s own object (kept in raw)',
				displayOptions: { show: { operation: LISTS } },
			},
			{
				displayName: 'Response Hash Check',
				name: 'hashCheck',
				type: 'options',
				options: [
					{ name: 'Fail the Item', value: 'error', description: 'An answer whose hash does not verify is not used' },
					{ name: 'Warn', value: 'warn', description: 'Use the answer and show a warning' },
				],
				default: 'error',
				description: "AggrePay signs its answers with the salt; this is what happens when that signature does not match",
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const resource = this.getNodeParameter('resource', 0) as string;
		const operation = this.getNodeParameter('operation', 0) as string;
		const spec = (resource === 'gateway' ? GATEWAY_OPERATIONS : WALLET_OPERATIONS).find((s) => s.value === operation);
		if (!spec) throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
		const run = resource === 'gateway' ? executeGateway : executeWallet;
		const normalizer = operation === 'getPayments' ? normalizeAggrepayPayment : normalizeAggrepayWalletTransaction;
		return await executePerItem(
			this,
			async (i) => await run.call(this, spec, i, this.getNodeParameter('hashCheck', i, 'error') as HashCheck),
			(json, i) => (LISTS.includes(operation) && this.getNodeParameter('normalize', i, false) ? normalizer(json) : json),
		);
	}
}
