/**
 * A small round-robin HTTP proxy in front of n8n's webhook processes, as a load balancer would
 * stand there in production. Each request goes to the next target in turn, with its method, path
 * and query, headers (names, case, order and repeats as received) and body bytes unchanged; the
 * body is streamed, never parsed. It adds no X-Forwarded-* header, so n8n sees the proxy
 * (127.0.0.1) as the sender. The answer comes back the same way: status, headers and bytes.
 */
import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';

export interface RoundRobinProxy {
	/** `http://127.0.0.1:<port>` */
	url: string;
	port: number;
	/** Base URLs of the targets, in the order they are taken. */
	targets: string[];
	/** How many requests went to each target (same order as `targets`). */
	forwarded: number[];
	close(): Promise<void>;
}

export async function startRoundRobinProxy(options: {
	targets: string[];
	port: number;
	host?: string;
}): Promise<RoundRobinProxy> {
	if (!options.targets.length) throw new Error('the proxy needs at least one target');
	const host = options.host ?? '127.0.0.1';
	const targets = options.targets.map((t) => new URL(t));
	const forwarded = targets.map(() => 0);
	const agent = new Agent({ keepAlive: true, maxSockets: 256 });
	let next = 0;

	const forward = (req: IncomingMessage, res: ServerResponse) => {
		// the Date header comes from the target, as sent
		res.sendDate = false;
		const index = next;
		next = (next + 1) % targets.length;
		forwarded[index]++;
		const target = targets[index];
		const upstream = request(
			{
				agent,
				host: target.hostname,
				port: target.port,
				method: req.method,
				path: req.url,
				// the raw list: every header as received, in order, repeats kept
				headers: req.rawHeaders,
				setHost: false,
			},
			(answer) => {
				res.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.rawHeaders);
				answer.pipe(res);
				answer.once('error', () => res.destroy());
			},
		);
		upstream.once('error', (error) => {
			if (res.headersSent) {
				res.destroy();
				return;
			}
			res.writeHead(502, { 'content-type': 'text/plain' });
			res.end(`proxy: ${target.origin} did not answer: ${error.message}\n`);
		});
		req.once('aborted', () => upstream.destroy());
		req.pipe(upstream);
	};

	const server = createServer(forward);
	server.keepAliveTimeout = 5000;
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port, host, () => resolve());
	});
	const { port } = server.address() as { port: number };
	return {
		url: `http://${host}:${port}`,
		port,
		targets: targets.map((t) => t.origin),
		forwarded,
		close: async () => {
			await new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			});
			agent.destroy();
		},
	};
}
