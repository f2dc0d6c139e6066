import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { toNodeError } from './errors';

/** Item numbers as the editor shows them (from 1), for messages: "2, 5 and 7". */
function itemList(indexes: number[]): string {
	const numbers = indexes.map((i) => String(i + 1));
	return numbers.length < 2
		? numbers.join('')
		: `${numbers.slice(0, -1).join(', ')} and ${numbers[numbers.length - 1]}`;
}

/**
 * Runs an operation for every input item, up to `parallel` items at once, and pairs each output
 * with its item, in input order. With Continue On Fail, a failing item outputs
 * {error, description} and the others go on. Without it, a failure starts no further item, waits
 * for those already sent, and stops the node with the first failing item's error (secrets
 * masked); with more than one item at once, its description names what else was sent, because
 * the node's output is lost with the error.
 */
export async function executePerItem(
	ctx: IExecuteFunctions,
	run: (i: number) => Promise<IDataObject | IDataObject[]>,
	parallel = 1,
): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const outputs: INodeExecutionData[][] = [];
	const failed: Array<{ index: number; error: ReturnType<typeof toNodeError> }> = [];
	let next = 0;
	const worker = async () => {
		while (next < items.length && failed.length === 0) {
			const i = next++;
			try {
				const result = await run(i);
				outputs[i] = (Array.isArray(result) ? result : [result]).map((json) => ({
					json,
					pairedItem: { item: i },
				}));
			} catch (error) {
				const nodeError = toNodeError(ctx.getNode(), error, i);
				if (!ctx.continueOnFail()) failed.push({ index: i, error: nodeError });
				else
					outputs[i] = [
						{
							json: { error: nodeError.message, description: nodeError.description ?? null },
							pairedItem: { item: i },
						},
					];
			}
		}
	};
	await Promise.all(Array.from({ length: Math.max(1, Math.min(parallel, items.length)) }, worker));

	if (failed.length > 0) {
		failed.sort((a, b) => a.index - b.index);
		const [{ index, error }] = failed;
		const doneAfter = Object.keys(outputs)
			.map(Number)
			.filter((i) => i > index);
		const alsoFailed = failed.slice(1).map((f) => f.index);
		if (doneAfter.length > 0 || alsoFailed.length > 0)
			error.description = [
				error.description,
				`Item ${index + 1} failed while other items were being sent at the same time (Items in Parallel).`,
				doneAfter.length > 0 &&
					`Item${doneAfter.length > 1 ? 's' : ''} ${itemList(doneAfter)} after it succeeded, as did every item before it; their results are not in the output because the node stopped.`,
				alsoFailed.length > 0 &&
					`Item${alsoFailed.length > 1 ? 's' : ''} ${itemList(alsoFailed)} failed too.`,
				'Turn on Continue On Fail to get the result of every item.',
			]
				.filter(Boolean)
				.join(' ');
		throw error;
	}
	return [outputs.flat()];
}
