import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

export class HarnessHttp implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Harness HTTP',
		name: 'harnessHttp',
		group: ['transform'],
		version: 1,
		description: 'Creates an order through the harness API',
		defaults: { name: 'Harness HTTP' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'harnessApi', required: true }],
		properties: [
			{ displayName: 'Order ID', name: 'orderId', type: 'string', default: '' },
			{ displayName: 'Amount', name: 'amount', type: 'number', default: 0 },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const credentials = await this.getCredentials('harnessApi');
		const out: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) {
			const response = (await this.helpers.httpRequestWithAuthentication.call(this, 'harnessApi', {
				method: 'POST',
				url: `${String(credentials.baseUrl)}/orders`,
				body: {
					orderId: this.getNodeParameter('orderId', i),
					amount: this.getNodeParameter('amount', i),
				},
				json: true,
			})) as IDataObject;
			out.push({ json: response, pairedItem: { item: i } });
		}
		return [out];
	}
}
