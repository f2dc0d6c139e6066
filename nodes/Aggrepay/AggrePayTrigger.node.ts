import type { INodeType, INodeTypeDescription, IWebhookFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { webhookTrigger } from '../common/trigger';
import { AGGREPAY_DESCRIPTION } from './actions/resources';
import { aggrepayCallbackAuth, aggrepayCallbackFields } from './callback';
import { normalizeAggrepayPayment } from './normalize';

const trigger = webhookTrigger({
	providerName: 'AggrePay',
	actionNodeDescription: AGGREPAY_DESCRIPTION,
	setup: {
		delivery: 'callback',
		event: 'a gateway payment, after verifying its hash',
		portalPlace: 'the AggrePay dashboard (Settings → Payment Callback URL)',
		testEvent: 'make a test payment',
		verification:
			'Only callbacks whose hash verifies with the salt of the credential start the workflow; without a salt, every callback is refused.',
	},
	credentialType: 'aggrePayApi',
	path: 'callback',
	auth: (options) =>
		aggrepayCallbackAuth(
			String(options.extraFields ?? '')
				.split(/[\s,]+/)
				.filter(Boolean),
		),
	missingSecretWarning: 'the credential has no salt, so no callback can be verified',
	parse({ rawBody, headers }) {
		const fields = aggrepayCallbackFields(rawBody, headers['content-type'] as string | undefined);
		if (!fields?.transaction_id || fields.response_code === undefined) return undefined;
		const { hash: _hash, ...payment } = fields;
		void _hash;
		return payment;
	},
	eventKey: (payment) =>
		payment.transaction_id
			? `${String(payment.transaction_id)}:${String(payment.response_code).trim()}`
			: undefined,
	redelivery: 'A payment reported again with the same response code',
	filteredOut(ctx: IWebhookFunctions, payment) {
		const outcome = ctx.getNodeParameter('outcome', 'all') as string;
		const success = String(payment.response_code).trim() === '0';
		return (outcome === 'success' && !success) || (outcome === 'failure' && success)
			? 'outcome not selected'
			: undefined;
	},
	normalize: normalizeAggrepayPayment,
	ipAllowlistNote: 'AggrePay does not publish its addresses.',
	options: [
		{
			displayName: 'Extra Callback Fields',
			name: 'extraFields',
			type: 'string',
			default: '',
			placeholder: 'payment_channel, card_masked',
			description:
				"AggrePay's hash covers field values but not field names, so a callback with a field it does not publish is refused (401). If AggrePay sends more fields than it publishes, name them here, comma-separated.",
		},
	],
});

export class AggrePayTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'AggrePay Trigger',
		name: 'aggrePayTrigger',
		icon: { light: 'file:aggrepay.svg', dark: 'file:aggrepay.dark.svg' },
		group: ['trigger'],
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{ $parameter["outcome"] + " payments" }}',
		// n8n's node creator shows this for the AggrePay entry, which holds this trigger and the AggrePay
		// node: the AggrePay node's description (see actionNodeDescription in nodes/common/trigger.ts)
		description: trigger.description,
		defaults: { name: 'AggrePay Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'aggrePayApi', required: true }],
		webhooks: [trigger.webhookDescription],
		triggerPanel: trigger.triggerPanel,
		properties: [
			trigger.setupNotice,
			{
				displayName: 'Payments',
				name: 'outcome',
				type: 'options',
				options: [
					{ name: 'All', value: 'all' },
					{ name: 'Failed (Response Code Not 0)', value: 'failure' },
					{ name: 'Successful (Response Code 0)', value: 'success' },
				],
				default: 'all',
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
