import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';

import { Container } from '@n8n/di';
import {
	ExecutionLifecycleHooks,
	ExternalSecretsProxy,
	HookContext,
	PollContext,
	PollTriggerExecutor,
	WorkflowExecute,
} from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IConnections,
	IDataObject,
	INode,
	INodeCredentials,
	INodeExecutionData,
	INodeTypes,
	IRun,
	IRunExecutionData,
	IWebhookData,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	IWorkflowSettings,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { createRunExecutionData, Workflow } from 'n8n-workflow';

import { HarnessCredentialsHelper } from './credentials-helper';
import { HarnessNodeTypes, loadPackage } from './node-types';
import { installProcessedDataStore } from './processed-data';
import type { RunResult } from './run-result';
import { toRunResult } from './run-result';
import {
	reloadStaticData,
	saveStaticDataIfChanged,
	storedStaticData,
	storeStaticData,
} from './static-data';
import { getNodeWebhooks } from './webhook-data';
import type { WebhookServer } from './webhook-server';
import { startWebhookServer } from './webhook-server';

export type { RunResult } from './run-result';
export { outputsAndErrors } from './run-result';
export type { StartedExecution, WebhookServer } from './webhook-server';

export interface HarnessOptions {
	/** Stored credential data by credential type (e.g. { paytechApi: { apiKey: '…' } }). */
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** Directory whose package.json "n8n" section is loaded; default: the repository root. */
	packageDir?: string;
	/**
	 * Instance base URL, like n8n's WEBHOOK_URL (default http://localhost:5678/). Production
	 * webhook URLs are <base>webhook/<path>. While serveWebhooks() serves a workflow and this is
	 * not set, that server's own URL is used, so providers can call back into the test.
	 */
	webhookBaseUrl?: string;
}

export interface WorkflowDefinition {
	nodes: INode[] | Array<Partial<INode>>;
	connections: IConnections;
	staticData?: IDataObject;
	id?: string;
	settings?: IWorkflowSettings;
}

export interface RunOptions {
	startNode?: string;
	items?: INodeExecutionData[];
	mode?: WorkflowExecuteMode;
}

const REPO_ROOT = resolve(__dirname, '..', '..');
const DEFAULT_BASE_URL = 'http://localhost:5678/';
let workflowCounter = 0;
let executionCounter = 0;

const notInHarness = (what: string) => async (): Promise<never> => {
	throw new Error(`Harness: ${what} is not supported`);
};

export class Harness {
	private readonly credentialsHelper: HarnessCredentialsHelper;
	private readonly servedBaseUrls = new WeakMap<Workflow, string>();

	private constructor(
		readonly nodeTypes: INodeTypes,
		/** The loaded package's name; node types are `<packageName>.<node name>`. */
		readonly packageName: string,
		credentialTypes: Record<string, ICredentialType>,
		private readonly credentialData: Record<string, ICredentialDataDecryptedObject>,
		private readonly options: HarnessOptions,
	) {
		this.credentialsHelper = new HarnessCredentialsHelper(credentialTypes, credentialData);
	}

	static async create(opts: HarnessOptions = {}): Promise<Harness> {
		await installProcessedDataStore();
		const pkg = await loadPackage(opts.packageDir ?? REPO_ROOT);
		const data: Record<string, ICredentialDataDecryptedObject> = {};
		for (const [type, values] of Object.entries(opts.credentials ?? {})) data[type] = { ...values };
		return new Harness(
			new HarnessNodeTypes(pkg.nodeTypes),
			pkg.packageName,
			pkg.credentialTypes,
			data,
			opts,
		);
	}

	setCredentials(type: string, data: ICredentialDataDecryptedObject): void {
		this.credentialData[type] = { ...data };
	}

	/** How often nodes have read the stored credential of this type so far. */
	credentialReads(type: string): number {
		return this.credentialsHelper.reads[type] ?? 0;
	}

	/** The copy of the workflow's static data that n8n would have in its database. */
	savedStaticData(workflow: Workflow): IDataObject {
		return storedStaticData(workflow);
	}

	workflow(def: WorkflowDefinition): Workflow {
		const nodes = def.nodes.map((partial: Partial<INode>, index): INode => {
			if (partial.type === undefined) throw new Error(`Harness: node #${index} has no type`);
			const type = this.nodeTypes.getByName(partial.type);
			const typeVersion = partial.typeVersion ?? defaultVersion(type);
			const { description } = this.nodeTypes.getByNameAndVersion(partial.type, typeVersion);
			const credentials: INodeCredentials = {};
			for (const { name } of description.credentials ?? []) credentials[name] = { id: name, name };
			Object.assign(credentials, partial.credentials);
			// The editor gives every webhook node a webhookId when it is placed on the canvas.
			const webhookId =
				partial.webhookId ?? (description.webhooks?.length ? randomUUID() : undefined);
			return {
				...partial,
				id: partial.id ?? randomUUID(),
				name:
					partial.name ?? `${description.defaults.name ?? description.displayName} ${index + 1}`,
				type: partial.type,
				typeVersion,
				position: partial.position ?? [index * 220, 0],
				parameters: partial.parameters ?? {},
				...(Object.keys(credentials).length > 0 && { credentials }),
				...(webhookId !== undefined && { webhookId }),
			};
		});
		return new Workflow({
			id: def.id ?? `harness-${process.pid}-${++workflowCounter}`,
			name: 'Harness workflow',
			nodes,
			connections: def.connections,
			nodeTypes: this.nodeTypes,
			active: false,
			staticData: def.staticData,
			settings: { executionOrder: 'v1', ...def.settings },
		});
	}

	/** Like the editor's "Execute workflow" (mode manual by default). */
	async run(workflow: Workflow, opts: RunOptions = {}): Promise<RunResult> {
		const mode = opts.mode ?? 'manual';
		const start =
			opts.startNode !== undefined ? workflow.getNode(opts.startNode) : workflow.getStartNode();
		if (!start) throw new Error(`Harness: start node ${opts.startNode ?? '(auto)'} not found`);
		if (opts.items === undefined) {
			return await this.execute(workflow, mode, undefined, (we) =>
				we.run({ workflow, startNode: start }),
			);
		}
		const data = createRunExecutionData({
			executionData: {
				nodeExecutionStack: [{ node: start, data: { main: [opts.items] }, source: null }],
			},
		});
		return await this.execute(workflow, mode, data);
	}

	async serveWebhooks(
		workflow: Workflow,
		opts: { mode?: 'webhook' | 'manual' } = {},
	): Promise<WebhookServer> {
		return await startWebhookServer(
			{
				additionalData: (wf, mode) => this.additionalData(wf, mode),
				execute: async (wf, mode, data) => await this.execute(wf, mode, data),
				setServedBaseUrl: (wf, url) => {
					if (url === undefined) this.servedBaseUrls.delete(wf);
					else this.servedBaseUrls.set(wf, url);
				},
			},
			workflow,
			opts.mode ?? 'webhook',
		);
	}

	/** ActiveWorkflowManager.addWebhooks → WebhookService.createWebhookIfNotExists. */
	async activate(workflow: Workflow, nodeName: string): Promise<void> {
		reloadStaticData(workflow);
		const hooks = this.nodeWebhooks(workflow, nodeName, 'trigger');
		try {
			for (const webhookData of hooks) {
				const exists = await this.runWebhookMethod(
					workflow,
					webhookData,
					'checkExists',
					'trigger',
					'activate',
				);
				if (!exists)
					await this.runWebhookMethod(workflow, webhookData, 'create', 'trigger', 'activate');
			}
		} catch (error) {
			// n8n clears the webhooks with the stored (pre-activation) static data, then rethrows
			reloadStaticData(workflow);
			for (const webhookData of this.nodeWebhooks(workflow, nodeName, 'internal')) {
				await this.runWebhookMethod(workflow, webhookData, 'delete', 'internal', 'update').catch(
					() => undefined,
				);
			}
			saveStaticDataIfChanged(workflow);
			throw error;
		}
		saveStaticDataIfChanged(workflow);
	}

	/** ActiveWorkflowManager.deregisterWebhooks → WebhookService.deleteWebhook. */
	async deactivate(workflow: Workflow, nodeName: string): Promise<void> {
		reloadStaticData(workflow);
		for (const webhookData of this.nodeWebhooks(workflow, nodeName, 'internal')) {
			await this.runWebhookMethod(workflow, webhookData, 'delete', 'internal', 'update');
		}
		saveStaticDataIfChanged(workflow);
	}

	/**
	 * One production poll tick (PollTriggerExecutor with a PollContext, mode trigger). Returns
	 * what the node emitted, or null. The Workflow object is kept between ticks like n8n keeps
	 * it in memory while active; the emitted data is not run through the workflow.
	 */
	async poll(workflow: Workflow, nodeName: string): Promise<INodeExecutionData[][] | null> {
		const node = this.getNode(workflow, nodeName);
		const emitted: INodeExecutionData[][][] = [];
		const errors: Error[] = [];
		const context = new PollContext(
			workflow,
			node,
			this.additionalData(workflow, 'trigger'),
			'trigger',
			'activate',
			(data) => {
				emitted.push(data);
				saveStaticDataIfChanged(workflow);
			},
			(error) => {
				errors.push(error);
			},
		);
		await Container.get(PollTriggerExecutor).create(workflow, node, context, () => true)(false);
		if (errors.length > 0) throw errors[0];
		return emitted[0] ?? null;
	}

	private getNode(workflow: Workflow, nodeName: string): INode {
		const node = workflow.getNode(nodeName);
		if (node === null) throw new Error(`Harness: no node "${nodeName}" in workflow ${workflow.id}`);
		return node;
	}

	private nodeWebhooks(
		workflow: Workflow,
		nodeName: string,
		mode: WorkflowExecuteMode,
	): IWebhookData[] {
		const node = this.getNode(workflow, nodeName);
		const hooks = getNodeWebhooks(workflow, node, this.additionalData(workflow, mode), true);
		if (hooks.length === 0) throw new Error(`Harness: node "${nodeName}" has no webhooks`);
		return hooks;
	}

	/** WebhookService.runWebhookMethod, inside the isolate like ActiveWorkflowManager holds it. */
	private async runWebhookMethod(
		workflow: Workflow,
		webhookData: IWebhookData,
		method: 'checkExists' | 'create' | 'delete',
		mode: WorkflowExecuteMode,
		activation: 'activate' | 'update',
	): Promise<boolean | undefined> {
		const node = this.getNode(workflow, webhookData.node);
		const nodeType = workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
		const fn = nodeType.webhookMethods?.[webhookData.webhookDescription.name]?.[method];
		if (fn === undefined) return undefined;
		const context = new HookContext(
			workflow,
			node,
			webhookData.workflowExecuteAdditionalData,
			mode,
			activation,
			webhookData,
		);
		return await workflow.expression.withIsolate(async () => await fn.call(context));
	}

	private baseUrl(workflow: Workflow): string {
		const base =
			this.options.webhookBaseUrl ?? this.servedBaseUrls.get(workflow) ?? DEFAULT_BASE_URL;
		return base.endsWith('/') ? base : `${base}/`;
	}

	private additionalData(
		workflow: Workflow,
		_mode: WorkflowExecuteMode,
		hooks?: ExecutionLifecycleHooks,
	): IWorkflowExecuteAdditionalData {
		const base = this.baseUrl(workflow);
		return {
			hooks,
			executionId: hooks?.executionId,
			credentialsHelper: this.credentialsHelper,
			externalSecretsProxy: new ExternalSecretsProxy(),
			currentNodeExecutionIndex: 0,
			variables: {},
			workflowId: workflow.id,
			workflowSettings: workflow.settings,
			restApiUrl: `${base}rest`,
			instanceBaseUrl: base,
			webhookBaseUrl: `${base}webhook`,
			webhookTestBaseUrl: `${base}webhook-test`,
			webhookWaitingBaseUrl: `${base}webhook-waiting`,
			formBaseUrl: `${base}form`,
			formTestBaseUrl: `${base}form-test`,
			formWaitingBaseUrl: `${base}form-waiting`,
			mcpBaseUrl: `${base}mcp`,
			mcpTestBaseUrl: `${base}mcp-test`,
			logAiEvent: () => undefined,
			getRunExecutionData: async () => undefined,
			getRuntimeCredential: async () => undefined,
			executeWorkflow: notInHarness('executeWorkflow (sub-workflows)'),
			startRunnerTask: notInHarness('startRunnerTask (Code node task runner)'),
		};
	}

	private workflowBase(workflow: Workflow): IWorkflowBase {
		const now = new Date();
		return {
			id: workflow.id,
			name: workflow.name ?? 'Harness workflow',
			active: workflow.active,
			isArchived: false,
			activeVersionId: null,
			createdAt: now,
			updatedAt: now,
			nodes: Object.values(workflow.nodes),
			connections: workflow.connectionsBySourceNode,
			settings: workflow.settings,
			staticData: workflow.staticData,
		};
	}

	private async execute(
		workflow: Workflow,
		mode: WorkflowExecuteMode,
		data: IRunExecutionData | undefined,
		start: (we: WorkflowExecute) => Promise<IRun> = (we) => we.processRunExecutionData(workflow),
	): Promise<RunResult> {
		const ranNodes: string[] = [];
		const hooks = new ExecutionLifecycleHooks(
			mode,
			`harness-${++executionCounter}`,
			this.workflowBase(workflow),
		);
		hooks.addHandler('nodeExecuteAfter', (nodeName) => {
			ranNodes.push(nodeName);
		});
		// The CLI's save hook: static data changed by a production run is stored; manual runs never store it.
		hooks.addHandler('workflowExecuteAfter', (_run, newStaticData) => {
			if (mode !== 'manual' && newStaticData) storeStaticData(workflow, newStaticData);
		});
		const workflowExecute = new WorkflowExecute(
			this.additionalData(workflow, mode, hooks),
			mode,
			data,
		);
		const run = await start(workflowExecute);
		return toRunResult(run, ranNodes);
	}
}

function defaultVersion(type: ReturnType<INodeTypes['getByName']>): number {
	if ('nodeVersions' in type) return type.description.defaultVersion ?? type.currentVersion;
	const { version, defaultVersion: preferred } = type.description;
	return preferred ?? (Array.isArray(version) ? Math.max(...version) : version);
}
