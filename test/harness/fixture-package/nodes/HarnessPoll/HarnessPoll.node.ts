import type {
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';

export class HarnessPoll implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Harness Poll',
		name: 'harnessPoll',
		group: ['trigger'],
		version: 1,
		description: 'Polls the harness API for events after a cursor',
		defaults: { name: 'Harness Poll' },
		polling: true,
		inputs: [],
		outputs: ['main'],
		credentials: [{ name: 'harnessApi', required: true }],
		properties: [],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const data = this.getWorkflowStaticData('node');
		const since = (data.cursor as number | undefined) ?? 0;
		const { baseUrl } = await this.getCredentials('harnessApi');
		const events = (await this.helpers.httpRequestWithAuthentication.call(this, 'harnessApi', {
			method: 'GET',
			url: `${String(baseUrl)}/events`,
			qs: { since },
			json: true,
		})) as IDataObject[];
		if (events.length === 0) return null;
		data.cursor = events[events.length - 1].id;
		return [this.helpers.returnJsonArray(events)];
	}
}
