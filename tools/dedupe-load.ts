/**
 * The de-duplication load run, the same on the single-process stack and in queue mode: signed
 * pay.tech deliveries at a fixed concurrency, spread round-robin over the webhook processes, with
 * redeliveries (half of them to another webhook process 0-500 ms after the first copy was sent)
 * and forgeries. Counted through n8n's API: how many executions ran past the trigger per distinct
 * event (the duplicate rate), forgeries executed, events lost, throughput and latency.
 */
import { createHmac, randomUUID } from 'node:crypto';

import { nodeOutput, type N8nServer } from './n8n/server';

export interface DedupeLoadOptions {
	n8n: N8nServer;
	/** A published workflow: pay.tech Trigger -> (anything) -> a last node named `lastNode`. */
	workflowId: string;
	triggerName: string;
	lastNode: string;
	/** The trigger's production URL on each webhook process (one in regular mode). */
	urls: string[];
	signingKey: string;
	total?: number;
	concurrency?: number;
	seed?: number;
	/** Prefix of the payment ids, so runs on one workflow do not share events. */
	idPrefix?: string;
}

export interface DedupeLoadReport {
	deliveries: number;
	distinct: number;
	redeliveries: number;
	/** Redeliveries sent to another webhook process 0-500 ms after the first copy. */
	crossRedeliveries: number;
	forgeries: number;
	/** Executions n8n started (a claimed duplicate starts one that ends at the trigger). */
	executionsStarted: number;
	/** Executions that ran past the trigger, per distinct event. */
	executionsPerEvent: number;
	/** Distinct events that ran past the trigger more than once. */
	duplicated: number;
	forgeriesExecuted: number;
	lost: number;
	/** Executions that did not succeed, and the first one's error. */
	failed: number;
	firstError?: string;
	statusCounts: Record<string, number>;
	seconds: number;
	perSecond: number;
	p50: number;
	p99: number;
}

interface Planned {
	kind: 'valid' | 'redelivery' | 'forged';
	body: string;
	signature: string;
	id: string;
	/** A copy of this delivery to another webhook process, this many ms after it is sent. */
	twinAfterMs?: number;
}

const sleep = async (ms: number) => await new Promise((r) => setTimeout(r, ms));

/**
 * A workflow's executions (with data; those in `exclude` left out) once at least `atLeast` exist,
 * none is running and their number has not changed for 5 s, or after 15 minutes.
 */
export async function settledExecutions(
	n8n: N8nServer,
	workflowId: string,
	atLeast: number,
	exclude = new Set<unknown>(),
): Promise<Array<Record<string, unknown>>> {
	let lastCount = -1;
	let stableSince = Date.now();
	const deadline = Date.now() + 15 * 60_000;
	for (;;) {
		const list = (await n8n.executions(workflowId)).filter((e) => !exclude.has(e.id));
		const busy = list.some((e) => e.status === 'running' || e.status === 'new');
		if (list.length !== lastCount || busy) {
			lastCount = list.length;
			stableSince = Date.now();
		}
		if (!busy && list.length >= atLeast && Date.now() - stableSince > 5000) break;
		if (Date.now() > deadline) break;
		await sleep(1000);
	}
	return (await n8n.executions(workflowId, true)).filter((e) => !exclude.has(e.id));
}

/** How many executions ran past the trigger (reached `lastNode`), per payment id. */
export function runsPerPayment(
	executions: Array<Record<string, unknown>>,
	triggerName: string,
	lastNode: string,
): Map<string, number> {
	const ran = new Map<string, number>();
	for (const execution of executions) {
		if (nodeOutput(execution, lastNode).length === 0) continue;
		const id = String(nodeOutput(execution, triggerName)[0]?.id);
		ran.set(id, (ran.get(id) ?? 0) + 1);
	}
	return ran;
}

export async function runDedupeLoad(options: DedupeLoadOptions): Promise<DedupeLoadReport> {
	const total = options.total ?? 2000;
	const concurrency = options.concurrency ?? 20;
	const prefix = options.idPrefix ?? 'a';
	let seed = options.seed ?? 20261123;
	const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
	const sign = (body: string, key: string) => createHmac('sha256', key).update(body).digest('hex');

	const forgeries = Math.round(total * 0.05);
	const redeliveries = Math.round(total * 0.1);
	const cross = Math.floor(redeliveries / 2);
	const distinctCount = total - forgeries - redeliveries;
	const distinct: Planned[] = Array.from({ length: distinctCount }, (_, n) => {
		const id = `${prefix}${n.toString(16)}`.padStart(32, '0');
		const body = JSON.stringify({
			id,
			paymentType: 'DEPOSIT',
			state: 'COMPLETED',
			amount: Number(`${n + 1}.25`),
			currency: 'EUR',
		});
		return { kind: 'valid', body, signature: sign(body, options.signingKey), id };
	});
	// half the redeliveries follow their first copy 0-500 ms later at another process; the other
	// half are plain repeats anywhere in the run
	const withTwin = new Set<number>();
	while (withTwin.size < cross) withTwin.add(Math.floor(random() * distinct.length));
	for (const index of withTwin) distinct[index].twinAfterMs = Math.floor(random() * 500);
	const repeats: Planned[] = Array.from({ length: redeliveries - cross }, () => ({
		...distinct[Math.floor(random() * distinct.length)],
		kind: 'redelivery',
		twinAfterMs: undefined,
	}));
	const forged: Planned[] = Array.from({ length: forgeries }, (_, n) => {
		const id = `f${prefix}${n}`.padEnd(32, 'f');
		const body = JSON.stringify({
			id,
			paymentType: 'DEPOSIT',
			state: 'COMPLETED',
			amount: 99999,
			currency: 'EUR',
		});
		return { kind: 'forged', body, signature: sign(body, `attacker-${n}`), id };
	});
	const plan = [...distinct, ...repeats, ...forged];
	for (let i = plan.length - 1; i > 0; i--) {
		const j = Math.floor(random() * (i + 1));
		[plan[i], plan[j]] = [plan[j], plan[i]];
	}

	const before = new Set((await options.n8n.executions(options.workflowId)).map((e) => e.id));
	const statuses: Array<{ kind: Planned['kind']; status: number }> = [];
	const latencies: number[] = [];
	const send = async (url: string, delivery: Planned, kind = delivery.kind) => {
		const t0 = performance.now();
		let status = 0;
		try {
			const response = await fetch(url, {
				method: 'POST',
				body: delivery.body,
				headers: { 'content-type': 'application/json', signature: delivery.signature },
				signal: AbortSignal.timeout(120_000),
			});
			await response.arrayBuffer();
			status = response.status;
		} catch {
			status = -1;
		}
		latencies.push(performance.now() - t0);
		statuses.push({ kind, status });
	};

	const twins: Array<Promise<void>> = [];
	let next = 0;
	const started = performance.now();
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			while (next < plan.length) {
				const index = next++;
				const delivery = plan[index];
				const target = index % options.urls.length;
				const first = send(options.urls[target], delivery);
				if (delivery.twinAfterMs !== undefined) {
					const other = options.urls[(target + 1) % options.urls.length];
					twins.push(
						sleep(delivery.twinAfterMs).then(async () => await send(other, delivery, 'redelivery')),
					);
				}
				await first;
			}
		}),
	);
	await Promise.all(twins);
	const seconds = (performance.now() - started) / 1000;

	const executions = await settledExecutions(
		options.n8n,
		options.workflowId,
		distinct.length,
		before,
	);
	const expected = new Set(distinct.map((d) => d.id));

	const ranPerEvent = runsPerPayment(executions, options.triggerName, options.lastNode);
	const failed = executions.filter((e) => e.status !== 'success');
	const forgedIds = new Set(forged.map((f) => f.id));
	const ranTotal = [...ranPerEvent.entries()]
		.filter(([id]) => expected.has(id))
		.reduce((sum, [, n]) => sum + n, 0);
	latencies.sort((a, b) => a - b);
	const percentile = (p: number) =>
		latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)];
	const statusCounts: Record<string, number> = {};
	for (const { kind, status } of statuses)
		statusCounts[`${kind} ${status}`] = (statusCounts[`${kind} ${status}`] ?? 0) + 1;
	return {
		deliveries: statuses.length,
		distinct: expected.size,
		redeliveries,
		crossRedeliveries: cross,
		forgeries,
		executionsStarted: executions.length,
		executionsPerEvent: ranTotal / expected.size,
		duplicated: [...ranPerEvent.entries()].filter(([id, n]) => expected.has(id) && n > 1).length,
		forgeriesExecuted: [...ranPerEvent.keys()].filter((id) => forgedIds.has(id)).length,
		lost: [...expected].filter((id) => !ranPerEvent.has(id)).length,
		failed: failed.length,
		firstError: failed[0] && JSON.stringify(failed[0].data).slice(0, 2000),
		statusCounts,
		seconds,
		perSecond: statuses.length / seconds,
		p50: percentile(50),
		p99: percentile(99),
	};
}

export function describeDedupeLoad(label: string, r: DedupeLoadReport): string {
	return `${label}: ${r.deliveries} deliveries (${r.distinct} events, ${r.redeliveries} redeliveries of which ${r.crossRedeliveries} to another webhook process within 0-500 ms, ${r.forgeries} forgeries) in ${r.seconds.toFixed(1)} s = ${r.perSecond.toFixed(1)}/s, p50 ${r.p50.toFixed(0)} ms, p99 ${r.p99.toFixed(0)} ms; executions past the trigger per event ${r.executionsPerEvent.toFixed(3)} (${r.duplicated} events twice), ${r.executionsStarted} executions started, forgeries executed ${r.forgeriesExecuted}, lost ${r.lost}, failed ${r.failed}`;
}

export interface TriggerWorkflow {
	workflowId: string;
	/** The production webhook path, to put behind each webhook process's base URL. */
	path: string;
}

/**
 * Creates and publishes "pay.tech Trigger -> [Wait waitSeconds] -> Done"; with `payout`, Done is a
 * pay.tech Create Withdrawal of the event's amount with the Reference ID left empty.
 */
export async function publishTriggerWorkflow(
	n8n: N8nServer,
	credential: { id: string; name: string },
	name: string,
	{ waitSeconds = 0, payout = false }: { waitSeconds?: number; payout?: boolean } = {},
): Promise<TriggerWorkflow> {
	const webhookId = randomUUID();
	const nodes: Array<Record<string, unknown>> = [
		{
			id: randomUUID(),
			name: 'pay.tech Trigger',
			type: 'n8n-nodes-payops.paytechTrigger',
			typeVersion: 2,
			position: [0, 0],
			webhookId,
			parameters: { options: {} },
			credentials: { paytechApi: credential },
		},
	];
	if (waitSeconds > 0)
		nodes.push({
			id: randomUUID(),
			name: 'Wait',
			type: 'n8n-nodes-base.wait',
			typeVersion: 1.1,
			position: [220, 0],
			parameters: { amount: waitSeconds, unit: 'seconds' },
			webhookId: randomUUID(),
		});
	nodes.push(
		payout
			? {
					id: randomUUID(),
					name: 'Done',
					type: 'n8n-nodes-payops.paytech',
					typeVersion: 1,
					position: [440, 0],
					parameters: {
						resource: 'payment',
						operation: 'createWithdrawal',
						amount: "={{ $('pay.tech Trigger').item.json.amount }}",
						currency: "={{ $('pay.tech Trigger').item.json.currency }}",
					},
					credentials: { paytechApi: credential },
				}
			: {
					id: randomUUID(),
					name: 'Done',
					type: 'n8n-nodes-base.noOp',
					typeVersion: 1,
					position: [440, 0],
					parameters: {},
				},
	);
	const names = nodes.map((node) => String(node.name));
	const connections = Object.fromEntries(
		names
			.slice(0, -1)
			.map((from, i) => [from, { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] }]),
	);
	const created = await n8n.api('POST', '/workflows', {
		name,
		nodes,
		connections,
		settings: { executionOrder: 'v1' },
	});
	const workflowId = String(created.id);
	await n8n.api('POST', `/workflows/${workflowId}/activate`);
	return { workflowId, path: `webhook/${webhookId}/webhook` };
}
