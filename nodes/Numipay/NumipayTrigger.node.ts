import type { INodeType, INodeTypeDescription, IWebhookFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { moneyAsText } from '../common/json';
import { webhookTrigger } from '../common/trigger';
import { jsonObjectBody } from '../common/webhook';
import { NUMIPAY_DESCRIPTION } from './actions/resources';
import { normalizeNumipayTransaction } from './normalize';
import { numipayWebhookAuth } from './signature';

// Numipay sends the amount as text ("200.00"); should it ever send a number, its digits are kept
const MONEY_FIELDS = new Set(['amount']);

const trigger = webhookTrigger({
	providerName: 'Numipay',
	actionNodeDescription: NUMIPAY_DESCRIPTION,
	setup: {
		delivery: 'webhook',
		event: 'a transaction (deposit or withdrawal) changing status, after verifying its signature',
		// Numipay does not publish the name of the back-office field
		portalPlace: 'the Numipay back office (its webhook URL setting)',
		testEvent: 'make a test-mode deposit',
		verification:
			"Only webhooks whose x-signature verifies with the credential's Signature Password (or the Previous Signature Password during a rotation) start the workflow; without a Signature Password, every webhook is refused.",
	},
	credentialType: 'numipayApi',
	path: 'webhook',
	auth: () => numipayWebhookAuth,
	missingSecretWarning: 'the credential has no Signature Password, so no webhook can be verified',
	parse({ rawBody }) {
		const t = jsonObjectBody(rawBody);
		if (!t) return undefined;
		const id = t.transaction_id;
		if (!((typeof id === 'string' && id !== '') || typeof id === 'number')) return undefined;
		if (typeof t.status !== 'string' || t.status === '') return undefined;
		return moneyAsText(t, MONEY_FIELDS);
	},
	// Numipay's webhook has no event id or timestamp: a transaction reports each status once
	eventKey: (transaction) =>
		transaction.transaction_id !== undefined && transaction.transaction_id !== null
			? `${String(transaction.transaction_id)}:${String(transaction.status)}`
			: undefined,
	redelivery: 'A transaction reported again with the same status',
	filteredOut(ctx: IWebhookFunctions, transaction) {
		const transactionType = ctx.getNodeParameter('transactionType', 'all') as string;
		const statuses = ctx.getNodeParameter('statuses', []) as string[];
		if (transactionType !== 'all' && String(transaction.transaction_type) !== transactionType)
			return 'transaction type not selected';
		if (statuses.length && !statuses.includes(String(transaction.status)))
			return 'status not selected';
		return undefined;
	},
	normalize: normalizeNumipayTransaction,
	ipAllowlistNote: 'Numipay does not publish its addresses.',
});

export class NumipayTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Numipay Trigger',
		name: 'numipayTrigger',
		icon: { light: 'file:numipay.svg', dark: 'file:numipay.dark.svg' },
		group: ['trigger'],
		// version 2 from the start: n8n reads a request's body before the node runs only for JSON,
		// form, text and XML at version 2 (test/engine/trigger-versions.test.ts); the node reads
		// the raw body itself
		version: 2,
		subtitle: '={{ $parameter["transactionType"] + " transactions" }}',
		// n8n's node creator shows this for the Numipay entry, which holds this trigger and the Numipay
		// node: the Numipay node's description (see actionNodeDescription in nodes/common/trigger.ts)
		description: trigger.description,
		defaults: { name: 'Numipay Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'numipayApi', required: true }],
		webhooks: [trigger.webhookDescription],
		triggerPanel: trigger.triggerPanel,
		properties: [
			trigger.setupNotice,
			{
				displayName: 'Transaction Type',
				name: 'transactionType',
				type: 'options',
				options: [
					{ name: 'All', value: 'all' },
					{ name: 'Deposit', value: 'deposit' },
					{ name: 'Withdrawal', value: 'withdrawal' },
				],
				default: 'all',
			},
			{
				displayName: 'Statuses',
				name: 'statuses',
				type: 'multiOptions',
				options: [
					{ name: 'Pending', value: 'pending' },
					{ name: 'Rejected', value: 'rejected' },
					{ name: 'Successful', value: 'successful' },
				],
				default: [],
				description:
					'Start only for transactions in these statuses; none selected means every status, including statuses Numipay adds later (Numipay does not publish its full list). A payout awaiting approval is Pending.',
			},
			trigger.optionsProperty,
		],
	};

	// Everything but the description is the provider's trigger built in nodes/common/trigger.ts;
	// execute() is the first step of the execution webhook() started, and records the event
	webhookMethods = trigger.webhookMethods;
	webhook = trigger.webhook;
	execute = trigger.execute;
}
