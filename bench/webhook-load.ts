/**
 * `npm run bench:webhooks`: webhook throughput on a real n8n 2.41 (SQLite, regular mode), the
 * pack's webhook triggers against what an operator would otherwise use, on the same n8n in one
 * run (the workflows: bench/webhook-cases.ts):
 * - n8n's Webhook node v2 → No Op, which verifies nothing (the floor n8n itself sets);
 * - the do-it-yourself chain: Webhook v2 (raw body) → Crypto HMAC → If → Respond to Webhook 200/401;
 * - every webhook trigger of the pack at its default version → No Op.
 * Once with n8n's default expression engine (eager: an isolate per execution) and once with
 * N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true, a fresh n8n each.
 *
 * The load, with autocannon (bench/cannon.ts, in a child process), every request its own event
 * and signature: BENCH_DELIVERIES (400) accepted deliveries per workflow at BENCH_CONCURRENCY (20),
 * sent in BENCH_ROUNDS (4) rounds, the order of the workflows rotated by one each round, so that
 * every workflow meets the growing database alike; then BENCH_FORGED (half of BENCH_DELIVERIES)
 * forged ones (a wrong signature, hash or callback token) per workflow that verifies, the same
 * way. Before: each workflow is checked (a genuine delivery answered 2xx and run, a forged one
 * answered 401) and warmed up with BENCH_CONCURRENCY deliveries. Every delivery is made before
 * the mode's first is sent. The defaults take about 10 minutes on a quiet 2-core machine.
 *
 * Measured: deliveries/s = deliveries / (first sent → last answered or, if later, last of their
 * executions finished, from n8n's stoppedAt), summed over the rounds; latency p50/p99 from
 * autocannon's per-request times; non-2xx and connection errors; through n8n's executions API,
 * every execution with its data: runs that reached the business node (No Op) per accepted event,
 * forged deliveries that ran anything; isolates acquired (n8n_expression_pool_acquired_total, so
 * N8N_METRICS=true) per delivery. Prints the Markdown tables for bench/README.md.
 *
 * BENCH_MODES=eager,lazy (default) picks the modes, BENCH_WORKFLOWS=bare,diy,paytechTrigger,…
 * the workflows (by key), BENCH_N8N_ENV="NAME=value …" adds n8n settings, BENCH_KEEP=1 keeps
 * n8n's folders (log, database).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';

import { Cannon, percentile, type Answer, type Prepared } from './cannon';
import { BENCH_OWNER, memoryOf, n8nVersions } from './n8n';
import {
	publishCases,
	requestPath,
	startSandboxes,
	type BenchCase,
	type Sandboxes,
} from './webhook-cases';
import { ensureRuntime, ROOT, type N8nRuntime } from '../tools/n8n/runtime';
import { installPack, N8nServer } from '../tools/n8n/server';
import { freePortRange } from '../tools/n8n/services';

const int = (name: string, fallback: number) => {
	const value = Number(process.env[name] ?? fallback);
	if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
	return value;
};
const DELIVERIES = int('BENCH_DELIVERIES', 400);
const FORGED = int('BENCH_FORGED', Math.ceil(DELIVERIES / 2));
const CONCURRENCY = int('BENCH_CONCURRENCY', 20);
const ROUNDS = int('BENCH_ROUNDS', 4);
const WARM_UP = CONCURRENCY;
type Mode = 'eager' | 'lazy';
const MODES = (process.env.BENCH_MODES ?? 'eager,lazy').split(',').map((m) => {
	if (m !== 'eager' && m !== 'lazy') throw new Error(`BENCH_MODES: eager and/or lazy, not ${m}`);
	return m as Mode;
});
/** BENCH_WORKFLOWS=bare,diy,paytechTrigger: only these (for a profile, or a quick look). */
const ONLY = process.env.BENCH_WORKFLOWS?.split(',');
/** BENCH_N8N_ENV="NAME=value NAME2=value2": more n8n settings, e.g. to compare or profile. */
const EXTRA_ENV = Object.fromEntries(
	(process.env.BENCH_N8N_ENV ?? '')
		.trim()
		// a value may hold spaces: NODE_OPTIONS=--cpu-prof --cpu-prof-dir=/tmp/p N8N_X=1
		.split(/\s+(?=[A-Z_][A-Z0-9_]*=)/)
		.filter(Boolean)
		.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
);
const MODE_ENV: Record<Mode, NodeJS.ProcessEnv> = {
	eager: {},
	lazy: { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' },
};
const ISOLATES = 'n8n_expression_pool_acquired_total';

const sleep = async (ms: number) => await new Promise((r) => setTimeout(r, ms));
const log = (message: string) =>
	console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);

/** Every delivery one workflow gets in one mode, made before the first is sent. */
interface Plan {
	genuine: Prepared;
	forged?: Prepared;
	warmUp: Prepared[];
	/** Per round. */
	accepted: Prepared[][];
	forgedRounds: Prepared[][];
}

/** One phase (accepted or forged) of one workflow in one mode, summed over its rounds. */
interface Phase {
	answers: Answer[];
	/** Sum of the rounds' durations. */
	seconds: number;
	errors: number;
	timeouts: number;
	isolates: number;
}

const emptyPhase = (): Phase => ({ answers: [], seconds: 0, errors: 0, timeouts: 0, isolates: 0 });

interface Counted {
	/** Executions n8n stored for the workflow. */
	started: number;
	/** Executions that ran the business node (No Op). */
	pastTrigger: number;
	/** Accepted events (2xx answered, and run: processed) and how many ran past the trigger once. */
	acceptedEvents: number;
	ranOnce: number;
	/** Accepted events that ran past the trigger 0 or 2+ times. */
	notOnce: number;
	/** Executions of forged deliveries, and those of them that reached the business node. */
	forgedStarted: number;
	forgedPastTrigger: number;
	failed: number;
}

interface Row {
	mode: Mode;
	c: BenchCase;
	accepted: Phase;
	forged?: Phase;
	counted: Counted;
}

/** "200": one answer counts as accepted when it is 2xx and, from a trigger of ours, ran. */
function acceptedAnswer(c: BenchCase, a: Answer): boolean {
	if (a.status < 200 || a.status > 299) return false;
	if (c.kind !== 'trigger') return true;
	try {
		return (JSON.parse(a.body) as { processed?: boolean }).processed === true;
	} catch {
		return false;
	}
}

async function isolatesAcquired(n8n: N8nServer): Promise<number> {
	const text = await (await fetch(`${n8n.baseUrl}/metrics`)).text();
	const line = text.split('\n').find((l) => l.startsWith(`${ISOLATES} `));
	return line ? Number(line.split(' ').at(-1)) : NaN;
}

/** The workflow's executions newer than execution `afterId` (ids grow), newest first. */
async function executionsAfter(
	n8n: N8nServer,
	c: BenchCase,
	afterId: number,
): Promise<Array<Record<string, unknown>>> {
	const out: Array<Record<string, unknown>> = [];
	let cursor: string | undefined;
	for (;;) {
		const qs = new URLSearchParams({ workflowId: c.workflowId, limit: '250' });
		if (cursor) qs.set('cursor', cursor);
		const page = await n8n.api('GET', `/executions?${qs}`);
		const data = page.data as Array<Record<string, unknown>>;
		const newer = data.filter((e) => Number(e.id) > afterId);
		out.push(...newer);
		cursor = (page.nextCursor as string | null) ?? undefined;
		if (!cursor || newer.length < data.length) return out;
	}
}

/** The id of the workflow's newest execution, 0 if none. */
async function newestExecution(n8n: N8nServer, c: BenchCase): Promise<number> {
	const page = await n8n.api('GET', `/executions?workflowId=${c.workflowId}&limit=1`);
	return Number((page.data as Array<{ id: string }>)[0]?.id ?? 0);
}

/**
 * Waits (at most 120 s) until `expected` executions newer than `afterId` have finished, and
 * returns when the last of them finished (ms, wall clock; 0 if none). Only the newest page or
 * two are read, so waiting costs n8n little while the last executions run.
 */
async function settle(
	n8n: N8nServer,
	c: BenchCase,
	afterId: number,
	expected: number,
): Promise<number> {
	const deadline = Date.now() + 120_000;
	for (;;) {
		const done = (await executionsAfter(n8n, c, afterId)).filter((e) => e.stoppedAt);
		if (done.length >= expected || Date.now() > deadline) {
			if (done.length < expected)
				log(`${c.key}: ${done.length} of ${expected} executions finished after 120 s`);
			return Math.max(0, ...done.map((e) => Date.parse(String(e.stoppedAt))));
		}
		await sleep(200);
	}
}

class ModeRun {
	private readonly tags = new Map<BenchCase, { accepted: Set<string>; forged: Set<string> }>();
	private made = 0;

	constructor(
		readonly mode: Mode,
		readonly n8n: N8nServer,
		readonly cases: BenchCase[],
		private readonly run: string,
		private readonly cannon: Cannon,
	) {
		for (const c of cases) {
			this.tags.set(c, { accepted: new Set(), forged: new Set() });
		}
	}

	/** A tag unique in the run: `<run><kind><case>n<number>`. */
	private tag(c: BenchCase, kind: 'v' | 'w' | 'a' | 'f'): string {
		return `${this.run}${kind}${this.cases.indexOf(c)}n${this.made++}`;
	}

	/** `count` new deliveries, prepared before any is sent (All4Pay's make a paid deposit each). */
	async prepare(c: BenchCase, kind: 'v' | 'w' | 'a' | 'f', count: number): Promise<Prepared[]> {
		const make = kind === 'f' ? c.forged : c.genuine;
		if (!make) throw new Error(`${c.key} has no forged deliveries`);
		const out: Prepared[] = [];
		for (let i = 0; i < count; i += 25) {
			const batch = Array.from({ length: Math.min(25, count - i) }, () => this.tag(c, kind));
			out.push(
				...(await Promise.all(
					batch.map(async (tag) => {
						const delivery = await make(tag);
						return {
							tag,
							path: requestPath(c, delivery),
							body: delivery.body,
							headers: delivery.headers,
						};
					}),
				)),
			);
		}
		return out;
	}

	/** Sends the deliveries, waits for their executions, and adds it all to `phase`. */
	async send(c: BenchCase, requests: Prepared[], phase?: Phase): Promise<Answer[]> {
		const before = await isolatesAcquired(this.n8n);
		const newest = await newestExecution(this.n8n, c);
		const shot = await this.cannon.fire(this.n8n.baseUrl, requests, CONCURRENCY);
		const tags = this.tags.get(c)!;
		let executions = 0;
		for (const a of shot.answers) {
			if (a.tag.startsWith(`${this.run}f`)) {
				tags.forged.add(a.tag);
				// the do-it-yourself chain runs for every delivery, forged or not
				if (c.kind === 'diy') executions++;
			} else if (acceptedAnswer(c, a)) {
				tags.accepted.add(a.tag);
				executions++;
			}
		}
		const lastRun = executions ? await settle(this.n8n, c, newest, executions) : 0;
		const after = await isolatesAcquired(this.n8n);
		if (phase) {
			phase.answers.push(...shot.answers);
			phase.seconds += (Math.max(shot.lastAnswerAt, lastRun) - shot.startedAt) / 1000;
			phase.errors += shot.errors;
			phase.timeouts += shot.timeouts;
			phase.isolates += after - before;
		}
		return shot.answers;
	}

	/**
	 * Every delivery of the mode, made before the first is sent: making them (All4Pay's deposits)
	 * is not measured, and does not load the machine while a workflow is measured.
	 */
	async plan(c: BenchCase): Promise<Plan> {
		const rounds = async (kind: 'a' | 'f', total: number) => {
			const out: Prepared[][] = [];
			for (const size of split(total, ROUNDS)) out.push(await this.prepare(c, kind, size));
			return out;
		};
		return {
			genuine: (await this.prepare(c, 'v', 1))[0],
			forged: c.forged ? (await this.prepare(c, 'f', 1))[0] : undefined,
			warmUp: await this.prepare(c, 'w', WARM_UP),
			accepted: await rounds('a', DELIVERIES),
			forgedRounds: c.forged ? await rounds('f', FORGED) : [],
		};
	}

	/**
	 * Before measuring: one genuine delivery must be answered 2xx and run (retried while n8n still
	 * answers 404, registering the webhook), one forged must be answered 401; then a warm-up.
	 */
	async check(c: BenchCase, plan: Plan): Promise<void> {
		const deadline = Date.now() + 30_000;
		let answer: Answer | undefined;
		for (;;) {
			// the same event again: a 404 means n8n did not take it
			[answer] = await this.send(c, [plan.genuine]);
			if (answer?.status !== 404 || Date.now() > deadline) break;
			await sleep(250);
		}
		if (!answer || !acceptedAnswer(c, answer))
			throw new Error(
				`${c.label}, ${this.mode}: a genuine delivery was answered ${answer?.status} ${answer?.body}; it must be 2xx and run the workflow`,
			);
		if (plan.forged) {
			const [forged] = await this.send(c, [plan.forged]);
			if (forged?.status !== 401)
				throw new Error(
					`${c.label}, ${this.mode}: a forged delivery was answered ${forged?.status} ${forged?.body}; it must be 401`,
				);
		}
		await this.send(c, plan.warmUp);
	}

	/** Goes through n8n's executions of the workflow, with their data. */
	async count(c: BenchCase): Promise<Counted> {
		const executions = await this.n8n.executions(c.workflowId, true);
		const tags = this.tags.get(c)!;
		const pattern = new RegExp(`${this.run}[vwaf]\\d+n\\d+`, 'g');
		const pastPerTag = new Map<string, number>();
		let pastTrigger = 0;
		let forgedStarted = 0;
		let forgedPastTrigger = 0;
		let failed = 0;
		for (const e of executions) {
			const runData = (e.data as { resultData?: { runData?: Record<string, unknown> } } | undefined)
				?.resultData?.runData;
			const past = Boolean(runData?.[c.businessNode]);
			if (past) pastTrigger++;
			if (e.status !== 'success') failed++;
			const found = new Set(JSON.stringify(runData?.[c.entryNode] ?? '').match(pattern) ?? []);
			for (const tag of found) {
				if (tags.forged.has(tag)) {
					forgedStarted++;
					if (past) forgedPastTrigger++;
				} else if (past) pastPerTag.set(tag, (pastPerTag.get(tag) ?? 0) + 1);
			}
		}
		let ranOnce = 0;
		for (const tag of tags.accepted) if (pastPerTag.get(tag) === 1) ranOnce++;
		return {
			started: executions.length,
			pastTrigger,
			acceptedEvents: tags.accepted.size,
			ranOnce,
			notOnce: tags.accepted.size - ranOnce,
			forgedStarted,
			forgedPastTrigger,
			failed,
		};
	}
}

/** Rotated by `by`: round r starts with the r-th workflow. */
const rotate = <T>(list: T[], by: number) => [
	...list.slice(by % list.length),
	...list.slice(0, by % list.length),
];

/** `total` split into `rounds` near-equal parts. */
const split = (total: number, rounds: number) =>
	Array.from(
		{ length: rounds },
		(_, r) => Math.floor(total / rounds) + (r < total % rounds ? 1 : 0),
	);

/** A process's resident memory now (VmRSS) or its peak since it started (VmHWM), in GB. */
function memory(pid: number | undefined, field: 'VmRSS' | 'VmHWM'): string {
	const bytes = memoryOf(pid, field);
	return Number.isFinite(bytes) ? `${(bytes / 2 ** 30).toFixed(1)} GB` : '?';
}

interface ModeResult {
	rows: Row[];
	/** n8n's main process, peak resident memory over the mode's run (a fresh n8n each mode). */
	peak: string;
}

async function runMode(
	mode: Mode,
	runtime: N8nRuntime,
	sandboxes: Sandboxes,
	cannon: Cannon,
	run: string,
): Promise<ModeResult> {
	const userFolder = mkdtempSync(join(tmpdir(), `payops-bench-${mode}-`));
	installPack(userFolder);
	const n8n = await N8nServer.start({
		runtime,
		userFolder,
		port: await freePortRange(),
		logFile: join(userFolder, 'n8n.log'),
		env: { N8N_METRICS: 'true', ...MODE_ENV[mode], ...EXTRA_ENV },
	});
	try {
		await n8n.signIn(BENCH_OWNER);
		const cases = (await publishCases(n8n, sandboxes)).filter((c) => !ONLY || ONLY.includes(c.key));
		const m = new ModeRun(mode, n8n, cases, `${run}${mode[0]}`, cannon);
		const plans = new Map<BenchCase, Plan>();
		for (const c of cases) plans.set(c, await m.plan(c));
		log(`${mode}: n8n up (pid ${n8n.pid}), ${cases.length} workflows; checking and warming up`);
		for (const c of cases) await m.check(c, plans.get(c)!);

		const accepted = new Map(cases.map((c) => [c, emptyPhase()]));
		const forged = new Map(cases.filter((c) => c.forged).map((c) => [c, emptyPhase()]));
		for (const [what, phases] of [
			['accepted', accepted],
			['forged', forged],
		] as const) {
			const list = [...phases.keys()];
			for (let round = 0; round < ROUNDS; round++) {
				const order = rotate(list, round);
				for (const c of order) {
					const plan = plans.get(c)!;
					const requests = (what === 'forged' ? plan.forgedRounds : plan.accepted)[round];
					if (requests.length) await m.send(c, requests, phases.get(c));
				}
				log(
					`${mode} ${what} round ${round + 1}/${ROUNDS}: ${order
						.map((c) => {
							const p = phases.get(c)!;
							return `${c.key} ${(p.answers.length / p.seconds).toFixed(1)}/s`;
						})
						.join(', ')}`,
				);
			}
		}
		const peak = memory(n8n.pid, 'VmHWM');
		log(`${mode}: counting executions (n8n main RSS ${memory(n8n.pid, 'VmRSS')}, peak ${peak})`);
		const rows: Row[] = [];
		for (const c of cases)
			rows.push({
				mode,
				c,
				accepted: accepted.get(c)!,
				forged: forged.get(c),
				counted: await m.count(c),
			});
		return { rows, peak };
	} finally {
		await n8n.stop();
		// BENCH_KEEP=1: keep n8n's folder (its log, database) to look into
		if (process.env.BENCH_KEEP) log(`${mode}: n8n's folder kept: ${userFolder}`);
		else rmSync(userFolder, { recursive: true, force: true });
	}
}

const fmt = (n: number, digits = 1) =>
	Number.isFinite(n)
		? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
		: '-';
const rate = (p: Phase) => p.answers.length / p.seconds;
const ms = (p: Phase, q: number) =>
	fmt(
		percentile(
			p.answers.map((a) => a.ms),
			q,
		),
		0,
	);

function refusedOrErrors(c: BenchCase, p: Phase, forged: boolean): string {
	const wrong = p.answers.filter((a) => (forged ? a.status !== 401 : !acceptedAnswer(c, a))).length;
	const lost = p.errors;
	return lost ? `${wrong} + ${lost} errors` : String(wrong);
}

function report(rows: Row[], peaks: Map<Mode, string>, machine: string): string {
	const lines: string[] = [machine, ''];
	lines.push(
		'| workflow (→ No Op) | mode | accepted/s | p50 / p99 ms | not accepted | ran past the trigger, per event | isolates per delivery | forged refused/s | p50 / p99 ms | not 401 | isolates per forgery | executions of forgeries |',
		'|---|---|---|---|---|---|---|---|---|---|---|---|',
	);
	for (const r of rows) {
		const { accepted: a, forged: f, counted: k } = r;
		const perEvent =
			k.notOnce === 0
				? `1 (${k.ranOnce} events)`
				: `${k.ranOnce} of ${k.acceptedEvents} once, **${k.notOnce} not**`;
		const forgedRuns =
			r.c.kind === 'diy'
				? `${k.forgedStarted} (${k.forgedPastTrigger} past the If)`
				: String(k.forgedStarted);
		lines.push(
			`| ${r.c.label} | ${r.mode} | ${fmt(rate(a))} | ${ms(a, 50)} / ${ms(a, 99)} | ${refusedOrErrors(r.c, a, false)} | ${perEvent} | ${fmt(a.isolates / a.answers.length, 2)} | ${f ? fmt(rate(f)) : '-'} | ${f ? `${ms(f, 50)} / ${ms(f, 99)}` : '-'} | ${f ? refusedOrErrors(r.c, f, true) : '-'} | ${f ? fmt(f.isolates / f.answers.length, 2) : '-'} | ${f ? forgedRuns : '-'} |`,
		);
	}
	const row = (mode: Mode, key: string) => rows.find((r) => r.mode === mode && r.c.key === key);
	const ratio = (x: Row | undefined, y: Row | undefined, goal?: number) => {
		if (!x || !y) return '-';
		const value = rate(x.accepted) / rate(y.accepted);
		return `${fmt(value, 2)}${goal === undefined ? '' : value >= goal ? ' met' : ' **not met**'}`;
	};
	const forgedRatio = (r: Row | undefined, goal?: number) => {
		if (!r?.forged) return '-';
		const value = rate(r.forged) / rate(r.accepted);
		return `${fmt(value, 1)}${goal === undefined ? '' : value >= goal ? ' met' : ' **not met**'}`;
	};
	lines.push(
		'',
		'| accepted deliveries/s, ratio | lazy: ÷ Webhook v2 (goal ≥ 0.9) | eager: ÷ do-it-yourself (goal ≥ 1.0) | eager: ÷ Webhook v2 | forged refused/s ÷ accepted/s, eager / lazy (goal ≥ 3) |',
		'|---|---|---|---|---|',
	);
	const keys = [...new Set(rows.map((r) => r.c.key))].filter((k) => k !== 'bare');
	for (const key of keys) {
		const diy = key === 'diy';
		const goal = (g: number) => (diy ? undefined : g);
		const label = (row('eager', key) ?? row('lazy', key))!.c.label;
		lines.push(
			`| ${label} | ${ratio(row('lazy', key), row('lazy', 'bare'), goal(0.9))} | ${diy ? '-' : ratio(row('eager', key), row('eager', 'diy'), 1)} | ${ratio(row('eager', key), row('eager', 'bare'))} | ${forgedRatio(row('eager', key), goal(3))} / ${forgedRatio(row('lazy', key), goal(3))} |`,
		);
	}
	lines.push(
		'',
		`n8n's main process, peak resident memory (VmHWM) during the run: ${[...peaks]
			.map(([mode, peak]) => `${mode} ${peak}`)
			.join(', ')}.`,
	);
	return lines.join('\n');
}

async function main(): Promise<void> {
	const runtime = await ensureRuntime();
	const { n8n: n8nVersion, node: n8nNode } = n8nVersions(runtime);
	const autocannonVersion = (
		JSON.parse(readFileSync(join(ROOT, 'node_modules/autocannon/package.json'), 'utf8')) as {
			version: string;
		}
	).version;
	const loadBefore = loadavg()[0];
	const started = Date.now();
	const run = `b${started.toString(36)}`;
	const sandboxes = await startSandboxes();
	const cannon = Cannon.start();
	const rows: Row[] = [];
	const peaks = new Map<Mode, string>();
	try {
		for (const mode of MODES) {
			const result = await runMode(mode, runtime, sandboxes, cannon, run);
			rows.push(...result.rows);
			peaks.set(mode, result.peak);
		}
	} finally {
		await cannon.stop();
		await sandboxes.close();
	}
	const cpu = cpus();
	const machine = [
		`${new Date(started).toISOString().slice(0, 10)}, ${cpu.length} × ${cpu[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GB;`,
		`n8n ${n8nVersion} on Node ${n8nNode}, SQLite, regular mode, N8N_METRICS=true${process.env.BENCH_N8N_ENV ? `, ${process.env.BENCH_N8N_ENV}` : ''}; load generator autocannon ${autocannonVersion} on Node ${process.version}, same machine;`,
		`${DELIVERIES} accepted deliveries per workflow (then ${FORGED} forged) at concurrency ${CONCURRENCY}, in ${ROUNDS} rounds, the workflows' order rotated by one each round (first round: ${rows
			.filter((r) => r.mode === MODES[0])
			.map((r) => r.c.key)
			.join(', ')}); modes in the order ${MODES.join(', ')};`,
		`1-minute load average ${loadBefore.toFixed(2)} before, ${loadavg()[0].toFixed(2)} after; ${((Date.now() - started) / 60_000).toFixed(1)} min in all.`,
	].join('\n');
	console.log(`\n${report(rows, peaks, machine)}\n`);
	const problems = rows.flatMap((r) => [
		...(r.counted.notOnce
			? [`${r.c.label} ${r.mode}: ${r.counted.notOnce} accepted events did not run exactly once`]
			: []),
		...(r.c.kind === 'trigger' && r.counted.forgedStarted
			? [
					`${r.c.label} ${r.mode}: ${r.counted.forgedStarted} forged deliveries started an execution`,
				]
			: []),
		...(r.counted.failed
			? [`${r.c.label} ${r.mode}: ${r.counted.failed} executions did not succeed`]
			: []),
	]);
	if (problems.length) {
		console.log(`Problems:\n- ${problems.join('\n- ')}`);
		process.exitCode = 1;
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
