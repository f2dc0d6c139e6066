/**
 * Puts the demo into a running n8n: a credential per provider for its local sandbox, the example
 * workflows (credentials mapped to it), published when they start from a trigger. Idempotent:
 * what already exists by name is kept, so an operator's edits survive a restart.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { ROOT } from './runtime';
import { PACKAGE_NAME, type N8nServer } from './server';

export const EXAMPLES_DIR = join(ROOT, 'examples');

export interface ProvisionedWorkflow {
	id: string;
	name: string;
	file: string;
	active: boolean;
	/** Production webhook URLs of its trigger nodes, by node name (in queue mode, through the proxy). */
	webhookUrls: Record<string, string>;
}

interface WorkflowNode {
	name: string;
	type: string;
	webhookId?: string;
	credentials?: Record<string, { id: string; name: string }>;
}

interface WorkflowFile {
	name: string;
	nodes: WorkflowNode[];
	connections: unknown;
	settings?: Record<string, unknown>;
}

/**
 * The workflow for a provider's own package (tools/packages.ts) instead of the pack: the pack's
 * package prefix of each node's `type` (`n8n-nodes-payops.paytech`) replaced by `packageName`
 * (`n8n-nodes-paytech.paytech`), which is all that moving a workflow between them takes.
 */
export function withPackagePrefix<W extends { nodes: Array<{ type: string }> }>(
	workflow: W,
	packageName: string,
): W {
	return {
		...workflow,
		nodes: workflow.nodes.map((node) =>
			node.type.startsWith(`${PACKAGE_NAME}.`)
				? { ...node, type: `${packageName}${node.type.slice(PACKAGE_NAME.length)}` }
				: node,
		),
	};
}

export interface ProvisionOptions {
	/** Only these examples/*.json files; all of them by default. */
	files?: string[];
	/** Node types under this package name instead of the pack's (withPackagePrefix). */
	packageName?: string;
	/** Appended to each workflow's name: a copy beside the one of the same file already there. */
	nameSuffix?: string;
}

/** A trigger node type of the pack: its webhook path, or polling (tools/providers.ts triggerNodes()). */
export type TriggerKind = { webhookPath: string } | { polling: true };

export async function ensureCredential(
	server: N8nServer,
	name: string,
	type: string,
	data: Record<string, unknown>,
): Promise<string> {
	const existing = (
		(await server.rest('GET', '/rest/credentials')) as Array<{
			id: string;
			name: string;
			type: string;
		}>
	).find((c) => c.name === name && c.type === type);
	if (existing) return existing.id;
	const created = await server.api('POST', '/credentials', { name, type, data });
	return String(created.id);
}

/**
 * Imports every examples/*.json not yet present, points their credentials at `credentialIds` (by
 * type), and replaces text in them (the e2e tests move the chat sink to another port). Workflows
 * with one of `triggers` (by full node type) are published.
 */
export async function provisionExamples(
	server: N8nServer,
	credentialIds: Record<string, { id: string; name: string }>,
	replace: Record<string, string>,
	triggers: Record<string, TriggerKind>,
	options: ProvisionOptions = {},
): Promise<ProvisionedWorkflow[]> {
	const listed = await server.api('GET', '/workflows?limit=250');
	const existing = listed.data as Array<{ id: string; name: string; active: boolean }>;
	const result: ProvisionedWorkflow[] = [];
	for (const file of readdirSync(EXAMPLES_DIR)
		.filter((f) => f.endsWith('.json') && (!options.files || options.files.includes(f)))
		.sort()) {
		let text = readFileSync(join(EXAMPLES_DIR, file), 'utf8');
		for (const [from, to] of Object.entries(replace)) text = text.split(from).join(to);
		let workflow = JSON.parse(text) as WorkflowFile;
		if (options.packageName) workflow = withPackagePrefix(workflow, options.packageName);
		if (options.nameSuffix) workflow.name += options.nameSuffix;
		for (const node of workflow.nodes) {
			for (const type of Object.keys(node.credentials ?? {})) {
				if (credentialIds[type]) node.credentials![type] = credentialIds[type];
			}
		}
		let found = existing.find((w) => w.name === workflow.name);
		if (!found) {
			const created = await server.api('POST', '/workflows', {
				name: workflow.name,
				nodes: workflow.nodes,
				connections: workflow.connections,
				settings: workflow.settings ?? { executionOrder: 'v1' },
			});
			found = { id: String(created.id), name: workflow.name, active: false };
		}
		const starts = workflow.nodes.filter((n) => triggers[n.type]);
		if (starts.length && !found.active) {
			await server.api('POST', `/workflows/${found.id}/activate`);
			found.active = true;
		}
		result.push({
			id: found.id,
			name: workflow.name,
			file,
			active: found.active,
			webhookUrls: Object.fromEntries(
				starts.flatMap((n) => {
					const trigger = triggers[n.type];
					return 'webhookPath' in trigger
						? [[n.name, `${server.webhookBaseUrl}/webhook/${n.webhookId}/${trigger.webhookPath}`]]
						: [];
				}),
			),
		});
	}
	return result;
}
