/**
 * A real n8n server process (SQLite, loopback) with the built pack installed as a community
 * package, and the few API calls `npm start` and the e2e tests need. In queue mode the same class
 * runs a worker (`n8n worker`) or a webhook process (`n8n webhook`) too (tools/n8n/cluster.ts).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import {
	closeSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	openSync,
	readFileSync,
	rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { ROOT, type N8nRuntime } from './runtime';

export const PACKAGE_NAME = 'n8n-nodes-payops';

/** `start`: the main process (editor, API); `worker` and `webhook`: queue mode's other processes. */
export type N8nCommand = 'start' | 'worker' | 'webhook';

export interface N8nServerOptions {
	runtime: N8nRuntime;
	/** `start` by default. */
	command?: N8nCommand;
	/** More arguments after the command, e.g. `--concurrency=10` for a worker. */
	args?: string[];
	/** N8N_USER_FOLDER: the database, encryption key and community packages live below it. */
	userFolder: string;
	/**
	 * The HTTP port: N8N_PORT for `start` and `webhook`, the health server's port
	 * (QUEUE_HEALTH_CHECK_PORT) for `worker`. Its task broker takes the next one.
	 */
	port?: number;
	logFile: string;
	/** More n8n settings, on top of (and winning over) the defaults below. */
	env?: NodeJS.ProcessEnv;
}

export interface Owner {
	email: string;
	password: string;
	firstName: string;
	lastName: string;
}

/** What npm would publish of `packageDir`: its `npm pack` tarball, extracted into `target`. */
export function unpackedTarball(packageDir: string, target: string): void {
	rmSync(target, { recursive: true, force: true });
	mkdirSync(target, { recursive: true });
	const packDir = mkdtempSync(join(tmpdir(), 'pack-'));
	try {
		const [pack] = JSON.parse(
			execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', packDir], {
				cwd: packageDir,
				encoding: 'utf8',
			}),
		) as Array<{ filename: string }>;
		execFileSync('tar', [
			'-xzf',
			join(packDir, pack.filename),
			'-C',
			target,
			'--strip-components=1',
		]);
	} finally {
		rmSync(packDir, { recursive: true, force: true });
	}
}

/**
 * Copies a built package into n8n's community-package folder under its real name, the way n8n
 * installs one: `npm pack` of `packageDir` (the pack by default; a provider's package is
 * packages-dist/<name>), extracted into `.n8n/nodes/node_modules/<name>`. Returns the name.
 */
export function installPack(userFolder: string, packageDir = ROOT): string {
	const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
		name: string;
		n8n?: { nodes?: string[]; credentials?: string[] };
	};
	const built = [...(manifest.n8n?.nodes ?? []), ...(manifest.n8n?.credentials ?? [])];
	if (!built.length || built.some((file) => !existsSync(join(packageDir, file))))
		throw new Error(`${manifest.name} is not built in ${packageDir}: run \`npm run build\` first`);
	unpackedTarball(packageDir, join(userFolder, '.n8n/nodes/node_modules', manifest.name));
	return manifest.name;
}

export function n8nEnvironment(options: N8nServerOptions): NodeJS.ProcessEnv {
	const port = options.port ?? 5678;
	const env: NodeJS.ProcessEnv = {};
	// n8n reads many variables; hand it only a clean base (not jest's or npm's)
	for (const key of ['HOME', 'LANG', 'TMPDIR', 'USER'])
		if (process.env[key]) env[key] = process.env[key];
	return {
		...env,
		PATH: `${dirname(options.runtime.node)}:${process.env.PATH ?? ''}`,
		N8N_USER_FOLDER: options.userFolder,
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PORT: String(port),
		N8N_PROTOCOL: 'http',
		WEBHOOK_URL: `http://127.0.0.1:${port}/`,
		N8N_SECURE_COOKIE: 'false',
		DB_TYPE: 'sqlite',
		GENERIC_TIMEZONE: 'UTC',
		TZ: 'UTC',
		N8N_LOG_LEVEL: 'info',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		// mcp-registry: its start-up task calls api.n8n.io, which this machine cannot reach;
		// instance-ai: the "n8n Assistant", which "/" opens after login instead of the workflow list
		N8N_DISABLED_MODULES: 'mcp-registry,instance-ai',
		N8N_RUNNERS_TASK_TIMEOUT: '60',
		N8N_RUNNERS_BROKER_PORT: String(port + 1),
		// activate published workflows before "ready", so webhooks answer as soon as it is up
		N8N_USE_WORKFLOW_PUBLICATION_SERVICE: 'false',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		// n8n's list of verified community nodes to install, fetched from api(-staging).n8n.io when
		// the editor opens (getaddrinfo ENOTFOUND offline); installed packages load without it
		N8N_VERIFIED_PACKAGES_ENABLED: 'false',
		// the sandbox and the chat sink live on loopback
		N8N_SSRF_PROTECTION_ENABLED: 'false',
		// a worker answers /healthz and /healthz/readiness on its own small server
		...(options.command === 'worker'
			? {
					QUEUE_HEALTH_CHECK_ACTIVE: 'true',
					QUEUE_HEALTH_CHECK_PORT: String(port),
					N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
				}
			: {}),
		...options.env,
	};
}

function spawnN8n(options: N8nServerOptions): ChildProcess {
	mkdirSync(dirname(options.logFile), { recursive: true });
	const log = openSync(options.logFile, 'a');
	const child = spawn(
		options.runtime.node,
		[options.runtime.n8n, options.command ?? 'start', ...(options.args ?? [])],
		{ detached: true, stdio: ['ignore', log, log], env: n8nEnvironment(options) },
	);
	closeSync(log);
	return child;
}

export class N8nServer {
	/** Where it answers HTTP: the editor and API (`start`), webhooks (`webhook`), /healthz (`worker`). */
	readonly baseUrl: string;
	/** Where production webhooks are served (WEBHOOK_URL without the final slash). */
	readonly webhookBaseUrl: string;
	private cookie = '';
	private apiKey = '';

	private constructor(
		private child: ChildProcess,
		private readonly options: N8nServerOptions,
	) {
		this.baseUrl = `http://127.0.0.1:${options.port ?? 5678}`;
		this.webhookBaseUrl = (n8nEnvironment(options).WEBHOOK_URL ?? this.baseUrl).replace(/\/+$/, '');
	}

	get command(): N8nCommand {
		return this.options.command ?? 'start';
	}

	get pid(): number | undefined {
		return this.child.pid;
	}

	get logFile(): string {
		return this.options.logFile;
	}

	/**
	 * Starts n8n in its own process group (it has a task-runner child) and waits until it is ready:
	 * until GET /healthz/readiness answers 200, which every command serves once its database is
	 * connected and migrated (a worker: and Redis is connected and it takes jobs).
	 */
	static async start(options: N8nServerOptions, timeoutMs = 120_000): Promise<N8nServer> {
		const server = new N8nServer(spawnN8n(options), options);
		await server.ready(timeoutMs);
		return server;
	}

	/** Stops this n8n and starts it again on the same data, as an operator's restart does. */
	async restart(timeoutMs = 120_000): Promise<void> {
		await this.stop();
		this.child = spawnN8n(this.options);
		await this.ready(timeoutMs);
	}

	private async ready(timeoutMs: number): Promise<void> {
		const command = this.options.command ?? 'start';
		const what = command === 'start' ? 'n8n' : `n8n ${command}`;
		let exited: number | null | undefined;
		this.child.on('exit', (code) => (exited = code));
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			if (exited !== undefined)
				throw new Error(`${what} exited (${exited}) while starting:\n${this.logTail()}`);
			if (Date.now() > deadline) {
				await this.stop();
				throw new Error(`${what} was not ready after ${timeoutMs / 1000} s:\n${this.logTail()}`);
			}
			const ready = await fetch(`${this.baseUrl}/healthz/readiness`).then(
				(r) => r.ok,
				() => false,
			);
			if (ready) return;
			await new Promise((r) => setTimeout(r, 250));
		}
	}

	logTail(lines = 40): string {
		return existsSync(this.options.logFile)
			? readFileSync(this.options.logFile, 'utf8').split('\n').slice(-lines).join('\n')
			: '';
	}

	/** SIGTERM to the whole process group, then SIGKILL if it has not exited after 20 s. */
	async stop(): Promise<void> {
		const pid = this.child.pid;
		if (pid === undefined || this.child.exitCode !== null || this.child.signalCode !== null) return;
		const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
		try {
			process.kill(-pid, 'SIGTERM');
		} catch {
			return;
		}
		const timer = setTimeout(() => {
			try {
				process.kill(-pid, 'SIGKILL');
			} catch {
				// already gone
			}
		}, 20_000);
		await exited;
		clearTimeout(timer);
	}

	/** Creates the owner on a fresh database (a no-op when one exists), logs in, makes an API key. */
	async signIn(owner: Owner): Promise<void> {
		const setup = await fetch(`${this.baseUrl}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(owner),
		});
		if (!setup.ok && setup.status !== 400)
			throw new Error(`owner setup failed: ${setup.status} ${await setup.text()}`);
		const login = await fetch(`${this.baseUrl}/rest/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ emailOrLdapLoginId: owner.email, password: owner.password }),
		});
		if (!login.ok) throw new Error(`login failed: ${login.status} ${await login.text()}`);
		this.cookie = login.headers
			.getSetCookie()
			.map((c) => c.split(';')[0])
			.join('; ');
		const scopes = ((await this.rest('GET', '/rest/api-keys/scopes')) as string[]).filter((s) =>
			/^(workflow|execution|credential):/.test(s),
		);
		const key = (await this.rest('POST', '/rest/api-keys', {
			label: `payops-${Date.now()}`,
			scopes,
			expiresAt: null,
		})) as { rawApiKey: string };
		this.apiKey = key.rawApiKey;
	}

	/** The editor's own API, with the login cookie; returns `data`. */
	async rest(method: string, path: string, body?: unknown): Promise<unknown> {
		const response = await fetch(`${this.baseUrl}${path}`, {
			method,
			headers: {
				cookie: this.cookie,
				...(body === undefined ? {} : { 'content-type': 'application/json' }),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
		return text ? (JSON.parse(text) as { data: unknown }).data : undefined;
	}

	/** Any other path of the editor's server, with the login cookie. */
	async getJson(path: string): Promise<unknown> {
		const response = await fetch(`${this.baseUrl}${path}`, { headers: { cookie: this.cookie } });
		if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
		return await response.json();
	}

	/** n8n's public API (/api/v1), with the API key. */
	async api(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
		const response = await fetch(`${this.baseUrl}/api/v1${path}`, {
			method,
			headers: {
				'X-N8N-API-KEY': this.apiKey,
				...(body === undefined ? {} : { 'content-type': 'application/json' }),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok) throw new Error(`${method} /api/v1${path}: ${response.status} ${text}`);
		return text ? (JSON.parse(text) as Record<string, unknown>) : {};
	}

	/** Every execution of a workflow, newest first, following the API's cursor. */
	async executions(
		workflowId: string,
		includeData = false,
	): Promise<Array<Record<string, unknown>>> {
		const all: Array<Record<string, unknown>> = [];
		let cursor: string | undefined;
		do {
			const qs = new URLSearchParams({
				workflowId,
				limit: '250',
				includeData: String(includeData),
			});
			if (cursor) qs.set('cursor', cursor);
			const page = await this.api('GET', `/executions?${qs}`);
			all.push(...(page.data as Array<Record<string, unknown>>));
			cursor = (page.nextCursor as string | null) ?? undefined;
		} while (cursor);
		return all;
	}

	/**
	 * Runs a workflow from its first trigger with `n8n execute`, as a CLI execution stored in the
	 * database, and returns that execution with its data.
	 */
	async execute(workflowId: string): Promise<Record<string, unknown>> {
		const before = new Set((await this.executions(workflowId)).map((e) => e.id));
		const env = {
			...n8nEnvironment(this.options),
			N8N_RUNNERS_BROKER_PORT: String((this.options.port ?? 5678) + 2),
		};
		let output = '';
		await new Promise<void>((resolve, reject) => {
			const child = spawn(
				this.options.runtime.node,
				[this.options.runtime.n8n, 'execute', `--id=${workflowId}`],
				{ env, stdio: ['ignore', 'pipe', 'pipe'] },
			);
			child.stdout.on('data', (d: Buffer) => (output += d.toString()));
			child.stderr.on('data', (d: Buffer) => (output += d.toString()));
			child.on('error', reject);
			// exit 1 means the workflow failed: the execution is stored and returned all the same.
			// n8n 2.41's CLI now and then dies of a signal (SIGSEGV) while exiting, after it stored
			// the execution and said so: that run counts, and the stored execution is checked below
			child.on('close', (code, signal) =>
				code === 0 || code === 1 || (signal && /Execution was successful/.test(output))
					? resolve()
					: reject(new Error(`n8n execute exited ${code ?? signal}:\n${output.slice(-3000)}`)),
			);
		});
		const created = (await this.executions(workflowId)).filter((e) => !before.has(e.id));
		if (created.length !== 1)
			throw new Error(
				`expected one new execution of ${workflowId}, found ${created.length}; n8n execute said:\n${output.slice(-2000)}`,
			);
		return await this.api('GET', `/executions/${String(created[0].id)}?includeData=true`);
	}
}

/** Output items of a node in an execution fetched with includeData. */
export function nodeOutput(
	execution: Record<string, unknown>,
	nodeName: string,
	output = 0,
): Array<Record<string, unknown>> {
	const runData = (
		execution.data as {
			resultData: {
				runData: Record<
					string,
					Array<{ data?: { main: Array<Array<{ json: Record<string, unknown> }>> } }>
				>;
			};
		}
	).resultData.runData;
	const run = runData[nodeName]?.at(-1);
	return (run?.data?.main[output] ?? []).map((item) => item.json);
}
