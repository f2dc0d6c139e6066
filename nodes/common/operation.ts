import type {
	IDataObject,
	IDisplayOptions,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { executePerItem } from './execute';
import type { NormalizedTransaction } from './normalize';

// One contract for every operation of every provider (the shape of n8n's Airtable v2): a module
// per operation exports its `description` and its `execute`; the node's Resource and Operation
// options, display options, router and per-item loop are built from the list of modules.

export interface OperationDescription {
	/** The name, action and description of the entry in the Operation list. */
	name: string;
	action: string;
	description: string;
	/** The operation's own parameters; shown only for this resource and operation. */
	properties: INodeProperties[];
	/**
	 * Moves money: the name of the parameter that holds the merchant reference. The operation
	 * derives one when it is empty and, after a lost answer, looks it up instead of sending twice.
	 */
	movesMoney?: { reference: string };
	/** Lists: gets the shared Return All and Limit parameters (read them with readLimit). */
	list?: boolean;
	/** Offers Normalized Output, made by this function from each output item. */
	normalize?(json: IDataObject): NormalizedTransaction;
}

export interface OperationModule {
	description: OperationDescription;
	execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject | IDataObject[]>;
}

export interface Resource<K extends string = string> {
	value: string;
	name: string;
	/** Keyed by the Operation parameter's value, so a key is written once and type-checked. */
	operations: Record<K, OperationModule>;
	default: NoInfer<K>;
}

/** A resource, with its default operation checked against its operations. */
export function defineResource<K extends string>(resource: Resource<K>): Resource<K> {
	return resource;
}

const returnAllProperty: INodeProperties = {
	displayName: 'Return All',
	name: 'returnAll',
	type: 'boolean',
	default: false,
	description: 'Whether to return all results or only up to a given limit',
};

const limitProperty: INodeProperties = {
	displayName: 'Limit',
	name: 'limit',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: 50,
	description: 'Max number of results to return',
	displayOptions: { show: { returnAll: [false] } },
};

/** Pages in Parallel: what a new node gets, and the most it accepts. */
export const DEFAULT_PAGES_IN_PARALLEL = 10;
export const MAX_PAGES_IN_PARALLEL = 20;

function pagesInParallelProperties(providerName: string): INodeProperties[] {
	const property: INodeProperties = {
		displayName: 'Pages in Parallel',
		name: 'pagesInParallel',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: MAX_PAGES_IN_PARALLEL, numberPrecision: 0 },
		default: DEFAULT_PAGES_IN_PARALLEL,
		description: `How many list requests (pages, or date windows) are sent to ${providerName} at the same time (1 to ${MAX_PAGES_IN_PARALLEL}; 1 sends them one after another). The output is in the provider's order, with no payment twice and none skipped when payments arrive during the read. Lower it if ${providerName} answers "too many requests".`,
	};
	// as Items in Parallel: nodes saved at version 1 keep reading one page after another
	return [
		{ ...property, default: 1, displayOptions: { show: { returnAll: [true], '@version': [1] } } },
		{
			...property,
			displayOptions: { show: { returnAll: [true], '@version': [{ _cnd: { gte: 2 } }] } },
		},
	];
}

/** Pages in Parallel, checked: a whole number from 1 to MAX_PAGES_IN_PARALLEL. */
export function readPagesInParallel(this: IExecuteFunctions, itemIndex: number): number {
	const value = this.getNodeParameter('pagesInParallel', itemIndex, 1) as unknown;
	if (
		typeof value !== 'number' ||
		!Number.isInteger(value) ||
		value < 1 ||
		value > MAX_PAGES_IN_PARALLEL
	)
		throw new NodeOperationError(
			this.getNode(),
			`Pages in Parallel must be a whole number from 1 to ${MAX_PAGES_IN_PARALLEL}, not ${JSON.stringify(value)}`,
			{ itemIndex },
		);
	return value;
}

function normalizeProperty(providerName: string): INodeProperties {
	return {
		displayName: 'Normalized Output',
		name: 'normalize',
		type: 'boolean',
		default: false,
		description: `Whether to output {provider, ID, reference, type, status, providerStatus, amount, currency, createdAt, updatedAt, raw} with a status shared by all providers, instead of ${providerName}'s own object (kept in raw)`,
	};
}

/** For a list: undefined with Return All on, else the Limit. */
export function readLimit(this: IExecuteFunctions, itemIndex: number): number | undefined {
	if (this.getNodeParameter('returnAll', itemIndex, false) as boolean) return undefined;
	return this.getNodeParameter('limit', itemIndex, 50) as number;
}

/** Items in Parallel: what a new node gets, and the most it accepts. */
export const DEFAULT_PARALLEL = 10;
export const MAX_PARALLEL = 100;

/**
 * Node version 2 of every action node sends several items at once; a workflow saved at version 1
 * keeps sending them one after another, as it did.
 */
export const ACTION_NODE_VERSIONS = [1, 2];

function parallelProperties(providerName: string): INodeProperties[] {
	const property: INodeProperties = {
		displayName: 'Items in Parallel',
		name: 'itemsInParallel',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: MAX_PARALLEL, numberPrecision: 0 },
		default: DEFAULT_PARALLEL,
		description: `How many input items are sent to ${providerName} at the same time (1 to ${MAX_PARALLEL}; 1 sends them one after another). The output keeps the input's order and pairing, Continue On Fail still applies per item, and a payment whose answer is lost is still looked up by its reference before anything is sent again.`,
	};
	return [
		{ ...property, default: 1, displayOptions: { show: { '@version': [1] } } },
		{ ...property, displayOptions: { show: { '@version': [{ _cnd: { gte: 2 } }] } } },
	];
}

/** Items in Parallel, checked: a whole number from 1 to MAX_PARALLEL. */
function readParallel(this: IExecuteFunctions): number {
	const value = this.getNodeParameter('itemsInParallel', 0, 1) as unknown;
	if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_PARALLEL)
		throw new NodeOperationError(
			this.getNode(),
			`Items in Parallel must be a whole number from 1 to ${MAX_PARALLEL}, not ${JSON.stringify(value)}`,
		);
	return value;
}

function shownFor(property: INodeProperties, show: IDisplayOptions['show']): INodeProperties {
	const own = property.displayOptions;
	return { ...property, displayOptions: { ...own, show: { ...own?.show, ...show } } };
}

/**
 * The node's parameters: Resource, one Operation list per resource, then each operation's own
 * parameters (after Return All and Limit for a list, before Normalized Output).
 */
export function resourceProperties(providerName: string, resources: Resource[]): INodeProperties[] {
	const defaultResource = resources[0].value;
	const properties: INodeProperties[] = [
		{
			displayName: 'Resource',
			name: 'resource',
			type: 'options',
			noDataExpression: true,
			options: resources
				.map(({ name, value }) => ({ name, value }))
				.sort((a, b) => a.name.localeCompare(b.name)),
			default: defaultResource,
		},
	];
	for (const resource of resources) {
		const { default: defaultOperation } = resource;
		properties.push({
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: [resource.value] } },
			options: Object.entries<OperationModule>(resource.operations)
				.map(([value, { description: d }]) => ({
					name: d.name,
					value,
					action: d.action,
					description: d.description,
				}))
				.sort((a, b) => a.name.localeCompare(b.name)),
			default: defaultOperation,
		});
	}
	for (const resource of resources) {
		for (const [value, { description }] of Object.entries<OperationModule>(resource.operations)) {
			const show = { resource: [resource.value], operation: [value] };
			const own = [
				...(description.list
					? [returnAllProperty, limitProperty, ...pagesInParallelProperties(providerName)]
					: []),
				...description.properties,
				...(description.normalize ? [normalizeProperty(providerName)] : []),
			];
			properties.push(...own.map((property) => shownFor(property, show)));
		}
	}
	properties.push(...parallelProperties(providerName));
	return properties;
}

/**
 * The node's execute(): runs the chosen operation for every input item (Items in Parallel at
 * once), pairs each output with its item, honours Continue On Fail, and normalizes when asked.
 */
export async function executeOperation(
	this: IExecuteFunctions,
	resources: Resource[],
): Promise<INodeExecutionData[][]> {
	const resourceValue = this.getNodeParameter('resource', 0) as string;
	const operationValue = this.getNodeParameter('operation', 0) as string;
	const resource = resources.find((r) => r.value === resourceValue);
	const operation = resource?.operations[operationValue];
	if (!operation) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operationValue}" of "${resourceValue}" is not supported`,
		);
	}
	const normalize = operation.description.normalize;
	return await executePerItem(
		this,
		async (i) => {
			const result = await operation.execute.call(this, i);
			// read once per input item: a list may give 100,000 payments, and each getNodeParameter
			// call validates the node's parameters again
			if (!normalize || !this.getNodeParameter('normalize', i, false)) return result;
			return Array.isArray(result) ? result.map((json) => normalize(json)) : normalize(result);
		},
		readParallel.call(this),
	);
}
