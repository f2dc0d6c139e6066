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
import { normalizePaytechPayment } from './normalize';
import { verifyPaytechSignature } from './signature';

// Redeliveries are caught for this long by default; pay.tech does not publish its retry schedule.
const DEFAULT_DEDUPE_HOURS = 72;

const STATES = ['AUTHORIZED', 'AWAITING_APPROVAL', 'CANCELLED', 'CHECKOUT', 'COMPLETED', 'DECLINED', 'PENDING'];

export class PaytechTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'pay.tech Trigger',
		name: 'paytechTrigger',
		icon: { light: 'file:paytech.svg', dark: 'file:paytech.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ ($parameter["paymentTypes"].length ? $parameter["paymentTypes"].join(", ") : "all payments") }}',
		description: 'Starts the workflow when pay.tech reports a payment result, after verifying its signature',
		defaults: { name: 'pay.tech Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'paytechApi', required: true }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		triggerPanel: {
			header: 'Paste this URL into pay.tech',
			executionsHelp: {
				inactive:
					"pay.tech has no API to register webhooks. For a test, copy the Test URL above into the pay.tech merchant portal (Shops → your shop → Webhook URL) or into the Webhook URL field of a pay.tech Create operation, click 'Listen for test event' and make a payment. Once the workflow works, publish it and use the Production URL instead.",
				active:
					'Give pay.tech the Production URL above: in the merchant portal (Shops → your shop → Webhook URL) for every payment, or per payment in the Webhook URL field of a pay.tech Create operation. Only webhooks signed with the Signing Key of the credential start the workflow.',
			},
			activationHint: 'Publish the workflow, then paste its Production URL into pay.tech.',
		},
		properties: [
			{
				displayName:
					'Paste the webhook URL into the pay.tech merchant portal (Shops → your shop → Webhook URL), or pass it as Webhook URL when creating a payment. Webhooks are verified with the Signing Key in the credential; without one, every webhook is refused.',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
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
				options: STATES.map((state) => ({ name: state.charAt(0) + state.slice(1).toLowerCase().replace('_', ' '), value: state })),
				default: [],
				description: 'Start only for payments in these states; none selected means all. pay.tech reports Completed, Declined, Cancelled and Authorized.',
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
						description: `A payment reported again in the same state within this time does not start the workflow again (the last ${DEDUPE_MAX_EVENTS} events are remembered)`,
					},
					{
						displayName: 'Include Headers',
						name: 'includeHeaders',
						type: 'boolean',
						default: false,
						description: 'Whether to add the request headers to the output, with the signature redacted',
					},
					{
						displayName: 'IP Allowlist',
						name: 'ipAllowlist',
						type: 'string',
						default: '',
						placeholder: '203.0.113.10, 198.51.100.0/24',
						description:
							'Accept webhooks only from these addresses or CIDR ranges (comma-separated); others get 403. Empty accepts any address with a valid signature. Behind a reverse proxy, set N8N_PROXY_HOPS so n8n sees the real address.',
					},
					{
						displayName: 'Normalized Output',
						name: 'normalize',
						type: 'boolean',
						default: false,
						description: 'Whether to output {provider, ID, reference, type, status, amount, currency, createdAt, updatedAt, raw} with a status shared by all providers, instead of pay.tech\'s own object (kept in raw)',
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

		const credentials = await this.getCredentials('paytechApi');
		const signingKey = String(credentials.signingKey ?? '');
		const previousSigningKey = String(credentials.previousSigningKey ?? '');
		if (!signingKey && !previousSigningKey) {
			this.logger.warn('pay.tech Trigger refused a webhook: the credential has no Signing Key, so no webhook can be verified');
			return rejectWebhook(this);
		}
		const rawBody = await readRawBody(this);
		const signature = this.getHeaderData().signature;
		if (!verifyPaytechSignature(rawBody, typeof signature === 'string' ? signature : undefined, signingKey, previousSigningKey)) {
			return rejectWebhook(this);
		}

		let payment: IDataObject;
		try {
			payment = parseJson(rawBody.toString('utf8').replace(/^\uFEFF/, '')) as IDataObject;
		} catch {
			payment = {};
		}
		if (!payment || typeof payment !== 'object' || typeof payment.id !== 'string' || typeof payment.state !== 'string') {
			return rejectWebhook(this, 400);
		}

		const paymentTypes = this.getNodeParameter('paymentTypes', []) as string[];
		const states = this.getNodeParameter('states', []) as string[];
		if (paymentTypes.length && !paymentTypes.includes(String(payment.paymentType))) return acknowledgeWithoutRun('payment type not selected');
		if (states.length && !states.includes(payment.state)) return acknowledgeWithoutRun('state not selected');

		if (isRedelivery(this, eventKey(payment), dedupeTtlMs(options))) return acknowledgeWithoutRun('already received');

		const json: IDataObject = options.normalize ? normalizePaytechPayment(payment) : payment;
		if (options.includeHeaders) json.headers = redactHeaders(this.getHeaderData() as IDataObject, ['signature']);
		return { workflowData: [this.helpers.returnJsonArray(json)] };
	}

	// The first step of the execution webhook() started: records the event (see recordEvents)
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const ttlMs = dedupeTtlMs(this.getNodeParameter('options', 0, {}) as IDataObject);
		return recordEvents(this, (json) => {
			const payment = (json.raw ?? json) as IDataObject;
			return typeof payment.id === 'string' ? eventKey(payment) : undefined;
		}, ttlMs);
	}
}

function eventKey(payment: IDataObject): string {
	return `${String(payment.id)}:${String(payment.state)}`;
}

function dedupeTtlMs(options: IDataObject): number {
	return Number(options.dedupeHours ?? DEFAULT_DEDUPE_HOURS) * 3600_000;
}
