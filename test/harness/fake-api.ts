import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
	method: string;
	path: string;
	query: URLSearchParams;
	headers: IncomingHttpHeaders;
	rawBody: Buffer;
	json(): unknown;
}

export interface FakeReply {
	status?: number;
	body?: unknown;
}

export interface FakeApi {
	url: string;
	requests: RecordedRequest[];
	close(): Promise<void>;
}

/** A loopback HTTP API for tests: every request is recorded, then answered by `route`. */
export async function startFakeApi(
	route: (req: RecordedRequest) => FakeReply | Promise<FakeReply>,
): Promise<FakeApi> {
	const requests: RecordedRequest[] = [];
	const server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const url = new URL(req.url ?? '/', 'http://fake');
			const rawBody = Buffer.concat(chunks);
			const recorded: RecordedRequest = {
				method: req.method ?? 'GET',
				path: url.pathname,
				query: url.searchParams,
				headers: req.headers,
				rawBody,
				json: () => JSON.parse(rawBody.toString('utf8')) as unknown,
			};
			requests.push(recorded);
			void Promise.resolve(route(recorded)).then(({ status = 200, body }) => {
				res.writeHead(status, { 'content-type': 'application/json' });
				res.end(body === undefined ? '' : JSON.stringify(body));
			});
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		requests,
		close: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
