/**
 * `npm run bench:returnall` (run `npm run build` first): Return All on a real n8n 2.41 (SQLite,
 * regular mode, the built pack installed as a community package), the pay.tech node's Get Many
 * against what an operator would otherwise build: n8n's HTTP Request node with its pagination,
 * then Split Out, so that there is one item per payment as with ours. The pay.tech sandbox runs in
 * this process; one fault rule, `delay`, holds every GET /api/v1/payments (the list) DELAY_MS
 * (150) before handling it, a remote API's round trip, the same for both clients.
 *
 * The sandbox holds exactly N payments (seeded in-process, no webhooks; for the next N the
 * difference is seeded, older), for every N of BENCH_RA_COUNTS. Three workflows, imported once
 * through n8n's public API and run in the n8n server as the editor's Execute Workflow button runs
 * them (POST /rest/workflows/:id/run):
 * - ours: Manual Trigger → pay.tech node v2, Payment → Get Many, Return All, Filters → Created
 *   After 2020-01-01T00:00:00, Pages in Parallel at its default (10: the node reads the first
 *   page, then the rest below its newest second in rounds of 10); ours1: the same at 1, one page
 *   after another as HTTP Request reads them;
 * - theirs: Manual Trigger → HTTP Request 4.5 GET /api/v1/payments?created.gte=…&limit=1000 with a
 *   Bearer header (httpHeaderAuth credential), Pagination "Update a Parameter in Each Request"
 *   offset = {{ $pageCount * 1000 }} (query), complete when {{ $response.body.hasMore === false }}
 *   → Split Out `result`.
 * For each N, in this order: (1) memory: per side, n8n is restarted (same database), left idle
 * 5 s, and the workflow runs once, at DELAY_MS; (2) one unmeasured warm-up run per side without
 * the delay; (3) the timed cases: BENCH_RA_ZERO_DELAY_COUNTS (10000) adds one without the delay
 * for those N, then DELAY_MS; ROUNDS rounds of one run per side, in BENCH_RA_SIDES order in odd
 * rounds and reversed in even ones; medians.
 *
 * Measured per run: wall time from the execution record (startedAt → stoppedAt), items/s, each
 * node's own executionTime from the run data, the bench's POST → the finished record readable
 * through the API (n8n stores the execution data before that), n8n's main-process CPU time over
 * the run (it includes the bench's status polls, 5 per second); the list requests the sandbox
 * received during the run (pages) and the most it had in flight at once (`concurrent`). Memory:
 * the summed RSS of n8n's process group (main process and task runner) from /proc every 50 ms,
 * from just before the run until the record is saved; the main process's exact peak (VmHWM, reset
 * through clear_refs before each run); the size of the execution data n8n stored. The memory table
 * takes the run on a freshly started n8n (peak − idle); in the timed runs V8's heap is already
 * grown by the runs before, so only their absolute peak is shown. From two or more N it
 * extrapolates, linearly, to 1,000,000 payments.
 *
 * Correctness, every run (memory, warm-up, timed): the stored execution is read from n8n's SQLite
 * database by the runtime's Node 24 in a separate process (node:sqlite, and n8n's own flatted to
 * unflatten it), rather than through the API, which would make n8n load and re-serialise 100,000
 * items and grow its heap between the measured runs. The last node's items must be exactly N, with
 * N distinct ids equal to the seeded ids (none missing, none twice, none other), the execution
 * successful, and the only requests list requests, each delayed in the delayed runs. n8n dying or
 * failing to store the execution (found in its log) fails the run, and n8n is restarted. Exit code
 * 1 when a check fails; the speed ratios (the goal: ours ≥ 3x HTTP Request at 150 ms) are only
 * reported.
 *
 * Env: BENCH_RA_COUNTS (10000,100000), BENCH_RA_DELAY_MS (150), BENCH_RA_ROUNDS (3),
 * BENCH_RA_ROUNDS_LARGE (the rounds for N ≥ 100,000; default BENCH_RA_ROUNDS; 0 runs only the
 * memory runs), BENCH_RA_ZERO_DELAY_COUNTS (10000; "" for none), BENCH_RA_MEMORY=0 to skip the
 * memory runs (and restarts), BENCH_RA_SIDES (ours,ours1,theirs), BENCH_RA_PORT (a free port; it and
 * the next two), BENCH_RA_KEEP=1 to keep n8n's user folder (its log, database) for a closer look.
 * The defaults take about 6 minutes on a 2-core machine.
 */
import { execFile, execFileSync } from 'node:child_process';
import { setMaxListeners } from 'node:events';
import {
	existsSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	statSync,
	writeFileSync,
} from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';

import { type PaytechSandbox, type RecordedRequest, startPaytechSandbox } from '../sandbox/paytech';
import { ensureRuntime, ROOT, type N8nRuntime } from '../tools/n8n/runtime';
import { N8nServer, installPack } from '../tools/n8n/server';
import { freePortRange } from '../tools/n8n/services';
import { BENCH_OWNER, cpuMsOf, memoryOf, n8nVersions, statFields, stopOnInterrupt } from './n8n';

const counts = (name: string, fallback: string) =>
	(process.env[name] ?? fallback)
		.split(',')
		.map((c) => c.trim())
		.filter(Boolean)
		.map((c) => {
			const n = Number(c);
			if (!Number.isInteger(n) || n < 1) throw new Error(`${name}: ${c} is not a positive integer`);
			return n;
		});
const COUNTS = [...new Set(counts('BENCH_RA_COUNTS', '10000,100000'))].sort((a, b) => a - b);
const ZERO_DELAY_COUNTS = counts('BENCH_RA_ZERO_DELAY_COUNTS', '10000');
const DELAY_MS = Number(process.env.BENCH_RA_DELAY_MS ?? 150);
const ROUNDS = Number(process.env.BENCH_RA_ROUNDS ?? 3);
const ROUNDS_LARGE = Number(process.env.BENCH_RA_ROUNDS_LARGE ?? ROUNDS);
const LARGE = 100_000;
const MEMORY = process.env.BENCH_RA_MEMORY !== '0';
const KEEP = process.env.BENCH_RA_KEEP === '1';
/** How long a freshly started n8n is left alone before its idle memory is read. */
const IDLE_MS = 5000;

const PAYTECH = 'n8n-nodes-payops.paytech';
const HTTP_REQUEST_VERSION = 4.5; // n8n-nodes-base 2.41's default version of HTTP Request
const CREDENTIAL = 'bench pay.tech sandbox';
const HEADER_CREDENTIAL = 'bench pay.tech Bearer header';
const LIST_PATH = '/api/v1/payments';
/** Both sides' Created After: older than every seeded payment. */
const CREATED_AFTER = '2020-01-01T00:00:00';
const PAGE = 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
const SAMPLE_MS = 50;
const RUN_TIMEOUT_MS = 15 * 60_000;
const MB = 1024 * 1024;

type Side = 'ours' | 'ours1' | 'theirs';
const SIDES: Record<Side, { label: string; nodes: string[]; pagesInParallel?: number }> = {
	ours: {
		label: 'pay.tech Get Many, Return All (Pages in Parallel 10, the default)',
		nodes: ['Get Many'],
	},
	ours1: {
		label: 'pay.tech Get Many, Return All, Pages in Parallel 1 (one page after another)',
		nodes: ['Get Many'],
		pagesInParallel: 1,
	},
	theirs: {
		label: 'HTTP Request (pagination) → Split Out',
		nodes: ['HTTP Request', 'Split Out'],
	},
};
const SIDE_ORDER = (process.env.BENCH_RA_SIDES ?? 'ours,ours1,theirs').split(',').map((side) => {
	if (!(side in SIDES)) throw new Error(`BENCH_RA_SIDES: ours, ours1 and/or theirs, not ${side}`);
	return side as Side;
});
/** memory: the first run on a freshly started n8n; warm-up: not measured; timed: the rounds. */
type Phase = 'memory' | 'warm-up' | 'timed';

interface Case {
	count: number;
	delayMs: number;
	rounds: number;
}

interface Stored {
	status: string;
	/** Characters of the execution data n8n stored (flatted). */
	dataChars: number;
	nodeMs: Record<string, number>;
	nodeItems: Record<string, number>;
	/** The last node's items' `id`s, in output order (items without a string id: absent). */
	ids: string[];
	itemsWithoutId: number;
}

interface RunResult {
	side: Side;
	phase: Phase;
	round: number;
	count: number;
	delayMs: number;
	executionId: string;
	status: string;
	wallMs: number;
	/** Bench's POST → the finished record visible through the API (includes saving the data). */
	untilSavedMs: number;
	nodeMs: Record<string, number>;
	cpuMs: number;
	pages: number;
	otherRequests: number;
	peakConcurrent: number;
	undelayed: number;
	firstQuery: string;
	rssBefore: number;
	rssPeak: number;
	mainHwm: number;
	dataChars: number;
	check: { items: number; distinct: number; missing: number; extra: number; withoutId: number };
	/** n8n died, or its stored execution could not be read. */
	error?: string;
	ok: boolean;
}

const median = (xs: number[]): number => {
	const s = [...xs].filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
	if (!s.length) return NaN;
	const mid = Math.floor(s.length / 2);
	return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

const fmt = (n: number, digits = 0) =>
	Number.isFinite(n)
		? n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits })
		: '-';

const PAGE_SIZE =
	Number(execFileSync('getconf', ['PAGESIZE'], { encoding: 'utf8' }).trim()) || 4096;

/** The latest modification time of a file below `dir`, in ms. */
function newestMtime(dir: string): number {
	let newest = 0;
	for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true }))
		if (entry.isFile())
			newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
	return newest;
}

/** Whether a process runs (not gone, not a zombie). */
function alive(pid: number): boolean {
	const state = statFields(pid)?.[0];
	return state !== undefined && state !== 'Z';
}

/** Resident memory of a process now, in bytes (0 when it is gone). */
function rssOf(pid: number): number {
	try {
		return Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * PAGE_SIZE;
	} catch {
		return 0;
	}
}

/** The processes of n8n's process group: n8n runs detached, so the group is its own. */
function groupPids(leader: number): number[] {
	const pids: number[] = [];
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		if (statFields(Number(entry))?.[2] === String(leader)) pids.push(Number(entry));
	}
	return pids;
}

/** Resets a process's VmHWM to its current RSS (clear_refs 5; the owner may do it). */
function resetHwm(pid: number): void {
	try {
		writeFileSync(`/proc/${pid}/clear_refs`, '5');
	} catch {
		// not allowed here: VmHWM then holds the peak since the process started
	}
}

/** The summed RSS of n8n's process group, every SAMPLE_MS; the process list every second. */
class RssSampler {
	peak = 0;
	private pids: number[];
	private timer?: NodeJS.Timeout;
	private lastScan = Date.now();

	constructor(private readonly leader: number) {
		this.pids = groupPids(leader);
	}

	now(): number {
		if (Date.now() - this.lastScan > 1000) {
			this.pids = groupPids(this.leader);
			this.lastScan = Date.now();
		}
		return this.pids.reduce((sum, pid) => sum + rssOf(pid), 0);
	}

	start(): number {
		this.pids = groupPids(this.leader);
		this.lastScan = Date.now();
		const before = this.now();
		this.peak = before;
		this.timer = setInterval(() => (this.peak = Math.max(this.peak, this.now())), SAMPLE_MS);
		return before;
	}

	stop(): number {
		clearInterval(this.timer);
		this.peak = Math.max(this.peak, this.now());
		return this.peak;
	}
}

/**
 * What n8n stored for an execution, read from its SQLite database by the runtime's Node 24
 * (node:sqlite) with n8n's own flatted: status, the data's size, each node's time and item count,
 * and the last node's item ids.
 */
async function readStored(
	runtime: N8nRuntime,
	database: string,
	executionId: string,
	nodes: string[],
): Promise<Stored> {
	const script = `
const { DatabaseSync } = require('node:sqlite');
const { parse } = require('flatted');
const [database, id, ...nodes] = process.argv.slice(1);
const db = new DatabaseSync(database, { readOnly: true });
const row = db.prepare('SELECT e.status AS status, e.storedAt AS storedAt, d.data AS data FROM execution_entity e LEFT JOIN execution_data d ON d.executionId = e.id WHERE e.id = ?').get(Number(id));
if (!row) throw new Error('execution ' + id + ' not in the database');
if (row.storedAt !== 'db' || typeof row.data !== 'string') throw new Error('execution ' + id + ': data stored at ' + row.storedAt + ', not in the database');
const runData = parse(row.data).resultData.runData;
const out = { status: row.status, dataChars: row.data.length, nodeMs: {}, nodeItems: {}, ids: [], itemsWithoutId: 0 };
for (const name of nodes) {
	const run = runData[name] ? runData[name][runData[name].length - 1] : undefined;
	out.nodeMs[name] = run ? run.executionTime : null;
	out.nodeItems[name] = run && run.data ? run.data.main[0].length : 0;
}
const last = runData[nodes[nodes.length - 1]];
const items = last ? (last[last.length - 1].data || { main: [[]] }).main[0] : [];
for (const item of items) {
	if (item && item.json && typeof item.json.id === 'string') out.ids.push(item.json.id);
	else out.itemsWithoutId++;
}
process.stdout.write(JSON.stringify(out));
`;
	const stdout = await new Promise<string>((resolve, reject) =>
		execFile(
			runtime.node,
			['--no-warnings', '--max-old-space-size=8192', '-e', script, database, executionId, ...nodes],
			{
				env: { ...process.env, NODE_PATH: join(runtime.appDir, 'node_modules') },
				maxBuffer: 256 * MB,
			},
			(error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out)),
		),
	);
	const stored = JSON.parse(stdout) as Stored;
	for (const name of nodes) stored.nodeMs[name] ??= NaN;
	return stored;
}

function workflow(
	side: Side,
	sb: PaytechSandbox,
	credentials: { paytech: string; header: string },
) {
	const start = {
		id: 'start',
		name: 'Start',
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const { pagesInParallel } = SIDES[side];
	if (side !== 'theirs')
		return {
			name: `return-all ${side}`,
			nodes: [
				start,
				{
					id: 'get-many',
					name: 'Get Many',
					type: PAYTECH,
					typeVersion: 2,
					position: [220, 0],
					parameters: {
						resource: 'payment',
						operation: 'getMany',
						returnAll: true,
						...(pagesInParallel === undefined ? {} : { pagesInParallel }),
						filters: { createdFrom: CREATED_AFTER },
					},
					credentials: { paytechApi: { id: credentials.paytech, name: CREDENTIAL } },
				},
			],
			connections: { Start: { main: [[{ node: 'Get Many', type: 'main', index: 0 }]] } },
			settings: { executionOrder: 'v1' },
		};
	return {
		name: `return-all theirs`,
		nodes: [
			start,
			{
				id: 'http',
				name: 'HTTP Request',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: HTTP_REQUEST_VERSION,
				position: [220, 0],
				parameters: {
					method: 'GET',
					url: `${sb.url}${LIST_PATH}`,
					authentication: 'genericCredentialType',
					genericAuthType: 'httpHeaderAuth',
					sendQuery: true,
					queryParameters: {
						parameters: [
							{ name: 'created.gte', value: CREATED_AFTER },
							{ name: 'limit', value: String(PAGE) },
						],
					},
					options: {
						pagination: {
							pagination: {
								paginationMode: 'updateAParameterInEachRequest',
								parameters: {
									parameters: [
										{ type: 'qs', name: 'offset', value: `={{ $pageCount * ${PAGE} }}` },
									],
								},
								paginationCompleteWhen: 'other',
								completeExpression: '={{ $response.body.hasMore === false }}',
							},
						},
					},
				},
				credentials: { httpHeaderAuth: { id: credentials.header, name: HEADER_CREDENTIAL } },
			},
			{
				id: 'split',
				name: 'Split Out',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [440, 0],
				parameters: { fieldToSplitOut: 'result', include: 'noOtherFields', options: {} },
			},
		],
		connections: {
			Start: { main: [[{ node: 'HTTP Request', type: 'main', index: 0 }]] },
			'HTTP Request': { main: [[{ node: 'Split Out', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

async function main(): Promise<void> {
	if (!COUNTS.length) throw new Error('BENCH_RA_COUNTS: no count');
	const runtime = await ensureRuntime();
	const { n8n: n8nVersion, node: n8nNode } = n8nVersions(runtime);
	const [heapLimit, maxString] = execFileSync(
		runtime.node,
		[
			'-p',
			"require('v8').getHeapStatistics().heap_size_limit + ' ' + require('buffer').constants.MAX_STRING_LENGTH",
		],
		{ encoding: 'utf8' },
	)
		.trim()
		.split(' ')
		.map(Number);
	const git = (...args: string[]) =>
		execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
	const commit = git('rev-parse', '--short', 'HEAD');
	// The pack's code: the last commit that changed nodes/ or credentials/
	const packCommit = git('log', '-1', '--format=%h', '--', 'nodes', 'credentials');
	const built = join(ROOT, 'dist/nodes/Paytech/Paytech.node.js');
	const stale = existsSync(built) && newestMtime(join(ROOT, 'nodes')) > statSync(built).mtimeMs;
	if (stale) console.error('warning: nodes/ changed after dist/ was built: run `npm run build`');
	const dirty = git('status', '--porcelain', '--', 'nodes', 'credentials');
	const userFolder = mkdtempSync(join(tmpdir(), 'payops-bench-returnall-'));
	const database = join(userFolder, '.n8n/database.sqlite');
	let n8n: N8nServer | undefined;
	let sb: PaytechSandbox | undefined;
	const stopAll = async () => {
		await n8n?.stop();
		await sb?.close();
		n8n = undefined;
		sb = undefined;
	};
	stopOnInterrupt(stopAll);
	// Every delayed request waits on the sandbox's closing signal
	setMaxListeners(1000);
	const load = [loadavg()[0]];
	const benchStarted = Date.now();
	try {
		installPack(userFolder);
		const sandbox = (sb = await startPaytechSandbox({ port: 0 }));
		const port = Number(process.env.BENCH_RA_PORT ?? (await freePortRange()));
		const server = (n8n = await N8nServer.start({
			runtime,
			userFolder,
			port,
			logFile: join(userFolder, 'n8n.log'),
		}));
		await server.signIn(BENCH_OWNER);
		const types = (await server.getJson('/types/nodes.json')) as Array<{
			name: string;
			version: number | number[];
			properties?: Array<{ name: string }>;
		}>;
		const paytechType = types.find(
			(t) => t.name === PAYTECH && ([] as number[]).concat(t.version).includes(2) && t.properties,
		);
		if (!paytechType?.properties?.some((p) => p.name === 'returnAll'))
			throw new Error(
				'the installed pack has no pay.tech node version 2 with Return All: run `npm run build` first',
			);

		const paytechCredential = await server.api('POST', '/credentials', {
			name: CREDENTIAL,
			type: 'paytechApi',
			data: {
				environment: 'custom',
				baseUrl: sandbox.url,
				apiKey: sandbox.apiKey,
				signingSecret: '',
			},
		});
		const headerCredential = await server.api('POST', '/credentials', {
			name: HEADER_CREDENTIAL,
			type: 'httpHeaderAuth',
			data: { name: 'Authorization', value: `Bearer ${sandbox.apiKey}` },
		});
		const credentials = {
			paytech: String(paytechCredential.id),
			header: String(headerCredential.id),
		};
		const workflowIds = {} as Record<Side, string>;
		for (const side of SIDE_ORDER)
			workflowIds[side] = String(
				(await server.api('POST', '/workflows', workflow(side, sandbox, credentials))).id,
			);

		const seeded = new Set<string>();
		const results: RunResult[] = [];
		const setDelay = (delayMs: number) => {
			sandbox.clearFaults();
			if (delayMs > 0)
				sandbox.injectFault({
					method: 'GET',
					path: LIST_PATH,
					fault: 'delay',
					delayMs,
					times: 1_000_000,
				});
		};

		/** One run of a side's workflow against the `seeded` payments now in the sandbox. */
		const runOnce = async (
			side: Side,
			phase: Phase,
			round: number,
			count: number,
			delayMs: number,
		): Promise<RunResult> => {
			const pid = server.pid!; // a restart (the memory phase) gives n8n another one
			const sampler = new RssSampler(pid);
			const mark = sandbox.requests.length;
			for (const p of groupPids(pid)) resetHwm(p);
			const cpuBefore = cpuMsOf(pid);
			const rssBefore = sampler.start();
			const logFrom = statSync(server.logFile).size;
			const posted = Date.now();
			let executionId = '';
			let record: Record<string, unknown> = {};
			let error: string | undefined;
			try {
				const started = (await server.rest('POST', `/rest/workflows/${workflowIds[side]}/run`, {
					triggerToStartFrom: { name: 'Start' },
				})) as { executionId?: string };
				if (!started.executionId) throw new Error(`n8n did not start the ${side} workflow`);
				executionId = started.executionId;
				const deadline = Date.now() + RUN_TIMEOUT_MS;
				for (;;) {
					record = await server
						.api('GET', `/executions/${executionId}`)
						.catch(() => ({}) as Record<string, unknown>);
					if (record.stoppedAt) break;
					if (!alive(pid)) {
						error = `n8n exited during the run; its log ends:\n${server.logTail(15)}`;
						break;
					}
					// n8n could not store the finished execution (1,000,000 payments: "RangeError:
					// Invalid string length" from flatted): the record stays "running" for ever
					const logged = readFileSync(server.logFile).subarray(logFrom).toString('utf8');
					const hookError = /There was a problem running hook "workflowExecuteAfter".*/.exec(
						logged,
					);
					if (hookError) {
						error = `n8n did not store the execution: ${hookError[0]}`;
						break;
					}
					if (Date.now() > deadline) {
						error = `execution ${executionId} did not finish in ${RUN_TIMEOUT_MS / 60_000} min`;
						break;
					}
					await new Promise((resolve) => setTimeout(resolve, 200));
				}
			} finally {
				sampler.stop();
			}
			const untilSavedMs = Date.now() - posted;
			const cpuMs = cpuMsOf(pid) - cpuBefore;
			const mainHwm = memoryOf(pid, 'VmHWM');
			const requests = sandbox.requests.slice(mark);
			const lists = requests.filter(
				(r: RecordedRequest) => r.method === 'GET' && r.path === LIST_PATH,
			);
			let stored: Stored = {
				status: 'not read',
				dataChars: NaN,
				nodeMs: {},
				nodeItems: {},
				ids: [],
				itemsWithoutId: 0,
			};
			if (error) {
				console.error(error);
				// on the same database, so that the next runs go on (and the stuck run's memory goes)
				await server.restart();
			} else {
				try {
					stored = await readStored(runtime, database, executionId, SIDES[side].nodes);
				} catch (e) {
					error = `the stored execution could not be read: ${(e as Error).message.slice(0, 500)}`;
				}
			}
			const distinct = new Set(stored.ids);
			let missing = 0;
			for (const id of seeded) if (!distinct.has(id)) missing++;
			let extra = 0;
			for (const id of distinct) if (!seeded.has(id)) extra++;
			const check = {
				items: stored.ids.length + stored.itemsWithoutId,
				distinct: distinct.size,
				missing,
				extra,
				withoutId: stored.itemsWithoutId,
			};
			const status = error ? 'failed' : String(record.status ?? stored.status);
			const result: RunResult = {
				side,
				phase,
				round,
				count,
				delayMs,
				executionId,
				status,
				wallMs:
					new Date(String(record.stoppedAt)).getTime() -
					new Date(String(record.startedAt)).getTime(),
				untilSavedMs,
				nodeMs: stored.nodeMs,
				cpuMs,
				pages: lists.length,
				otherRequests: requests.length - lists.length,
				peakConcurrent: Math.max(0, ...requests.map((r) => r.concurrent)),
				undelayed: delayMs > 0 ? lists.filter((r) => r.fault !== 'delay').length : 0,
				firstQuery: lists[0] ? new URLSearchParams(lists[0].query).toString() : '(none)',
				rssBefore,
				rssPeak: sampler.peak,
				mainHwm,
				dataChars: stored.dataChars,
				check,
				error,
				ok:
					!error &&
					status === 'success' &&
					check.items === count &&
					check.distinct === count &&
					missing === 0 &&
					extra === 0 &&
					check.withoutId === 0 &&
					seeded.size === count,
			};
			console.error(
				`${phase === 'timed' ? `round ${round}` : phase} N=${count} ${delayMs} ms ${side}: ` +
					`${fmt(result.wallMs / 1000, 2)} s (record saved after ${fmt(untilSavedMs / 1000, 2)} s), ` +
					`${fmt((count * 1000) / result.wallMs)} items/s, ` +
					`${SIDES[side].nodes.map((n) => `${n} ${fmt(stored.nodeMs[n] / 1000, 2)} s`).join(', ')}, ` +
					`n8n CPU ${fmt(cpuMs / 1000, 2)} s, ${status}, ${result.pages} pages, ` +
					`peak ${result.peakConcurrent} in flight, RSS ${fmt(rssBefore / MB)} → ${fmt(result.rssPeak / MB)} MB ` +
					`(main VmHWM ${fmt(mainHwm / MB)} MB), data ${fmt(stored.dataChars / MB, 1)} MB, ` +
					`items ${check.items}, distinct ${check.distinct}, missing ${missing}, extra ${extra}` +
					(result.ok ? '' : '  ← CHECK FAILED'),
			);
			results.push(result);
			return result;
		};

		const cases: Case[] = [];
		for (const count of COUNTS) {
			const rounds = count >= LARGE ? ROUNDS_LARGE : ROUNDS;
			if (ZERO_DELAY_COUNTS.includes(count) && DELAY_MS !== 0)
				cases.push({ count, delayMs: 0, rounds });
			cases.push({ count, delayMs: DELAY_MS, rounds });
		}
		const seedTimes: string[] = [];
		const idleRss = new Map<string, number>();
		for (const [batch, count] of COUNTS.entries()) {
			// Each batch older than the one before: [now - (b+1)·30 d, now - b·30 d)
			const now = Date.now();
			const t = Date.now();
			const payments = sandbox.seedPayments(count - seeded.size, {
				createdFrom: new Date(now - (batch + 1) * 30 * DAY_MS),
				createdTo: new Date(now - batch * 30 * DAY_MS),
			});
			for (const p of payments) seeded.add(p.id);
			seedTimes.push(`${fmt(payments.length)} in ${fmt(Date.now() - t)} ms`);
			if (sandbox.payments.size !== count || seeded.size !== count)
				throw new Error(`the sandbox holds ${sandbox.payments.size} payments, not ${count}`);

			// Memory: one run per side on a freshly started n8n, idle for IDLE_MS
			if (MEMORY)
				for (const side of SIDE_ORDER) {
					setDelay(DELAY_MS);
					await server.restart();
					await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
					const idle = new RssSampler(server.pid!).now();
					idleRss.set(`${count} ${side}`, idle);
					await runOnce(side, 'memory', 0, count, DELAY_MS);
				}
			// Warm-up, not measured (after a restart n8n loads and compiles each node type on its
			// first run), without the delay
			setDelay(0);
			if (cases.some((c) => c.count === count && c.rounds > 0))
				for (const side of SIDE_ORDER) await runOnce(side, 'warm-up', 0, count, 0);
			for (const kase of cases.filter((c) => c.count === count)) {
				setDelay(kase.delayMs);
				for (let round = 1; round <= kase.rounds; round++) {
					const order = round % 2 ? SIDE_ORDER : [...SIDE_ORDER].reverse();
					for (const side of order) await runOnce(side, 'timed', round, count, kase.delayMs);
				}
			}
		}
		load.push(loadavg()[0]);

		// A list request's round trip from this process at the largest N, no delay: the sandbox's
		// own time (the first after the last seed sorts) plus this process reading the answer
		setDelay(0);
		const listMs: number[] = [];
		for (let k = 0; k < 5; k++) {
			const t = performance.now();
			const response = await fetch(
				`${sandbox.url}${LIST_PATH}?created.gte=${CREATED_AFTER}&limit=${PAGE}&offset=${k * PAGE}`,
				{ headers: { authorization: `Bearer ${sandbox.apiKey}` } },
			);
			await response.arrayBuffer();
			listMs.push(performance.now() - t);
		}

		// The tables
		const date = new Date().toISOString().slice(0, 10);
		const benchS = (Date.now() - benchStarted) / 1000;
		console.log(
			`\nn8n ${n8nVersion} (regular mode, SQLite) on Node ${n8nNode} (V8 heap limit ${fmt(heapLimit / MB)} MB); ` +
				`bench and sandbox (one process) on Node ${process.version}; ${cpus().length} CPUs (${cpus()[0]?.model.trim() ?? '?'}), ` +
				`${fmt(totalmem() / 1024 ** 3)} GB RAM; ${date}; pack: nodes/ and credentials/ as of ${packCommit}${dirty ? ' with uncommitted changes' : ''}, built${stale ? ' BEFORE the last change of nodes/' : ''} (worktree at ${commit}); ` +
				`load average (1 min) ${load.map((l) => l.toFixed(2)).join(' → ')}; ` +
				`${ROUNDS} rounds (N < ${fmt(LARGE)}), ${ROUNDS_LARGE} (N ≥ ${fmt(LARGE)}), medians; seeded ${seedTimes.join(', ')}; ` +
				`a list request's round trip at ${fmt(sandbox.payments.size)} payments, no delay: ` +
				`${listMs.map((m) => fmt(m, 1)).join(', ')} ms; the whole bench took ${fmt(benchS / 60, 1)} min.\n`,
		);
		const timed = results.filter((r) => r.phase === 'timed');
		if (timed.length) {
			console.log(
				'| payments | delay per list request | side | wall s | items/s | ours / HTTP Request (speed) | node s | record saved after s | n8n CPU s | pages | peak in flight | n8n RSS peak MB | check |',
			);
			console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
			for (const kase of cases.filter((c) => c.rounds > 0)) {
				const runsOf = (side: Side) =>
					timed.filter(
						(r) => r.side === side && r.count === kase.count && r.delayMs === kase.delayMs,
					);
				const wall = (side: Side) => median(runsOf(side).map((r) => r.wallMs));
				for (const side of SIDE_ORDER) {
					const runs = runsOf(side);
					const nodes = SIDES[side].nodes
						.map((n) => fmt(median(runs.map((r) => r.nodeMs[n] / 1000)), 2))
						.join(' + ');
					console.log(
						`| ${fmt(kase.count)} | ${kase.delayMs} ms | ${SIDES[side].label} | ${fmt(wall(side) / 1000, 2)} | ` +
							`${fmt((kase.count * 1000) / wall(side))} | ${side === 'theirs' ? '' : `**${fmt(wall('theirs') / wall(side), 2)}**`} | ` +
							`${nodes} | ${fmt(median(runs.map((r) => r.untilSavedMs / 1000)), 2)} | ${fmt(median(runs.map((r) => r.cpuMs / 1000)), 2)} | ` +
							`${[...new Set(runs.map((r) => r.pages))].join(', ')} | ${[...new Set(runs.map((r) => r.peakConcurrent))].join(', ')} | ` +
							`${fmt(Math.max(...runs.map((r) => r.rssPeak / MB)))} | ${checkText(runs)} |`,
					);
				}
			}
			console.log('');
		}
		const firstQueries = SIDE_ORDER.map(
			(side) =>
				`${side}: GET ${LIST_PATH}?${results.find((r) => r.side === side && r.pages)?.firstQuery ?? ''}`,
		);
		console.log(`First list request of a run:\n- ${firstQueries.join('\n- ')}\n`);

		const memory = results.filter((r) => r.phase === 'memory');
		if (memory.length) {
			console.log(
				`Memory, one run per side on a freshly started n8n (idle ${IDLE_MS / 1000} s first), ${DELAY_MS} ms per list request; ` +
					`RSS of n8n's process group (main + task runner) sampled every ${SAMPLE_MS} ms until the execution is saved; MB = 2^20 bytes:\n`,
			);
			console.log(
				'| payments | side | n8n RSS idle MB | peak during the run MB | peak − idle MB | per 1,000 payments MB | main process peak (VmHWM) MB | execution data stored MB | wall s | check |',
			);
			console.log('|---|---|---|---|---|---|---|---|---|---|');
			for (const r of memory) {
				const idle = idleRss.get(`${r.count} ${r.side}`) ?? r.rssBefore;
				console.log(
					`| ${fmt(r.count)} | ${SIDES[r.side].label} | ${fmt(idle / MB)} | ${fmt(r.rssPeak / MB)} | ${fmt((r.rssPeak - idle) / MB)} | ` +
						`${fmt(((r.rssPeak - idle) / MB / r.count) * 1000, 1)} | ${fmt(r.mainHwm / MB)} | ${fmt(r.dataChars / MB, 1)} | ` +
						`${fmt(r.wallMs / 1000, 2)} | ${checkText([r])} |`,
				);
			}
			console.log('');
			const counts = [...new Set(memory.map((r) => r.count))].sort((a, b) => a - b);
			if (counts.length >= 2) {
				const [lo, hi] = [counts[0], counts.at(-1)!];
				const target = 1_000_000;
				console.log(
					`Extrapolation to ${fmt(target)} payments (linear in N from the ${fmt(lo)} and ${fmt(hi)} runs above; not measured):`,
				);
				for (const side of SIDE_ORDER) {
					const at = (n: number) => memory.find((r) => r.side === side && r.count === n)!;
					const growth = (r: RunResult) =>
						r.rssPeak - (idleRss.get(`${r.count} ${side}`) ?? r.rssBefore);
					const perPayment = (growth(at(hi)) - growth(at(lo))) / (hi - lo);
					const grown = growth(at(hi)) + perPayment * (target - hi);
					const dataChars = (at(hi).dataChars / hi) * target;
					console.log(
						`- ${SIDES[side].label}: n8n grows by about ${fmt(grown / MB)} MB (${fmt(perPayment / 1024, 1)} KB per payment), ` +
							`to about ${fmt((grown + (idleRss.get(`${hi} ${side}`) ?? 0)) / MB)} MB RSS; V8's heap limit here is ${fmt(heapLimit / MB)} MB. ` +
							`The execution data n8n serialises into one string to store it: about ${fmt(dataChars / 1e6)} million characters, ` +
							`${dataChars > maxString ? 'over' : 'under'} V8's longest string (${fmt(maxString / 1e6)} million).`,
					);
				}
				console.log('');
			}
		}

		const all = results;
		const checks: Array<[string, boolean]> = [
			[
				`runs with the wrong items (not exactly the N seeded ids once each) or not successful: ${all.filter((r) => !r.ok).length} of ${all.length}`,
				all.every((r) => r.ok),
			],
			[
				`list requests not delayed in the delayed runs: ${all.reduce((s, r) => s + r.undelayed, 0)}`,
				all.every((r) => r.undelayed === 0),
			],
			[
				`requests other than the list: ${all.reduce((s, r) => s + r.otherRequests, 0)}`,
				all.every((r) => r.otherRequests === 0),
			],
		];
		for (const [text, ok] of checks) console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${text}`);
		for (const r of all.filter((x) => !x.ok))
			console.log(
				`  ${r.phase} ${r.round || ''} N=${r.count} ${r.delayMs} ms ${r.side} (execution ${r.executionId}): ${r.status}, ` +
					`${r.check.items} items, ${r.check.distinct} distinct, ${r.check.missing} missing, ${r.check.extra} not seeded, ${r.check.withoutId} without id` +
					(r.error ? `\n    ${r.error.split('\n')[0]}` : ''),
			);
		if (checks.some(([, ok]) => !ok)) process.exitCode = 1;
	} catch (error) {
		if (n8n) console.error(`n8n's log ends:\n${n8n.logTail(30)}`);
		throw error;
	} finally {
		await stopAll();
		if (KEEP) console.error(`n8n's user folder kept: ${userFolder}`);
		else rmSync(userFolder, { recursive: true, force: true });
	}
}

function checkText(runs: RunResult[]): string {
	const failed = runs.filter((r) => !r.ok).length;
	return failed === 0
		? `ok (${runs.length} × ${fmt(runs[0]?.count ?? 0)} distinct ids)`
		: `**${failed} of ${runs.length} runs FAILED**`;
}

main().then(
	() => process.exit(),
	(error: unknown) => {
		console.error(error);
		process.exit(2);
	},
);
