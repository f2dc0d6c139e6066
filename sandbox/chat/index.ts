/**
 * A stand-in for a chat service's incoming webhook (Slack, Teams, Mattermost...): it records every
 * message POSTed to /hooks/<channel>, so a "payment received → post to chat" workflow can be run
 * and checked without a chat account. Messages are listed at GET /__sandbox/messages.
 */
import { systemClock } from '../common/clock';
import { FaultInjector } from '../common/faults';
import { startSandboxHttpServer, type RecordedRequest } from '../common/http-server';
import { jsonReply, Router } from '../common/router';

export interface ChatMessage {
	channel: string;
	/** The parsed JSON body, or the raw text when it is not JSON. */
	body: unknown;
	at: string;
}

export interface ChatSink {
	url: string;
	/** Incoming-webhook URL for a channel, like Slack's https://hooks.slack.com/services/... */
	hookUrl(channel: string): string;
	messages: ChatMessage[];
	close(): Promise<void>;
}

export async function startChatSink(
	opts: { port?: number; host?: string } = {},
): Promise<ChatSink> {
	const messages: ChatMessage[] = [];
	const requests: RecordedRequest[] = [];
	const router = new Router()
		.add('POST', '/hooks/:channel', (req) => {
			let body: unknown = req.rawBody;
			try {
				body = JSON.parse(req.rawBody);
			} catch {
				// plain-text messages are kept as text
			}
			messages.push({ channel: req.params.channel, body, at: new Date().toISOString() });
			// Slack answers a plain "ok"
			return { status: 200, headers: { 'content-type': 'text/plain' }, body: 'ok' };
		})
		.add('GET', '/__sandbox/messages', () => ({
			status: 200,
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(messages),
		}))
		.add('DELETE', '/__sandbox/messages', () => {
			messages.length = 0;
			return jsonReply(200, {});
		});
	const server = await startSandboxHttpServer({
		host: opts.host ?? '127.0.0.1',
		port: opts.port ?? 0,
		router,
		faults: new FaultInjector(),
		requests,
		now: systemClock,
		errorReply: (status, message) => jsonReply(status, { error: message }),
		malformedBody: () => 'not json',
		shouldRecord: () => false,
	});
	return {
		url: server.url,
		hookUrl: (channel) => `${server.url}/hooks/${encodeURIComponent(channel)}`,
		messages,
		close: () => server.close(),
	};
}
