import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { PackageDirectoryLoader } from 'n8n-core';

// What an n8n user installs: the built dist/ (npm test builds it first) as n8n's own loader reads it.
const ROOT = resolve(__dirname, '../..');

describe('the built package', () => {
	beforeAll(() => {
		if (!existsSync(join(ROOT, 'dist/nodes/Paytech/Paytech.node.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does)');
	});

	it('loads in n8n: every node and credential, with icons and codex', async () => {
		const loader = new PackageDirectoryLoader(ROOT);
		await loader.loadAll();
		expect(loader.packageName).toBe('n8n-nodes-payops');
		expect(Object.keys(loader.nodeTypes).sort()).toEqual(['aggrePay', 'aggrePayTrigger', 'aggrePayWalletTrigger', 'paytech', 'paytechTrigger']);
		expect(Object.keys(loader.credentialTypes).sort()).toEqual(['aggrePayApi', 'paytechApi']);
		for (const [name, icon] of Object.entries({ paytech: 'paytech', paytechTrigger: 'paytech', aggrePay: 'aggrepay', aggrePayTrigger: 'aggrepay', aggrePayWalletTrigger: 'aggrepay' })) {
			const { description } = loader.nodeTypes[name].type;
			expect(description.iconUrl).toEqual({ light: expect.stringMatching(new RegExp(`${icon}\\.svg$`)), dark: expect.stringMatching(new RegExp(`${icon}\\.dark\\.svg$`)) });
			expect((description as { codex?: { categories?: string[] } }).codex?.categories).toEqual(['Finance & Accounting']);
		}
	});

	it('packs dist only: every node, credential, icon and codex file, nothing from sandbox or test', () => {
		const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' })) as Array<{ files: Array<{ path: string }> }>;
		const files = pack.files.map((f) => f.path);
		for (const file of [
			'package.json',
			'README.md',
			'dist/credentials/PaytechApi.credentials.js',
			'dist/nodes/Paytech/Paytech.node.js',
			'dist/nodes/Paytech/PaytechTrigger.node.js',
			'dist/nodes/Paytech/Paytech.node.json',
			'dist/nodes/Paytech/PaytechTrigger.node.json',
			'dist/nodes/Paytech/paytech.svg',
			'dist/nodes/Paytech/paytech.dark.svg',
			'dist/nodes/common/signing.js',
			'dist/credentials/AggrepayApi.credentials.js',
			'dist/nodes/Aggrepay/Aggrepay.node.js',
			'dist/nodes/Aggrepay/AggrepayTrigger.node.js',
			'dist/nodes/Aggrepay/AggrepayWalletTrigger.node.js',
			'dist/nodes/Aggrepay/Aggrepay.node.json',
			'dist/nodes/Aggrepay/aggrepay.svg',
			'dist/nodes/Aggrepay/aggrepay.dark.svg',
		]) {
			expect(files).toContain(file);
		}
		expect(files.filter((f) => /(^|\/)(sandbox|test|bench)\//.test(f) || f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
		expect(files.every((f) => f.startsWith('dist/') || ['package.json', 'README.md', 'LICENSE.md'].includes(f))).toBe(true);
	});
});
