/**
 * Sends prepared HTTP requests with autocannon, each exactly once: every request of a run has its
 * own path, body and headers (autocannon's `requests` with `setupRequest`), so every delivery is a
 * distinct event. Connections keep-alive, one request in flight per connection.
 *
 * autocannon runs in a child process of its own (`Cannon`), not beside the sandboxes the bench
 * starts in its process: the All4Pay sandbox answers the trigger's confirmations during the load,
 * and should not share an event loop with the load generator. (In development, with autocannon
 * in the same process, a POST to that sandbox right after an autocannon run hung on a kept-alive
 * connection until the sandbox's keep-alive timeout closed it; not with node:http in its place.)
 */
import { fork, type ChildProcess } from 'node:child_process';

import autocannon from 'autocannon';

export interface Prepared {
	/** Path and query on the target, `/webhook/<id>/<path>?token=…`. */
	path: string;
	body: string;
	headers: Record<string, string>;
	/** Identifies the event in the answer list and in n8n's executions. */
	tag: string;
}

export interface Answer {
	tag: string;
	status: number;
	body: string;
	/** Sent until answered, as autocannon measures it. */
	ms: number;
}

export interface Shot {
	answers: Answer[];
	/** Wall clock (Date.now()) when the first request went out and when the last answer came. */
	startedAt: number;
	lastAnswerAt: number;
	/** Connection errors and timeouts, as autocannon counts them (requests lost without answer). */
	errors: number;
	timeouts: number;
	/** What autocannon itself reports, for a cross-check of our numbers. */
	autocannon: { p50: number; p99: number; non2xx: number; sent: number };
}

interface Context {
	tag?: string;
}

/** Cannon.fire, in this process. */
async function fireHere(
	baseUrl: string,
	requests: Prepared[],
	connections: number,
	timeoutSeconds = 120,
): Promise<Shot> {
	if (!requests.length) throw new Error('fire: no requests');
	const queue = [...requests];
	let next = 0;
	const answers: Answer[] = [];
	let last: Omit<Answer, 'ms'> | undefined;
	let lastAnswerAt = 0;
	const startedAt = Date.now();
	const result = await new Promise<autocannon.Result>((resolve, reject) => {
		const instance = autocannon(
			{
				url: baseUrl,
				connections: Math.min(connections, queue.length),
				pipelining: 1,
				amount: queue.length,
				timeout: timeoutSeconds,
				method: 'POST',
				requests: [
					{
						setupRequest: (request, context) => {
							const delivery = queue[next++];
							if (!delivery) throw new Error('autocannon asked for more requests than prepared');
							(context as Context).tag = delivery.tag;
							return {
								...request,
								method: 'POST',
								path: delivery.path,
								body: delivery.body,
								headers: delivery.headers,
							};
						},
						// called just before the 'response' event below, for the same answer
						onResponse: (status, body, context) => {
							last = { tag: (context as Context).tag ?? '?', status, body };
						},
					},
				],
			},
			(error: unknown, done: autocannon.Result) => (error ? reject(error) : resolve(done)),
		);
		instance.on('response', (_client, statusCode, _bytes, responseTime) => {
			lastAnswerAt = Date.now();
			answers.push({ ...(last ?? { tag: '?', status: statusCode, body: '' }), ms: responseTime });
			last = undefined;
		});
	});
	return {
		answers,
		startedAt,
		lastAnswerAt: lastAnswerAt || Date.now(),
		errors: result.errors,
		timeouts: result.timeouts,
		autocannon: {
			p50: result.latency.p50,
			p99: result.latency.p99,
			non2xx: result.non2xx,
			sent: result.requests.sent,
		},
	};
}

/** Nearest-rank percentile of `values` (any order); NaN when empty. */
export function percentile(values: number[], p: number): number {
	if (!values.length) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

interface Job {
	baseUrl: string;
	requests: Prepared[];
	connections: number;
}

type Reply = { shot: Shot } | { error: string };

/** autocannon in a child process; one run at a time. */
export class Cannon {
	private constructor(private readonly child: ChildProcess) {}

	static start(): Cannon {
		const child = fork(__filename, [], {
			execArgv: ['--require', require.resolve('ts-node/register/transpile-only')],
			stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
		});
		return new Cannon(child);
	}

	/**
	 * Sends every request of `requests` once to `baseUrl`, `connections` at a time (at most as
	 * many connections as requests), and collects every answer with its latency.
	 */
	async fire(baseUrl: string, requests: Prepared[], connections: number): Promise<Shot> {
		const reply = await new Promise<Reply>((resolve, reject) => {
			const onExit = (code: number | null) =>
				reject(new Error(`the autocannon process exited (${code})`));
			this.child.once('exit', onExit);
			this.child.once('message', (message) => {
				this.child.off('exit', onExit);
				resolve(message as Reply);
			});
			this.child.send({ baseUrl, requests, connections } satisfies Job);
		});
		if ('error' in reply) throw new Error(`autocannon: ${reply.error}`);
		return reply.shot;
	}

	async stop(): Promise<void> {
		if (this.child.exitCode !== null || this.child.signalCode !== null) return;
		const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
		this.child.disconnect();
		await exited;
	}
}

if (require.main === module && process.send) {
	process.on('message', (job: Job) => {
		fireHere(job.baseUrl, job.requests, job.connections).then(
			(shot) => process.send!({ shot } satisfies Reply),
			(error: unknown) => process.send!({ error: String(error) } satisfies Reply),
		);
	});
}
