import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import express from 'express';
import type { Request, Response } from 'express';
import { getHtmlSandboxCSP, isWebhookHtmlSandboxingDisabled, WebhookContext } from 'n8n-core';
import type {
	CloseFunction,
	IDataObject,
	INodeExecutionData,
	IRunExecutionData,
	IWebhookData,
	IWebhookResponseData,
	IWorkflowDataProxyAdditionalKeys,
	IWorkflowExecuteAdditionalData,
	Workflow,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import {
	createRunExecutionData,
	isNodeClassInstance,
	resolveWebhookDescriptionField,
	WorkflowConfigurationError,
} from 'n8n-workflow';

import { installRawBodyReader, parseRequestBody, UnprocessableRequestError } from './request-body';
import type { RunResult } from './run-result';
import { reloadStaticData, saveStaticDataIfChanged, workflowForExecution } from './static-data';
import { getNodeWebhooks } from './webhook-data';

/** An execution a request started; recorded when it starts, before the request is answered. */
export interface StartedExecution {
	/** What webhook() handed to the run (its workflowData): which delivery started it. */
	input: INodeExecutionData[][];
	/** The finished run; undefined while it is held or running. */
	result?: RunResult;
}

export interface WebhookServer {
	/** Full URL of that node's `default` webhook (or its first one) on this server. */
	url(nodeName: string): string;
	/**
	 * Every execution a request started, in start order. An entry is added before the request is
	 * answered, so once a client has its response, any execution that request started is here.
	 */
	started: StartedExecution[];
	/** The finished runs, in the order they finished. */
	executions: RunResult[];
	waitForExecutions(n: number, timeoutMs?: number): Promise<RunResult[]>;
	/**
	 * Resolves when every execution started so far has finished, with the runs in start order.
	 * To check that a request started nothing: await its response (or a later request's), then
	 * idle(), then compare `started` with what should exist.
	 */
	idle(timeoutMs?: number): Promise<RunResult[]>;
	/**
	 * Holds executions started from now on before they run (requests are still answered), as
	 * n8n's concurrency limit or a busy queue-mode worker would, until the returned function is
	 * called. While held, an execution has not saved static data.
	 */
	holdExecutions(): () => void;
	close(): Promise<void>;
}

/** What the server needs from the Harness (kept as an interface to avoid an import cycle). */
export interface WebhookHost {
	additionalData(workflow: Workflow, mode: WorkflowExecuteMode): IWorkflowExecuteAdditionalData;
	execute(
		workflow: Workflow,
		mode: WorkflowExecuteMode,
		data: IRunExecutionData,
	): Promise<RunResult>;
	setServedBaseUrl(workflow: Workflow, baseUrl: string | undefined): void;
}

// cli/dist/webhooks/webhook-request-handler.js
const WEBHOOK_METHODS = ['DELETE', 'GET', 'HEAD', 'PATCH', 'POST', 'PUT'];

class HttpError extends Error {
	constructor(
		readonly status: number,
		readonly body: IDataObject,
	) {
		super(String(body.message));
	}
}

// cli/dist/errors/response-errors/webhook-not-found.error.js (production hint)
function webhookNotFound(path: string, httpMethod: string, methods: string[]): HttpError {
	if (methods.length > 0) {
		const list =
			methods.length === 1 ? methods[0] : `${methods.slice(0, -1).join(', ')} or ${methods.at(-1)}`;
		return new HttpError(404, {
			code: 404,
			message: `This webhook is not registered for ${httpMethod} requests. Did you mean to make a ${list} request?`,
		});
	}
	return new HttpError(404, {
		code: 404,
		message: `The requested webhook "${httpMethod} ${path}" is not registered.`,
		hint: "The workflow must be active for a production URL to run successfully. You can activate the workflow using the toggle in the top-right of the editor. Note that unlike test URL calls, production URL calls aren't shown on the canvas (only in the executions list)",
	});
}

function matchPath(pattern: string, path: string, params: Record<string, string>): boolean {
	if (pattern === path) return true;
	if (!pattern.includes(':')) return false;
	const want = pattern.split('/');
	const got = path.split('/');
	if (want.length !== got.length) return false;
	const bound: Record<string, string> = {};
	for (let i = 0; i < want.length; i++) {
		if (want[i].startsWith(':')) bound[want[i].slice(1)] = got[i];
		else if (want[i] !== got[i]) return false;
	}
	Object.assign(params, bound);
	return true;
}

/** sendStaticResponse / sendLegacyResponse of the CLI's WebhookRequestHandler. */
function send(res: Response, body: unknown, code: number, withCsp: boolean): void {
	res.status(code);
	if (withCsp && !isWebhookHtmlSandboxingDisabled()) {
		res.setHeader('Content-Security-Policy', getHtmlSandboxCSP());
	}
	if (typeof body === 'string') res.send(body);
	else res.json(body);
}

export async function startWebhookServer(
	host: WebhookHost,
	workflow: Workflow,
	mode: 'webhook' | 'manual',
): Promise<WebhookServer> {
	const prefix = mode === 'manual' ? 'webhook-test' : 'webhook';
	const started: StartedExecution[] = [];
	const executions: RunResult[] = [];
	const running = new Set<Promise<unknown>>();
	const crashes: unknown[] = [];
	const waiters: Array<() => void> = [];
	const notify = () => waiters.splice(0).forEach((wake) => wake());
	let held: Array<() => void> | undefined;

	/** Waits until `done()` holds, throwing `failure()` on timeout or when the harness itself failed. */
	const waitUntil = async (
		done: () => boolean,
		timeoutMs: number,
		failure: () => string,
	): Promise<void> => {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			if (crashes.length > 0) throw crashes[0];
			if (done()) return;
			const left = deadline - Date.now();
			if (left <= 0) throw new Error(`Harness: ${failure()} after ${timeoutMs} ms`);
			await new Promise<void>((resolve) => {
				const timer = setTimeout(resolve, left);
				waiters.push(() => {
					clearTimeout(timer);
					resolve();
				});
			});
		}
	};

	const startExecution = (data: IRunExecutionData, input: INodeExecutionData[][]) => {
		const entry: StartedExecution = { input };
		started.push(entry);
		let release!: () => void;
		const gate = new Promise<void>((resolve) => (release = resolve));
		if (held) held.push(release);
		else release();
		const done = gate
			// the run loads static data from the database when it runs, not when it was queued
			.then(async () => await host.execute(workflowForExecution(workflow), mode, data))
			.then(
				(result) => {
					entry.result = result;
					executions.push(result);
				},
				(error: unknown) => {
					crashes.push(error);
				},
			)
			.finally(() => {
				running.delete(done);
				notify();
			});
		running.add(done);
	};

	// cli/dist/webhooks/live-webhooks.js executeWebhook + webhook-helpers.js executeWebhook,
	// reduced to the onReceived response mode that trigger nodes use.
	async function executeWebhook(
		req: Request,
		res: Response,
		webhookData: IWebhookData,
	): Promise<void> {
		reloadStaticData(workflow);
		const node = workflow.getNode(webhookData.node);
		if (node === null)
			throw new HttpError(404, { code: 404, message: 'Could not find node to process webhook.' });
		const additionalData = host.additionalData(workflow, mode);
		additionalData.httpRequest = req;
		additionalData.httpResponse = res;
		webhookData.workflowExecuteAdditionalData = additionalData;
		const additionalKeys: IWorkflowDataProxyAdditionalKeys = { $executionId: undefined };
		const description = webhookData.webhookDescription;
		const evaluate = (property: string, fallback: unknown, complex = false): unknown => {
			const native = resolveWebhookDescriptionField(node, description, property);
			if (native.resolved) return native.value;
			const value = (description as unknown as IDataObject)[property];
			return complex
				? workflow.expression.getComplexParameterValue(
						node,
						value as string,
						mode,
						additionalKeys,
						undefined,
						fallback as string,
					)
				: workflow.expression.getSimpleParameterValue(
						node,
						value as string,
						mode,
						additionalKeys,
						undefined,
						fallback as string,
					);
		};
		const responseMode = evaluate('responseMode', 'onReceived');
		const responseCode = Number(evaluate('responseCode', 200));
		if (responseMode !== 'onReceived') {
			throw new HttpError(500, {
				code: 0,
				message: `Harness: response mode "${String(responseMode)}" is not mirrored (only onReceived)`,
			});
		}

		await parseRequestBody(req, node, workflow, mode, additionalKeys);

		let result: IWebhookResponseData;
		let failure: Error | undefined;
		const closeFunctions: CloseFunction[] = [];
		try {
			result = await workflow.expression.withIsolate(async () => {
				const nodeType = workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
				if (nodeType.webhook === undefined)
					throw new Error(`Node "${node.name}" has no webhook() method`);
				const context = new WebhookContext(
					workflow,
					node,
					additionalData,
					mode,
					webhookData,
					closeFunctions,
					null,
				);
				try {
					return isNodeClassInstance(nodeType)
						? await (
								nodeType.webhook as unknown as (
									ctx: WebhookContext,
								) => Promise<IWebhookResponseData>
							)(context)
						: await nodeType.webhook.call(context);
				} finally {
					await Promise.allSettled(closeFunctions.map(async (close) => await close()));
				}
			});
		} catch (error) {
			// n8n answers 500 with a generic message, then still starts an execution that fails
			// on the trigger node (runExecutionDataMerge.resultData.error), so it shows up failed.
			failure = error as Error;
			const message =
				error instanceof WorkflowConfigurationError
					? error.message
					: 'Workflow Webhook Error: Workflow could not be started!';
			send(res, { code: 0, message }, 500, false);
			result = { noWebhookResponse: true, workflowData: [[{ json: {} }]] };
		}

		if (failure === undefined) {
			if (result.noWebhookResponse === true) {
				saveStaticDataIfChanged(workflow);
			} else if (result.workflowData === undefined) {
				send(
					res,
					result.webhookResponse !== undefined
						? result.webhookResponse
						: { message: 'Webhook call received' },
					responseCode,
					false,
				);
				saveStaticDataIfChanged(workflow);
			}
		}
		if (result.workflowData === undefined) return;

		// WorkflowRunner.run first builds a Workflow on this same static data object
		// (establishContextForPersistence), which clears its change flag, and only then does the
		// response callback try to save it: what webhook() wrote is lost once an execution starts.
		// The run gets a fresh copy from the database and saves it if the run changes it.
		workflow.staticData.__dataChanged = false;
		const runExecutionData = createRunExecutionData({
			executionData: {
				nodeExecutionStack: [
					{ node, data: { main: result.workflowData as INodeExecutionData[][] }, source: null },
				],
			},
		});
		if (failure !== undefined) {
			Object.assign(runExecutionData, {
				resultData: {
					runData: {},
					lastNodeExecuted: node.name,
					error: { ...failure, message: failure.message, stack: failure.stack },
				},
			});
		}
		startExecution(runExecutionData, result.workflowData as INodeExecutionData[][]);
		if (failure !== undefined || result.noWebhookResponse === true) return;

		const responseData = evaluate('responseData', 'firstEntryJson', true);
		let body: unknown;
		if (responseData === 'noData') body = undefined;
		else if (responseData) body = responseData;
		else if (result.webhookResponse !== undefined) body = result.webhookResponse;
		else body = { message: 'Workflow was started' };
		send(res, body, responseCode, true);
	}

	const handle = async (req: Request, res: Response): Promise<void> => {
		try {
			const method = req.method;
			if (method === 'OPTIONS') {
				res.status(204).json({});
				return;
			}
			if (!WEBHOOK_METHODS.includes(method)) {
				throw new HttpError(500, { code: 0, message: `The method ${method} is not supported.` });
			}
			const raw = (req.params as { path?: string | string[] }).path ?? '';
			let path = Array.isArray(raw) ? raw.join('/') : raw;
			if (path.endsWith('/')) path = path.slice(0, -1);
			const ad = host.additionalData(workflow, mode);
			const all = Object.values(workflow.nodes).flatMap((node) =>
				getNodeWebhooks(workflow, node, ad, true),
			);
			const params: Record<string, string> = {};
			const found = all.find((w) => w.httpMethod === method && matchPath(w.path, path, params));
			if (found === undefined) {
				const methods = all.filter((w) => matchPath(w.path, path, {})).map((w) => w.httpMethod);
				throw webhookNotFound(path, method, methods);
			}
			req.params = params;
			await executeWebhook(req, res, found);
		} catch (error) {
			if (res.headersSent) return;
			if (error instanceof HttpError) {
				send(res, error.body, error.status, false);
			} else if (error instanceof UnprocessableRequestError) {
				send(res, { code: 422, message: error.message, hint: error.hint }, 422, false);
			} else {
				send(res, { code: 0, message: (error as Error).message }, 500, false);
			}
		}
	};

	const app = express();
	app.disable('x-powered-by');
	app.use((req, _res, next) => {
		installRawBodyReader(req);
		next();
	});
	app.all(`/${prefix}/*path`, (req, res) => {
		void handle(req, res);
	});

	const server = createServer(app);
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
	const { port } = server.address() as AddressInfo;
	const baseUrl = `http://127.0.0.1:${port}/`;
	host.setServedBaseUrl(workflow, baseUrl);

	return {
		started,
		executions,
		url(nodeName: string): string {
			const node = workflow.getNode(nodeName);
			if (node === null) throw new Error(`Harness: no node "${nodeName}"`);
			const hooks = getNodeWebhooks(workflow, node, host.additionalData(workflow, mode));
			const hook = hooks.find((w) => w.webhookDescription.name === 'default') ?? hooks[0];
			if (hook === undefined) throw new Error(`Harness: node "${nodeName}" has no webhooks`);
			return `${baseUrl}${prefix}/${hook.path}`;
		},
		async waitForExecutions(n: number, timeoutMs = 5000): Promise<RunResult[]> {
			await waitUntil(
				() => executions.length >= n,
				timeoutMs,
				() => `expected ${n} executions, got ${executions.length}`,
			);
			return executions.slice(0, n);
		},
		async idle(timeoutMs = 5000): Promise<RunResult[]> {
			if (held !== undefined && held.length > 0)
				throw new Error('Harness: idle() while executions are held; release them first');
			await waitUntil(
				() => running.size === 0,
				timeoutMs,
				() => `${running.size} of ${started.length} started executions still running`,
			);
			return started.map((entry) => entry.result as RunResult);
		},
		holdExecutions(): () => void {
			const queue: Array<() => void> = [];
			held = queue;
			return () => {
				if (held === queue) held = undefined;
				queue.splice(0).forEach((release) => release());
			};
		},
		async close(): Promise<void> {
			host.setServedBaseUrl(workflow, undefined);
			server.closeAllConnections();
			await new Promise<void>((resolve, reject) =>
				server.close((error) => (error ? reject(error) : resolve())),
			);
			held?.splice(0).forEach((release) => release());
			held = undefined;
			await Promise.allSettled([...running]);
		},
	};
}
