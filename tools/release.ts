/**
 * Packing and the release check, for `npm run pack:providers`, `npm run release:check` and the
 * publish workflow (.github/workflows/publish.yml), which runs the same check before it publishes.
 *   ts-node tools/release.ts pack    tarballs of every provider package into packages-dist/
 *   ts-node tools/release.ts check   what must hold before publishing (after `npm test`)
 * RELEASE_TAG (the workflow passes the pushed tag, e.g. v0.2.0) must name the version published.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { DIST_DIR, ROOT, providerPackages } from './packages';

const npm = (cwd: string, ...args: string[]) =>
	execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** Every package we publish: the pack first, then one per provider. */
const publishedDirs = () => [ROOT, ...providerPackages().map((p) => join(DIST_DIR, p.name))];

const manifestOf = (dir: string) =>
	JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
		name: string;
		version: string;
	};

function pack(): void {
	for (const { name } of providerPackages()) {
		const [result] = JSON.parse(
			npm(
				join(DIST_DIR, name),
				'pack',
				'--json',
				'--ignore-scripts',
				'--pack-destination',
				DIST_DIR,
			),
		) as Array<{ filename: string; size: number; entryCount: number }>;
		console.log(
			`packages-dist/${result.filename}: ${result.entryCount} files, ${result.size} bytes`,
		);
	}
}

function check(): void {
	const problems: string[] = [];
	const { version } = manifestOf(ROOT);
	const tag = process.env.RELEASE_TAG;
	if (tag && tag !== `v${version}`)
		problems.push(`the tag ${tag} does not name package.json's version ${version} (v${version})`);
	for (const dir of publishedDirs()) {
		const manifest = manifestOf(dir);
		if (manifest.version !== version)
			problems.push(`${manifest.name} is at ${manifest.version}, the pack at ${version}`);
		try {
			// what `npm publish` would send, without sending it (provenance needs the CI's identity)
			npm(dir, 'publish', '--dry-run', '--ignore-scripts', '--access', 'public', '--json');
			console.log(`${manifest.name}@${manifest.version}: publish dry run passed`);
		} catch (error) {
			problems.push(
				`${manifest.name}: npm publish --dry-run failed: ${(error as { stderr?: string }).stderr ?? error}`,
			);
		}
	}
	if (problems.length > 0) {
		console.error(`release check failed:\n- ${problems.join('\n- ')}`);
		process.exit(1);
	}
}

const command = process.argv[2];
if (command === 'pack') pack();
else if (command === 'check') check();
else {
	console.error('usage: ts-node tools/release.ts pack|check');
	process.exit(2);
}
