/**
 * The per-provider packages as `npm run build` leaves them (tools/packages.ts): each one complete
 * on its own as n8n's loader reads it, with the pack's type names, nothing of another provider, a
 * package.json as verification requires, a README whose links lead somewhere, and a committed
 * source tree (packages/<name>/) that is up to date.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { PackageDirectoryLoader } from 'n8n-core';

import { DIST_DIR, ROOT, SOURCE_DIR, providerPackages } from '../../tools/packages';
import { anchorsIn } from '../harness/markdown';
import { PROVIDERS } from '../../tools/providers';

const packages = providerPackages();
const pack = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' });

async function load(dir: string) {
	const loader = new PackageDirectoryLoader(dir);
	await loader.loadAll();
	return loader;
}

describe('per-provider packages', () => {
	it('split the pack: every node and credential of it in exactly one package', () => {
		expect(packages.map((p) => p.credential.file).sort()).toEqual([...pack.n8n.credentials].sort());
		expect(packages.flatMap((p) => p.nodes.map((n) => n.file)).sort()).toEqual(
			[...pack.n8n.nodes].sort(),
		);
		// one spelling: the package is named by the provider's id (docs/providers/<id>.md, sandbox/<id>)
		expect(packages.map((p) => p.slug).sort()).toEqual(PROVIDERS.map((p) => p.id).sort());
	});

	it.each(packages.map((p) => [p.name, p]))(
		'%s loads alone in n8n with the descriptions and type names of the pack',
		async (name, pkg) => {
			const [alone, whole] = await Promise.all([load(join(DIST_DIR, name)), load(ROOT)]);
			expect(alone.packageName).toBe(name);
			expect(Object.keys(alone.nodeTypes).sort()).toEqual(pkg.nodes.map((n) => n.type).sort());
			expect(Object.keys(alone.credentialTypes)).toEqual([pkg.credential.type]);
			// the same description but for where n8n serves the icons from: under the package's name
			const asInPack = (type: unknown) =>
				JSON.parse(
					JSON.stringify(type).split(`icons/${name}/`).join('icons/n8n-nodes-payops/'),
				) as unknown;
			for (const type of Object.keys(alone.nodeTypes))
				expect(asInPack(alone.nodeTypes[type].type)).toEqual(asInPack(whole.nodeTypes[type].type));
			expect(asInPack(alone.credentialTypes[pkg.credential.type].type)).toEqual(
				asInPack(whole.credentialTypes[pkg.credential.type].type),
			);
		},
	);

	it.each(packages.map((p) => [p.name, p]))(
		'%s ships only its own provider and the shared modules it requires',
		(name, pkg) => {
			const others = packages.filter((p) => p !== pkg).map((p) => `dist/nodes/${p.folder}/`);
			expect(pkg.files.filter((f) => others.some((o) => f.startsWith(o)))).toEqual([]);
			expect(pkg.files.filter((f) => /\.(ts|map)$/.test(f))).toEqual([]);
			// proof that the walk prunes: no provider needs every shared module
			const common = pkg.files.filter((f) => f.startsWith('dist/nodes/common/'));
			expect(common.length).toBeGreaterThan(0);
			const userAgent = JSON.parse(readFileSync(join(DIST_DIR, name, 'dist/package.json'), 'utf8'));
			expect(userAgent).toEqual({ name, version: pack.version });
		},
	);

	it('leave out the shared modules a provider does not use', () => {
		// the pacer is All4Pay's alone (published rate limits)
		const withPacer = packages.filter((p) => p.files.includes('dist/nodes/common/pacer.js'));
		expect(withPacer.map((p) => p.slug)).toEqual(['all4pay']);
	});

	it.each(packages.map((p) => [p.name, p]))(
		'%s has the package.json verification asks for',
		(name, pkg) => {
			const manifest = JSON.parse(readFileSync(join(DIST_DIR, name, 'package.json'), 'utf8'));
			expect(manifest).toMatchObject({
				name,
				version: pack.version,
				license: 'MIT',
				author: pack.author,
				repository: { ...pack.repository, directory: `packages/${name}` },
				peerDependencies: { 'n8n-workflow': '*' },
				n8n: {
					n8nNodesApiVersion: 1,
					strict: true,
					credentials: [pkg.credential.file],
					nodes: pkg.nodes.map((n) => n.file),
				},
			});
			expect(Object.keys(manifest.peerDependencies)).toEqual(['n8n-workflow']);
			expect(manifest.dependencies).toBeUndefined();
			expect(manifest.scripts).toBeUndefined();
			expect(manifest.keywords).toContain('n8n-community-node-package');
			expect(manifest.description).toContain(pkg.displayName);
			// the committed source tree carries the same package.json: where the scanner finds it
			expect(readFileSync(join(SOURCE_DIR, name, 'package.json'), 'utf8')).toBe(
				readFileSync(join(DIST_DIR, name, 'package.json'), 'utf8'),
			);
		},
	);

	it('have their committed source trees (packages/) up to date with the build', () => {
		// npm test builds before jest: a stale or missing tree shows here as a change to commit
		expect(git('status', '--porcelain', '--', 'packages')).toBe('');
	});

	it.each(packages.map((p) => [p.name, p]))(
		"%s has a README with the provider's sections, whose links lead to the repository",
		(name, pkg) => {
			const readme = readFileSync(join(DIST_DIR, name, 'README.md'), 'utf8');
			for (const heading of [
				'## Install',
				`## ${pkg.displayName} credential`,
				`## ${pkg.displayName} node`,
				'## Example workflows',
				`## What ${pkg.displayName} does not publish`,
				'## Provider notes',
			])
				expect(readme).toContain(heading);
			// nothing of another provider's sections
			for (const other of packages.filter((p) => p !== pkg))
				expect(readme).not.toContain(`## ${other.displayName} credential`);
			const tracked = new Set(git('ls-files').split('\n'));
			const links = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]);
			const relative = links.filter((l) => !/^(https?|mailto):/.test(l));
			expect(relative).toEqual([]);
			const intoRepo = links
				.map(
					(l) =>
						/^https:\/\/(?:github\.com\/payops\/n8n-nodes-payops\/blob\/main|raw\.githubusercontent\.com\/payops\/n8n-nodes-payops\/main)\/([^#]+)/.exec(
							l,
						)?.[1],
				)
				.filter((p): p is string => p !== undefined);
			expect(intoRepo.length).toBeGreaterThan(0);
			expect(
				intoRepo.filter((p) => !tracked.has(p) && ![...tracked].some((t) => t.startsWith(`${p}/`))),
			).toEqual([]);
			// and links to the pack's README land on one of its headings
			const anchors = anchorsIn(join(ROOT, 'README.md'));
			const intoReadme = links
				.map((l) => /^https:\/\/github\.com\/payops\/n8n-nodes-payops#(.+)$/.exec(l)?.[1])
				.filter((a): a is string => a !== undefined);
			expect(intoReadme.length).toBeGreaterThan(0);
			expect(intoReadme.filter((a) => !anchors.has(a))).toEqual([]);
		},
	);
});
