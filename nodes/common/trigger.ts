import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	INodeExecutionData,
	INodeProperties,
	INodeTypeDescription,
	IWebhookDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { triggerCredentials } from './credentialCache';
import { claimEvents, DEDUPE_MAX_EVENTS, isRedelivery, wasReceived } from './dedupe';
import type { NormalizedTransaction } from './normalize';
import {
	acknowledgeWithoutRun,
	forgetWebhookUrl,
	ipAllowlistRejection,
	readRawBody,
	redactHeaders,
	rejectWebhook,
	rememberWebhookUrl,
	webhookUrlRemembered,
} from './webhook';
import type { Delivery, WebhookAuth } from './webhookAuth';

// Everything a webhook trigger repeats, built once: the webhook lifecycle, the Options block, the IP
// allowlist, the exact raw body, authentication that fails closed, the two de-duplication stores
// and the execute() that records events. A provider supplies only what is its own (WebhookTrigger).

/** What a provider's webhook trigger is made of. */
export interface WebhookTrigger {
	/** 'pay.tech', for messages and descriptions. */
	providerName: string;
	/**
	 * The description of the provider's action node, which the trigger carries as its own: n8n's
	 * node creator lists a trigger whose type name is the action node's plus "Trigger"
	 * (paytech / paytechTrigger) inside the action node's entry, and shows the trigger's
	 * description for that entry (editor-ui useActionsGeneration.ts,
	 * generateMergedNodesAndActions: `app.description = trigger.description`). The trigger says
	 * what it does in its setup notice.
	 */
	actionNodeDescription: string;
	/** Where the operator gives the provider the trigger's URL, for the editor's texts. */
	setup: WebhookSetup;
	credentialType: string;
	/** The last part of the webhook's URL path. */
	path: string;
	/** How a delivery is authenticated; `options` are the node's Options (a scheme may have some). */
	auth(options: IDataObject): WebhookAuth;
	/** Logged when the credential has no secret and so every delivery is refused. */
	missingSecretWarning: string;
	/** The event of an authentic delivery; undefined when it is not one (answered 400). */
	parse(delivery: Delivery): IDataObject | undefined;
	/**
	 * What makes two deliveries the same event (a redelivery), from the event or the output item's
	 * `raw`; undefined when it has none.
	 */
	eventKey(event: IDataObject): string | undefined;
	/** Says what counts as the same event, for the De-Duplication Window option. */
	redelivery: string;
	/** Why the node's filters leave this event out (answered 200, nothing runs); undefined to run. */
	filteredOut?(ctx: IWebhookFunctions, event: IDataObject): string | undefined;
	normalize(event: IDataObject): NormalizedTransaction;
	/**
	 * For deliveries whose content nothing vouches for (unsigned callbacks): the event as the
	 * provider's API reports it, which the workflow gets instead of the delivery's claims, or why it
	 * was not confirmed. Unconfirmed: 503 and no execution, so that a genuine delivery comes again.
	 * Runs after the filters and before de-duplication (a forged claim must not hide the real event).
	 */
	confirm?(
		ctx: IWebhookFunctions,
		event: IDataObject,
	): Promise<{ event: IDataObject } | { unconfirmed: string }>;
	/** The scheme's own options, added to the Options block. */
	options?: INodeProperties[];
	/** Appended to the IP Allowlist's description (e.g. whether the provider publishes its addresses). */
	ipAllowlistNote: string;
}

// What the editor shows of a trigger, written once for every provider. Where n8n 2.41 shows what:
// - the node's parameters panel starts with a "Webhook URLs" section (NodeWebhooks.vue), folded and
//   opening on its "Test URL" tab; the operator switches it to "Production URL". The Test URL
//   receives only while the editor listens, the Production URL only once the workflow is published;
// - the trigger panel (TriggerPanel.vue) shows triggerPanel.header as a heading above the "Listen for
//   test event" button, with no URL next to it, and below them activationHint and, under "When will
//   this node trigger my flow?", executionsHelp; each as `inactive` or `active` by whether the
//   workflow is published. While listening it shows n8n's own "Listening for test event" instead;
//   it shows a URL only for n8n's own Webhook node, never for a node of the pack.

/** Where the operator gives a provider that has no registration API the trigger's URL. */
export interface WebhookSetup {
	/** What the provider calls one delivery: 'webhook', 'callback'. */
	delivery: string;
	/** What it reports: 'a payment result'. */
	event: string;
	/** Where in the provider's portal the URL goes: 'the AggrePay dashboard (Settings → Payment Callback URL)'. */
	portalPlace: string;
	/** Another place the URL can go, if any: 'the Webhook URL field of a pay.tech Create operation (for that payment only)'. */
	otherPlace?: string;
	/** What makes the provider send a test delivery: 'make a test payment'. */
	testEvent: string;
	/** Which deliveries start the workflow and what happens without the secret, as sentences. */
	verification: string;
}

const WEBHOOK_URLS = 'Webhook URLs';

/** The setup notice (first parameter) and triggerPanel texts of a webhook trigger. */
export function webhookTriggerTexts(
	providerName: string,
	setup: WebhookSetup,
): {
	setupNotice: INodeProperties;
	triggerPanel: NonNullable<INodeTypeDescription['triggerPanel']>;
} {
	const { delivery, event, portalPlace, otherPlace, testEvent, verification } = setup;
	const places = otherPlace ? `${portalPlace}, or into ${otherPlace}` : portalPlace;
	const listen = "click 'Listen for test event'";
	return {
		setupNotice: {
			displayName: `Starts the workflow when ${providerName} reports ${event}. ${providerName} has no API to register a ${delivery} URL, so give it this trigger's Production URL: open ${WEBHOOK_URLS} above (it shows the Test URL first), switch it to Production URL and paste that URL into ${places}. The Production URL receives ${delivery}s once the workflow is published. ${verification}`,
			name: 'setupNotice',
			type: 'notice',
			default: '',
		},
		triggerPanel: {
			header: `Paste the Production URL from ${WEBHOOK_URLS} into ${providerName}`,
			executionsHelp: {
				inactive: `While building the workflow, test it with the Test URL: copy it from ${WEBHOOK_URLS} (above the parameters) into ${places}, ${listen} and ${testEvent}. The Test URL receives one ${delivery}, and only while the editor listens. Once the workflow works, publish it, switch ${WEBHOOK_URLS} to Production URL and give ${providerName} that URL instead: every ${delivery} it receives then starts the workflow, and the executions show in the Executions list. ${verification}`,
				active: `The workflow is published, so every ${delivery} ${providerName} sends to the Production URL starts it; the executions show in the Executions list, not here. ${providerName} gets that URL from ${WEBHOOK_URLS} (above the parameters) switched to Production URL, pasted into ${places}. To try a change, give ${providerName} the Test URL, ${listen} and ${testEvent}. ${verification}`,
			},
			activationHint: {
				inactive: `To test, give ${providerName} the Test URL from ${WEBHOOK_URLS}, ${listen} and ${testEvent}. Then publish the workflow and paste the Production URL into ${portalPlace}.`,
				active: `The workflow is published: every ${delivery} ${providerName} sends to the Production URL starts it (those executions do not show here).`,
			},
		},
	};
}

/** What a polling trigger polls, for the editor's texts. */
export interface PollingSetup {
	/** Why it polls: 'AggrePay wallets have no webhooks'. */
	reason: string;
	/** What it watches, singular: 'wallet'. */
	source: string;
	/** What starts the workflow, singular and plural: 'successful transaction(s)'. */
	item: string;
	items: string;
	/** Which of them, after the noun: 'of the selected Payment Type'. */
	filter?: string;
}

/**
 * The notice (first parameter) and trigger panel texts of a polling trigger that keeps a cursor:
 * the first production poll only records what there is, each later one emits what is new, oldest
 * first, in one execution; a manual Fetch Test Event records nothing.
 */
export function pollingTriggerTexts(
	providerName: string,
	setup: PollingSetup,
): { notice: INodeProperties; triggerPanel: NonNullable<INodeTypeDescription['triggerPanel']> } {
	const { reason, source, item, items } = setup;
	const filter = setup.filter ? ` ${setup.filter}` : '';
	const polls = `The first poll of each ${source}, once the workflow is published, only records the ${items} it already has and starts nothing. Each later poll that finds new ${items}${filter} starts the workflow once, with one item per new ${item}, oldest first within each ${source}.`;
	const fetch = `Fetch Test Event records nothing, so it changes nothing the published workflow does: until a ${source}'s first poll it shows that ${source}'s newest ${item}${filter}; after it, the ${items} the next poll will start the workflow with.`;
	return {
		notice: {
			displayName: `Polls ${providerName} at the Poll Times above (${reason}). ${polls} ${fetch}`,
			name: 'pollingNotice',
			type: 'notice',
			default: '',
		},
		triggerPanel: {
			executionsHelp: {
				inactive: `While building the workflow, click Fetch Test Event. ${fetch} Once the workflow works, publish it. ${polls} Those executions show in the Executions list.`,
				active: `The workflow is published. ${polls} Those executions show in the Executions list, not here. ${fetch}`,
			},
		},
	};
}

// Redeliveries are caught for this long by default; no provider so far publishes its retry schedule.
const DEFAULT_DEDUPE_HOURS = 72;

function dedupeTtlMs(options: IDataObject): number {
	return Number(options.dedupeHours ?? DEFAULT_DEDUPE_HOURS) * 3600_000;
}

/**
 * The parts of a webhook trigger node, with its description, setup notice and trigger panel; the
 * node class keeps its own filters.
 */
export function webhookTrigger(trigger: WebhookTrigger) {
	const { providerName } = trigger;

	const options: INodeProperties[] = [
		{
			displayName: 'De-Duplication Window (Hours)',
			name: 'dedupeHours',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: DEFAULT_DEDUPE_HOURS,
			description: `${trigger.redelivery} within this time does not run the workflow again, on any n8n process and after restarts (remembered for at least this long and at most twice as long, the last ${DEDUPE_MAX_EVENTS} events per trigger). The output's eventKey says what counts as the same event.`,
		},
		{
			displayName: 'Include Headers',
			name: 'includeHeaders',
			type: 'boolean',
			default: false,
			description:
				'Whether to add the request headers to the output, with signature and authorization headers redacted',
		},
		{
			displayName: 'IP Allowlist',
			name: 'ipAllowlist',
			type: 'string',
			default: '',
			placeholder: '203.0.113.10, 198.51.100.0/24',
			description: `Accept requests only from these addresses or CIDR ranges (comma-separated); others get 403. Empty accepts any address that authenticates. Behind a reverse proxy, set N8N_PROXY_HOPS so n8n sees the real address. ${trigger.ipAllowlistNote}`,
		},
		{
			displayName: 'Normalized Output',
			name: 'normalize',
			type: 'boolean',
			default: false,
			description: `Whether to output {provider, ID, reference, type, status, providerStatus, amount, currency, createdAt, updatedAt, raw} with a status shared by all providers, instead of ${providerName}'s own object (kept in raw)`,
		},
		...(trigger.options ?? []),
	];
	const optionsProperty: INodeProperties = {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: options.sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};

	const webhookDescription: IWebhookDescription = {
		name: 'default',
		httpMethod: 'POST',
		responseMode: 'onReceived',
		// empty, so n8n answers with the webhookResponse below; unset, n8n 2.41 answers its default
		// 'firstEntryJson' as the literal body
		responseData: '',
		path: trigger.path,
	};

	// No provider so far has a registration API: the operator pastes the URL into its dashboard,
	// so the lifecycle only remembers which URL the trigger was activated with.
	const webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return await webhookUrlRemembered.call(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return await rememberWebhookUrl.call(this);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return await forgetWebhookUrl.call(this);
			},
		},
	};

	async function webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const options = this.getNodeParameter('options', {}) as IDataObject;

		const refused = ipAllowlistRejection(this, options.ipAllowlist);
		if (refused) return refused;

		const auth = trigger.auth(options);
		const headers = this.getHeaderData() as Delivery['headers'];
		const delivery: Delivery = {
			rawBody: await readRawBody(this),
			headers,
			query: this.getQueryData() as Delivery['query'],
		};
		const check = async (data: ICredentialDataDecryptedObject) => {
			const secrets = auth.secrets(data).filter(Boolean);
			return secrets.length === 0 ? 'no secret' : await auth.verify(delivery, secrets);
		};
		// keys kept from an earlier delivery; one that fails them is checked again with keys read
		// anew, so that a new key takes effect within a second
		const credentials = await triggerCredentials(this, trigger.credentialType);
		let verified = await check(credentials.data);
		if (verified !== true && !credentials.fresh) {
			const reread = await credentials.reread();
			if (reread) verified = await check(reread);
		}
		if (verified === 'no secret') {
			this.logger.warn(
				`${providerName} Trigger refused a request: ${trigger.missingSecretWarning}`,
			);
			return rejectWebhook(this);
		}
		if (!verified) return rejectWebhook(this);

		let event = trigger.parse(delivery);
		if (!event) return rejectWebhook(this, 400);
		const filteredOut = trigger.filteredOut?.(this, event);
		if (filteredOut) return acknowledgeWithoutRun(filteredOut);
		if (trigger.confirm) {
			// a redelivery of an event this process already ran for needs no look at the API (and
			// is not refused while the API is down); a claim that is new is never recorded unconfirmed
			const claimedKey = trigger.eventKey(event);
			if (claimedKey !== undefined && wasReceived(this, claimedKey))
				return acknowledgeWithoutRun('already received');
			const confirmed = await trigger.confirm(this, event);
			if ('unconfirmed' in confirmed) {
				this.logger.warn(`${providerName} Trigger started nothing: ${confirmed.unconfirmed}`);
				return rejectWebhook(this, 503);
			}
			event = confirmed.event;
		}
		const key = trigger.eventKey(event);
		if (key !== undefined && isRedelivery(this, key, dedupeTtlMs(options))) {
			return acknowledgeWithoutRun('already received');
		}

		const json: IDataObject = options.normalize ? trigger.normalize(event) : event;
		// travels with the item, so a money-moving node derives the same reference for this event
		if (key !== undefined) json.eventKey = key;
		if (options.includeHeaders)
			json.headers = redactHeaders(headers as IDataObject, auth.secretHeaders);
		return {
			workflowData: [this.helpers.returnJsonArray(json)],
			webhookResponse: { received: true, processed: true },
		};
	}

	// The first step of the execution webhook() started: claims the event where every n8n process
	// sees it, and ends the execution with no items when another execution claimed it first.
	async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		// a test event from the editor is not recorded, so it cannot hide a real delivery
		if (this.getMode() === 'manual') return [items.map(paired)];
		const ttlMs = dedupeTtlMs(this.getNodeParameter('options', 0, {}) as IDataObject);
		const keyed = (item: INodeExecutionData) => typeof item.json.eventKey === 'string';
		const claimed = await claimEvents(
			this,
			items.filter(keyed).map((item) => item.json.eventKey as string),
			ttlMs,
		);
		let next = 0;
		const out = items.map(paired).filter((item) => !keyed(item) || claimed[next++]);
		if (out.length < items.length)
			this.logger.info(
				`${providerName} Trigger: event already claimed by another execution; nothing after the trigger runs`,
			);
		return [out];
	}

	const { setupNotice, triggerPanel } = webhookTriggerTexts(providerName, trigger.setup);
	return {
		description: trigger.actionNodeDescription,
		setupNotice,
		triggerPanel,
		optionsProperty,
		webhookDescription,
		webhookMethods,
		webhook,
		execute,
	};
}

function paired(item: INodeExecutionData, index: number): INodeExecutionData {
	return { ...item, pairedItem: { item: index } };
}
