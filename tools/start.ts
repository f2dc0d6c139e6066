/**
 * `npm start`: the pack running in a real n8n with the sandboxes and the example workflows.
 * Builds the pack, installs n8n on first use, starts every provider's sandbox (tools/providers.ts,
 * on its default port) and the chat sink, installs the built pack as a community package, starts
 * n8n on 127.0.0.1:5678, creates the owner, a credential per sandbox and the examples, and stops
 * everything on Ctrl-C.
 * `npm start -- --queue` (`npm run start:queue`): n8n in queue mode instead, with its data in
 * .n8n-runtime/queue: PostgreSQL on 5433 and Redis on 6380 (started here, data in
 * .n8n-runtime/queue/services), main on 5678 (no production webhooks), a round-robin proxy on
 * 5690 in front of two webhook processes (5691, 5693), and two workers (health on 5695, 5697).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { DEMO_OWNER } from './n8n/demo-data';
import { ROOT, RUNTIME_DIR } from './n8n/runtime';
import { startStack, type QueueStack, type Stack } from './n8n/stack';
import { describeWebhookTarget, PROVIDERS, summarizeSandbox } from './providers';

async function main(): Promise<void> {
	const started = Date.now();
	const log = (message: string) => console.log(message);
	const queue = process.argv.slice(2).includes('--queue');

	log('Building the pack...');
	execFileSync('npm', ['run', '--silent', 'build'], {
		cwd: ROOT,
		stdio: ['ignore', 'ignore', 'inherit'],
	});

	// handlers first, so Ctrl-C during a long first start still stops what has started: the n8n
	// processes, Redis and PostgreSQL run in process groups of their own and do not get it
	const running: { stack?: Stack; starting?: Promise<Stack> } = {};
	let stopping = false;
	const stop = async (signal: string) => {
		if (stopping) return;
		stopping = true;
		log(
			`\n${signal}: stopping n8n${queue ? ' (every process), the proxy, Redis, PostgreSQL' : ''} and the sandboxes...`,
		);
		// while starting: once the start ends (a start that fails stops what it started)
		if (!running.stack && running.starting) log('  (after the start under way has finished)');
		const stack = running.stack ?? (await running.starting?.catch(() => undefined));
		await stack?.stop();
		process.exit(0);
	};
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
		process.on(signal, () => void stop(signal));

	// An isolate only when an expression is evaluated: webhook triggers need none per delivery
	// instead of two (bench/README.md). An n8n setting, off by default in 2.41; opt out with
	// N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=false npm start
	const lazyAcquire = process.env.N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE ?? 'true';
	const userFolder = join(RUNTIME_DIR, queue ? 'queue' : 'data');
	// n8n's own data survives a restart, the sandboxes' does not: say so when it matters
	const restarted = existsSync(join(userFolder, '.n8n'));
	running.starting = startStack({
		userFolder,
		queue,
		owner: DEMO_OWNER,
		port: 5678,
		sandboxPorts: Object.fromEntries(
			PROVIDERS.map((entry) => [entry.id, entry.sandbox.defaultPort]),
		),
		chatPort: 8910,
		n8nEnv: { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: lazyAcquire },
		log,
	});
	const stack = await running.starting;
	if (stopping) return;
	running.stack = stack;
	const { n8n, chat, workflows } = stack;
	log('');
	log(
		`n8n is running at ${n8n.baseUrl}   (ready in ${Math.round((Date.now() - started) / 1000)} s)`,
	);
	log(`  login           ${DEMO_OWNER.email} / ${DEMO_OWNER.password}`);
	log(`  isolates        N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=${lazyAcquire}`);
	if (stack.queue) describeQueue(stack.queue, log);
	for (const entry of PROVIDERS)
		log(
			`  ${summarizeSandbox(entry, stack.sandboxes[entry.id], stack.secrets[entry.id], stack.demo[entry.id])}`,
		);
	log(`  chat sink       ${chat.url}   (messages at ${chat.url}/__sandbox/messages)`);
	log(
		restarted
			? '  Restarted: the sandboxes began again from the demo data above (same IDs; the withdrawals await approval again, the wallet balance is 0). n8n kept your workflows, credentials and executions.'
			: '  The sandboxes keep nothing across restarts: each start begins again from the demo data above, with the same IDs. n8n keeps your workflows, credentials and executions.',
	);
	log(`  workflows       ${n8n.baseUrl}/home/workflows   (start with the "Try it" ones)`);
	for (const w of Object.values(workflows))
		log(`    ${w.name}${w.active ? '   (published)' : ''}   ${n8n.baseUrl}/workflow/${w.id}`);
	for (const entry of PROVIDERS) {
		const target = describeWebhookTarget(entry, stack.sandboxes[entry.id]);
		if (target) log(`  ${target}`);
	}
	log('Press Ctrl-C to stop.');
}

function describeQueue(queue: QueueStack, log: (message: string) => void): void {
	const { cluster, services } = queue;
	const { postgres, redis } = services;
	log(
		'  queue mode      (main serves no production webhooks; workers run the executions they start)',
	);
	log(
		`    main          ${cluster.main.baseUrl}   (pid ${cluster.main.pid}, log ${cluster.main.logFile})`,
	);
	log(
		`    proxy         ${queue.proxyUrl}   (round robin; production webhooks: ${queue.proxyUrl}/webhook/...)`,
	);
	cluster.webhooks.forEach((w, i) =>
		log(`    webhook ${i + 1}     ${w.baseUrl}   (pid ${w.pid}, log ${w.logFile})`),
	);
	cluster.workers.forEach((w, i) =>
		log(`    worker ${i + 1}      health ${w.baseUrl}/healthz   (pid ${w.pid}, log ${w.logFile})`),
	);
	log(
		`    PostgreSQL    ${postgres.host}:${postgres.port}   database ${postgres.database}, user ${postgres.user} / ${postgres.password}, data ${postgres.dataDir}`,
	);
	log(
		`    Redis         ${redis.host}:${redis.port}   (no persistence; files in ${redis.dataDir})`,
	);
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
