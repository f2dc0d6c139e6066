/**
 * `npm run bench:pacing`: the All4Pay node's client-side pacing against the sandbox's exact
 * enforcement of All4Pay's published limits (50 creates per sliding second per client, 429
 * beyond), compared with what an operator would otherwise build.
 *
 * 1. Paced: the real All4Pay node (Deposit → Create) run by n8n's engine (n8n-core's
 *    WorkflowExecute, the harness of test/engine), 2,000 creates as EXECUTIONS concurrent
 *    executions of ITEMS items (n8n runs one execution's items one after another; the
 *    executions share this process's pacer), distinct user_ids. Bounds, checked on the arrivals
 *    the sandbox recorded: no 429, no item error, every deposit created, arrival rate at least 95%
 *    of 50/s, at most 50 arrivals in any sliding second. Exit code 1 when one fails.
 * 2. Baselines (reported, never failing): n8n's HTTP Request node. n8n-nodes-base is not installed
 *    here, so a stand-in node reproduces its dispatch (HttpRequestV3.execute in n8n 2.x): each
 *    item's request is started without waiting for the previous answer; with Options → Batching,
 *    it sleeps Batch Interval before every Items per Batch-th item; all answers are awaited
 *    together. Requests go through n8n-core's HTTP helper, in the same engine.
 *
 * Env: BENCH_PACING_EXECUTIONS (4), BENCH_PACING_ITEMS (500), BENCH_PACING_BASELINES=0 to skip
 * the baselines (they take about 50 s more), BENCH_PACING_DUMP=file.json to write the paced run's
 * grant and arrival times (ms since the epoch) for a closer look.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import type {
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	INodeTypes,
	Workflow,
} from 'n8n-workflow';

import { ALL4PAY_RATE_LIMITS } from '../nodes/All4pay/endpoints';
import { Pacer, spacingMs } from '../nodes/common/pacer';
import { type All4paySandbox, isValidCpf, startAll4paySandbox } from '../sandbox/all4pay';
import type { Harness } from '../test/harness/engine';

const EXECUTIONS = Number(process.env.BENCH_PACING_EXECUTIONS ?? 4);
const ITEMS = Number(process.env.BENCH_PACING_ITEMS ?? 500);
const BASELINES = process.env.BENCH_PACING_BASELINES !== '0';
const LIMIT = ALL4PAY_RATE_LIMITS.perEndpointPerSecond; // 50 per sliding second
const MIN_RATIO = 0.95;
/** The most the pacer allows: one create per spacing (about 48.4/s for 50/s). */
const CEILING = 1000 / spacingMs({ count: LIMIT, windowMs: 1000 });

const ALL4PAY = 'n8n-nodes-payops.all4pay';
const HTTP_REQUEST = 'bench.httpRequestDispatch';
const NODE = 'Create Deposit';
const CPF = '52998224725';
const AMOUNT = '10.00';

if (!isValidCpf(CPF)) throw new Error('bench: the CPF must have valid check digits');

/**
 * n8n's HTTP Request node, as far as pacing goes: its per-item dispatch loop and its Batching
 * option, copied from n8n-nodes-base HttpRequestV3.execute (every other option left out). Answers
 * are kept whatever their status (like Never Error with the full response), so they can be counted.
 */
class HttpRequestDispatch implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'HTTP Request (dispatch of n8n-nodes-base HttpRequestV3)',
		name: 'httpRequestDispatch',
		group: ['output'],
		version: 1,
		description: 'Bench stand-in for n8n’s HTTP Request node',
		defaults: { name: 'HTTP Request' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [
			{ displayName: 'URL', name: 'url', type: 'string', default: '' },
			{ displayName: 'Token', name: 'token', type: 'string', default: '' },
			{ displayName: 'Items per Batch', name: 'batchSize', type: 'number', default: 50 },
			{ displayName: 'Batch Interval (ms)', name: 'batchInterval', type: 'number', default: 0 },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const requests: Array<Promise<{ statusCode: number }>> = [];
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			// as in HttpRequestV3: batch size 0 counts as 1; no interval, no batching
			const size = this.getNodeParameter('batchSize', itemIndex) as number;
			const batchSize = size > 0 ? size : 1;
			const batchInterval = this.getNodeParameter('batchInterval', itemIndex) as number;
			if (itemIndex > 0 && batchSize >= 0 && batchInterval > 0 && itemIndex % batchSize === 0)
				await new Promise((resolve) => setTimeout(resolve, batchInterval));
			const { userId } = items[itemIndex].json;
			const request = this.helpers.httpRequest({
				method: 'POST',
				url: this.getNodeParameter('url', itemIndex) as string,
				headers: { Token: this.getNodeParameter('token', itemIndex) as string },
				body: {
					user_id: userId,
					cpf: CPF,
					name: 'Bench Payer',
					email: 'payer@example.com',
					amount: Number(AMOUNT),
				},
				json: true,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
			}) as Promise<{ statusCode: number }>;
			request.catch(() => undefined);
			requests.push(request);
		}
		const answers = await Promise.allSettled(requests);
		return [
			answers.map((answer, item) => ({
				json:
					answer.status === 'fulfilled'
						? { statusCode: answer.value.statusCode }
						: { error: String((answer.reason as Error)?.message ?? answer.reason) },
				pairedItem: { item },
			})),
		];
	}
}

interface ArrivalStats {
	count: number;
	spanMs: number;
	/** Arrivals per second over the run: intervals / (last - first). */
	rate: number;
	/** Most arrivals in any window (t - 1000 ms, t], the sandbox's sliding second. */
	maxPerSecond: number;
	/** Shortest time spanned by LIMIT + 1 consecutive arrivals (must exceed 1000 ms). */
	minSpanOfLimitPlusOne: number;
	gapP50: number;
	gapP99: number;
	gapMax: number;
}

function arrivalStats(times: number[]): ArrivalStats {
	const t = [...times].sort((a, b) => a - b);
	const count = t.length;
	const spanMs = count > 1 ? t[count - 1] - t[0] : 0;
	let maxPerSecond = 0;
	for (let i = 0, j = 0; i < count; i++) {
		while (t[j] <= t[i] - 1000) j++;
		maxPerSecond = Math.max(maxPerSecond, i - j + 1);
	}
	let minSpanOfLimitPlusOne = Infinity;
	for (let i = 0; i + LIMIT < count; i++)
		minSpanOfLimitPlusOne = Math.min(minSpanOfLimitPlusOne, t[i + LIMIT] - t[i]);
	const gaps = t
		.slice(1)
		.map((x, i) => x - t[i])
		.sort((a, b) => a - b);
	const at = (q: number) =>
		gaps.length ? gaps[Math.min(gaps.length - 1, Math.floor(q * gaps.length))] : 0;
	return {
		count,
		spanMs,
		rate: spanMs > 0 ? ((count - 1) * 1000) / spanMs : 0,
		maxPerSecond,
		minSpanOfLimitPlusOne,
		gapP50: at(0.5),
		gapP99: at(0.99),
		gapMax: gaps.at(-1) ?? 0,
	};
}

interface ScenarioResult {
	name: string;
	wallMs: number;
	/** Creates the sandbox received (any answer). */
	arrivals: ArrivalStats;
	/** Creates answered 200. */
	accepted: number;
	rateLimited: number;
	/** Output items with an error (the node's Continue On Fail output) or not answered 200. */
	itemErrors: number;
	/** Executions that ended in an error. */
	failedExecutions: number;
	/** Requests to other endpoints (e.g. a deposit lookup after a lost answer). */
	otherRequests: number;
	deposits: number;
	/** When the pacer let each create go (paced run only), and the arrival times. */
	grantTimes: number[];
	arrivalTimes: number[];
}

/** Times (Date.now()) at which the All4Pay pacer granted a create, in grant order. */
const grantTimes: number[] = [];

async function scenario(
	sb: All4paySandbox,
	name: string,
	run: (userIds: string[][]) => Promise<Array<{ items: INodeExecutionData[]; failed: boolean }>>,
	executions: number,
	items: number,
	isError: (json: INodeExecutionData['json']) => boolean,
): Promise<ScenarioResult> {
	const tag = name.replace(/\W+/g, '-').toLowerCase();
	const userIds = Array.from({ length: executions }, (_, e) =>
		Array.from({ length: items }, (_, i) => `${tag}-${process.pid}-${e}-${i}`),
	);
	const depositsBefore = sb.deposits.size;
	const firstRequest = sb.requests.length;
	sb.resetRateLimits();
	grantTimes.length = 0;
	const started = performance.now();
	const outcomes = await run(userIds);
	const wallMs = performance.now() - started;
	const stats = sb.rateLimitStats();
	const recorded = sb.requests.slice(firstRequest);
	const { method, path } = sb.endpoints.createDeposit;
	const creates = recorded.filter((r) => r.method === method && r.path === path);
	const arrivalTimes = creates.map((r) => r.at.getTime());
	return {
		name,
		wallMs,
		arrivals: arrivalStats(arrivalTimes),
		accepted: creates.filter((r) => r.status === 200).length,
		rateLimited: stats.rateLimited,
		itemErrors: outcomes.reduce(
			(sum, o) => sum + o.items.filter((item) => isError(item.json)).length,
			0,
		),
		failedExecutions: outcomes.filter((o) => o.failed).length,
		otherRequests: recorded.length - creates.length,
		deposits: sb.deposits.size - depositsBefore,
		grantTimes: [...grantTimes],
		arrivalTimes,
	};
}

const START: INode = {
	id: 'start',
	name: 'Start',
	type: 'n8n-nodes-base.manualTrigger',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};
const CONNECTIONS = { Start: { main: [[{ node: NODE, type: 'main' as const, index: 0 }]] } };

/** Runs a fresh Start → node workflow (one per execution, as n8n does) on these items. */
function runner(harness: Harness, build: () => Workflow) {
	return async (userIds: string[]) => {
		const result = await harness.run(build(), {
			items: userIds.map((userId) => ({ json: { userId } })),
		});
		return { items: result.output(NODE), failed: result.run.data.resultData.error !== undefined };
	};
}

const fmt = (n: number, digits = 0) =>
	Number.isFinite(n)
		? n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits })
		: '-';

async function main(): Promise<void> {
	// Like jest (test/harness/env.ts): n8n's loader requires the node sources directly under
	// NODE_ENV=test; the user folder and key keep n8n-core's InstanceSettings out of $HOME.
	process.env.NODE_ENV = 'test';
	const userFolder = mkdtempSync(join(tmpdir(), 'payops-bench-pacing-'));
	process.env.N8N_USER_FOLDER = userFolder;
	process.env.N8N_ENCRYPTION_KEY = 'n8n-harness-only-encryption-key';
	process.env.N8N_LOG_LEVEL = 'silent';
	const { Harness } = await import('../test/harness/engine');
	const { Workflow } = await import('n8n-workflow');
	// Diagnostics only: when the pacer grants each create (the same module instance the node uses)
	const acquire = Pacer.prototype.acquire;
	Pacer.prototype.acquire = async function (this: Pacer, names) {
		await acquire.call(this, names);
		if (names.includes('createDeposit')) grantTimes.push(Date.now());
	};
	let workflows = 0;

	const sb = await startAll4paySandbox({ port: 0 }); // the published limits, exact sliding windows
	const load = [loadavg()[0]];
	try {
		const harness = await Harness.create({
			credentials: {
				all4payApi: {
					environment: 'custom',
					customUrl: sb.url,
					token: sb.token,
					callbackToken: '',
					endpointOverrides: '',
				},
			},
		});
		const dispatch = new HttpRequestDispatch();
		const nodeTypes: INodeTypes = {
			getByName: (type) => (type === HTTP_REQUEST ? dispatch : harness.nodeTypes.getByName(type)),
			getByNameAndVersion: (type, version) =>
				type === HTTP_REQUEST ? dispatch : harness.nodeTypes.getByNameAndVersion(type, version),
			getKnownTypes: () => ({}),
		};

		const all4pay = runner(harness, () =>
			harness.workflow({
				nodes: [
					START,
					{
						name: NODE,
						type: ALL4PAY,
						onError: 'continueRegularOutput', // an item's error is output and counted, the run goes on
						parameters: {
							resource: 'deposit',
							operation: 'create',
							userId: '={{ $json.userId }}',
							amount: AMOUNT,
							cpf: CPF,
							name: 'Bench Payer',
							email: 'payer@example.com',
						},
					},
				],
				connections: CONNECTIONS,
			}),
		);
		// the harness's registry does not know the stand-in, so this workflow is built directly
		const httpRequest = (batchSize: number, batchInterval: number) =>
			runner(
				harness,
				() =>
					new Workflow({
						id: `bench-http-${++workflows}`,
						name: 'HTTP Request baseline',
						nodes: [
							START,
							{
								id: 'http',
								name: NODE,
								type: HTTP_REQUEST,
								typeVersion: 1,
								position: [220, 0],
								parameters: {
									url: `${sb.url}${sb.endpoints.createDeposit.path}`,
									token: sb.token,
									batchSize,
									batchInterval,
								},
							},
						],
						connections: CONNECTIONS,
						nodeTypes,
						active: false,
						settings: { executionOrder: 'v1' },
					}),
			);
		const concurrently =
			(run: (userIds: string[]) => Promise<{ items: INodeExecutionData[]; failed: boolean }>) =>
			async (userIds: string[][]) =>
				await Promise.all(userIds.map(run));
		const results: ScenarioResult[] = [];

		results.push(
			await scenario(
				sb,
				`All4Pay node (paced), ${EXECUTIONS} executions x ${ITEMS} items`,
				concurrently(all4pay),
				EXECUTIONS,
				ITEMS,
				(json) => 'error' in json,
			),
		);
		load.push(loadavg()[0]);
		const paced = results[0];

		if (BASELINES) {
			const failedAnswer = (json: INodeExecutionData['json']) =>
				'error' in json || json.statusCode !== 200;
			results.push(
				await scenario(
					sb,
					`HTTP Request, no batching, ${EXECUTIONS} executions x ${ITEMS} items`,
					concurrently(httpRequest(50, 0)),
					EXECUTIONS,
					ITEMS,
					failedAnswer,
				),
			);
			results.push(
				await scenario(
					sb,
					`HTTP Request, batching 50 items / 1,000 ms, ${EXECUTIONS} executions x ${ITEMS} items`,
					concurrently(httpRequest(50, 1000)),
					EXECUTIONS,
					ITEMS,
					failedAnswer,
				),
			);
			results.push(
				await scenario(
					sb,
					`HTTP Request, batching 50 items / 1,000 ms, 1 execution x ${EXECUTIONS * ITEMS} items`,
					concurrently(httpRequest(50, 1000)),
					1,
					EXECUTIONS * ITEMS,
					failedAnswer,
				),
			);
			load.push(loadavg()[0]);
		}

		console.log(
			`Node ${process.version}, ${cpus().length} cores, ${new Date().toISOString().slice(0, 10)}; ` +
				`load average (1 min) ${load.map((l) => l.toFixed(2)).join(' → ')}\n` +
				`Sandbox limits: ${LIMIT} creates per sliding second per client, 429 beyond (refused requests not counted). ` +
				`Pacer ceiling: ${fmt(CEILING, 2)}/s = ${fmt(CEILING / LIMIT, 3)} of ${LIMIT}/s.\n`,
		);
		console.log(
			'| scenario | wall s | creates sent | 200 | 429 | item errors | arrival rate /s | ratio to 50/s | max in a sliding second | min span of 51 ms | gap p50 / p99 / max ms |',
		);
		console.log('|---|---|---|---|---|---|---|---|---|---|---|');
		for (const r of results) {
			const a = r.arrivals;
			console.log(
				`| ${r.name} | ${fmt(r.wallMs / 1000, 1)} | ${fmt(a.count)} | ${fmt(r.accepted)} | ${fmt(r.rateLimited)} | ${fmt(r.itemErrors)} | ${fmt(a.rate, 2)} | ${fmt(a.rate / LIMIT, 3)} | ${a.maxPerSecond} | ${fmt(a.minSpanOfLimitPlusOne)} | ${a.gapP50} / ${a.gapP99} / ${a.gapMax} |`,
			);
		}
		for (const r of results.slice(1))
			console.log(
				`- ${r.name}: ${fmt(r.accepted)} of ${fmt(r.arrivals.count)} created, ${fmt((r.accepted * 1000) / r.wallMs, 1)} created/s over the run; ` +
					`${r.failedExecutions} execution(s) failed.`,
			);

		const total = EXECUTIONS * ITEMS;
		const bounds: Array<[string, boolean]> = [
			[`429s: ${paced.rateLimited} (must be 0)`, paced.rateLimited === 0],
			[
				`item errors: ${paced.itemErrors} (must be 0)`,
				paced.itemErrors === 0 && paced.failedExecutions === 0,
			],
			[
				`deposits created: ${paced.deposits} (must be ${total})`,
				paced.deposits === total && paced.accepted === total,
			],
			[
				`arrival rate ${fmt(paced.arrivals.rate, 2)}/s = ${fmt(paced.arrivals.rate / LIMIT, 3)} of ${LIMIT}/s (must be ≥ ${MIN_RATIO})`,
				paced.arrivals.rate / LIMIT >= MIN_RATIO,
			],
			[
				`max creates in a sliding second: ${paced.arrivals.maxPerSecond} (must be ≤ ${LIMIT})`,
				paced.arrivals.maxPerSecond <= LIMIT,
			],
		];
		const grants = arrivalStats(paced.grantTimes);
		const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
		const [g, t] = [sorted(paced.grantTimes), sorted(paced.arrivalTimes)];
		const transit = sorted(t.slice(0, g.length).map((x, i) => x - g[i]));
		const q = (p: number) => transit[Math.min(transit.length - 1, Math.floor(p * transit.length))];
		// Time the grants fell behind the pacer's schedule (timer lateness, event-loop stalls): the
		// pacer absorbs 2 ms of lateness per grant and never catches up the rest.
		const spacing = 1000 / CEILING;
		const behind = g.length > 1 ? g[g.length - 1] - g[0] - (g.length - 1) * spacing : 0;
		const stalls = g
			.slice(1)
			.map((x, i) => x - g[i])
			.filter((gap) => gap > 2 * spacing);
		const inStalls = stalls.reduce((sum, gap) => sum + gap - spacing, 0);
		if (process.env.BENCH_PACING_DUMP)
			writeFileSync(
				process.env.BENCH_PACING_DUMP,
				JSON.stringify({ grants: paced.grantTimes, arrivals: paced.arrivalTimes }),
			);
		console.log(
			`\nPaced run: ${paced.otherRequests} requests to other endpoints. Pacer grants (diagnostic): ` +
				`${fmt(grants.rate, 2)}/s, max ${grants.maxPerSecond} in a sliding second, min span of ${LIMIT + 1} ` +
				`${fmt(grants.minSpanOfLimitPlusOne)} ms, gap max ${grants.gapMax} ms; grant → arrival ` +
				`(paired in order) p50 ${q(0.5)}, p99 ${q(0.99)}, max ${transit.at(-1)} ms. The grants ran ` +
				`${fmt(behind)} ms behind the pacer's schedule over the run, ${fmt(inStalls)} ms of it in ` +
				`${stalls.length} gaps longer than 2 spacings.`,
		);
		if (load[0] > cpus().length)
			console.log(
				`  The machine was loaded (load average ${load[0].toFixed(2)} on ${cpus().length} cores): ` +
					'late timers and stalls lower the rate.',
			);
		for (const [text, ok] of bounds) console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${text}`);
		if (bounds.some(([, ok]) => !ok)) process.exitCode = 1;
	} finally {
		await sb.close();
		rmSync(userFolder, { recursive: true, force: true });
	}
}

main().then(
	() => process.exit(),
	(error: unknown) => {
		console.error(error);
		process.exit(2);
	},
);
