import type { ExecutionError, INodeExecutionData, IRun } from 'n8n-workflow';

export interface RunResult {
	run: IRun;
	/** Items of the node's last run on that output (default 0); [] when it did not run. */
	output(nodeName: string, outputIndex?: number): INodeExecutionData[];
	/** The node's error from its last run, or the run-level error if it was the failing node. */
	error(nodeName: string): ExecutionError | undefined;
	/** Node names in the order they finished (nodeExecuteAfter hook). */
	ranNodes: string[];
}

export function toRunResult(run: IRun, ranNodes: string[]): RunResult {
	const lastTask = (nodeName: string) => run.data.resultData.runData[nodeName]?.at(-1);
	return {
		run,
		ranNodes,
		output: (nodeName, outputIndex = 0) => lastTask(nodeName)?.data?.main[outputIndex] ?? [],
		error: (nodeName) => {
			const task = lastTask(nodeName);
			if (task?.error) return task.error;
			const { error, lastNodeExecuted } = run.data.resultData;
			return error && lastNodeExecuted === nodeName ? error : undefined;
		},
	};
}

/**
 * What a workflow shows and stores of its nodes, as one text to search for secrets: the run's
 * error and every node's output, error (message, description, context, and the node with the
 * parameters n8n keeps with it) and hints. Not n8n's own copy of the workflow in the execution
 * stack: a value typed into a parameter is stored there by n8n.
 */
export function outputsAndErrors(result: RunResult): string {
	const { runData, error } = result.run.data.resultData;
	const shown = (e: ExecutionError | undefined) =>
		e && {
			message: e.message,
			description: e.description,
			context: e.context,
			node: (e as { node?: unknown }).node,
		};
	return JSON.stringify({
		error: shown(error),
		tasks: Object.values(runData).flatMap((tasks) =>
			tasks.map((t) => ({ data: t.data, error: shown(t.error), hints: t.hints })),
		),
	});
}
