/** Sends requests at a fixed concurrency and measures them; for the webhook load test and bench. */
export interface Delivery {
	url: string;
	body: string;
	headers: Record<string, string>;
}

export interface LoadReport {
	statuses: number[];
	seconds: number;
	perSecond: number;
	p50: number;
	p99: number;
}

export async function sendLoad(deliveries: Delivery[], concurrency: number): Promise<LoadReport> {
	const statuses: number[] = new Array(deliveries.length);
	const ms: number[] = [];
	let next = 0;
	const started = performance.now();
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			while (next < deliveries.length) {
				const index = next++;
				const { url, body, headers } = deliveries[index];
				const t0 = performance.now();
				const response = await fetch(url, {
					method: 'POST',
					body,
					headers: { 'content-type': 'application/json', ...headers },
					signal: AbortSignal.timeout(60_000),
				});
				await response.arrayBuffer();
				ms.push(performance.now() - t0);
				statuses[index] = response.status;
			}
		}),
	);
	const seconds = (performance.now() - started) / 1000;
	ms.sort((a, b) => a - b);
	const percentile = (p: number) =>
		ms[Math.min(ms.length - 1, Math.ceil((p / 100) * ms.length) - 1)];
	return {
		statuses,
		seconds,
		perSecond: deliveries.length / seconds,
		p50: percentile(50),
		p99: percentile(99),
	};
}
