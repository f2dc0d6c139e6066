/** What both e2e suites (regular and queue mode) use. */
export { freePort } from '../../tools/n8n/services';

export const sleep = async (ms: number) => await new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it returns a value, or fails naming `what` after the timeout. */
export async function until<T>(
	what: string,
	probe: () => Promise<T | undefined>,
	timeoutMs = 30_000,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await sleep(250);
	}
}
