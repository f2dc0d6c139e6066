/**
 * The README of a provider's own package (tools/packages.ts), generated so that the provider's
 * story has one source: its sections of the pack's README (headings that start with its display
 * name: credential, node, trigger, examples, "What <provider> does not publish") and
 * docs/providers/<slug>.md. Relative links become links into the repository, because npm shows
 * the README away from it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';

import type { ProviderPackage } from './packages';

const ROOT = join(__dirname, '..');
const REPO = 'https://github.com/payops/n8n-nodes-payops';
const RAW = 'https://raw.githubusercontent.com/payops/n8n-nodes-payops/main';

interface Section {
	level: number;
	heading: string;
	lines: string[];
}

/** `##` and `###` sections, each with the lines up to the next heading of any level. */
function sections(markdown: string): Section[] {
	const all: Section[] = [];
	let inFence = false;
	for (const line of markdown.split('\n')) {
		if (line.startsWith('```')) inFence = !inFence;
		const heading = !inFence && /^(#{2,3}) (.*)$/.exec(line);
		if (heading) all.push({ level: heading[1].length, heading: heading[2], lines: [] });
		else all.at(-1)?.lines.push(line);
	}
	return all;
}

/** Every heading one level down (code blocks untouched). */
function demote(markdown: string): string {
	let inFence = false;
	return markdown
		.split('\n')
		.map((line) => {
			if (line.startsWith('```')) inFence = !inFence;
			return !inFence && /^#+ /.test(line) ? `#${line}` : line;
		})
		.join('\n');
}

/** Links relative to `from` (a file of the repository) made absolute; images from raw. */
function absoluteLinks(markdown: string, from: string): string {
	return markdown.replace(
		/(!?)(\[[^\]]*\])\(([^)\s]+)\)/g,
		(whole, image: string, text: string, target: string) => {
			if (/^[a-z]+:/i.test(target)) return whole;
			if (target.startsWith('#')) return `${text}(${REPO}${target})`;
			const path = normalize(join(dirname(from), target)).replace(/\\/g, '/');
			return image ? `!${text}(${RAW}/${path})` : `${text}(${REPO}/blob/main/${path})`;
		},
	);
}

export function providerReadme(pkg: ProviderPackage): string {
	const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
	const own = (heading: string) =>
		heading.startsWith(`${pkg.displayName} `) ||
		heading.startsWith(`What ${pkg.displayName} does not publish`);
	// an example (### under "## Example workflows") comes with its parent's heading
	let parent = '';
	const picked: string[] = [];
	for (const section of sections(readme)) {
		const text = [`${'#'.repeat(section.level)} ${section.heading}`, ...section.lines];
		if (section.level === 2) parent = section.heading;
		if (!own(section.heading)) continue;
		if (section.level === 3 && !own(parent)) {
			picked.push(`## ${parent}\n\nIn the repository's [examples/](examples), to import into n8n.`);
			parent = `${pkg.displayName} `;
		}
		picked.push(text.join('\n').trimEnd());
	}
	if (!picked.some((s) => s.includes(`## ${pkg.displayName} credential`)))
		throw new Error(
			`README.md has no "## ${pkg.displayName} credential" section for ${pkg.name}'s README`,
		);

	const doc = `docs/providers/${pkg.slug}.md`;
	if (!existsSync(join(ROOT, doc))) throw new Error(`${doc} is missing (${pkg.name}'s README)`);
	// one level down, under this README's own heading
	const notes = absoluteLinks(
		demote(readFileSync(join(ROOT, doc), 'utf8')).replace(/^## /, '## Provider notes: '),
		doc,
	);

	const nodes = pkg.nodes.map((n) => `\`${pkg.name}.${n.type}\``).join(', ');
	return `${absoluteLinks(
		[
			`# ${pkg.name}`,
			'',
			`${pkg.description}, in [n8n](https://n8n.io). ${
				pkg.nodes.length
			} nodes (${nodes}) and the credential \`${pkg.credential.type}\`.`,
			'',
			`This package is the ${pkg.displayName} part of [n8n-nodes-payops](${REPO}), built from the same source: the nodes, their behaviour and their type names are the same, so a workflow moves between the two by changing only the package prefix of each node's \`type\`.`,
			'',
			'## Install',
			'',
			`- **n8n Cloud, and self-hosted n8n with verified packages:** open the nodes panel, search for "${pkg.displayName}" and install (once n8n has verified this package).`,
			`- **Self-hosted n8n:** Settings → Community Nodes → Install → \`${pkg.name}\`, or \`npm install ${pkg.name}\` in \`~/.n8n/nodes\` and restart n8n.`,
			'',
			`Install either this package or the whole pack (\`n8n-nodes-payops\`), not both. n8n would list both sets of nodes, but the credential type \`${pkg.credential.type}\` exists once in n8n: the package whose name sorts last would serve the nodes of both ([details](${REPO}#install-in-n8n)).`,
			'',
			...picked.flatMap((s) => [s, '']),
			'## Further reading',
			'',
			`- In the pack's README, for every provider: [de-duplication](${REPO}#de-duplication), [money in outputs](${REPO}#money-in-outputs), [many items at once](${REPO}#many-items-at-once-items-in-parallel), [queue mode](${REPO}#scaling-out-n8n-queue-mode) and [known limits](${REPO}#known-limits), such as how long a changed key takes to reach a trigger.`,
			`- The local sandbox that emulates ${pkg.displayName}, the example workflows and the tests: [the repository](${REPO}).`,
		].join('\n'),
		'README.md',
	)}\n${notes.trimEnd()}\n`;
}
