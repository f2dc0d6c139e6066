/**
 * What npm would publish: `npm pack` of a package directory, unpacked into a temporary folder, as
 * n8n's scanner and n8n's installer see it.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Packs `dir` and unpacks the tarball; returns the unpacked package's folder. */
export function packAndUnpack(dir: string, into = mkdtempSync(join(tmpdir(), 'packed-'))): string {
	const [pack] = JSON.parse(
		execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', into], {
			cwd: dir,
			encoding: 'utf8',
		}),
	) as Array<{ name: string; filename: string }>;
	const target = join(into, pack.name);
	mkdirSync(target, { recursive: true });
	execFileSync('tar', ['-xzf', join(into, pack.filename), '-C', target, '--strip-components=1']);
	return target;
}
