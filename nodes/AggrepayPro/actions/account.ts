import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { customApiCall as customApiCallOperation } from '../../common/customApiCall';
import { currencyProperty } from '../../common/currency';
import { currencyInfo } from '../../common/money';
import { defineResource, type OperationModule } from '../../common/operation';
import {
	AGGREPAY_PRO,
	answerCheckSettings,
	aggrepayProRequest,
	aggrepayProSettings,
	checkAnswerSignature,
} from '../transport';
import type { AggrepayProOperation } from '../endpoints';

/** A read whose `data` is a list: one item per element. */
async function list(
	this: IExecuteFunctions,
	i: number,
	operation: AggrepayProOperation,
	call: { qs?: IDataObject; params?: Record<string, string> } = {},
): Promise<IDataObject[]> {
	const settings = await aggrepayProSettings.call(this, i);
	const data = await aggrepayProRequest.call(this, settings, operation, { itemIndex: i, ...call });
	if (Array.isArray(data)) return data as IDataObject[];
	return data && typeof data === 'object' ? [data as IDataObject] : [];
}

function readCurrency(this: IExecuteFunctions, i: number, name: string): string {
	try {
		return currencyInfo(this.getNodeParameter(name, i, '')).code;
	} catch (error) {
		throw new NodeOperationError(this.getNode(), (error as Error).message, { itemIndex: i });
	}
}

// Every currency by default: a currency list with "All Currencies" first in its sorted place
const currencyOptionsList = currencyProperty({
	name: 'currency',
	default: 'EUR',
	description: 'Only the methods for this currency.',
});
const currencyFilterProperty: INodeProperties = {
	...currencyOptionsList,
	options: [{ name: 'All Currencies', value: '' }, ...(currencyOptionsList.options ?? [])].sort(
		(a, b) => a.name.localeCompare(b.name),
	),
	default: '',
};

const getMethods: OperationModule = {
	description: {
		name: 'Get Many',
		action: 'Get many payment methods',
		description: 'List your payment and payout methods, with their currencies and limits',
		properties: [currencyFilterProperty],
	},
	async execute(this: IExecuteFunctions, i: number) {
		const given = String(this.getNodeParameter('currency', i, '') ?? '').trim();
		const qs = given ? { currency: readCurrency.call(this, i, 'currency') } : undefined;
		return await list.call(this, i, 'getPaymentMethods', { qs });
	},
};

const getBanks: OperationModule = {
	description: {
		name: 'Get Banks',
		action: 'Get banks of a payment method',
		description: 'List the banks a payment method offers in a currency',
		properties: [
			{
				displayName: 'Payment Method',
				name: 'paymentMethod',
				type: 'string',
				required: true,
				default: '',
				placeholder: 'e.g. sbp',
				description: 'The code of the method (Payment Method → Get Many)',
			},
			currencyProperty({
				name: 'currency',
				required: true,
				default: 'EUR',
				description: 'ISO 4217 currency.',
			}),
		],
	},
	async execute(this: IExecuteFunctions, i: number) {
		const method = String(this.getNodeParameter('paymentMethod', i, '') ?? '').trim();
		if (!method)
			throw new NodeOperationError(this.getNode(), 'Payment Method is required', { itemIndex: i });
		return await list.call(this, i, 'getBanks', {
			params: { method },
			qs: { currency: readCurrency.call(this, i, 'currency') },
		});
	},
};

const getBalance: OperationModule = {
	description: {
		name: 'Get',
		action: 'Get the balance',
		description:
			'Your balance per currency (available and reserved). Aggrepay.pro does not publish a balance endpoint: the pack assumes one.',
		properties: [],
	},
	async execute(this: IExecuteFunctions, i: number) {
		return await list.call(this, i, 'getBalance');
	},
};

export const paymentMethod = defineResource({
	value: 'paymentMethod',
	name: 'Payment Method',
	operations: { getMany: getMethods, getBanks },
	default: 'getMany',
});

export const balance = defineResource({
	value: 'balance',
	name: 'Balance',
	operations: { get: getBalance },
	default: 'get',
});

export const customApiCall = defineResource({
	value: 'customApiCall',
	name: 'Custom API Call',
	operations: {
		request: customApiCallOperation(AGGREPAY_PRO, {
			defaultPath: '/api/v1/',
			placeholder: '/api/v1/payment-methods',
			pathNote:
				'The body is signed as typed, with the credential’s Secret Key, and the answer’s signature is checked.',
			async verify(response, i) {
				const settings = await answerCheckSettings.call(this, i);
				checkAnswerSignature.call(this, settings, response, 'the custom API call', i);
			},
		}),
	},
	default: 'request',
});
