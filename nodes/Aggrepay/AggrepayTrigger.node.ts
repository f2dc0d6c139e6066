import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { parseJson } from '../common/json';
import { DEDUPE_MAX_EVENTS, isRedelivery, recordEvents } from '../common/dedupe';
import {
	acknowledgeWithoutRun,
	forgetWebhookUrl,
	ipAllowlistRejection,
	readRawBody,
	redactHeaders,
	rejectWebhook,
	rememberWebhookUrl,
	webhookUrlRemembered,
} from '../common/webhook';
import { aggrepayFieldsHash, hashesEqual } from './hash';
import { normalizeAggrepayPayment } from './normalize';

const DEFAULT_DEDUPE_HOURS = 72;

/**
 * The callback's fields, from a form post (what AggrePay's browser leg sends) or JSON: its server
 * callback's content type is not published, so both are read from the exact bytes received.
 */
export function callbackFields(rawBody: Buffer, contentType: string | undefined): Record<string, string> | undefined {
	const text = rawBody.toString('utf8').replace(/^\uFEFF/, '');
	if (/json/i.test(contentType ?? '') || /^\s*\{/.test(text)) {
		try {
			const parsed = parseJson(text);
			if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
			return Object.fromEntries(Object.entries(parsed as IDataObject).map(([k, v]) => [k, v === null || v === undefined ? '' : String(v)]));
		} catch {
			return undefined;
		}
	}
	return Object.fromEntries(new URLSearchParams(text));
}

export class AggrepayTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'AggrePay Trigger',
		name: 'aggrePayTrigger',
		icon: { light: 'file:aggrepay.svg', dark: 'file:aggrepay.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ $parameter["outcome"] + " payments" }}',
		description: 'Starts the workflow when AggrePay reports a gateway payment, after verifying its hash',
		defaults: { name: 'AggrePay Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'aggrePayApi', required: true }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'callback' }],
		triggerPanel: {
			header: 'Paste this URL into AggrePay',
			executionsHelp: {
				inactive:
					"AggrePay has no API to register callbacks. For a test, copy the Test URL above into the AggrePay dashboard (Settings → Payment Callback URL), click 'Listen for test event' and make a test payment. Once it works, publish the workflow and use the Production URL instead.",
				active: 'Give AggrePay the Production URL above as the Payment Callback URL in its dashboard. Only callbacks whose hash verifies with the salt of the credential start the workflow.',
			},
			activationHint: 'Publish the workflow, then paste its Production URL into AggrePay as the Payment Callback URL.',
		},
		properties: [
			{
				displayName:
					'Paste the webhook URL into the AggrePay dashboard as the Payment Callback URL. Callbacks are verified with the salt of the credential; without one, every callback is refused.',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
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
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'De-Duplication Window (Hours)',
						name: 'dedupeHours',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: DEFAULT_DEDUPE_HOURS,
						description: `A payment reported again with the same response code within this time does not start the workflow again (the last ${DEDUPE_MAX_EVENTS} are remembered)`,
					},
					{ displayName: 'Include Headers', name: 'includeHeaders', type: 'boolean', default: false, description: 'Whether to add the request headers to the output' },
					{
						displayName: 'IP Allowlist',
						name: 'ipAllowlist',
						type: 'string',
						default: '',
						placeholder: '203.0.113.10, 198.51.100.0/24',
						description: 'Accept callbacks only from these addresses or CIDR ranges; others get 403. AggrePay does not publish its addresses.',
					},
					{
						displayName: 'Normalized Output',
						name: 'normalize',
						type: 'boolean',
						default: false,
						description: 'Whether to output {provider, ID, reference, type, status, amount, currency, createdAt, updatedAt, raw} instead of AggrePay\'s own fields (kept in raw)',
					},
				],
			},
		],
	};

	// No registration API: the URL is pasted into the provider's dashboard
	webhookMethods = {
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

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const refused = ipAllowlistRejection(this, options.ipAllowlist);
		if (refused) return refused;

		const salt = String((await this.getCredentials('aggrePayApi')).salt ?? '');
		if (!salt) {
			this.logger.warn('AggrePay Trigger refused a callback: the credential has no salt, so no callback can be verified');
			return rejectWebhook(this);
		}
		const fields = callbackFields(await readRawBody(this), this.getHeaderData()['content-type'] as string | undefined);
		if (!fields || !hashesEqual(aggrepayFieldsHash(fields, salt), fields.hash)) return rejectWebhook(this);
		if (!fields.transaction_id || fields.response_code === undefined) return rejectWebhook(this, 400);

		const outcome = this.getNodeParameter('outcome', 'all') as string;
		const success = fields.response_code.trim() === '0';
		if ((outcome === 'success' && !success) || (outcome === 'failure' && success)) return acknowledgeWithoutRun('outcome not selected');
		if (isRedelivery(this, eventKey(fields), dedupeTtlMs(options))) return acknowledgeWithoutRun('already received');

		const { hash: _hash, ...payment } = fields;
		void _hash;
		const json: IDataObject = options.normalize ? normalizeAggrepayPayment(payment) : payment;
		if (options.includeHeaders) json.headers = redactHeaders(this.getHeaderData() as IDataObject, []);
		return { workflowData: [this.helpers.returnJsonArray(json)] };
	}

	// The first step of the execution webhook() started: records the event (see recordEvents)
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const ttlMs = dedupeTtlMs(this.getNodeParameter('options', 0, {}) as IDataObject);
		return recordEvents(this, (json) => {
			const payment = (json.raw ?? json) as IDataObject;
			return payment.transaction_id ? eventKey(payment) : undefined;
		}, ttlMs);
	}
}

function eventKey(payment: IDataObject): string {
	return `${String(payment.transaction_id)}:${String(payment.response_code).trim()}`;
}

function dedupeTtlMs(options: IDataObject): number {
	return Number(options.dedupeHours ?? DEFAULT_DEDUPE_HOURS) * 3600_000;
}
