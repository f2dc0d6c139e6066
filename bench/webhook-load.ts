/**
 * `npm run bench:webhooks`: webhook throughput and latency on a real n8n 2.41 (SQLite, regular
 * mode), the pay.tech Trigger against what an operator would otherwise build: n8n's Webhook node
 * (which verifies nothing). Same load for both: 500 signed deliveries at concurrency 20, each
 * workflow trigger → No Op, executions saved as n8n does by default.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { sendLoad, type LoadReport } from '../tools/load';
import { ensureRuntime } from '../tools/n8n/runtime';
import { N8nServer, installPack } from '../tools/n8n/server';

const KEY = 'bench_signing_key';
const DELIVERIES = Number(process.env.BENCH_DELIVERIES ?? 500);
const CONCURRENCY = 20;

async function load(url: string, bodies: string[]): Promise<LoadReport> {
	return await sendLoad(
		bodies.map((body) => ({
			url,
			body,
			headers: { signature: createHmac('sha256', KEY).update(body).digest('hex') },
		})),
		CONCURRENCY,
	);
}

async function main(): Promise<void> {
	const runtime = await ensureRuntime();
	const userFolder = mkdtempSync(join(tmpdir(), 'payops-bench-'));
	installPack(userFolder);
	// BENCH_N8N_ENV="NAME=value NAME2=value2": extra n8n settings to compare
	const env = Object.fromEntries(
		(process.env.BENCH_N8N_ENV ?? '')
			.split(/\s+/)
			.filter(Boolean)
			.map((pair) => pair.split('=', 2)),
	);
	const n8n = await N8nServer.start({
		runtime,
		userFolder,
		port: 5778,
		logFile: join(userFolder, 'n8n.log'),
		env,
	});
	try {
		await n8n.signIn({
			email: 'bench@example.com',
			password: 'Bench-password-1',
			firstName: 'Bench',
			lastName: 'Owner',
		});
		const credential = await n8n.api('POST', '/credentials', {
			name: 'bench',
			type: 'paytechApi',
			data: { environment: 'sandbox', apiKey: 'unused', signingKey: KEY },
		});
		const workflow = async (trigger: Record<string, unknown>) => {
			const created = await n8n.api('POST', '/workflows', {
				name: `bench ${String(trigger.type)}`,
				nodes: [
					{ id: 't', name: 'Trigger', typeVersion: 1, position: [0, 0], ...trigger },
					{
						id: 'n',
						name: 'Done',
						type: 'n8n-nodes-base.noOp',
						typeVersion: 1,
						position: [200, 0],
						parameters: {},
					},
				],
				connections: { Trigger: { main: [[{ node: 'Done', type: 'main', index: 0 }]] } },
				settings: { executionOrder: 'v1' },
			});
			await n8n.api('POST', `/workflows/${String(created.id)}/activate`);
		};
		const ours = randomUUID();
		const builtIn = randomUUID();
		const builtInV1 = randomUUID();
		await workflow({
			type: 'n8n-nodes-payops.paytechTrigger',
			webhookId: ours,
			parameters: { options: {} },
			credentials: { paytechApi: { id: credential.id, name: 'bench' } },
		});
		await workflow({
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			webhookId: builtIn,
			parameters: { httpMethod: 'POST', path: builtIn, options: {} },
		});
		await workflow({
			type: 'n8n-nodes-base.webhook',
			typeVersion: 1,
			webhookId: builtInV1,
			parameters: { httpMethod: 'POST', path: builtInV1, options: {} },
		});

		const bodies = (prefix: string) =>
			Array.from({ length: DELIVERIES }, (_, n) =>
				JSON.stringify({
					id: `${prefix}${n.toString(16).padStart(31, '0')}`,
					paymentType: 'DEPOSIT',
					state: 'COMPLETED',
					amount: n + 1.25,
					currency: 'EUR',
				}),
			);
		// warm-up, then measure each in turn
		await load(`${n8n.baseUrl}/webhook/${builtIn}`, bodies('w').slice(0, 40));
		const builtInResult = await load(`${n8n.baseUrl}/webhook/${builtIn}`, bodies('b'));
		const oursResult = await load(`${n8n.baseUrl}/webhook/${ours}/webhook`, bodies('a'));
		const builtInV1Result = await load(`${n8n.baseUrl}/webhook/${builtInV1}`, bodies('c'));

		const statuses = (r: LoadReport) =>
			JSON.stringify(
				r.statuses.reduce<Record<number, number>>(
					(count, s) => ({ ...count, [s]: (count[s] ?? 0) + 1 }),
					{},
				),
			);
		const row = (name: string, r: LoadReport) =>
			`| ${name} | ${r.perSecond.toFixed(1)} | ${r.p50.toFixed(0)} | ${r.p99.toFixed(0)} | ${statuses(r)} |`;
		console.log(
			`\nn8n 2.41.0, Node 24, SQLite, ${DELIVERIES} deliveries at concurrency ${CONCURRENCY}${process.env.BENCH_N8N_ENV ? `, ${process.env.BENCH_N8N_ENV}` : ''}\n`,
		);
		console.log('| trigger | deliveries/s | p50 ms | p99 ms | statuses |');
		console.log('|---|---|---|---|---|');
		console.log(row('pay.tech Trigger (verifies, de-duplicates)', oursResult));
		console.log(
			row(
				"n8n's Webhook node v2 (verifies nothing; the only trigger n8n lets skip the expression isolate)",
				builtInResult,
			),
		);
		console.log(row("n8n's Webhook node v1 (verifies nothing)", builtInV1Result));
		console.log(
			`\nratio deliveries/s, ours / Webhook v2: ${(oursResult.perSecond / builtInResult.perSecond).toFixed(2)}; ours / Webhook v1: ${(oursResult.perSecond / builtInV1Result.perSecond).toFixed(2)}`,
		);
	} finally {
		await n8n.stop();
		rmSync(userFolder, { recursive: true, force: true });
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
