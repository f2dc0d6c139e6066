/**
 * Starts every provider sandbox on loopback and keeps it running until Ctrl-C.
 * Usage: npm run sandbox  (options through PAYTECH_SANDBOX_* environment variables)
 */
import { startPaytechSandbox } from './paytech';

async function main(): Promise<void> {
	const port = Number(process.env.PAYTECH_SANDBOX_PORT ?? 8911);
	if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('PAYTECH_SANDBOX_PORT must be a port number');
	const paytech = await startPaytechSandbox({
		port,
		host: '127.0.0.1',
		apiKey: process.env.PAYTECH_SANDBOX_API_KEY || 'sandbox_api_key',
		signingKey: process.env.PAYTECH_SANDBOX_SIGNING_KEY || 'sandbox_signing_key',
		webhookUrl: process.env.PAYTECH_SANDBOX_WEBHOOK_URL || undefined,
	});

	console.log('pay.tech sandbox');
	console.log(`  base URL     ${paytech.url}   (API at ${paytech.url}/api/v1)`);
	console.log(`  API key      ${paytech.apiKey}`);
	console.log(`  signing key  ${paytech.signingKey}`);
	console.log(`  webhook URL  ${paytech.settings.webhookUrl ?? '(none; PUT /__sandbox/settings or pass webhookUrl per payment)'}`);
	console.log('Press Ctrl-C to stop.');

	let stopping = false;
	const stop = (signal: NodeJS.Signals) => {
		if (stopping) return;
		stopping = true;
		console.log(`\n${signal}: closing sandboxes`);
		paytech.close().then(
			() => process.exit(0),
			(error: unknown) => {
				console.error(error);
				process.exit(1);
			},
		);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
