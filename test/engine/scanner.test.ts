/**
 * n8n's own gate (@n8n/scan-community-package, the rule set n8n applies before it verifies a
 * package) on everything we publish: the tarball leg (compiled .js and package.json) of the pack
 * and of every provider's package, and the source leg (package.json, nodes/**, credentials/**) of
 * the pack and of each provider's committed source tree, packages/<name>/, which is where the
 * scanner finds a provider's package in the attested source. Any error or warning fails: the
 * scanner rejects a package for either.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DIST_DIR, ROOT, SOURCE_DIR, providerPackages } from '../../tools/packages';
import { unpackedTarball } from '../../tools/n8n/server';

interface ScanResult {
	dir: string;
	leg: 'tarball' | 'source';
	passed: boolean;
	verdict: string | null;
	details: string | null;
	files: string[];
	messages: Array<{ file: string; severity: string; rule: string; message: string }>;
}

const key = (m: ScanResult['messages'][number]) =>
	`${m.file}: ${m.rule.replace(/^@n8n\/community-nodes\//, '')} ${/'([^']+)'/.exec(m.message)?.[1] ?? ''}`;

function scan(leg: ScanResult['leg'], dirs: string[]): ScanResult[] {
	// not jest's NODE_ENV=test: under it eslint-plugin-n8n-nodes-base takes every file for a node
	// file, which n8n's scanner does not
	const env = { ...process.env };
	delete env.NODE_ENV;
	return execFileSync(process.execPath, [join(ROOT, 'tools/scan.mjs'), leg, ...dirs], {
		encoding: 'utf8',
		maxBuffer: 64 * 1024 * 1024,
		env,
	})
		.trim()
		.split('\n')
		.map((line) => JSON.parse(line) as ScanResult);
}

const packages = providerPackages();
let results: ScanResult[] = [];
const work = mkdtempSync(join(tmpdir(), 'scanned-'));
const unpacked: string[] = [];

beforeAll(() => {
	for (const [i, dir] of [ROOT, ...packages.map((p) => join(DIST_DIR, p.name))].entries()) {
		unpacked.push(join(work, String(i)));
		unpackedTarball(dir, unpacked[i]);
	}
	results = [
		...scan('tarball', unpacked),
		...scan('source', [ROOT, ...packages.map((p) => join(SOURCE_DIR, p.name))]),
	];
}, 180_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("n8n's scanner", () => {
	it('runs on the pack and every provider package, both legs, and lints their code', () => {
		expect(results).toHaveLength(2 * (packages.length + 1));
		for (const result of results) {
			expect(result.files).toContain('package.json');
			// a leg that matched no node or credential file would pass without checking anything
			expect(result.files.some((f) => /^(dist\/)?nodes\/.+\.node\.(js|ts)$/.test(f))).toBe(true);
			expect(result.files.some((f) => /^(dist\/)?credentials\/.+\.(js|ts)$/.test(f))).toBe(true);
		}
	});

	it('passes every package, with no error', () => {
		const failed = results.filter((r) => !r.passed);
		expect(failed.map((r) => `${r.leg} ${r.dir}: ${r.verdict}\n${r.details}`)).toEqual([]);
		const errors = results.flatMap((r) => r.messages.filter((m) => m.severity === 'error'));
		expect(errors).toEqual([]);
	});

	it('warns about nothing', () => {
		const warnings = results.flatMap((r) => r.messages.filter((m) => m.severity === 'warning'));
		expect([...new Set(warnings.map(key))].sort()).toEqual([]);
	});
});
