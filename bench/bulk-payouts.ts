/**
 * `npm run bench:bulk` (run `npm run build` first): bulk payouts on a real n8n 2.41 (SQLite,
 * regular mode, the built pack installed as a community package), the pay.tech node's Items in
 * Parallel against what an operator would otherwise build: n8n's HTTP Request node making the
 * same calls. The pay.tech sandbox runs in this process and waits DELAY_MS (150) before it handles
 * every /api/v1 request (one fault rule, `delay`, so both clients pay the same latency).
 *
 * Each run is its own workflow, imported through n8n's public API and run in the n8n server as
 * the editor's Execute Workflow button runs it (POST /rest/workflows/:id/run; `n8n execute` would
 * boot a second n8n for every run): Manual Trigger → Code (ITEMS items with references of this run
 * only) → the payout step, with On Error: Continue (so every failed item is counted). Two
 * operations:
 * - Create Withdrawal: pay.tech node v2 (Amount, EUR, Reference ID; Return Existing as it comes:
 *   on, so each item is looked up by reference before it is created) at Items in Parallel 10
 *   (the default), 50 and 100, and at 100 with Return Existing off (one POST per item, exactly
 *   the calls of HTTP Request); HTTP Request POST /api/v1/payments with the same JSON body.
 * - Approve Withdrawal: ITEMS withdrawals seeded AWAITING_APPROVAL in the sandbox per run; the
 *   pay.tech node's Approve Withdrawal against HTTP Request POST /api/v1/payments/{id}/approve.
 * HTTP Request (4.5, an httpHeaderAuth credential with the Bearer key) runs with default options
 * (every item's request at once) and with Batching 50 items / 0 ms. Runs alternate ours, theirs,
 * ours... for ROUNDS rounds, after one unmeasured warm-up run of 20 items per node; the medians
 * are reported.
 *
 * Measured: wall time from the execution record (startedAt → stoppedAt), items/s, failed items
 * and execution status, the most requests the sandbox had in flight (`concurrent`), requests per
 * item; each output item's reference against its input item's (order and pairing). Afterwards the
 * sandbox must hold every reference of every run exactly once, with its amount and the expected
 * state (created: AWAITING_APPROVAL, approved: PENDING with one APPROVE), and nothing else.
 * Exit code 1 when a check fails; the speed ratios are only reported.
 *
 * Env: BENCH_BULK_ITEMS (500), BENCH_BULK_ROUNDS (3), BENCH_BULK_DELAY_MS (150),
 * BENCH_BULK_OPERATIONS (create,approve), BENCH_BULK_PORT (a free port; it and the next two),
 * BENCH_BULK_KEEP=1 to keep n8n's user folder (its log, database) for a closer look.
 */
import { setMaxListeners } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

import { type PaytechSandbox, type RecordedRequest, startPaytechSandbox } from '../sandbox/paytech';
import { ensureRuntime } from '../tools/n8n/runtime';
import { N8nServer, installPack, nodeOutput } from '../tools/n8n/server';
import { freePortRange } from '../tools/n8n/services';
import { BENCH_OWNER, cpuMsOf, n8nVersions, stopOnInterrupt } from './n8n';

const ITEMS = Number(process.env.BENCH_BULK_ITEMS ?? 500);
const ROUNDS = Number(process.env.BENCH_BULK_ROUNDS ?? 3);
const DELAY_MS = Number(process.env.BENCH_BULK_DELAY_MS ?? 150);
const OPERATIONS = (process.env.BENCH_BULK_OPERATIONS ?? 'create,approve')
	.split(',')
	.map((o) => o.trim())
	.filter(Boolean) as Operation[];
const KEEP = process.env.BENCH_BULK_KEEP === '1';
const WARM_UP_ITEMS = 20;

const PAYTECH = 'n8n-nodes-payops.paytech';
const HTTP_REQUEST_VERSION = 4.5; // n8n-nodes-base 2.41's default version of HTTP Request
const STEP = 'Payout';
const CREDENTIAL = 'bench pay.tech sandbox';
const HEADER_CREDENTIAL = 'bench pay.tech Bearer header';

type Operation = 'create' | 'approve';

interface Setting {
	key: string;
	side: 'ours' | 'theirs';
	label: string;
	parallel?: number;
	batch?: { batchSize: number; batchInterval: number };
	/** Create Withdrawal's Return Existing (on unless false); a setting with it runs only there. */
	reuseExisting?: boolean;
}

/** One round, in this order: ours and theirs alternate (the extra create-only setting last). */
const SETTINGS: Setting[] = [
	{
		key: 'ours-10',
		side: 'ours',
		parallel: 10,
		label: 'pay.tech node, Items in Parallel 10 (default)',
	},
	{ key: 'http', side: 'theirs', label: 'HTTP Request, default options (all items at once)' },
	{ key: 'ours-50', side: 'ours', parallel: 50, label: 'pay.tech node, Items in Parallel 50' },
	{
		key: 'http-b50',
		side: 'theirs',
		batch: { batchSize: 50, batchInterval: 0 },
		label: 'HTTP Request, Batching 50 items / 0 ms',
	},
	{ key: 'ours-100', side: 'ours', parallel: 100, label: 'pay.tech node, Items in Parallel 100' },
	{
		key: 'ours-100-once',
		side: 'ours',
		parallel: 100,
		reuseExisting: false,
		// no lookup: the same one POST per item as HTTP Request
		label: 'pay.tech node, Items in Parallel 100, Return Existing off',
	},
];

const settingsOf = (operation: Operation) =>
	SETTINGS.filter((s) => operation === 'create' || s.reuseExisting === undefined);

interface InputItem {
	ref: string;
	amount: string;
	/** Approve: the seeded withdrawal. */
	id?: string;
}

interface RunResult {
	operation: Operation;
	setting: Setting;
	round: number;
	items: InputItem[];
	executionId: string;
	status: string;
	wallMs: number;
	/** The payout node's own executionTime in n8n's run data. */
	nodeMs: number;
	/** CPU time n8n's main process used from the start of the run to its end (task runner not counted). */
	cpuMs: number;
	failedItems: number;
	/** Output items missing, or not about their input item's reference (order, pairing). */
	unpaired: number;
	requests: number;
	/** Requests by "METHOD path-kind". */
	byKind: Record<string, number>;
	peakConcurrent: number;
	/** Requests the delay rule did not hold DELAY_MS (should be none). */
	undelayed: number;
	firstError?: string;
}

/** Amounts with 2 decimals, as text: sent with exactly these digits by both clients. */
function amountOf(i: number): string {
	return `${(i % 97) + 1}.${String((i * 7) % 100).padStart(2, '0')}`;
}

/** The same decimal value: `1.00` and `1`, `11.70` and `11.7`. */
function sameDecimal(a: string, b: string): boolean {
	const canonical = (x: string) => (x.includes('.') ? x.replace(/0+$/, '').replace(/\.$/, '') : x);
	return canonical(a) === canonical(b);
}

const median = (xs: number[]): number => {
	const s = [...xs].sort((a, b) => a - b);
	const mid = Math.floor(s.length / 2);
	return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

const fmt = (n: number, digits = 0) =>
	Number.isFinite(n)
		? n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits })
		: '-';

function kindOf(request: RecordedRequest): string {
	const path = request.path.replace(/\/[a-zA-Z0-9]{32}(?=\/|$)/, '/{id}');
	return `${request.method} ${path}`;
}

function payoutNode(
	operation: Operation,
	setting: Setting,
	sb: PaytechSandbox,
	credentials: { paytech: string; header: string },
): Record<string, unknown> {
	const common = {
		id: 'payout',
		name: STEP,
		position: [440, 0],
		onError: 'continueRegularOutput',
	};
	if (setting.side === 'ours')
		return {
			...common,
			type: PAYTECH,
			typeVersion: 2,
			parameters:
				operation === 'create'
					? {
							resource: 'payment',
							operation: 'createWithdrawal',
							amount: '={{ $json.amount }}',
							currency: 'EUR',
							referenceId: '={{ $json.ref }}',
							reuseExisting: setting.reuseExisting ?? true,
							itemsInParallel: setting.parallel,
						}
					: {
							resource: 'payment',
							operation: 'approveWithdrawal',
							paymentId: '={{ $json.id }}',
							itemsInParallel: setting.parallel,
						},
			credentials: { paytechApi: { id: credentials.paytech, name: CREDENTIAL } },
		};
	// What the pay.tech node sends for a withdrawal: {paymentType, referenceId, amount (a JSON
	// number with the digits as typed), currency}; the bench compares the two bodies it received.
	const body =
		operation === 'create'
			? {
					sendBody: true,
					contentType: 'json',
					specifyBody: 'json',
					jsonBody:
						'={"paymentType":"WITHDRAWAL","referenceId":"{{ $json.ref }}","amount":{{ $json.amount }},"currency":"EUR"}',
				}
			: {};
	return {
		...common,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: HTTP_REQUEST_VERSION,
		parameters: {
			method: 'POST',
			url:
				operation === 'create'
					? `${sb.url}/api/v1/payments`
					: `=${sb.url}/api/v1/payments/{{ $json.id }}/approve`,
			authentication: 'genericCredentialType',
			genericAuthType: 'httpHeaderAuth',
			...body,
			options: setting.batch ? { batching: { batch: setting.batch } } : {},
		},
		credentials: { httpHeaderAuth: { id: credentials.header, name: HEADER_CREDENTIAL } },
	};
}

function workflowFor(
	name: string,
	items: InputItem[],
	payout: Record<string, unknown>,
): Record<string, unknown> {
	return {
		name,
		nodes: [
			{
				id: 'start',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'items',
				name: 'Payout list',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [220, 0],
				parameters: {
					jsCode: `return ${JSON.stringify(items)}.map((json) => ({ json }));`,
				},
			},
			payout,
		],
		connections: {
			Start: { main: [[{ node: 'Payout list', type: 'main', index: 0 }]] },
			'Payout list': { main: [[{ node: STEP, type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

/** The payment an output item is about: the pay.tech node outputs it, HTTP Request the envelope. */
function outputPayment(json: Record<string, unknown>): Record<string, unknown> | undefined {
	if ('error' in json) return undefined;
	const result = (json.result ?? json) as Record<string, unknown>;
	return typeof result.id === 'string' ? result : undefined;
}

/**
 * Runs a workflow from its Manual Trigger in the n8n server, as the editor's Execute Workflow
 * button does (POST /rest/workflows/:id/run), and returns the finished execution with its data.
 */
async function runManually(
	n8n: N8nServer,
	workflowId: string,
): Promise<{ execution: Record<string, unknown>; cpuMs: number }> {
	const cpuBefore = cpuMsOf(n8n.pid);
	const { executionId } = (await n8n.rest('POST', `/rest/workflows/${workflowId}/run`, {
		triggerToStartFrom: { name: 'Start' },
	})) as { executionId?: string };
	if (!executionId) throw new Error(`n8n did not start workflow ${workflowId}`);
	const deadline = Date.now() + 10 * 60_000;
	for (;;) {
		const execution = await n8n
			.api('GET', `/executions/${executionId}`)
			.catch(() => ({}) as Record<string, unknown>);
		if (execution.stoppedAt) return await finished(executionId, cpuMsOf(n8n.pid) - cpuBefore);
		if (Date.now() > deadline) throw new Error(`execution ${executionId} did not finish`);
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	async function finished(id: string, cpuMs: number) {
		return { execution: await n8n.api('GET', `/executions/${id}?includeData=true`), cpuMs };
	}
}

async function main(): Promise<void> {
	const bad = OPERATIONS.filter((o) => o !== 'create' && o !== 'approve');
	if (bad.length) throw new Error(`BENCH_BULK_OPERATIONS: unknown ${bad.join(', ')}`);
	const runtime = await ensureRuntime();
	const { n8n: n8nVersion, node: n8nNode } = n8nVersions(runtime);
	const userFolder = mkdtempSync(join(tmpdir(), 'payops-bench-bulk-'));
	let n8n: N8nServer | undefined;
	let sb: PaytechSandbox | undefined;
	const stopAll = async () => {
		await n8n?.stop();
		await sb?.close();
		n8n = undefined;
		sb = undefined;
	};
	stopOnInterrupt(stopAll);
	// Every delayed request waits on the sandbox's closing signal: hundreds at once are expected
	setMaxListeners(2 * ITEMS + 100);
	const load = [loadavg()[0]];
	const benchStarted = Date.now();
	try {
		installPack(userFolder);
		const sandbox = (sb = await startPaytechSandbox({ port: 0, withdrawalApproval: true }));
		sandbox.injectFault({ path: '/api/v1/*', fault: 'delay', delayMs: DELAY_MS, times: 1_000_000 });
		const port = Number(process.env.BENCH_BULK_PORT ?? (await freePortRange()));
		const server = (n8n = await N8nServer.start({
			runtime,
			userFolder,
			port,
			logFile: join(userFolder, 'n8n.log'),
		}));
		await server.signIn(BENCH_OWNER);
		// The pack must be the build with Items in Parallel (node version 2)
		const types = (await server.getJson('/types/nodes.json')) as Array<{
			name: string;
			version: number | number[];
			properties: Array<{ name: string }>;
		}>;
		const paytechType = types.find(
			(t) => t.name === PAYTECH && ([] as number[]).concat(t.version).includes(2) && t.properties,
		);
		if (!paytechType?.properties.some((p) => p.name === 'itemsInParallel'))
			throw new Error(
				'the installed pack has no pay.tech node version 2 with Items in Parallel: run `npm run build` first',
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

		const runTag = Date.now().toString(36);
		const results: RunResult[] = [];
		/** One execution: a workflow of its own, `count` items with references of this run only. */
		const runOnce = async (
			operation: Operation,
			setting: Setting,
			round: number,
			count: number,
		): Promise<RunResult> => {
			const tag = `bulk-${runTag}-${operation}-r${round}-${setting.key}`;
			let items: InputItem[];
			if (operation === 'create') {
				items = Array.from({ length: count }, (_, i) => ({
					ref: `${tag}-${i + 1}`,
					amount: amountOf(i),
				}));
			} else {
				items = sandbox
					.seedPayments(count, {
						paymentType: 'WITHDRAWAL',
						state: 'AWAITING_APPROVAL',
						referenceId: tag,
					})
					.map((p) => ({ ref: p.referenceId ?? '', amount: p.amount, id: p.id }));
			}
			const workflow = await server.api(
				'POST',
				'/workflows',
				workflowFor(tag, items, payoutNode(operation, setting, sandbox, credentials)),
			);
			const mark = sandbox.requests.length;
			const { execution, cpuMs } = await runManually(server, String(workflow.id));
			const requests = sandbox.requests.slice(mark);
			const output = nodeOutput(execution, STEP);
			const runData = (
				execution.data as {
					resultData: { runData: Record<string, Array<{ executionTime?: number }>> };
				}
			).resultData.runData;
			const errors = output.filter((json) => 'error' in json);
			const byKind: Record<string, number> = {};
			for (const r of requests) byKind[kindOf(r)] = (byKind[kindOf(r)] ?? 0) + 1;
			const result: RunResult = {
				operation,
				setting,
				round,
				items,
				executionId: String(execution.id),
				status: String(execution.status),
				wallMs:
					new Date(String(execution.stoppedAt)).getTime() -
					new Date(String(execution.startedAt)).getTime(),
				nodeMs: runData[STEP]?.at(-1)?.executionTime ?? NaN,
				cpuMs,
				failedItems: errors.length,
				unpaired:
					Math.max(0, items.length - output.length) +
					output.filter((json, i) => {
						const payment = outputPayment(json);
						return (
							!payment ||
							payment.referenceId !== items[i]?.ref ||
							(items[i].id !== undefined && payment.id !== items[i].id)
						);
					}).length,
				requests: requests.length,
				byKind,
				peakConcurrent: Math.max(0, ...requests.map((r) => r.concurrent)),
				undelayed: requests.filter((r) => r.fault !== 'delay').length,
				firstError: errors.length
					? `${String(errors[0].error)} ${String(errors[0].description ?? '')}`.trim()
					: undefined,
			};
			console.error(
				`${round ? `round ${round}` : 'warm-up'} ${operation} ${setting.key}: ${fmt(result.wallMs / 1000, 2)} s, ` +
					`${fmt((count * 1000) / result.wallMs, 1)} items/s, node ${fmt(result.nodeMs / 1000, 2)} s, ` +
					`n8n CPU ${fmt(result.cpuMs / count, 1)} ms/item, ` +
					`${result.status}, ${result.failedItems} failed, peak ${result.peakConcurrent} in flight, ` +
					`${JSON.stringify(result.byKind)}` +
					(result.firstError ? `\n  first error: ${result.firstError}` : ''),
			);
			return result;
		};

		// Warm-up, not measured (n8n loads and compiles each node type on its first run)
		const warmUps: RunResult[] = [];
		for (const operation of OPERATIONS)
			for (const side of ['ours', 'theirs'] as const)
				warmUps.push(
					await runOnce(operation, SETTINGS.find((s) => s.side === side)!, 0, WARM_UP_ITEMS),
				);
		for (let round = 1; round <= ROUNDS; round++)
			for (const operation of OPERATIONS)
				for (const setting of settingsOf(operation))
					results.push(await runOnce(operation, setting, round, ITEMS));
		load.push(loadavg()[0]);

		// Both clients must have sent the same request for a withdrawal
		const bodies: string[] = [];
		if (OPERATIONS.includes('create')) {
			for (const side of ['ours', 'theirs'] as const) {
				const run = results.find((r) => r.operation === 'create' && r.setting.side === side)!;
				const sent = sandbox.requests.find(
					(r) =>
						r.method === 'POST' &&
						r.path === '/api/v1/payments' &&
						r.body.includes(run.items[0].ref),
				);
				bodies.push(
					sent
						? `${side}: ${sent.body} (authorization: ${sent.headers.authorization?.replace(/\s.*/, ' …') ?? 'none'}, content-type: ${sent.headers['content-type'] ?? 'none'})`
						: `${side}: not received`,
				);
			}
		}

		// The sandbox's payments, by reference: every reference exactly once, right amount and state
		const byReference = new Map<
			string,
			Array<{ amount: string; state: string; type: string; approvals: number; currency: string }>
		>();
		for (const payment of sandbox.payments.values()) {
			const list = byReference.get(payment.referenceId ?? '') ?? [];
			list.push({
				amount: payment.amount,
				state: payment.state,
				type: payment.paymentType,
				currency: payment.currency,
				approvals: payment.operations.filter((o) => o.operation === 'APPROVE').length,
			});
			byReference.set(payment.referenceId ?? '', list);
		}
		const expectedRefs = new Set<string>();
		const check = { missing: 0, duplicated: 0, wrongAmount: 0, wrongState: 0, unexpected: 0 };
		const checkOf = new Map<RunResult, string[]>();
		/** Amounts stored with other digits than were sent, the same value (`1` for `1.00`). */
		const amountText = new Map<Setting, number>();
		for (const run of [...warmUps, ...results]) {
			const problems: string[] = [];
			for (const item of run.items) {
				expectedRefs.add(item.ref);
				const found = byReference.get(item.ref) ?? [];
				if (found.length === 0) {
					check.missing++;
					problems.push(`${item.ref} missing`);
					continue;
				}
				if (found.length > 1) {
					check.duplicated++;
					problems.push(`${item.ref} ×${found.length}`);
				}
				const [p] = found;
				if (p.amount !== item.amount && run.round > 0)
					amountText.set(run.setting, (amountText.get(run.setting) ?? 0) + 1);
				if (
					!sameDecimal(p.amount, item.amount) ||
					p.currency !== 'EUR' ||
					p.type !== 'WITHDRAWAL'
				) {
					check.wrongAmount++;
					problems.push(
						`${item.ref}: ${p.type} ${p.amount} ${p.currency}, sent ${item.amount} EUR`,
					);
				}
				const stateOk =
					run.operation === 'create'
						? p.state === 'AWAITING_APPROVAL'
						: p.state === 'PENDING' && p.approvals === 1;
				if (!stateOk) {
					check.wrongState++;
					problems.push(`${item.ref}: ${p.state}, ${p.approvals} approval(s)`);
				}
			}
			checkOf.set(run, problems);
		}
		for (const ref of byReference.keys()) if (!expectedRefs.has(ref)) check.unexpected++;

		// The table
		const date = new Date().toISOString().slice(0, 10);
		console.log(
			`\nn8n ${n8nVersion} (regular mode, SQLite) on Node ${n8nNode}; bench and sandbox on Node ${process.version}; ` +
				`${cpus().length} CPUs; ${date}; load average (1 min) ${load.map((l) => l.toFixed(2)).join(' → ')}; ` +
				`${ITEMS} items per run, ${DELAY_MS} ms added to every API request, ${ROUNDS} rounds, medians; ` +
				`the whole bench took ${fmt((Date.now() - benchStarted) / 1000)} s.\n`,
		);
		const opName = { create: 'Create Withdrawal', approve: 'Approve Withdrawal' };
		for (const operation of OPERATIONS) {
			const ofSetting = (setting: Setting) =>
				results.filter((r) => r.operation === operation && r.setting === setting);
			const rate = (setting: Setting) =>
				median(ofSetting(setting).map((r) => (ITEMS * 1000) / r.wallMs));
			const http = SETTINGS.find((s) => s.key === 'http')!;
			const httpBatch = SETTINGS.find((s) => s.key === 'http-b50')!;
			console.log(`${opName[operation]}, ${ITEMS} items:\n`);
			console.log(
				'| setting | wall s | items/s | node s | n8n CPU ms per item | ours / HTTP Request (all at once) | ours / HTTP Request (batching 50 / 0 ms) | failed items / executions not successful | peak in flight at the sandbox | requests per item | sandbox check |',
			);
			console.log('|---|---|---|---|---|---|---|---|---|---|---|');
			for (const setting of settingsOf(operation)) {
				const runs = ofSetting(setting);
				const kinds = Object.entries(
					runs.reduce<Record<string, number>>((sum, r) => {
						for (const [k, n] of Object.entries(r.byKind)) sum[k] = (sum[k] ?? 0) + n;
						return sum;
					}, {}),
				)
					.map(([k, n]) => {
						const perItem = n / (runs.length * ITEMS);
						return `${fmt(perItem, Number.isInteger(perItem) ? 0 : 2)} ${k}`;
					})
					.join(' + ');
				const problems = runs.flatMap((r) => checkOf.get(r) ?? []);
				const unpaired = runs.reduce((sum, r) => sum + r.unpaired, 0);
				const ratio = (other: Setting) =>
					setting.side === 'ours' ? fmt(rate(setting) / rate(other), 2) : '';
				console.log(
					`| ${setting.label} | ${fmt(median(runs.map((r) => r.wallMs / 1000)), 2)} | ${fmt(rate(setting), 1)} | ` +
						`${fmt(median(runs.map((r) => r.nodeMs / 1000)), 2)} | ${fmt(median(runs.map((r) => r.cpuMs / ITEMS)), 1)} | ${ratio(http)} | ${ratio(httpBatch)} | ` +
						`${runs.reduce((sum, r) => sum + r.failedItems, 0)} / ${runs.filter((r) => r.status !== 'success').length} | ` +
						`${runs.map((r) => r.peakConcurrent).join(', ')} | ${kinds} | ` +
						`${problems.length === 0 && unpaired === 0 ? `ok (${fmt(runs.length * ITEMS)} references)` : `${problems.length} problems, ${unpaired} unpaired`} |`,
				);
			}
			console.log('');
		}
		for (const [setting, count] of amountText)
			console.log(
				`${setting.label}: ${fmt(count)} amounts stored with other digits than the Code node's (the same value, e.g. 1 for 1.00).`,
			);
		if (bodies.length)
			console.log(`Request bodies received (first item):\n- ${bodies.join('\n- ')}\n`);
		const all = [...warmUps, ...results];
		const undelayed = all.reduce((sum, r) => sum + r.undelayed, 0);
		const totals = {
			failedItems: all.reduce((sum, r) => sum + r.failedItems, 0),
			notSuccessful: all.filter((r) => r.status !== 'success').length,
			unpaired: all.reduce((sum, r) => sum + r.unpaired, 0),
		};
		const checks: Array<[string, boolean]> = [
			[
				`failed items: ${totals.failedItems}, executions not successful: ${totals.notSuccessful}`,
				totals.failedItems === 0 && totals.notSuccessful === 0,
			],
			[
				`output items not paired with their input item's reference: ${totals.unpaired}`,
				totals.unpaired === 0,
			],
			[`references missing in the sandbox: ${check.missing}`, check.missing === 0],
			[`references held more than once: ${check.duplicated}`, check.duplicated === 0],
			[`wrong amount, currency or type: ${check.wrongAmount}`, check.wrongAmount === 0],
			[`wrong state: ${check.wrongState}`, check.wrongState === 0],
			[`payments with a reference no run sent: ${check.unexpected}`, check.unexpected === 0],
			[`requests not delayed ${DELAY_MS} ms: ${undelayed}`, undelayed === 0],
		];
		for (const [text, ok] of checks) console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${text}`);
		for (const [run, problems] of checkOf)
			if (problems.length)
				console.log(
					`  round ${run.round} ${run.operation} ${run.setting.key}: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? ` (+${problems.length - 5})` : ''}`,
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

main().then(
	() => process.exit(),
	(error: unknown) => {
		console.error(error);
		process.exit(2);
	},
);
