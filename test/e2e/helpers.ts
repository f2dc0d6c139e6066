/** What both e2e suites (regular and queue mode) use. */
export { freePortRange } from '../../tools/n8n/services';

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

/**
 * What a person does on a sandbox's hosted page (pay.tech checkout, AggrePay payment page): opens
 * it and clicks the button labelled `label`, a form post. Resolves with the page that answers.
 */
export async function clickOnPage(pageUrl: string, label: string): Promise<string> {
	const page = await (await fetch(pageUrl, { signal: AbortSignal.timeout(30_000) })).text();
	const form = [...page.matchAll(/<form method="post" action="([^"]+)">([\s\S]*?)<\/form>/g)].find(
		(match) => match[2].includes(`>${label}</button>`),
	);
	if (!form) throw new Error(`no "${label}" button on ${pageUrl}:\n${page}`);
	const answer = await fetch(new URL(form[1], pageUrl), {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: '',
		signal: AbortSignal.timeout(30_000),
	});
	if (!answer.ok) throw new Error(`"${label}" on ${pageUrl} answered ${answer.status}`);
	return await answer.text();
}
