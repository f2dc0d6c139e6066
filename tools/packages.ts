/**
 * One npm package per provider, built from the same sources as the pack (`gulp packages`, part of
 * `npm run build`). n8n verifies only packages that integrate exactly one service, and only
 * verified packages reach n8n Cloud, so every provider is installable on its own as well.
 *
 * Providers are found in the built pack, not in a list: every credential in package.json's `n8n`
 * section is one provider, with the nodes that use it. A provider's package gets those files,
 * only the compiled modules they require (found by walking `require` from them), the icons they
 * name and their codex files: the source keeps one copy of `nodes/common`, and runtime
 * dependencies stay banned. Type names are the pack's, so a workflow moves between the pack and a
 * provider's package by changing only the package prefix of each node's `type`.
 *
 * Two trees per provider:
 * - `packages-dist/<name>/` (git-ignored): the package as published, with its README.
 * - `packages/<name>/` (committed): its package.json beside links to the sources it is built
 *   from. n8n's scanner lints the source that a package's npm provenance points at and finds the
 *   package in it by the name in a package.json; without this tree a provider's package could not
 *   pass verification. test/unit/packages.test.ts fails when the committed tree is stale.
 */
import {
	copyFileSync,
	existsSync,
	mkdirSync,
	readFileSync,
	readdirSync,
	rmSync,
	statSync,
	symlinkSync,
	writeFileSync,
} from 'node:fs';
import { builtinModules } from 'node:module';
import { basename, dirname, join, relative, resolve } from 'node:path';

import type {
	ICredentialType,
	INodeType,
	INodeTypeDescription,
	IVersionedNodeType,
} from 'n8n-workflow';

import { providerReadme } from './package-readme';

export const ROOT = resolve(__dirname, '..');
export const DIST_DIR = join(ROOT, 'packages-dist');
export const SOURCE_DIR = join(ROOT, 'packages');
const PACK_NAME = 'n8n-nodes-payops';
/** What shipped code may require besides its own files: n8n provides it (peer dependency). */
const PROVIDED = new Set(['n8n-workflow']);

interface RootManifest {
	name: string;
	version: string;
	license: string;
	homepage: string;
	author: unknown;
	repository: { type: string; url: string };
	engines: Record<string, string>;
	n8n: { n8nNodesApiVersion: number; strict: boolean; credentials: string[]; nodes: string[] };
}

export interface ProviderPackage {
	/** `paytech`, `aggrepay-pro`: the node folder in kebab case, as docs/providers/<slug>.md. */
	slug: string;
	/** `n8n-nodes-<slug>` */
	name: string;
	/** The action node's display name: `pay.tech`, `Aggrepay.pro`. */
	displayName: string;
	/** The action node's description. */
	description: string;
	/** Node folder under nodes/: `Paytech`. */
	folder: string;
	/** Built paths as in package.json's n8n section (`dist/...`). */
	credential: { type: string; file: string };
	nodes: Array<{ type: string; file: string; trigger: boolean }>;
	/** Every file the package ships, as a path under dist/ of the pack. */
	files: string[];
	/** Its package.json. */
	manifest: Record<string, unknown>;
}

const readManifest = (): RootManifest =>
	JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as RootManifest;

/** `AggrepayPro` -> `aggrepay-pro` */
const kebab = (folder: string) => folder.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();

function instantiate<T>(file: string): T {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const exported = require(join(ROOT, file)) as Record<string, new () => T>;
	const [Type] = Object.values(exported);
	return new Type();
}

/** Every version's description: a trigger's versions may differ in what they use. */
const descriptions = (type: INodeType | IVersionedNodeType): INodeTypeDescription[] =>
	'nodeVersions' in type
		? Object.values(type.nodeVersions).map((v) => v.description)
		: [type.description];

const iconFiles = (icon: unknown): string[] =>
	(typeof icon === 'string' ? [icon] : Object.values((icon as Record<string, string>) ?? {}))
		.filter((i) => typeof i === 'string' && i.startsWith('file:'))
		.map((i) => i.slice('file:'.length));

/**
 * The built modules a file needs, itself included, by walking its relative `require`s. A require
 * of anything else than n8n-workflow or a Node built-in fails the build: it would be a runtime
 * dependency.
 */
function requireClosure(entries: string[]): Set<string> {
	const seen = new Set<string>();
	const visit = (file: string) => {
		if (seen.has(file)) return;
		seen.add(file);
		if (!file.endsWith('.js')) return;
		const code = readFileSync(join(ROOT, file), 'utf8');
		for (const [, target] of code.matchAll(/require\("([^"]+)"\)/g)) {
			if (!target.startsWith('.')) {
				const bare = target.replace(/^node:/, '');
				if (PROVIDED.has(target) || builtinModules.includes(bare)) continue;
				throw new Error(`${file} requires "${target}": runtime dependencies are not allowed`);
			}
			const base = join(dirname(file), target);
			const found = [base, `${base}.js`, join(base, 'index.js')].find((candidate) =>
				statSync(join(ROOT, candidate), { throwIfNoEntry: false })?.isFile(),
			);
			if (!found || !/\.(js|json)$/.test(found))
				throw new Error(`${file} requires "${target}", which the build did not produce`);
			visit(found);
		}
	};
	entries.forEach(visit);
	return seen;
}

/** The providers of the built pack (run `npm run build`'s compile step first). */
export function providerPackages(): ProviderPackage[] {
	const root = readManifest();
	const nodes = root.n8n.nodes.map((file) => {
		const type = instantiate<INodeType | IVersionedNodeType>(file);
		const all = descriptions(type);
		return {
			file,
			type: all[0].name,
			trigger: all.some((d) => d.group.includes('trigger')),
			credentials: new Set(all.flatMap((d) => d.credentials ?? []).map((c) => c.name)),
			icons: all.flatMap((d) => iconFiles(d.icon)),
			description: all[0],
		};
	});
	return root.n8n.credentials.map((credentialFile) => {
		const credential = instantiate<ICredentialType>(credentialFile);
		const own = nodes.filter((n) => n.credentials.has(credential.name));
		const action = own.find((n) => !n.trigger);
		if (!action)
			throw new Error(`${credentialFile}: no action node uses credential ${credential.name}`);
		const folders = new Set(own.map((n) => basename(dirname(n.file))));
		if (folders.size !== 1)
			throw new Error(`the nodes of ${credential.name} are in several folders: ${[...folders]}`);
		const [folder] = folders;
		const slug = kebab(folder);
		const name = `n8n-nodes-${slug}`;
		const icons = [
			...own.flatMap((n) => n.icons.map((icon) => join(dirname(n.file), icon))),
			...iconFiles(credential.icon).map((icon) => join(dirname(credentialFile), icon)),
		];
		const codex = own.map((n) => n.file.replace(/\.js$/, '.json'));
		const files = [
			...requireClosure([credentialFile, ...own.map((n) => n.file)]),
			...new Set(icons),
			...codex,
		].sort();
		for (const file of files)
			if (!existsSync(join(ROOT, file))) throw new Error(`${name}: ${file} was not built`);
		const pkg: ProviderPackage = {
			slug,
			name,
			folder,
			displayName: action.description.displayName,
			description: action.description.description,
			credential: { type: credential.name, file: credentialFile },
			nodes: own.map(({ type, file, trigger }) => ({ type, file, trigger })),
			files,
			manifest: {},
		};
		pkg.manifest = providerManifest(root, pkg);
		return pkg;
	});
}

function providerManifest(root: RootManifest, pkg: ProviderPackage): Record<string, unknown> {
	return {
		name: pkg.name,
		version: root.version,
		description: `n8n nodes for ${pkg.displayName}: ${pkg.description[0].toLowerCase()}${pkg.description.slice(1)}. Webhooks verified before a workflow starts. One provider of ${PACK_NAME}.`,
		keywords: [
			'n8n-community-node-package',
			'n8n',
			'payments',
			...new Set([pkg.slug, pkg.displayName.toLowerCase()]),
		],
		license: root.license,
		homepage: `${root.repository.url.replace(/^git\+/, '').replace(/\.git$/, '')}/tree/main/packages/${pkg.name}#readme`,
		author: root.author,
		repository: { ...root.repository, directory: `packages/${pkg.name}` },
		engines: root.engines,
		main: 'index.js',
		files: ['dist'],
		n8n: {
			n8nNodesApiVersion: root.n8n.n8nNodesApiVersion,
			strict: root.n8n.strict,
			credentials: [pkg.credential.file],
			nodes: pkg.nodes.map((n) => n.file),
		},
		peerDependencies: { 'n8n-workflow': '*' },
	};
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** packages-dist/<name>/: the package as `npm pack` and `npm publish` take it. */
function writeDistPackage(pkg: ProviderPackage): string {
	const dir = join(DIST_DIR, pkg.name);
	rmSync(dir, { recursive: true, force: true });
	for (const file of pkg.files) {
		const target = join(dir, file);
		mkdirSync(dirname(target), { recursive: true });
		if (file === 'dist/package.json')
			// the user agent names the package it was sent by (nodes/common/userAgent.ts)
			writeFileSync(target, json({ name: pkg.name, version: pkg.manifest.version }));
		else if (file.endsWith('.node.json'))
			// codex files name the node by its full type
			writeFileSync(
				target,
				readFileSync(join(ROOT, file), 'utf8').replace(`"${PACK_NAME}.`, `"${pkg.name}.`),
			);
		else copyFileSync(join(ROOT, file), target);
	}
	writeFileSync(join(dir, 'package.json'), json(pkg.manifest));
	writeFileSync(join(dir, 'README.md'), providerReadme(pkg));
	copyFileSync(join(ROOT, 'LICENSE.md'), join(dir, 'LICENSE.md'));
	return dir;
}

/**
 * packages/<name>/: package.json and a link to the source of each file the package ships, at the
 * path it has under the pack's root (nodes/..., credentials/...).
 */
function writeSourceView(pkg: ProviderPackage): void {
	const dir = join(SOURCE_DIR, pkg.name);
	rmSync(dir, { recursive: true, force: true });
	mkdirSync(dir, { recursive: true });
	writeFileSync(join(dir, 'package.json'), json(pkg.manifest));
	for (const file of pkg.files) {
		if (file === 'dist/package.json') continue;
		const source = file.replace(/^dist\//, '').replace(/\.js$/, '.ts');
		const link = join(dir, source);
		mkdirSync(dirname(link), { recursive: true });
		symlinkSync(relative(dirname(link), join(ROOT, source)), link);
	}
}

/** Writes both trees of every provider; the committed tree of a provider no longer built goes. */
export function buildProviderPackages(): ProviderPackage[] {
	const packages = providerPackages();
	rmSync(DIST_DIR, { recursive: true, force: true });
	mkdirSync(SOURCE_DIR, { recursive: true });
	for (const stale of readdirSync(SOURCE_DIR))
		if (!packages.some((p) => p.name === stale))
			rmSync(join(SOURCE_DIR, stale), { recursive: true, force: true });
	for (const pkg of packages) {
		writeDistPackage(pkg);
		writeSourceView(pkg);
	}
	return packages;
}
