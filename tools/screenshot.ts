/**
 * `npm run screenshot`: the payout-approval example in the n8n editor, as a PNG for the README.
 * Starts its own n8n (like npm start, in a temporary folder) and Debian's Chromium headless
 * (apt-get install chromium) through playwright-core.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { chromium } from 'playwright-core';

import { startPaytechSandbox } from '../sandbox/paytech';
import { ensureCredential, provisionExamples } from './n8n/provision';
import { ROOT, ensureRuntime } from './n8n/runtime';
import { N8nServer, installPack } from './n8n/server';

const OWNER = { email: 'owner@example.com', password: 'PayOps-demo-1', firstName: 'Pay', lastName: 'Ops' };

async function main(): Promise<void> {
	const runtime = await ensureRuntime();
	const userFolder = mkdtempSync(join(tmpdir(), 'payops-screenshot-'));
	const paytech = await startPaytechSandbox({ apiKey: 'sandbox_api_key', signingKey: 'sandbox_signing_key' });
	installPack(userFolder);
	const n8n = await N8nServer.start({ runtime, userFolder, port: 5798, logFile: join(userFolder, 'n8n.log') });
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
		args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
	});
	try {
		await n8n.signIn(OWNER);
		const id = await ensureCredential(n8n, 'pay.tech sandbox', 'paytechApi', { environment: 'custom', baseUrl: paytech.url, apiKey: paytech.apiKey, signingKey: paytech.signingKey });
		const workflows = await provisionExamples(n8n, { paytechApi: { id, name: 'pay.tech sandbox' } });
		const payout = workflows.find((w) => w.file === 'payout-approval.json')!;

		const page = await browser.newPage({ viewport: { width: 1600, height: 760 }, deviceScaleFactor: 1 });
		await page.goto(`${n8n.baseUrl}/signin`);
		await page.locator('input[type="email"]').fill(OWNER.email);
		await page.locator('input[type="password"]').fill(OWNER.password);
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
		await n8n.stop();
		await paytech.close();
		rmSync(userFolder, { recursive: true, force: true });
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
