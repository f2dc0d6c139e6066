/**
 * The whole demo stack, used by `npm start`, the e2e tests and the screenshot tool: every
 * provider's sandbox with its demo data (tools/providers.ts), the chat sink, n8n with the built
 * pack, its owner, a credential per provider for its sandbox and the example workflows.
 * With `queue`, n8n runs in queue mode instead (tools/n8n/cluster.ts): PostgreSQL and Redis of its
 * own (tools/n8n/services.ts), main, workers and webhook processes behind a round-robin proxy.
 */
import { join } from 'node:path';

import { startChatSink, type ChatSink } from '../../sandbox/chat';
import {
	PROVIDERS,
	secretsOf,
	triggerNodes,
	type DemoDataOf,
	type ProviderId,
	type SandboxHandle,
	type SandboxOf,
	type SecretsOf,
} from '../providers';
import { startQueueCluster, type QueueCluster } from './cluster';
import { ensureCredential, provisionExamples, type ProvisionedWorkflow } from './provision';
import { ensureRuntime } from './runtime';
import { N8nServer, installPack, type Owner } from './server';
import { startServices, type Services } from './services';

// The chat URL the examples are written with; replaced when the sink runs elsewhere
const EXAMPLE_CHAT_URL = 'http://127.0.0.1:8910';
// n8n's webhook base URL the examples are written with (`npm start`'s n8n on its default port):
// an Aggrepay.pro payment names its callback URL itself (the alert workflow's Production URL), as
// Aggrepay.pro has no account-wide one; replaced by where production webhooks are really served
// (the e2e tests run n8n on another port, queue mode serves them through the proxy). With its
// slash, so that it cannot match the start of a chat URL replaced before it (port 56780 to 56789)
const EXAMPLE_WEBHOOK_BASE_URL = 'http://127.0.0.1:5678/';

export interface StackOptions {
	userFolder: string;
	owner: Owner;
	/** n8n's port; its task broker takes the next one, `n8n execute` the one after. */
	port: number;
	/** By provider; a provider not named listens on any free port. */
	sandboxPorts?: Partial<Record<ProviderId, number>>;
	/** 0 (the default) for any free port. */
	chatPort?: number;
	/** By provider, the keys its sandbox accepts and its credential carries; the entry's demo values where not given. */
	secrets?: { [I in ProviderId]?: Partial<SecretsOf<I>> };
	/** More n8n settings for every n8n process (`npm start`: lazy isolate acquisition). */
	n8nEnv?: NodeJS.ProcessEnv;
	/** Queue mode (`true` for the defaults below); regular mode (one process, SQLite) without it. */
	queue?: boolean | QueueOptions;
	log?: (message: string) => void;
}

export interface QueueOptions {
	/**
	 * PostgreSQL's cluster (`postgres/`) and Redis's files (`redis/`); `<userFolder>/services` by
	 * default. Running as root, the `postgres` OS user must be able to reach it.
	 */
	servicesDir?: string;
	/** 5433 by default; 0 for any free port. */
	postgresPort?: number;
	/** 6380 by default; 0 for any free port. */
	redisPort?: number;
	/** The proxy's port, the webhook processes' and workers' after it; port + 12 by default, 0 for any free ports. */
	basePort?: number;
	/** 2 each by default. */
	workers?: number;
	webhookProcesses?: number;
	/** Jobs per worker at once; 10 by default. */
	concurrency?: number;
}

export interface QueueStack {
	/** The proxy in front of the webhook processes: the base of every production webhook URL. */
	proxyUrl: string;
	/** Base URL of each webhook process, to send a delivery to one of them directly. */
	webhookProcesses: string[];
	/** Health-server base URL of each worker (/healthz, /healthz/readiness). */
	workers: string[];
	cluster: QueueCluster;
	services: Services;
}

export interface Stack {
	/** n8n's main process: editor, REST and public API. */
	n8n: N8nServer;
	/** Where production webhooks are served: n8n itself, or in queue mode the proxy. */
	webhookBaseUrl: string;
	/** Queue mode only. */
	queue?: QueueStack;
	sandboxes: { [I in ProviderId]: SandboxOf<I> };
	/** The secrets each sandbox runs with (and its credential carries). */
	secrets: { [I in ProviderId]: SecretsOf<I> };
	/** What each provider's demo seeding returned (AggrePay: the wallet customer). */
	demo: { [I in ProviderId]: DemoDataOf<I> };
	chat: ChatSink;
	/** The credential of each provider's sandbox in n8n. */
	credentials: Record<ProviderId, { id: string; name: string }>;
	/** By example file name without .json. */
	workflows: Record<string, ProvisionedWorkflow>;
	stop(): Promise<void>;
}

export async function startStack(options: StackOptions): Promise<Stack> {
	const log = options.log ?? (() => undefined);
	const runtime = await ensureRuntime(log);
	const sandboxes: Partial<Record<ProviderId, SandboxHandle>> = {};
	const secrets: Partial<Record<ProviderId, Record<string, string>>> = {};
	const demo: Partial<Record<ProviderId, unknown>> = {};
	let chat: ChatSink | undefined;
	let n8n: N8nServer | undefined;
	let services: Services | undefined;
	let cluster: QueueCluster | undefined;
	const queue = options.queue === true ? {} : options.queue || undefined;
	const stop = async () => {
		await (cluster ? cluster.stop() : n8n?.stop());
		await Promise.all([
			...Object.values(sandboxes).map((s) => s.close()),
			chat?.close(),
			services?.stop(),
		]);
	};
	try {
		chat = await startChatSink({ port: options.chatPort ?? 0 });
		for (const entry of PROVIDERS) {
			const given: Record<string, string | undefined> = options.secrets?.[entry.id] ?? {};
			const keys = secretsOf(entry, (name) => given[name]);
			const sandbox = await entry.sandbox.start({
				port: options.sandboxPorts?.[entry.id] ?? 0,
				host: '127.0.0.1',
				secrets: keys,
			});
			sandboxes[entry.id] = sandbox;
			secrets[entry.id] = keys;
			demo[entry.id] = await entry.demo.seed(sandbox);
		}
		installPack(options.userFolder);
		if (queue) {
			log('Starting PostgreSQL and Redis...');
			services = await startServices({
				dataDir: queue.servicesDir ?? join(options.userFolder, 'services'),
				postgresPort: queue.postgresPort,
				redisPort: queue.redisPort,
				log,
			});
			cluster = await startQueueCluster({
				runtime,
				userFolder: options.userFolder,
				mainPort: options.port,
				basePort: queue.basePort,
				workers: queue.workers,
				webhookProcesses: queue.webhookProcesses,
				concurrency: queue.concurrency,
				env: options.n8nEnv,
				postgres: services.postgres,
				redis: services.redis,
				log,
			});
			n8n = cluster.main;
		} else {
			log('Starting n8n...');
			n8n = await N8nServer.start({
				runtime,
				userFolder: options.userFolder,
				port: options.port,
				logFile: join(options.userFolder, 'n8n.log'),
				env: options.n8nEnv,
			});
		}
		await n8n.signIn(options.owner);
		const credentials: Partial<Record<ProviderId, { id: string; name: string }>> = {};
		for (const entry of PROVIDERS) {
			const name = entry.demo.credentialName;
			const data = entry.demo.credentialData(sandboxes[entry.id]!, secrets[entry.id]!);
			credentials[entry.id] = {
				id: await ensureCredential(n8n, name, entry.credential.type, data),
				name,
			};
		}
		const byCredentialType = Object.fromEntries(
			PROVIDERS.map((entry) => [entry.credential.type, credentials[entry.id]!]),
		);
		const list = await provisionExamples(
			n8n,
			byCredentialType,
			{ [EXAMPLE_CHAT_URL]: chat.url, [EXAMPLE_WEBHOOK_BASE_URL]: `${n8n.webhookBaseUrl}/` },
			triggerNodes(),
		);
		const workflows = Object.fromEntries(list.map((w) => [w.file.replace(/\.json$/, ''), w]));
		for (const entry of PROVIDERS) {
			const target = entry.demo.webhookTarget;
			if (target)
				entry.sandbox.webhooks?.set(
					sandboxes[entry.id]!,
					workflows[target.example.replace(/\.json$/, '')]?.webhookUrls[target.trigger],
				);
		}
		return {
			n8n,
			webhookBaseUrl: n8n.webhookBaseUrl,
			queue:
				cluster && services
					? {
							proxyUrl: cluster.proxy.url,
							webhookProcesses: cluster.webhooks.map((w) => w.baseUrl),
							workers: cluster.workers.map((w) => w.baseUrl),
							cluster,
							services,
						}
					: undefined,
			sandboxes: sandboxes as Stack['sandboxes'],
			secrets: secrets as Stack['secrets'],
			demo: demo as Stack['demo'],
			chat,
			credentials: credentials as Stack['credentials'],
			workflows,
			stop,
		};
	} catch (error) {
		const tail = n8n?.logTail() ?? '';
		await stop();
		throw new Error(`${(error as Error).message}${tail ? `\n--- n8n log ---\n${tail}` : ''}`);
	}
}
