/** `npm run n8n:install`: installs the n8n runtime now instead of at the first `npm start`. */
import { ensureRuntime } from './runtime';

ensureRuntime().then(
	(runtime) => console.log(`n8n runtime ready: ${runtime.n8n}`),
	(error: unknown) => {
		console.error(error instanceof Error ? error.message : error);
		process.exit(1);
	},
);
