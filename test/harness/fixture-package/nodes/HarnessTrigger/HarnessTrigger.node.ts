import { createHmac, timingSafeEqual } from 'crypto';
import type {
	IDataObject,
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

export class HarnessTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Harness Trigger',
		name: 'harnessTrigger',
		group: ['trigger'],
		version: 1,
		description: 'Signed webhook trigger used by the harness self-tests',
		defaults: { name: 'Harness Trigger' },
		inputs: [],
		outputs: ['main'],
		credentials: [{ name: 'harnessApi', required: true }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'events' }],
		properties: [],
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const data = this.getWorkflowStaticData('node');
				if (data.webhookId === undefined) return false;
				const { baseUrl } = await this.getCredentials('harnessApi');
				try {
					await this.helpers.httpRequestWithAuthentication.call(this, 'harnessApi', {
						method: 'GET',
						url: `${String(baseUrl)}/webhooks/${String(data.webhookId)}`,
						json: true,
					});
					return true;
				} catch {
					delete data.webhookId;
					return false;
				}
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const { baseUrl } = await this.getCredentials('harnessApi');
				const response = (await this.helpers.httpRequestWithAuthentication.call(
					this,
					'harnessApi',
					{
						method: 'POST',
						url: `${String(baseUrl)}/webhooks`,
						body: { url: this.getNodeWebhookUrl('default') },
						json: true,
					},
				)) as IDataObject;
				this.getWorkflowStaticData('node').webhookId = response.id;
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				const data = this.getWorkflowStaticData('node');
				if (data.webhookId === undefined) return true;
				const { baseUrl } = await this.getCredentials('harnessApi');
				await this.helpers.httpRequestWithAuthentication.call(this, 'harnessApi', {
					method: 'DELETE',
					url: `${String(baseUrl)}/webhooks/${String(data.webhookId)}`,
					json: true,
				});
				delete data.webhookId;
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const req = this.getRequestObject();
		const { webhookSecret } = await this.getCredentials('harnessApi');
		const expected = createHmac('sha256', String(webhookSecret))
			.update(req.rawBody ?? Buffer.alloc(0))
			.digest('hex');
		const actual = String(req.headers['x-signature'] ?? '');
		if (
			actual.length !== expected.length ||
			!timingSafeEqual(Buffer.from(actual), Buffer.from(expected))
		) {
			this.getResponseObject().status(401).send('Unauthorized').end();
			return { noWebhookResponse: true };
		}
		const body = this.getBodyData();
		if (body.type === 'ping') {
			const bucket = this.getWorkflowStaticData('node');
			bucket.pings = Number(bucket.pings ?? 0) + 1;
			return { webhookResponse: 'pong' };
		}
		if (body.type === 'explode')
			throw new NodeOperationError(this.getNode(), 'exploded on purpose');
		const data = this.getWorkflowStaticData('node');
		const seen = (data.seen as string[] | undefined) ?? [];
		if (seen.includes(String(body.id))) return {};
		// A new array assigned on the node bucket, so n8n's ObservableObject flags the change.
		data.seen = [...seen, String(body.id)];
		return { workflowData: [this.helpers.returnJsonArray(body)] };
	}
}
