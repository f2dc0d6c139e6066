/**
 * `npm run screenshot`: PNGs of the n8n editor for the README: the payout-approval example
 * (docs/payout-approval.png) and the pay.tech Try it workflow after a run, with the deposit's
 * output (docs/try-paytech-deposit.png).
 * Starts its own n8n (like npm start, in a temporary folder) and Debian's Chromium headless
 * (apt-get install chromium) through playwright-core.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { chromium, type Page } from 'playwright-core';

import { DEMO_OWNER } from './n8n/demo-data';
import { ROOT } from './n8n/runtime';
import { startStack } from './n8n/stack';
import { PROVIDERS } from './providers';

// npm start's chat sink port, shown in the Try it workflow's sticky note
const CHAT_PORT = 8910;

/** `port` when it is free on loopback, else 0 (any free port): npm start may be running. */
async function freeOrAny(port: number): Promise<number> {
	return await new Promise((resolve) => {
		const probe = createServer();
		probe.once('error', () => resolve(0));
		probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(port)));
	});
}

async function save(page: Page, name: string): Promise<void> {
	const file = join(ROOT, 'docs', name);
	await page.screenshot({ path: file });
	console.log(`saved ${file}`);
}

async function main(): Promise<void> {
	const userFolder = mkdtempSync(join(tmpdir(), 'payops-screenshot-'));
	// npm start's ports where free, so the URLs in the pictures are the ones the README gives
	const sandboxPorts = Object.fromEntries(
		await Promise.all(
			PROVIDERS.map(async (entry) => [entry.id, await freeOrAny(entry.sandbox.defaultPort)]),
		),
	);
	const stack = await startStack({
		userFolder,
		owner: DEMO_OWNER,
		port: 5798,
		sandboxPorts,
		chatPort: await freeOrAny(CHAT_PORT),
	});
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
		],
	});
	try {
		const { n8n } = stack;
		const page = await browser.newPage({
			viewport: { width: 1600, height: 760 },
			deviceScaleFactor: 1,
		});
		await page.goto(`${n8n.baseUrl}/signin`);
		await page.locator('input[type="email"]').fill(DEMO_OWNER.email);
		await page.locator('input[type="password"]').fill(DEMO_OWNER.password);
		await page.keyboard.press('Enter');
		await page.waitForURL((url) => !url.pathname.includes('signin'), { timeout: 30_000 });

		await page.goto(`${n8n.baseUrl}/workflow/${stack.workflows['payout-approval'].id}`);
		await page.getByText('Reject withdrawal').first().waitFor({ timeout: 60_000 });
		// fit the whole workflow in view (the editor's "zoom to fit" shortcut), then let it settle
		await page.keyboard.press('1');
		await page.waitForTimeout(1500);
		await save(page, 'payout-approval.png');

		// taller: the canvas above, the logs panel with the output below
		await page.setViewportSize({ width: 1600, height: 900 });
		await page.goto(`${n8n.baseUrl}/workflow/${stack.workflows['try-paytech-deposit'].id}`);
		await page.getByText('Create a 10.00 EUR deposit').first().waitFor({ timeout: 60_000 });
		await page.locator('[data-test-id="execute-workflow-button"]').click();
		// the run has finished when both nodes (Try it and the deposit) show their green check
		await page
			.locator('[data-test-id="canvas-node-status-success"]')
			.nth(1)
			.waitFor({ timeout: 60_000 });
		// the "Workflow executed successfully" toast would cover the canvas
		const toasts = page.locator('.el-notification__closeBtn');
		for (const close of await toasts.all()) await close.click().catch(() => undefined);
		// the logs panel with the last node's output: the deposit, its redirectUrl
		const details = page.locator('[data-test-id="log-details-output"]');
		if (!(await details.isVisible()))
			await page.locator('[data-test-id="logs-overview-header"]').click();
		await details.waitFor({ timeout: 30_000 });
		await page.getByText('redirectUrl').first().waitFor({ timeout: 30_000 });
		await page.keyboard.press('1');
		await page.waitForTimeout(1500);
		await save(page, 'try-paytech-deposit.png');
	} finally {
		await browser.close();
		await stack.stop();
		rmSync(userFolder, { recursive: true, force: true });
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
