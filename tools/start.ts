/**
 * `npm start`: the pack running in a real n8n with the sandboxes and the example workflows.
 * Builds the pack, installs n8n on first use, starts the pay.tech sandbox and the chat sink,
 * installs the built pack as a community package, starts n8n on 127.0.0.1:5678, creates the owner,
 * a sandbox credential and the examples, and stops everything on Ctrl-C.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

import { startChatSink } from '../sandbox/chat';
import { startPaytechSandbox } from '../sandbox/paytech';
import { seedDemoData } from './n8n/demo-data';
import { ensureCredential, provisionExamples } from './n8n/provision';
import { ROOT, RUNTIME_DIR, ensureRuntime } from './n8n/runtime';
import { N8nServer, installPack } from './n8n/server';

export const DEMO_OWNER = { email: 'owner@example.com', password: 'PayOps-demo-1', firstName: 'Pay', lastName: 'Ops' };

async function main(): Promise<void> {
	const started = Date.now();
	const log = (message: string) => console.log(message);

	log('Building the pack...');
	execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
	const runtime = await ensureRuntime(log);

	const chat = await startChatSink({ port: 8910 });
	const paytech = await startPaytechSandbox({ port: 8911, apiKey: 'sandbox_api_key', signingKey: 'sandbox_signing_key' });
	await seedDemoData(paytech);

	const userFolder = join(RUNTIME_DIR, 'data');
	installPack(userFolder);
	log('Starting n8n...');
	const n8n = await N8nServer.start({ runtime, userFolder, port: 5678, logFile: join(RUNTIME_DIR, 'n8n.log') });

	let stopping = false;
	const stop = async (signal: string) => {
		if (stopping) return;
		stopping = true;
		log(`\n${signal}: stopping n8n and the sandboxes...`);
		await n8n.stop();
		await Promise.all([paytech.close(), chat.close()]);
		process.exit(0);
	};
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop(signal));

	try {
		await n8n.signIn(DEMO_OWNER);
		const credentialId = await ensureCredential(n8n, 'pay.tech sandbox', 'paytechApi', {
			environment: 'custom',
			baseUrl: paytech.url,
			apiKey: paytech.apiKey,
			signingKey: paytech.signingKey,
		});
		const workflows = await provisionExamples(n8n, { paytechApi: { id: credentialId, name: 'pay.tech sandbox' } });
		const alertUrl = workflows.flatMap((w) => Object.values(w.webhookUrls))[0];
		if (alertUrl) paytech.settings.webhookUrl = alertUrl;

		log('');
		log(`n8n is running at ${n8n.baseUrl}   (ready in ${Math.round((Date.now() - started) / 1000)} s)`);
		log(`  login           ${DEMO_OWNER.email} / ${DEMO_OWNER.password}`);
		log(`  pay.tech        ${paytech.url}   (API key ${paytech.apiKey}, signing key ${paytech.signingKey}; control endpoints in sandbox/README.md)`);
		log(`  chat sink       ${chat.url}   (messages at ${chat.url}/__sandbox/messages)`);
		log('  workflows');
		for (const w of workflows) log(`    ${w.name}${w.active ? '   (published)' : ''}   ${n8n.baseUrl}/workflow/${w.id}`);
		if (alertUrl) log(`  pay.tech sends its webhooks to ${alertUrl}`);
		log('Press Ctrl-C to stop.');
	} catch (error) {
		log(`Setting up n8n failed: ${(error as Error).message}\n${n8n.logTail()}`);
		await stop('error');
	}
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
