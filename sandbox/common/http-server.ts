import { createServer, type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

import { BodyTooLargeError, readRequestBody } from './body';
import type { Clock } from './clock';
import {
	FAULT_HEADER,
	type Fault,
	type FaultInjector,
	type FaultKind,
	FaultSyntaxError,
	parseFaultHeader,
} from './faults';
import type { Router, SandboxReply } from './router';

/** Control endpoints: never faulted, never recorded, loopback callers only. */
export const CONTROL_PREFIX = '/__sandbox/';

export interface RecordedRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	/** Lower-case names, repeated headers joined with ', '. */
	headers: Record<string, string>;
	/** Raw body text as received. */
	body: string;
	/** Status written; absent when the connection was dropped instead. */
	status?: number;
	fault?: FaultKind;
	at: Date;
	/** Recorded requests being handled when this one arrived, itself included: how many a client sends at once. */
	concurrent: number;
}

export interface SandboxHttpServerOptions {
	host: string;
	port: number;
	router: Router;
	faults: FaultInjector;
	requests: RecordedRequest[];
	now: Clock;
	/** Error body in the provider's own shape (404, 405, injected statuses, ...). */
	errorReply(status: number, message: string, path: string): SandboxReply;
	/** Truncated body in the provider's shape for the 'malformed' fault. */
	malformedBody(): string;
	/** Which non-control paths go into `requests`. */
	shouldRecord(path: string): boolean;
}

export interface SandboxHttpServer {
	url: string;
	/** Aborted when the server closes, so pending delays and deliveries stop. */
	closing: AbortSignal;
	close(): Promise<void>;
}

export async function startSandboxHttpServer(
	options: SandboxHttpServerOptions,
): Promise<SandboxHttpServer> {
	const closing = new AbortController();
	const sockets = new Set<Socket>();
	const inFlight = { recorded: 0 };
	const server = createServer((req, res) => {
		handleRequest(options, closing.signal, inFlight, req, res).catch((error: unknown) => {
			const message = error instanceof Error ? error.message : String(error);
			if (!res.headersSent && !res.destroyed)
				writeReply(res, options.errorReply(500, message, req.url ?? '/'));
			else res.destroy();
		});
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port, options.host, () => {
			server.off('error', reject);
			resolve();
		});
	});
	const { port } = server.address() as AddressInfo;
	const hostInUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
	return {
		url: `http://${hostInUrl}:${port}`,
		closing: closing.signal,
		close: async () => {
			if (closing.signal.aborted) return;
			closing.abort();
			const closed = new Promise<void>((resolve) => server.close(() => resolve()));
			server.closeAllConnections();
			for (const socket of sockets) socket.destroy();
			await closed;
		},
	};
}

async function handleRequest(
	options: SandboxHttpServerOptions,
	closing: AbortSignal,
	inFlight: { recorded: number },
	req: IncomingMessage,
	res: ServerResponse,
): Promise<void> {
	const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
	const path = url.pathname;
	const method = (req.method ?? 'GET').toUpperCase();
	const isControl = path.startsWith(CONTROL_PREFIX);

	if (isControl && !isLoopback(req.socket.remoteAddress)) {
		writeReply(
			res,
			options.errorReply(403, 'Sandbox control endpoints accept loopback callers only', path),
		);
		return;
	}

	let rawBody: string;
	try {
		rawBody = await readRequestBody(req);
	} catch (error) {
		if (!(error instanceof BodyTooLargeError)) throw error;
		writeReply(res, options.errorReply(413, error.message, path));
		return;
	}

	const record: RecordedRequest | undefined =
		!isControl && options.shouldRecord(path)
			? {
					method,
					path,
					query: Object.fromEntries(url.searchParams),
					headers: flattenHeaders(req),
					body: rawBody,
					at: options.now(),
					concurrent: ++inFlight.recorded,
				}
			: undefined;
	if (record) {
		options.requests.push(record);
		res.once('close', () => inFlight.recorded--);
	}
	const respond = (reply: SandboxReply) => {
		if (record) record.status = reply.status;
		writeReply(res, reply);
	};

	let fault: Fault | undefined;
	if (!isControl) {
		try {
			fault = pickFault(options.faults, req, method, path);
		} catch (error) {
			if (!(error instanceof FaultSyntaxError)) throw error;
			respond(options.errorReply(400, error.message, path));
			return;
		}
	}
	if (record && fault) record.fault = fault.fault;

	switch (fault?.fault) {
		case 'delay':
			await sleep(fault.delayMs ?? 0, undefined, { signal: closing }).catch(() => undefined);
			if (closing.aborted) return;
			break;
		case 'drop':
			req.socket.destroy();
			return;
		case 'status':
			respond(injectedStatusReply(options, fault, path));
			return;
		case 'malformed':
			respond({
				status: 200,
				headers: { 'Content-Type': 'application/json' },
				body: options.malformedBody(),
			});
			return;
		default:
			break;
	}

	const reply = await dispatch(options, method, path, url.searchParams, req, rawBody);
	if (fault?.fault === 'drop-after-commit') {
		// The work is done and stored; only the answer is lost, as when a proxy times out.
		req.socket.destroy();
		return;
	}
	respond(reply);
}

function pickFault(
	faults: FaultInjector,
	req: IncomingMessage,
	method: string,
	path: string,
): Fault | undefined {
	const header = req.headers[FAULT_HEADER];
	if (typeof header === 'string') return parseFaultHeader(header);
	return faults.take(method, path);
}

async function dispatch(
	options: SandboxHttpServerOptions,
	method: string,
	path: string,
	query: URLSearchParams,
	req: IncomingMessage,
	rawBody: string,
): Promise<SandboxReply> {
	const match = options.router.match(method, path);
	if (match.kind === 'not-found')
		return options.errorReply(404, `No endpoint ${method} ${path}`, path);
	if (match.kind === 'method-not-allowed') {
		const reply = options.errorReply(405, `Request method '${method}' is not supported`, path);
		return { ...reply, headers: { ...reply.headers, Allow: match.allowed.join(', ') } };
	}
	return match.handler({
		method,
		path,
		query,
		headers: req.headers,
		rawBody,
		params: match.params,
	});
}

function injectedStatusReply(
	options: SandboxHttpServerOptions,
	fault: Fault,
	path: string,
): SandboxReply {
	const status = fault.status ?? 500;
	const reply = options.errorReply(
		status,
		`${STATUS_CODES[status] ?? 'Error'} (injected by sandbox)`,
		path,
	);
	const retryAfter = fault.retryAfter ?? (status === 429 ? 1 : undefined);
	if (retryAfter === undefined) return reply;
	return { ...reply, headers: { ...reply.headers, 'Retry-After': String(retryAfter) } };
}

function writeReply(res: ServerResponse, reply: SandboxReply): void {
	const body = Buffer.from(reply.body, 'utf8');
	res.writeHead(reply.status, { ...reply.headers, 'Content-Length': body.length });
	res.end(body);
}

function flattenHeaders(req: IncomingMessage): Record<string, string> {
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(req.headers)) {
		if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
	}
	return headers;
}

function isLoopback(address: string | undefined): boolean {
	if (!address) return false;
	return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}
