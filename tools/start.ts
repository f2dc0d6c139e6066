/**
 * `npm start`: the pack running in a real n8n with the sandboxes and the example workflows.
 * Builds the pack, installs n8n on first use, starts every provider's sandbox (tools/providers.ts,
 * on its default port) and the chat sink, installs the built pack as a community package, starts
 * n8n on 127.0.0.1:5678, creates the owner, a credential per sandbox and the examples, and stops
 * everything on Ctrl-C.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

import { DEMO_OWNER } from './n8n/demo-data';
import { ROOT, RUNTIME_DIR } from './n8n/runtime';
import { startStack, type Stack } from './n8n/stack';
import { describeWebhookTarget, PROVIDERS, summarizeSandbox } from './providers';

async function main(): Promise<void> {
	const started = Date.now();
	const log = (message: string) => console.log(message);

	log('Building the pack...');
	execFileSync('npm', ['run', '--silent', 'build'], {
		cwd: ROOT,
		stdio: ['ignore', 'ignore', 'inherit'],
	});

	// handlers first, so Ctrl-C during a long first start still stops what has started
	const running: { stack?: Stack } = {};
	let stopping = false;
	const stop = async (signal: string) => {
		if (stopping) return;
		stopping = true;
		log(`\n${signal}: stopping n8n and the sandboxes...`);
		await running.stack?.stop();
		process.exit(0);
	};
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
		process.on(signal, () => void stop(signal));

	const stack = await startStack({
		userFolder: join(RUNTIME_DIR, 'data'),
		owner: DEMO_OWNER,
		port: 5678,
		sandboxPorts: Object.fromEntries(
			PROVIDERS.map((entry) => [entry.id, entry.sandbox.defaultPort]),
		),
		chatPort: 8910,
		log,
	});
	running.stack = stack;
	const { n8n, chat, workflows } = stack;
	log('');
	log(
		`n8n is running at ${n8n.baseUrl}   (ready in ${Math.round((Date.now() - started) / 1000)} s)`,
	);
	log(`  login           ${DEMO_OWNER.email} / ${DEMO_OWNER.password}`);
	for (const entry of PROVIDERS)
		log(
			`  ${summarizeSandbox(entry, stack.sandboxes[entry.id], stack.secrets[entry.id], stack.demo[entry.id])}`,
		);
	log(`  chat sink       ${chat.url}   (messages at ${chat.url}/__sandbox/messages)`);
	log('  workflows');
	for (const w of Object.values(workflows))
		log(`    ${w.name}${w.active ? '   (published)' : ''}   ${n8n.baseUrl}/workflow/${w.id}`);
	for (const entry of PROVIDERS) {
		const target = describeWebhookTarget(entry, stack.sandboxes[entry.id]);
		if (target) log(`  ${target}`);
	}
	log('Press Ctrl-C to stop.');
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
