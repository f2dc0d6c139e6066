import type { IExecuteFunctions } from 'n8n-workflow';

import { customApiCall as customApiCallOperation } from '../../common/customApiCall';
import { defineResource, type OperationModule } from '../../common/operation';
import { all4payPace, all4payRequest, all4paySettings, ALL4PAY, operationAt } from '../transport';
import { deposit } from './deposit';
import { asObject } from './fields';
import { withdrawal } from './withdrawal';

const getBalance: OperationModule = {
	description: {
		name: 'Get',
		action: 'Get the balance',
		description: 'Get the balance available for withdrawals, and what pending withdrawals hold',
		properties: [],
	},
	async execute(this: IExecuteFunctions, i: number) {
		const settings = await all4paySettings.call(this, i);
		return asObject(await all4payRequest.call(this, settings, 'getBalance', { itemIndex: i }));
	},
};

const balance = defineResource({
	value: 'balance',
	name: 'Balance',
	operations: { get: getBalance },
	default: 'get',
});

const customApiCall = defineResource({
	value: 'customApiCall',
	name: 'Custom API Call',
	operations: {
		request: customApiCallOperation(ALL4PAY, {
			defaultPath: '/',
			placeholder: '/deposit/',
			pathNote:
				"All4Pay publishes only POST /deposit/ and GET /witddraw; calls are paced under All4Pay's rate limits like the node's own.",
			async pace(this: IExecuteFunctions, i: number, method, path) {
				const settings = await all4paySettings.call(this, i);
				return all4payPace(settings.baseUrl, operationAt(settings, method, path));
			},
		}),
	},
	default: 'request',
});

export const ALL4PAY_RESOURCES = [deposit, withdrawal, balance, customApiCall];

/** What the All4Pay node does; All4Pay Trigger carries it too (see actionNodeDescription in nodes/common/trigger.ts). */
export const ALL4PAY_DESCRIPTION =
	'Take PIX deposits and pay out by PIX through All4Pay (Brazil), paced under its published rate limits, and read deposits, withdrawals and the balance';
