import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

import { PackageDirectoryLoader } from 'n8n-core';
import type { INodeType, INodeTypeDescription, IVersionedNodeType } from 'n8n-workflow';

import { PROVIDERS } from '../../tools/providers';

// What an n8n user installs: the built dist/ (npm test builds it first) as n8n's own loader reads it.
// What it must contain comes from the provider list (tools/providers.ts).
const ROOT = resolve(__dirname, '../..');
const NODES = PROVIDERS.flatMap((p) => p.nodes);

/** The description of the version a new node gets. */
const currentDescription = (type: INodeType | IVersionedNodeType): INodeTypeDescription =>
	'nodeVersions' in type ? type.nodeVersions[type.currentVersion].description : type.description;

describe('the built package', () => {
	beforeAll(() => {
		for (const node of NODES)
			if (!existsSync(join(ROOT, node.file)))
				throw new Error(`${node.file} is missing: run \`npm run build\` (npm test does)`);
	});

	it('loads in n8n: every node and credential, with icons and codex', async () => {
		const loader = new PackageDirectoryLoader(ROOT);
		await loader.loadAll();
		expect(loader.packageName).toBe('n8n-nodes-payops');
		expect(Object.keys(loader.nodeTypes).sort()).toEqual(NODES.map((n) => n.type).sort());
		expect(Object.keys(loader.credentialTypes).sort()).toEqual(
			PROVIDERS.map((p) => p.credential.type).sort(),
		);
		for (const { type, icon, trigger } of NODES) {
			const { description } = loader.nodeTypes[type].type;
			expect(description.iconUrl).toEqual({
				light: expect.stringMatching(new RegExp(`${icon}\\.svg$`)),
				dark: expect.stringMatching(new RegExp(`${icon}\\.dark\\.svg$`)),
			});
			expect((description as { codex?: { categories?: string[] } }).codex?.categories).toEqual([
				'Finance & Accounting',
			]);
			// what the demo stack relies on to publish the examples and find their webhook URLs
			const current = currentDescription(loader.nodeTypes[type].type);
			if (trigger && 'webhookPath' in trigger)
				expect(current.webhooks?.map((w) => w.path)).toContain(trigger.webhookPath);
			if (trigger && 'polling' in trigger) expect(current.polling).toBe(true);
		}
	});

	it('packs dist only: every node, credential, icon and codex file, nothing from sandbox, test, bench or tools', () => {
		const [pack] = JSON.parse(
			execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
				cwd: ROOT,
				encoding: 'utf8',
			}),
		) as Array<{ files: Array<{ path: string }> }>;
		const files = pack.files.map((f) => f.path);
		const expected = [
			'package.json',
			'README.md',
			'dist/nodes/common/signing.js',
			...PROVIDERS.map((p) => p.credential.file),
			...NODES.flatMap((n) => [
				n.file,
				n.file.replace(/\.js$/, '.json'),
				`${dirname(n.file)}/${n.icon}.svg`,
				`${dirname(n.file)}/${n.icon}.dark.svg`,
			]),
		];
		for (const file of new Set(expected)) expect(files).toContain(file);
		expect(
			files.filter(
				(f) =>
					/(^|\/)(sandbox|test|bench|tools)\//.test(f) ||
					(f.endsWith('.ts') && !f.endsWith('.d.ts')),
			),
		).toEqual([]);
		expect(
			files.every(
				(f) => f.startsWith('dist/') || ['package.json', 'README.md', 'LICENSE.md'].includes(f),
			),
		).toBe(true);
	});
});
