import type { IDataObject, Workflow } from 'n8n-workflow';
import { ObservableObject, Workflow as WorkflowClass } from 'n8n-workflow';

// n8n keeps workflow static data in its DB. Each webhook request and each activation builds a
// fresh Workflow from the stored JSON and stores it again only when `__dataChanged` is set
// (WorkflowStaticDataService.saveStaticData). A change the ObservableObject proxy does not see,
// such as a write into a nested object created during the same call, is therefore lost in
// production; modelling the store keeps that visible in tests.
const stored = new WeakMap<Workflow, IDataObject>();
// An execution runs on its own Workflow object; its saves go to the original workflow's row.
const rowOf = new WeakMap<Workflow, Workflow>();
const row = (workflow: Workflow): Workflow => rowOf.get(workflow) ?? workflow;

const clone = (data: IDataObject): IDataObject => JSON.parse(JSON.stringify(data)) as IDataObject;

/** The "database" copy; first use snapshots whatever the Workflow object holds. */
export function storedStaticData(workflow: Workflow): IDataObject {
	let data = stored.get(row(workflow));
	if (data === undefined) {
		data = clone(workflow.staticData);
		stored.set(row(workflow), data);
	}
	return data;
}

/**
 * The Workflow a webhook-started execution runs on, as WorkflowRunner builds it: same nodes and
 * settings, static data freshly loaded from the database (prepareNewExecution), saved back to the
 * original workflow's row after the run.
 */
export function workflowForExecution(workflow: Workflow): Workflow {
	const copy = new WorkflowClass({
		id: workflow.id,
		name: workflow.name,
		nodes: Object.values(workflow.nodes),
		connections: workflow.connectionsBySourceNode,
		active: workflow.active,
		nodeTypes: workflow.nodeTypes,
		staticData: clone(storedStaticData(workflow)),
		settings: workflow.settings,
		pinData: workflow.pinData,
	});
	rowOf.set(copy, row(workflow));
	return copy;
}

/** Like `new Workflow({ staticData: row.staticData })` at the start of a request/activation. */
export function reloadStaticData(workflow: Workflow): void {
	workflow.staticData = ObservableObject.create(clone(storedStaticData(workflow)), undefined, {
		ignoreEmptyOnFirstChild: true,
	});
}

/** WorkflowStaticDataService.saveStaticData. */
export function saveStaticDataIfChanged(workflow: Workflow): void {
	storedStaticData(workflow);
	if (workflow.staticData.__dataChanged === true) {
		stored.set(row(workflow), clone(workflow.staticData));
		workflow.staticData.__dataChanged = false;
	}
}

/** The execution lifecycle hook's saveStaticDataById(newStaticData) for non-manual runs. */
export function storeStaticData(workflow: Workflow, data: IDataObject): void {
	stored.set(row(workflow), clone(data));
}
