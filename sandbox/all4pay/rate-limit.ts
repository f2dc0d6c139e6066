import type { All4payOperation } from '../../nodes/All4pay/endpoints';
import { ALL4PAY_RATE_LIMITS } from '../../nodes/All4pay/endpoints';

export interface RateLimits {
	/** Requests per sliding second per paced operation (ALL4PAY_RATE_LIMITS.paced) and client. */
	perSecond: number;
	/** Requests per sliding hour to all operations together, per client. */
	perHour: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
	perSecond: ALL4PAY_RATE_LIMITS.perEndpointPerSecond,
	perHour: ALL4PAY_RATE_LIMITS.overallPerHour,
};

export interface RateLimitStats {
	/** API requests let through. */
	accepted: number;
	/** API requests answered 429 (perSecond + perHour). */
	rateLimited: number;
	perSecond: number;
	perHour: number;
}

/** Accepted request times inside a sliding window (refused requests are not counted). */
class SlidingWindow {
	private readonly times: number[] = [];
	private head = 0;

	constructor(private readonly windowMs: number) {}

	count(now: number): number {
		while (this.head < this.times.length && this.times[this.head] <= now - this.windowMs)
			this.head++;
		if (this.head > 1024 && this.head * 2 > this.times.length) {
			this.times.splice(0, this.head);
			this.head = 0;
		}
		return this.times.length - this.head;
	}

	add(now: number): void {
		this.times.push(now);
	}
}

/**
 * The published limits, per client address: `perSecond` for each paced operation separately,
 * `perHour` for every API request together.
 */
export class All4payRateLimiter {
	readonly stats: RateLimitStats = { accepted: 0, rateLimited: 0, perSecond: 0, perHour: 0 };
	private seconds = new Map<string, SlidingWindow>();
	private hours = new Map<string, SlidingWindow>();

	constructor(private readonly limits: () => RateLimits) {}

	/** True when the request may go on (and is counted), false when it gets 429. */
	admit(client: string, operation: All4payOperation, now: number): boolean {
		const { perSecond, perHour } = this.limits();
		const hour = this.window(this.hours, client, 3_600_000);
		const paced = ALL4PAY_RATE_LIMITS.paced.includes(operation);
		const second = paced ? this.window(this.seconds, `${client} ${operation}`, 1000) : undefined;
		if (second && second.count(now) >= perSecond) {
			this.stats.perSecond++;
			this.stats.rateLimited++;
			return false;
		}
		if (hour.count(now) >= perHour) {
			this.stats.perHour++;
			this.stats.rateLimited++;
			return false;
		}
		second?.add(now);
		hour.add(now);
		this.stats.accepted++;
		return true;
	}

	/** Forgets every window and zeroes the counters. */
	reset(): void {
		this.seconds = new Map();
		this.hours = new Map();
		Object.assign(this.stats, { accepted: 0, rateLimited: 0, perSecond: 0, perHour: 0 });
	}

	private window(
		windows: Map<string, SlidingWindow>,
		key: string,
		windowMs: number,
	): SlidingWindow {
		let window = windows.get(key);
		if (!window) {
			window = new SlidingWindow(windowMs);
			windows.set(key, window);
		}
		return window;
	}
}
