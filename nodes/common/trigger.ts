import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	INodeExecutionData,
	INodeProperties,
	IWebhookDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { claimEvents, DEDUPE_MAX_EVENTS, isRedelivery } from './dedupe';
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
	/** The scheme's own options, added to the Options block. */
	options?: INodeProperties[];
	/** Appended to the IP Allowlist's description (e.g. whether the provider publishes its addresses). */
	ipAllowlistNote: string;
}

// Redeliveries are caught for this long by default; no provider so far publishes its retry schedule.
const DEFAULT_DEDUPE_HOURS = 72;

function dedupeTtlMs(options: IDataObject): number {
	return Number(options.dedupeHours ?? DEFAULT_DEDUPE_HOURS) * 3600_000;
}

/** The parts of a webhook trigger node; the node class keeps its own description and filters. */
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
			description: `Whether to output {provider, ID, reference, type, status, amount, currency, createdAt, updatedAt, raw} with a status shared by all providers, instead of ${providerName}'s own object (kept in raw)`,
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
		const secrets = auth.secrets(await this.getCredentials(trigger.credentialType)).filter(Boolean);
		if (secrets.length === 0) {
			this.logger.warn(
				`${providerName} Trigger refused a request: ${trigger.missingSecretWarning}`,
			);
			return rejectWebhook(this);
		}
		const headers = this.getHeaderData() as Delivery['headers'];
		const delivery: Delivery = { rawBody: await readRawBody(this), headers };
		if (!(await auth.verify(delivery, secrets))) return rejectWebhook(this);

		const event = trigger.parse(delivery);
		if (!event) return rejectWebhook(this, 400);
		const filteredOut = trigger.filteredOut?.(this, event);
		if (filteredOut) return acknowledgeWithoutRun(filteredOut);
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

	return { optionsProperty, webhookDescription, webhookMethods, webhook, execute };
}

function paired(item: INodeExecutionData, index: number): INodeExecutionData {
	return { ...item, pairedItem: { item: index } };
}
