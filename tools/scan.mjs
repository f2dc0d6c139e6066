// n8n's own gate, run locally: @n8n/scan-community-package's analyzePackage() on a directory, with
// the file patterns of the leg that n8n runs (its CLI downloads from the public registry, so the
// function is called instead). Prints one JSON line per directory: the scanner's verdict, and
// every message, since the verdict hides warnings. ESM because the scanner is.
//   node tools/scan.mjs <tarball|source> <dir>...
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

import {
	analyzePackage,
	buildScanConfig,
	SOURCE_FILE_PATTERNS,
} from '@n8n/scan-community-package/scanner/scanner.mjs';

// the tarball leg as analyzePackageByName() runs it on a downloaded package
const LEGS = { tarball: ['**/*.js', 'package.json'], source: SOURCE_FILE_PATTERNS };
// the scanner's own eslint and fast-glob, so that its messages are exactly what n8n gets
const scannerRequire = createRequire(
	createRequire(import.meta.url).resolve('@n8n/scan-community-package/scanner/scanner.mjs'),
);
const { ESLint } = scannerRequire('eslint');
const glob = scannerRequire('fast-glob');

const [leg, ...dirs] = process.argv.slice(2);
if (!LEGS[leg] || dirs.length === 0) {
	process.stderr.write('usage: node tools/scan.mjs <tarball|source> <dir>...\n');
	process.exit(2);
}
const config = await buildScanConfig();
for (const dir of dirs.map((d) => resolve(d))) {
	const verdict = await analyzePackage(dir, LEGS[leg]);
	const files = glob.sync(LEGS[leg], {
		cwd: dir,
		absolute: true,
		ignore: ['node_modules/**', '**/package-lock.json'],
	});
	const eslint = new ESLint({
		cwd: dir,
		allowInlineConfig: false,
		overrideConfigFile: true,
		overrideConfig: config,
	});
	const messages = (await eslint.lintFiles(files)).flatMap((result) =>
		result.messages.map((m) => ({
			file: result.filePath.slice(dir.length + 1),
			severity: m.severity === 2 ? 'error' : 'warning',
			rule: m.ruleId,
			message: m.message,
		})),
	);
	process.stdout.write(
		`${JSON.stringify({
			dir,
			leg,
			passed: verdict.passed,
			verdict: verdict.message ?? null,
			details: verdict.details ?? null,
			files: files.map((f) => f.slice(dir.length + 1)).sort(),
			messages,
		})}\n`,
	);
}
