import type { IDataObject, INodeType, INodeTypeDescription, IWebhookFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { moneyAsText } from '../common/json';
import { webhookTrigger } from '../common/trigger';
import { jsonObjectBody } from '../common/webhook';
import { AGGREPAY_PRO_DESCRIPTION } from './actions/resources';
import { normalizeAggrepayProPayment } from './normalize';
import { aggrepayProWebhookAuth } from './signature';

// The amount is a JSON number (10.50 or 1050, by the account's unit); its digits are kept as text
const MONEY_FIELDS = new Set(['amount']);

const isObject = (value: unknown): value is IDataObject =>
	value !== null && typeof value === 'object' && !Array.isArray(value);

const trigger = webhookTrigger({
	providerName: 'Aggrepay.pro',
	actionNodeDescription: AGGREPAY_PRO_DESCRIPTION,
	setup: {
		delivery: 'callback',
		event: 'a payment or payout changing state, after verifying its signature',
		// Aggrepay.pro calls back the callbackUri each payment and payout was created with; it
		// publishes no account-wide callback setting
		portalPlace:
			'the Callback URI field of the Aggrepay.pro node when it creates a payment or payout (Aggrepay.pro calls back the Callback URI each payment or payout was created with)',
		testEvent: 'create a payment with the Test URL as its Callback URI',
		verification:
			"Only callbacks whose Signature header verifies with the credential's Secret Key (or the Previous Secret Key during a rotation) start the workflow; without a Secret Key, every callback is refused.",
	},
	credentialType: 'aggrepayProApi',
	path: 'callback',
	auth: () => aggrepayProWebhookAuth,
	missingSecretWarning: 'the credential has no Secret Key, so no callback can be verified',
	parse({ rawBody }) {
		const body = jsonObjectBody(rawBody);
		if (!body) return undefined;
		// The pack assumes the callback is the status answer's envelope; the bare object is taken
		// too, as the callback's body is only published as "similar to" that answer
		let payment: IDataObject = body;
		if (isObject(body.data)) {
			if (body.status === false) return undefined;
			payment = body.data;
		}
		const id = payment.id;
		if (!((typeof id === 'string' && id !== '') || typeof id === 'number')) return undefined;
		if (typeof payment.state !== 'string' || payment.state === '') return undefined;
		return moneyAsText(payment, MONEY_FIELDS);
	},
	// Aggrepay.pro publishes no event id or timestamp: a payment reports each state once
	eventKey: (payment) =>
		payment.id !== undefined && payment.id !== null
			? `${String(payment.id)}:${String(payment.state)}`
			: undefined,
	redelivery: 'A payment or payout reported again in the same state',
	filteredOut(ctx: IWebhookFunctions, payment) {
		const kind = ctx.getNodeParameter('kind', 'all') as string;
		const states = ctx.getNodeParameter('states', []) as string[];
		if (kind !== 'all' && String(payment.type) !== kind) return 'kind not selected';
		if (states.length && !states.includes(String(payment.state))) return 'state not selected';
		return undefined;
	},
	normalize: normalizeAggrepayProPayment,
	ipAllowlistNote: 'Aggrepay.pro does not publish its addresses.',
});

export class AggrepayProTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Aggrepay.pro Trigger',
		name: 'aggrepayProTrigger',
		icon: { light: 'file:aggrepayPro.svg', dark: 'file:aggrepayPro.dark.svg' },
		group: ['trigger'],
		// version 2 from the start: n8n reads a request's body before the node runs only for JSON,
		// form, text and XML at version 2 (test/engine/trigger-versions.test.ts); the node reads
		// the raw body itself
		version: 2,
		subtitle:
			'={{ ($parameter["kind"] === "all" ? "payments and payouts" : $parameter["kind"] + "s") + ($parameter["states"].length ? ": " + $parameter["states"].join(", ") : "") }}',
		// n8n's node creator shows this for the Aggrepay.pro entry, which holds this trigger and the
		// Aggrepay.pro node: that node's description (see actionNodeDescription in nodes/common/trigger.ts)
		description: trigger.description,
		defaults: { name: 'Aggrepay.pro Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'aggrepayProApi', required: true }],
		webhooks: [trigger.webhookDescription],
		triggerPanel: trigger.triggerPanel,
		properties: [
			trigger.setupNotice,
			{
				displayName: 'Kind',
				name: 'kind',
				type: 'options',
				options: [
					{ name: 'All', value: 'all' },
					{ name: 'Payment', value: 'payment' },
					{ name: 'Payout', value: 'payout' },
				],
				default: 'all',
				description:
					'Start only for payments or only for payouts, by the callback’s type; a callback without a type starts the workflow only with All',
			},
			{
				displayName: 'States',
				name: 'states',
				type: 'multiOptions',
				options: [
					{ name: 'Canceled', value: 'canceled' },
					{ name: 'Created', value: 'created' },
					{ name: 'Dispute', value: 'dispute' },
					{ name: 'Expired', value: 'expired' },
					{ name: 'Failed', value: 'failed' },
					{ name: 'Finished', value: 'finished' },
					{ name: 'In Check', value: 'in_check' },
					{ name: 'Pending', value: 'pending' },
				],
				default: [],
				description:
					'Start only for payments and payouts in these states; none selected means every state, including states Aggrepay.pro adds later. Finished is the paid (final) state.',
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
