import { createHash } from 'node:crypto';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

export interface DerivedReference {
	reference: string;
	/** 'event': from the event that started the execution; 'execution': from this execution. */
	from: 'event' | 'execution';
	/** The triggering event's key (the trigger's output eventKey), when from the event. */
	eventKey?: string;
}

/** Said in every Reference field's hint, so the operator knows what an empty field gives. */
export const DERIVED_REFERENCE_HINT =
	"Left empty, one is derived and output as derivedReference: when the workflow was started by one of this pack's triggers, from that event (its eventKey), workflow, node and item, so the same event always gives the same reference, even in another execution; otherwise from workflow, execution, node and item (n8n's Retry On Fail reuses it, a new execution does not).";

/**
 * The eventKey of the trigger of this pack that started the execution, if one did. A webhook
 * execution has one trigger item, from which every item descends, so its first item is the event.
 */
function triggeringEventKey(ctx: IExecuteFunctions, itemIndex: number): string | undefined {
	for (const parent of ctx.getParentNodes(ctx.getNode().name)) {
		if (parent.disabled || !parent.type.endsWith('Trigger')) continue;
		let json: IDataObject | undefined;
		try {
			json = ctx.getWorkflowDataProxy(itemIndex).$(parent.name).first()?.json as IDataObject;
		} catch {
			// that trigger did not start this execution
			continue;
		}
		if (typeof json?.eventKey === 'string' && json.eventKey) return json.eventKey;
	}
	return undefined;
}

/**
 * A merchant reference for a money-moving call whose reference field was left empty. The same
 * provider event gives the same reference (so a workflow started twice by one event cannot pay
 * twice where the node looks the reference up first); without one, it is the same every time this
 * item of this node runs in this execution (Retry On Fail, a re-run after a lost response). It is
 * different for every other item, node and workflow.
 */
export function deriveReference(
	ctx: IExecuteFunctions,
	itemIndex: number,
	prefix = 'n8n',
): DerivedReference {
	const workflowId = ctx.getWorkflow().id ?? '';
	const eventKey = triggeringEventKey(ctx, itemIndex);
	const origin = eventKey === undefined ? (ctx.getExecutionId() ?? '') : `event:${eventKey}`;
	const parts = [workflowId, origin, ctx.getNode().name, String(itemIndex)];
	const digest = createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);
	const reference = `${prefix}-${digest}`;
	return eventKey === undefined
		? { reference, from: 'execution' }
		: { reference, from: 'event', eventKey };
}
