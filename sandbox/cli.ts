/**
 * Starts every provider sandbox on loopback and keeps it running until Ctrl-C.
 * Usage: npm run sandbox  (options through PAYTECH_SANDBOX_* and AGGREPAY_SANDBOX_* environment variables)
 */
import { startAggrepaySandbox } from './aggrepay';
import { startPaytechSandbox } from './paytech';

function portFrom(name: string, fallback: number): number {
	const port = Number(process.env[name] ?? fallback);
	if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${name} must be a port number`);
	return port;
}

async function main(): Promise<void> {
	const paytech = await startPaytechSandbox({
		port: portFrom('PAYTECH_SANDBOX_PORT', 8911),
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
	const aggrepay = await startAggrepaySandbox({
		port: portFrom('AGGREPAY_SANDBOX_PORT', 8912),
		host: '127.0.0.1',
		apiKey: process.env.AGGREPAY_SANDBOX_API_KEY || 'sandbox_api_key',
		salt: process.env.AGGREPAY_SANDBOX_SALT || 'sandbox_salt',
		callbackUrl: process.env.AGGREPAY_SANDBOX_CALLBACK_URL || undefined,
	});

	console.log('AggrePay sandbox');
	console.log(`  base URL      ${aggrepay.url}   (wallet at ${aggrepay.url}/api/v1, gateway at ${aggrepay.url}/v2)`);
	console.log(`  API key       ${aggrepay.apiKey}`);
	console.log(`  salt          ${aggrepay.salt}`);
	console.log(`  callback URL  ${aggrepay.settings.callbackUrl ?? '(none; PUT /__sandbox/settings)'}`);
	console.log('Press Ctrl-C to stop.');

	let stopping = false;
	const stop = (signal: NodeJS.Signals) => {
		if (stopping) return;
		stopping = true;
		console.log(`\n${signal}: closing sandboxes`);
		Promise.all([paytech.close(), aggrepay.close()]).then(
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
