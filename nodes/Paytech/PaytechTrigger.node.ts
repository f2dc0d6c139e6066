import type { INodeType, INodeTypeDescription, IWebhookFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { moneyAsText } from '../common/json';
import { webhookTrigger } from '../common/trigger';
import { jsonObjectBody } from '../common/webhook';
import { PAYTECH_DESCRIPTION } from './actions/resources';
import { withDeclineHint } from './errors';
import { normalizePaytechPayment } from './normalize';
import { paytechWebhookAuth } from './signature';
import { PAYTECH_MONEY_FIELDS } from './transport';

const STATES = [
	'AUTHORIZED',
	'AWAITING_APPROVAL',
	'CANCELLED',
	'CHECKOUT',
	'COMPLETED',
	'DECLINED',
	'PENDING',
];

const trigger = webhookTrigger({
	providerName: 'pay.tech',
	actionNodeDescription: PAYTECH_DESCRIPTION,
	setup: {
		delivery: 'webhook',
		event: 'a payment result, after verifying its signature',
		portalPlace: 'the pay.tech merchant portal (Shops → your shop → Webhook URL)',
		otherPlace:
			'the Webhook URL field (Additional Fields) of a pay.tech Create operation (for that payment only)',
		testEvent: 'make a payment',
		verification:
			'Only webhooks signed with the Signing Key of the credential start the workflow; without a Signing Key, every webhook is refused.',
	},
	credentialType: 'paytechApi',
	path: 'webhook',
	auth: () => paytechWebhookAuth,
	missingSecretWarning: 'the credential has no Signing Key, so no webhook can be verified',
	parse({ rawBody }) {
		const p = jsonObjectBody(rawBody);
		if (!p) return undefined;
		if (typeof p.id !== 'string' || typeof p.state !== 'string') return undefined;
		return withDeclineHint(moneyAsText(p, PAYTECH_MONEY_FIELDS));
	},
	eventKey: (payment) =>
		typeof payment.id === 'string' ? `${payment.id}:${String(payment.state)}` : undefined,
	redelivery: 'A payment reported again in the same state',
	filteredOut(ctx: IWebhookFunctions, payment) {
		const paymentTypes = ctx.getNodeParameter('paymentTypes', []) as string[];
		const states = ctx.getNodeParameter('states', []) as string[];
		if (paymentTypes.length && !paymentTypes.includes(String(payment.paymentType)))
			return 'payment type not selected';
		if (states.length && !states.includes(String(payment.state))) return 'state not selected';
		return undefined;
	},
	normalize: normalizePaytechPayment,
	ipAllowlistNote: 'pay.tech does not publish the addresses its webhooks come from.',
});

export class PaytechTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'pay.tech Trigger',
		name: 'paytechTrigger',
		icon: { light: 'file:paytech.svg', dark: 'file:paytech.dark.svg' },
		group: ['trigger'],
		version: [1, 2],
		defaultVersion: 2,
		subtitle:
			'={{ ($parameter["paymentTypes"].length ? $parameter["paymentTypes"].join(", ") : "all payments") }}',
		// n8n's node creator shows this for the pay.tech entry, which holds this trigger and the pay.tech
		// node: the pay.tech node's description (see actionNodeDescription in nodes/common/trigger.ts)
		description: trigger.description,
		defaults: { name: 'pay.tech Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'paytechApi', required: true }],
		webhooks: [trigger.webhookDescription],
		triggerPanel: trigger.triggerPanel,
		properties: [
			trigger.setupNotice,
			{
				displayName: 'Payment Types',
				name: 'paymentTypes',
				type: 'multiOptions',
				options: [
					{ name: 'Deposit', value: 'DEPOSIT' },
					{ name: 'Refund', value: 'REFUND' },
					{ name: 'Withdrawal', value: 'WITHDRAWAL' },
				],
				default: [],
				description: 'Start only for these payment types; none selected means all',
			},
			{
				displayName: 'States',
				name: 'states',
				type: 'multiOptions',
				options: STATES.map((state) => ({
					name: state.charAt(0) + state.slice(1).toLowerCase().replace('_', ' '),
					value: state,
				})),
				default: [],
				description:
					'Start only for payments in these states; none selected means all. pay.tech reports Completed, Declined, Cancelled and Authorized.',
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
