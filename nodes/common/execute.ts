import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { toNodeError } from './errors';

/**
 * Runs an operation for every input item and pairs each output with its item. With Continue On
 * Fail, a failing item outputs {error, description} and the others go on; otherwise its error
 * (secrets masked) stops the node.
 */
export async function executePerItem(
	ctx: IExecuteFunctions,
	run: (i: number) => Promise<IDataObject | IDataObject[]>,
	shape: (json: IDataObject, i: number) => IDataObject = (json) => json,
): Promise<INodeExecutionData[][]> {
	const output: INodeExecutionData[] = [];
	const items = ctx.getInputData();
	for (let i = 0; i < items.length; i++) {
		try {
			const result = await run(i);
			for (const json of Array.isArray(result) ? result : [result])
				output.push({ json: shape(json, i), pairedItem: { item: i } });
		} catch (error) {
			const nodeError = toNodeError(ctx.getNode(), error, i);
			if (!ctx.continueOnFail()) throw nodeError;
			output.push({
				json: { error: nodeError.message, description: nodeError.description ?? null },
				pairedItem: { item: i },
			});
		}
	}
	return [output];
}
