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
