import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { JsonNumber } from '../../common/json';
import { currencyInfo, parseAmount } from '../../common/money';
import type { OperationModule } from '../../common/operation';
import { normalizeAll4pay } from '../normalize';
import { all4payRequest, all4paySettings } from '../transport';

export const userIdProperty: INodeProperties = {
	displayName: 'User ID',
	name: 'userId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. customer-1001',
	description:
		'Your ID of the customer (user_id). All4Pay refuses a second request with the same User ID and amount for a few minutes, and applies its daily deposit limit per User ID.',
};

export const amountProperty: INodeProperties = {
	displayName: 'Amount (BRL)',
	name: 'amount',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. 10.50',
	description:
		'In reais, at most 2 decimals. Sent as a JSON number with 2 decimals written from your digits (10.5 goes out as 10.50), never rounded.',
};

const idProperty = (what: string): INodeProperties => ({
	displayName: `${what} ID`,
	name: 'id',
	type: 'string',
	required: true,
	default: '',
	placeholder:
		what === 'Deposit' ? 'e.g. dep_65f1c0a2b3d4e5f6a7b8c9d0' : 'e.g. wd_65f1c0a2b3d4e5f6a7b8c9d0',
	description: `All4Pay's ID of the ${what.toLowerCase()}: the ID field of the create's output or of the All4Pay Trigger's`,
});

export const fail = (ctx: IExecuteFunctions, i: number, message: string) =>
	new NodeOperationError(ctx.getNode(), message, { itemIndex: i });

/** A required text parameter, trimmed; the error names the field. */
export function requiredText(
	this: IExecuteFunctions,
	i: number,
	name: string,
	label: string,
	what: string,
): string {
	const value = this.getNodeParameter(name, i, '');
	const text = typeof value === 'number' ? String(value) : String(value ?? '').trim();
	if (!text) throw fail(this, i, `${label} is required: ${what}`);
	return text;
}

/** The amount in reais as exact decimal text with two decimals ("10.5" -> "10.50"). */
export function readBrlAmount(this: IExecuteFunctions, i: number): string {
	let amount: string;
	try {
		amount = parseAmount(
			this.getNodeParameter('amount', i, ''),
			currencyInfo('BRL'),
			'Amount (BRL)',
		);
	} catch (error) {
		throw fail(this, i, (error as Error).message);
	}
	const [whole, fraction = ''] = amount.split('.');
	return `${whole}.${fraction.padEnd(2, '0')}`;
}

/** The amount as a JSON number written with exactly these digits. */
export const jsonAmount = (amount: string) => new JsonNumber(amount) as unknown as IDataObject;

export function asObject(answer: unknown): IDataObject {
	return answer && typeof answer === 'object' && !Array.isArray(answer)
		? (answer as IDataObject)
		: { result: answer as IDataObject };
}

/** Get of a deposit or withdrawal by All4Pay's ID. */
export function getOperation(kind: 'deposit' | 'withdrawal'): OperationModule {
	const what = kind === 'deposit' ? 'Deposit' : 'Withdrawal';
	return {
		description: {
			name: 'Get',
			action: `Get a ${kind}`,
			description: `Get a ${kind} and its status`,
			properties: [idProperty(what)],
			normalize: normalizeAll4pay(kind),
		},
		async execute(this: IExecuteFunctions, i: number) {
			const id = requiredText.call(this, i, 'id', `${what} ID`, `All4Pay's ID of the ${kind}`);
			const settings = await all4paySettings.call(this, i);
			const operation = kind === 'deposit' ? 'getDeposit' : 'getWithdrawal';
			return asObject(
				await all4payRequest.call(this, settings, operation, { itemIndex: i, params: { id } }),
			);
		},
	};
}
