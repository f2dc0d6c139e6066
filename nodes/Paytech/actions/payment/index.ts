import type { INodeProperties } from 'n8n-workflow';

import { amountFields, createOptionFields, partyFields, paymentIdField, refundParentField } from './fields';
import { description as getManyDescription } from './getMany';

const show = (operations: string[]) => ({ show: { resource: ['payment'], operation: operations } });

export const paymentOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['payment'] } },
	options: [
		{ name: 'Approve Withdrawal', value: 'approveWithdrawal', action: 'Approve a withdrawal', description: 'Approve a withdrawal that awaits your approval' },
		{ name: 'Capture', value: 'capture', action: 'Capture a pre authorized deposit', description: 'Capture a pre-authorized deposit, fully or partly' },
		{ name: 'Create Deposit', value: 'createDeposit', action: 'Create a deposit', description: 'Take a payment from a customer' },
		{ name: 'Create Refund', value: 'createRefund', action: 'Create a refund', description: 'Refund a completed deposit, fully or partly' },
		{ name: 'Create Withdrawal', value: 'createWithdrawal', action: 'Create a withdrawal', description: 'Pay out to a customer' },
		{ name: 'Execute Deposit', value: 'executeDeposit', action: 'Execute a deposit without redirect', description: 'Run a deposit without sending the customer to the checkout page (needs pay.tech approval)' },
		{ name: 'Get', value: 'get', action: 'Get a payment', description: 'Get a payment by ID' },
		{ name: 'Get Many', value: 'getMany', action: 'Get many payments', description: 'List payments, newest first, by creation or update time' },
		{ name: 'Get Operations', value: 'getOperations', action: 'Get the operations of a payment', description: 'The processing log of a payment' },
		{ name: 'Reject Withdrawal', value: 'rejectWithdrawal', action: 'Reject a withdrawal', description: 'Reject a withdrawal that awaits your approval' },
		{ name: 'Void', value: 'void', action: 'Void a pre authorized deposit', description: 'Release a pre-authorized deposit without capturing it' },
	],
	default: 'createDeposit',
};

export const paymentFields: INodeProperties[] = [
	paymentIdField(['get', 'getOperations', 'capture', 'void', 'executeDeposit']),
	paymentIdField(['approveWithdrawal', 'rejectWithdrawal'], 'ID of the withdrawal awaiting approval'),
	refundParentField,
	...amountFields,
	...partyFields,
	...createOptionFields,
	{
		displayName: 'Reason',
		name: 'rejectReason',
		type: 'string',
		default: '',
		placeholder: 'Suspicious activity',
		description: 'Why the withdrawal is rejected; pay.tech stores it as the external result code',
		displayOptions: show(['rejectWithdrawal']),
	},
	{
		displayName: 'Amount to Capture',
		name: 'captureAmount',
		type: 'string',
		default: '',
		placeholder: '10.50',
		description: 'Leave empty to capture the full authorized amount',
		displayOptions: show(['capture']),
	},
	{
		displayName: 'Currency',
		name: 'captureCurrency',
		type: 'string',
		default: 'EUR',
		description: 'Currency of the authorized deposit, to check the amount\'s decimals',
		displayOptions: show(['capture']),
	},
	{
		displayName: 'Customer IP',
		name: 'customerIp',
		type: 'string',
		required: true,
		default: '',
		placeholder: '152.13.130.125',
		displayOptions: show(['executeDeposit']),
	},
	{
		displayName: 'Browser Details (JSON)',
		name: 'browser',
		type: 'json',
		default: '{}',
		description:
			'Optional 3-D Secure browser data: ipCountryCode, customerUserAgent, browserWindowWidth, browserWindowHeight, browserScreenWidth, browserScreenHeight, browserScreenColorDepth, browserLanguage, browserJavaEnabled, browserTimezoneOffset',
		displayOptions: show(['executeDeposit']),
	},
	...getManyDescription,
	{
		displayName: 'Normalized Output',
		name: 'normalize',
		type: 'boolean',
		default: false,
		description: 'Whether to output {provider, ID, reference, type, status, amount, currency, createdAt, updatedAt, raw} with a status shared by all providers and the amount as exact decimal text, instead of pay.tech\'s own object (kept in raw)',
		displayOptions: show(['createDeposit', 'createWithdrawal', 'createRefund', 'get', 'getMany', 'capture', 'void', 'approveWithdrawal', 'rejectWithdrawal', 'executeDeposit']),
	},
];
