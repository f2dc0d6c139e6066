import type { INodeType, INodeTypeDescription, IWebhookFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { moneyAsText } from '../common/json';
import { webhookTrigger } from '../common/trigger';
import { jsonObjectBody } from '../common/webhook';
import { ALL4PAY_DESCRIPTION } from './actions/resources';
import { all4payCallbackAuth, CALLBACK_TOKEN_PARAMETER, confirmAll4payCallback } from './callback';
import { normalizeAll4pay } from './normalize';

const KINDS = ['deposit', 'withdrawal'];

const trigger = webhookTrigger({
	providerName: 'All4Pay',
	actionNodeDescription: ALL4PAY_DESCRIPTION,
	setup: {
		delivery: 'callback',
		event: 'a deposit or withdrawal changing status',
		portalPlace: `the callback URL setting of the All4Pay dashboard, with ?${CALLBACK_TOKEN_PARAMETER}= and the credential's Callback Token appended`,
		testEvent: 'create a deposit',
		verification:
			"All4Pay signs nothing, so a callback counts only when its URL carries the credential's Callback Token (others get 401; with no Callback Token every callback is refused). With Confirm Through the API on, the trigger then reads the deposit or withdrawal from All4Pay and starts the workflow with that, only when All4Pay reports the status the callback claims (otherwise 503, so a genuine callback comes again).",
	},
	credentialType: 'all4payApi',
	path: 'callback',
	auth: () => all4payCallbackAuth,
	missingSecretWarning:
		'the credential has no Callback Token, so no callback can be told from a forgery',
	parse({ rawBody }) {
		const c = jsonObjectBody(rawBody);
		if (!c) return undefined;
		if (typeof c.id !== 'string' || !/^[\w.-]{1,100}$/.test(c.id)) return undefined;
		if (!KINDS.includes(String(c.type))) return undefined;
		if (typeof c.status !== 'string' || c.status === '') return undefined;
		return moneyAsText(c, new Set(['amount']));
	},
	async confirm(ctx, callback) {
		if (!(ctx.getNodeParameter('confirm', true) as boolean)) return { event: callback };
		return await confirmAll4payCallback(ctx, callback);
	},
	// no event id or time in a callback: a deposit or withdrawal reports each status once
	eventKey: (event) => `${String(event.type)}:${String(event.id)}:${String(event.status)}`,
	redelivery: 'A deposit or withdrawal reported again with the same status',
	filteredOut(ctx: IWebhookFunctions, callback) {
		const kind = ctx.getNodeParameter('kind', 'all') as string;
		const statuses = ctx.getNodeParameter('statuses', []) as string[];
		if (kind !== 'all' && callback.type !== kind) return 'kind not selected';
		if (statuses.length && !statuses.includes(String(callback.status)))
			return 'status not selected';
		return undefined;
	},
	normalize: (event) =>
		normalizeAll4pay(event.type === 'withdrawal' ? 'withdrawal' : 'deposit')(event),
	ipAllowlistNote:
		'All4Pay does not publish its addresses; ask its support for them, as a second check beside the token.',
});

export class All4payTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'All4Pay Trigger',
		name: 'all4payTrigger',
		icon: { light: 'file:all4pay.svg', dark: 'file:all4pay.dark.svg' },
		group: ['trigger'],
		// version 2 from the start, as every new trigger of the pack (see NumipayTrigger)
		version: 2,
		subtitle: '={{ $parameter["kind"] + " callbacks" }}',
		description: trigger.description,
		defaults: { name: 'All4Pay Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'all4payApi', required: true }],
		webhooks: [trigger.webhookDescription],
		triggerPanel: trigger.triggerPanel,
		properties: [
			trigger.setupNotice,
			{
				displayName: 'Confirm Through the API',
				name: 'confirm',
				type: 'boolean',
				default: true,
				description:
					"Whether to read the deposit or withdrawal from All4Pay before starting the workflow, and start it with All4Pay's data only when All4Pay reports the status the callback claims. Off, the workflow gets the callback as sent: anyone who learns the URL with its token can then start it with any content.",
			},
			{
				displayName: 'Kind',
				name: 'kind',
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
					{ name: 'Canceled', value: 'canceled' },
					{ name: 'Confirmed', value: 'confirmed' },
					{ name: 'Expired', value: 'expired' },
					{ name: 'Pending', value: 'pending' },
				],
				default: [],
				description:
					'Start only for these statuses; none selected means every status, including ones All4Pay adds later (it publishes pending, confirmed and expired "or other")',
			},
			trigger.optionsProperty,
		],
	};

	webhookMethods = trigger.webhookMethods;
	webhook = trigger.webhook;
	execute = trigger.execute;
}
