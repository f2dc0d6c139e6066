import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';

/** One delivery attempt, as it went over the wire. */
export interface WebhookDelivery {
	paymentId: string;
	url: string;
	/** Exactly the bytes sent (UTF-8). */
	body: string;
	signature: string;
	/** Receiver's HTTP status; absent when the attempt failed at the network level. */
	status?: number;
	error?: string;
	/** 1-based attempt number within one delivery. */
	attempt: number;
	at: Date;
}

export interface WebhookSenderOptions {
	/** Header carrying sign(body); leave out for providers that sign inside the body. */
	signatureHeader?: string;
	sign(body: string): string;
	/** Attempts per delivery (first try included); read at each delivery so settings can change. */
	attempts(): number;
	log: WebhookDelivery[];
	userAgent: string;
	timeoutMs?: number;
	retryDelayMs?: number;
	now(): Date;
}

const DEFAULT_TIMEOUT_MS = 10_000;
// Short on purpose: the provider's schedule is not published and tests must stay fast.
const DEFAULT_RETRY_DELAY_MS = 50;

/**
 * Signed JSON POSTs with retries. Every attempt is logged; close() aborts whatever is in flight
 * so a test never waits on a receiver that went away.
 */
export class WebhookSender {
	private readonly inFlight = new Set<Promise<unknown>>();
	private readonly abort = new AbortController();

	constructor(private readonly options: WebhookSenderOptions) {}

	/** Delivers `body` to `url`, retrying on non-2xx and network errors; resolves after the last attempt. */
	deliver(
		paymentId: string,
		url: string,
		body: string,
		contentType = 'application/json',
	): Promise<WebhookDelivery[]> {
		const delivery = this.runDelivery(paymentId, url, body, contentType);
		this.inFlight.add(delivery);
		void delivery.finally(() => this.inFlight.delete(delivery));
		return delivery;
	}

	/** Resolves once every delivery started so far (including background ones) has finished. */
	async settled(): Promise<void> {
		while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
	}

	async close(): Promise<void> {
		this.abort.abort();
		await this.settled();
	}

	private async runDelivery(
		paymentId: string,
		url: string,
		body: string,
		contentType: string,
	): Promise<WebhookDelivery[]> {
		const signature = this.options.sign(body);
		const attempts: WebhookDelivery[] = [];
		const maxAttempts = Math.max(1, this.options.attempts());
		for (let attempt = 1; attempt <= maxAttempts && !this.abort.signal.aborted; attempt++) {
			if (attempt > 1) {
				await sleep(this.options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS, undefined, {
					signal: this.abort.signal,
				}).catch(() => undefined);
				if (this.abort.signal.aborted) break;
			}
			const entry: WebhookDelivery = {
				paymentId,
				url,
				body,
				signature,
				attempt,
				at: this.options.now(),
			};
			try {
				entry.status = await this.post(url, body, signature, contentType);
			} catch (error) {
				entry.error = error instanceof Error ? error.message : String(error);
			}
			this.options.log.push(entry);
			attempts.push(entry);
			if (entry.status !== undefined && entry.status >= 200 && entry.status < 300) break;
		}
		return attempts;
	}

	private post(url: string, body: string, signature: string, contentType: string): Promise<number> {
		const headers: Record<string, string | number> = {
			'Content-Type': contentType,
			'Content-Length': Buffer.byteLength(body),
			'User-Agent': this.options.userAgent,
		};
		if (this.options.signatureHeader) headers[this.options.signatureHeader] = signature;
		return new Promise((resolve, reject) => {
			const target = new URL(url);
			const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
			const request = send(
				target,
				{
					method: 'POST',
					// No keep-alive: a pooled socket would outlive close() and keep test runners open.
					agent: false,
					timeout: this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
					signal: this.abort.signal,
					headers,
				},
				(response) => {
					response.resume();
					response.on('end', () => resolve(response.statusCode ?? 0));
					response.on('error', reject);
				},
			);
			request.on('timeout', () => request.destroy(new Error('Webhook receiver timed out')));
			request.on('error', reject);
			request.end(body);
		});
	}
}
