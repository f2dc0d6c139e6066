/**
 * `npm run screenshot`: the payout-approval example in the n8n editor, as a PNG for the README.
 * Starts its own n8n (like npm start, in a temporary folder) and Debian's Chromium headless
 * (apt-get install chromium) through playwright-core.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { chromium } from 'playwright-core';

import { DEMO_OWNER } from './n8n/demo-data';
import { ROOT } from './n8n/runtime';
import { startStack } from './n8n/stack';

async function main(): Promise<void> {
	const userFolder = mkdtempSync(join(tmpdir(), 'payops-screenshot-'));
	const stack = await startStack({ userFolder, owner: DEMO_OWNER, port: 5798 });
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
		const payout = stack.workflows['payout-approval'];
		const page = await browser.newPage({
			viewport: { width: 1600, height: 760 },
			deviceScaleFactor: 1,
		});
		await page.goto(`${n8n.baseUrl}/signin`);
		await page.locator('input[type="email"]').fill(DEMO_OWNER.email);
		await page.locator('input[type="password"]').fill(DEMO_OWNER.password);
		await page.keyboard.press('Enter');
		await page.waitForURL((url) => !url.pathname.includes('signin'), { timeout: 30_000 });
		await page.goto(`${n8n.baseUrl}/workflow/${payout.id}`);
		await page.getByText('Reject withdrawal').first().waitFor({ timeout: 60_000 });
		// fit the whole workflow in view (the editor's "zoom to fit" shortcut), then let it settle
		await page.keyboard.press('1');
		await page.waitForTimeout(1500);
		const file = join(ROOT, 'docs/payout-approval.png');
		await page.screenshot({ path: file });
		console.log(`saved ${file}`);
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
