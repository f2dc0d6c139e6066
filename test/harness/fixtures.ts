import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { jsonParse, NodeOperationError } from 'n8n-workflow';

// n8n-nodes-base is not installed (it would pull the whole n8n node catalogue), so the
// few base nodes tests need are stand-ins registered under the real type names.

const base = (name: string, displayName: string): INodeTypeDescription => ({
	name,
	displayName,
	group: ['transform'],
	version: 1,
	description: `Harness stand-in for ${displayName}`,
	defaults: { name: displayName },
	inputs: ['main'],
	outputs: ['main'],
	properties: [],
});

/**
 * Stands in for n8n's Manual Trigger. n8n's own node is a trigger() node, which in manual
 * mode can only emit one empty item; this one is an execute() node without inputs so a test
 * can also push items into it through Harness.run({ items }).
 */
export class ManualTrigger implements INodeType {
	description: INodeTypeDescription = {
		...base('manualTrigger', 'When clicking ‘Execute workflow’'),
		group: ['trigger'],
		inputs: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		return [items.length > 0 ? items : [{ json: {} }]];
	}
}

/** Stands in for n8n's No Operation node: passes its items through unchanged. */
export class NoOp implements INodeType {
	description: INodeTypeDescription = base('noOp', 'No Operation, do nothing');

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}

/**
 * Emits the JSON array in its `items` parameter, one item per element, each paired with the
 * first input item so `$('Fixture').item` resolves downstream.
 */
export class Fixture implements INodeType {
	description: INodeTypeDescription = {
		...base('fixture', 'Fixture'),
		properties: [{ displayName: 'Items (JSON)', name: 'items', type: 'json', default: '[]' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const raw = this.getNodeParameter('items', 0) as unknown;
		const parsed: unknown = typeof raw === 'string' ? jsonParse(raw) : raw;
		if (!Array.isArray(parsed)) {
			throw new NodeOperationError(
				this.getNode(),
				'Fixture parameter "items" must be a JSON array',
			);
		}
		return [
			parsed.map((json: unknown) => ({
				json: (json ?? {}) as INodeExecutionData['json'],
				pairedItem: { item: 0 },
			})),
		];
	}
}

export const standInNodeTypes: Record<string, INodeType> = {
	'n8n-nodes-base.manualTrigger': new ManualTrigger(),
	'n8n-nodes-base.noOp': new NoOp(),
	'test.fixture': new Fixture(),
};
