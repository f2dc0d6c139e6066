/**
 * n8n in queue mode: a main process (editor, API, publishing; no production webhooks), workers
 * (`n8n worker`) that run the executions from Redis's queue, webhook processes (`n8n webhook`)
 * that take production webhooks and enqueue them, and a round-robin proxy in front of the webhook
 * processes whose URL is every process's WEBHOOK_URL. Every process shares PostgreSQL (the
 * database), Redis (queue and pub/sub), one user folder (the community package is installed there
 * once and each process loads it) and one encryption key, given to each explicitly.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { startRoundRobinProxy, type RoundRobinProxy } from './proxy';
import type { N8nRuntime } from './runtime';
import { N8nServer } from './server';
import { freePort, portInUse, type PostgresHandle, type RedisHandle } from './services';

export interface QueueClusterOptions {
	runtime: N8nRuntime;
	/** N8N_USER_FOLDER of every process; the pack must already be installed in it (installPack). */
	userFolder: string;
	/** The main process's port; its task broker takes the next one, `n8n execute` the one after. */
	mainPort: number;
	/**
	 * The proxy's port; the webhook processes and the workers take the ports after it, two each
	 * (HTTP, then the task broker). main port + 12 by default; 0 for any free port everywhere.
	 */
	basePort?: number;
	workers?: number;
	webhookProcesses?: number;
	/** Jobs each worker runs at once. */
	concurrency?: number;
	/** More n8n settings for every process. */
	env?: NodeJS.ProcessEnv;
	postgres: PostgresHandle;
	redis: RedisHandle;
	log?: (message: string) => void;
}

export interface QueueCluster {
	main: N8nServer;
	/** Workers; `baseUrl` is each one's health server (/healthz, /healthz/readiness). */
	workers: N8nServer[];
	/** Webhook processes; `baseUrl` reaches one directly, past the proxy. */
	webhooks: N8nServer[];
	proxy: RoundRobinProxy;
	/** Every process's log: main's, then the webhook processes', then the workers'. */
	logFiles: string[];
	/** The settings every process shares (database, Redis, key, WEBHOOK_URL); no secrets but the DB password and the key. */
	env: NodeJS.ProcessEnv;
	/** Stops the proxy and every n8n process (each with its task runner). */
	stop(): Promise<void>;
}

export const DEFAULT_WORKERS = 2;
export const DEFAULT_WEBHOOK_PROCESSES = 2;
export const DEFAULT_CONCURRENCY = 10;

/** The key in the user folder's settings file, or a new one (main writes it there). */
function encryptionKeyOf(userFolder: string): string {
	const settings = join(userFolder, '.n8n/config');
	if (existsSync(settings)) {
		const key = (JSON.parse(readFileSync(settings, 'utf8')) as { encryptionKey?: string })
			.encryptionKey;
		if (key) return key;
	}
	return randomBytes(24).toString('base64');
}

/**
 * `count` ports from `base` on (each checked free), or any free ones when base is 0 (none of
 * `taken`, which are not listening yet).
 */
async function ports(base: number, count: number, taken: number[]): Promise<number[]> {
	const list: number[] = [];
	while (list.length < count) {
		const port = base === 0 ? await freePort() : base + list.length;
		if (base === 0 && (list.includes(port) || taken.includes(port))) continue;
		if (base !== 0 && (await portInUse(port)))
			throw new Error(
				`port ${port} on 127.0.0.1 is in use (queue mode needs ${base}-${base + count - 1})`,
			);
		list.push(port);
	}
	return list;
}

export async function startQueueCluster(options: QueueClusterOptions): Promise<QueueCluster> {
	const log = options.log ?? (() => undefined);
	const workerCount = options.workers ?? DEFAULT_WORKERS;
	const webhookCount = options.webhookProcesses ?? DEFAULT_WEBHOOK_PROCESSES;
	const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
	const base = options.basePort ?? options.mainPort + 12;
	const [proxyPort, ...rest] = await ports(base, 1 + 2 * (webhookCount + workerCount), [
		options.mainPort,
		options.mainPort + 1,
		options.mainPort + 2,
	]);
	// [http, broker] per process: webhook processes first, then workers
	const pairs = Array.from({ length: webhookCount + workerCount }, (_, i) => ({
		http: rest[2 * i],
		broker: rest[2 * i + 1],
	}));

	const { postgres, redis, userFolder, runtime } = options;
	let proxy: RoundRobinProxy | undefined;
	let main: N8nServer | undefined;
	const workers: N8nServer[] = [];
	const webhooks: N8nServer[] = [];
	const stop = async () => {
		await proxy?.close();
		await Promise.all([main, ...webhooks, ...workers].map((p) => p?.stop()));
	};

	try {
		proxy = await startRoundRobinProxy({
			port: proxyPort,
			targets: pairs.slice(0, webhookCount).map((p) => `http://127.0.0.1:${p.http}`),
		});
		const env: NodeJS.ProcessEnv = {
			...options.env,
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: redis.host,
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: postgres.host,
			DB_POSTGRESDB_PORT: String(postgres.port),
			DB_POSTGRESDB_DATABASE: postgres.database,
			DB_POSTGRESDB_USER: postgres.user,
			DB_POSTGRESDB_PASSWORD: postgres.password,
			N8N_ENCRYPTION_KEY: encryptionKeyOf(userFolder),
			// production webhook URLs (and waiting executions' resume URLs) go through the proxy
			WEBHOOK_URL: `${proxy.url}/`,
			// the editor, and with it test webhooks, which only main serves, stay on main
			N8N_EDITOR_BASE_URL: `http://127.0.0.1:${options.mainPort}/`,
		};
		/** Each process writes its own event log; in the shared folder they would share a file. */
		const eventLog = (name: string) => ({
			N8N_EVENTBUS_LOGWRITER_LOGFULLPATH: join(userFolder, '.n8n', `n8nEventLog-${name}.log`),
		});

		// main first: it runs the database migrations the others wait for
		log(`Starting n8n main (queue mode) on 127.0.0.1:${options.mainPort}...`);
		let since = Date.now();
		const took = () => `${Math.round((Date.now() - since) / 1000)} s`;
		main = await N8nServer.start({
			runtime,
			userFolder,
			port: options.mainPort,
			logFile: join(userFolder, 'n8n.log'),
			env: { ...env, N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true' },
		});

		log(`  main ready (${took()})`);
		log(
			`Starting ${webhookCount} n8n webhook processes and ${workerCount} workers (concurrency ${concurrency})...`,
		);
		since = Date.now();
		// allSettled: when one fails, the others have finished starting and can be stopped
		const results = await Promise.allSettled(
			pairs.map((pair, i) => {
				const isWebhook = i < webhookCount;
				const name = isWebhook ? `webhook-${i + 1}` : `worker-${i - webhookCount + 1}`;
				return N8nServer.start({
					runtime,
					userFolder,
					command: isWebhook ? 'webhook' : 'worker',
					args: isWebhook ? [] : [`--concurrency=${concurrency}`],
					port: pair.http,
					logFile: join(userFolder, `n8n-${name}.log`),
					env: { ...env, ...eventLog(name), N8N_RUNNERS_BROKER_PORT: String(pair.broker) },
				});
			}),
		);
		results.forEach((result, i) => {
			if (result.status === 'fulfilled') (i < webhookCount ? webhooks : workers).push(result.value);
		});
		const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
		if (failed) throw failed.reason;
		log(`  webhook processes and workers ready (${took()})`);
		const logFiles = [main, ...webhooks, ...workers].map((p) => p.logFile);
		return { main, workers, webhooks, proxy, logFiles, env, stop };
	} catch (error) {
		await stop();
		throw error;
	}
}
