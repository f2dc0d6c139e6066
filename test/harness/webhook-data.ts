import type {
	INode,
	IWebhookData,
	IWebhookDescription,
	IWorkflowExecuteAdditionalData,
	Workflow,
} from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

// Mirrors n8n 2.41 cli/dist/webhooks/webhook.service.js getNodeWebhooks: one IWebhookData per
// webhook description and HTTP method, with n8n's path rules (<webhookId>/<path> etc.).
export function getNodeWebhooks(
	workflow: Workflow,
	node: INode,
	additionalData: IWorkflowExecuteAdditionalData,
	ignoreRestartWebhooks = false,
): IWebhookData[] {
	if (node.disabled === true) return [];
	const nodeType = workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	const descriptions = nodeType.description.webhooks;
	if (descriptions === undefined) return [];
	const workflowId = workflow.id || '__UNSAVED__';
	const evaluate = (
		description: IWebhookDescription,
		property: keyof IWebhookDescription,
		fallback?: boolean | string,
	) =>
		workflow.expression.getSimpleParameterValue(
			node,
			description[property] as string | boolean | undefined,
			'internal',
			{},
			undefined,
			fallback,
		);
	const result: IWebhookData[] = [];
	for (const description of descriptions) {
		if (ignoreRestartWebhooks && description.restartWebhook === true) continue;
		const rawPath = evaluate(description, 'path');
		if (rawPath === undefined || rawPath === null) continue;
		let nodePath = rawPath.toString().trim();
		if (nodePath.startsWith('/')) nodePath = nodePath.slice(1);
		if (nodePath.endsWith('/')) nodePath = nodePath.slice(0, -1);
		const isFullPath = evaluate(description, 'isFullPath', false) as boolean;
		const restartWebhook = evaluate(description, 'restartWebhook', false) as boolean;
		const path = NodeHelpers.getNodeWebhookPath(
			workflowId,
			node,
			nodePath,
			isFullPath,
			restartWebhook,
		);
		const methods = evaluate(description, 'httpMethod', 'GET');
		if (methods === undefined) continue;
		for (const method of String(methods).split(',')) {
			if (!method) continue;
			result.push({
				httpMethod: method.trim() as IWebhookData['httpMethod'],
				node: node.name,
				path,
				webhookDescription: description,
				workflowId,
				workflowExecuteAdditionalData: additionalData,
				webhookId: path.includes(':') ? node.webhookId : undefined,
			});
		}
	}
	return result;
}
