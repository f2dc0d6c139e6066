import { createHash } from 'node:crypto';
import type { IExecuteFunctions } from 'n8n-workflow';

/**
 * A merchant reference that is the same every time this item of this node runs in this execution
 * (n8n's Retry On Fail, a re-run after a lost response), and different for every other item, node,
 * execution and workflow. Sent with money-moving calls so a repeat can be recognised.
 */
export function deriveReference(ctx: IExecuteFunctions, itemIndex: number, prefix = 'n8n'): string {
	const workflowId = ctx.getWorkflow().id ?? '';
	const parts = [workflowId, ctx.getExecutionId() ?? '', ctx.getNode().name, String(itemIndex)];
	const digest = createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);
	return `${prefix}-${digest}`;
}
