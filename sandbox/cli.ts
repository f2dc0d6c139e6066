/**
 * Starts every provider sandbox (tools/providers.ts) on loopback and keeps them running until Ctrl-C.
 * Usage: npm run sandbox  (options through each provider's environment variables: PAYTECH_SANDBOX_PORT,
 * PAYTECH_SANDBOX_API_KEY, ..., AGGREPAY_SANDBOX_SALT, AGGREPAY_SANDBOX_CALLBACK_URL; see sandbox/README.md)
 */
import {
	describeSandbox,
	PROVIDERS,
	secretEnvName,
	secretsOf,
	type SandboxHandle,
} from '../tools/providers';

function portFrom(name: string, fallback: number): number {
	const port = Number(process.env[name] ?? fallback);
	if (!Number.isInteger(port) || port < 0 || port > 65535)
		throw new Error(`${name} must be a port number`);
	return port;
}

async function main(): Promise<void> {
	const running: SandboxHandle[] = [];
	let stopping = false;
	const stop = (signal: NodeJS.Signals) => {
		if (stopping) return;
		stopping = true;
		console.log(`\n${signal}: closing sandboxes`);
		Promise.all(running.map((sandbox) => sandbox.close())).then(
			() => process.exit(0),
			(error: unknown) => {
				console.error(error);
				process.exit(1);
			},
		);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);

	for (const entry of PROVIDERS) {
		const { envPrefix, webhooks } = entry.sandbox;
		const secrets = secretsOf(entry, (name) => process.env[secretEnvName(entry, name)]);
		const sandbox = await entry.sandbox.start({
			port: portFrom(`${envPrefix}PORT`, entry.sandbox.defaultPort),
			host: '127.0.0.1',
			secrets,
		});
		running.push(sandbox);
		webhooks?.set(sandbox, process.env[`${envPrefix}${webhooks.env}`] || undefined);
		for (const line of describeSandbox(entry, sandbox, secrets)) console.log(line);
	}
	console.log('Press Ctrl-C to stop.');
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
