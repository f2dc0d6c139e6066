/**
 * Every relative link in the repository's Markdown points at a file a clone has (tracked by git),
 * and every `#anchor` at a heading of the target: a README that links to what a reader cannot
 * open is a README that is not true.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

import { anchorsIn } from '../harness/markdown';

const ROOT = join(__dirname, '../..');
const tracked = new Set(
	execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean),
);
const markdown = [...tracked].filter((file) => file.endsWith('.md'));

describe('links in Markdown', () => {
	it('point at tracked files and existing headings', () => {
		const broken: string[] = [];
		for (const file of markdown) {
			const text = readFileSync(join(ROOT, file), 'utf8').replace(/```[\s\S]*?```/g, '');
			for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
				if (/^[a-z]+:/i.test(target)) continue;
				const [path, anchor] = target.split('#');
				const resolved = path
					? relative(ROOT, normalize(join(ROOT, dirname(file), decodeURI(path))))
					: file;
				if (path && !tracked.has(resolved)) broken.push(`${file}: ${target} (not in git)`);
				else if (anchor && resolved.endsWith('.md') && !anchorsIn(join(ROOT, resolved)).has(anchor))
					broken.push(`${file}: ${target} (no such heading)`);
			}
		}
		expect(broken).toEqual([]);
	});
});
