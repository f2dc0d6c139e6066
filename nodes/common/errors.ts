import type { INode, INodeParameters, NodeParameterValueType } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

// Parameters that hold a customer's or card's secret. n8n stores a failed node's parameters with
// the error, so they are masked there.
const SECRET_PARAMETER =
	/mpin|otp|password|secret|cardNumber|cardSecurityCode|cardToken|recurringToken/i;

function redact(value: NodeParameterValueType, key = ''): NodeParameterValueType {
	if (SECRET_PARAMETER.test(key) && value !== '' && value !== null && value !== undefined)
		return '[redacted]';
	if (Array.isArray(value))
		return value.map((v) => redact(v as NodeParameterValueType)) as NodeParameterValueType;
	if (value && typeof value === 'object') {
		return Object.fromEntries(
			Object.entries(value).map(([k, v]) => [k, redact(v as NodeParameterValueType, k)]),
		) as NodeParameterValueType;
	}
	return value;
}

/**
 * The error as n8n shows and stores it: n8n's own errors as they are, anything else wrapped with
 * the item; in both, the node's secret parameters are masked.
 */
export function toNodeError(
	node: INode,
	error: unknown,
	itemIndex?: number,
): NodeApiError | NodeOperationError {
	const nodeError =
		error instanceof NodeApiError || error instanceof NodeOperationError
			? error
			: new NodeOperationError(node, error instanceof Error ? error : String(error), { itemIndex });
	if (nodeError.node)
		Object.assign(nodeError, {
			node: { ...nodeError.node, parameters: redact(nodeError.node.parameters) as INodeParameters },
		});
	return nodeError;
}
