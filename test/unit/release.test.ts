/**
 * The publish workflow runs what `npm run release:check` runs locally, and publishes every package
 * (the pack and packages-dist/*) with provenance, only from a version tag.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parse } from 'yaml';

const ROOT = join(__dirname, '../..');
const workflow = parse(readFileSync(join(ROOT, '.github/workflows/publish.yml'), 'utf8')) as {
	on: Record<string, unknown>;
	jobs: Record<
		string,
		{
			if: string;
			permissions?: Record<string, string>;
			steps: Array<{ run?: string; env?: Record<string, string> }>;
		}
	>;
};
const scripts = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts as Record<
	string,
	string
>;
const runs = (job: string) => workflow.jobs[job].steps.map((s) => s.run ?? '');

describe('the publish workflow', () => {
	it('checks every push without publishing', () => {
		expect(Object.keys(workflow.on)).toEqual(expect.arrayContaining(['push', 'pull_request']));
		expect(workflow.jobs['dry-run'].if).toContain("!= 'tag'");
		expect(runs('dry-run')).toContain('npm run release:check');
		expect(runs('dry-run').join('\n')).not.toContain('npm publish');
	});

	it('publishes the pack and every provider package with provenance, from a version tag only, after the same check', () => {
		const job = workflow.jobs.publish;
		expect(job.if).toContain("github.ref_type == 'tag'");
		expect(job.permissions).toMatchObject({ 'id-token': 'write' });
		const check = job.steps.find((s) => s.run === 'npm run release:check');
		expect(check?.env).toEqual({ RELEASE_TAG: '${{ github.ref_name }}' });
		const publish = runs('publish').find((r) => r.includes('npm publish'));
		expect(publish).toContain('for dir in . packages-dist/*/');
		expect(publish).toContain('npm publish --provenance --access public');
		// the check comes before any publish
		expect(runs('publish').indexOf('npm run release:check')).toBeLessThan(
			runs('publish').indexOf(publish!),
		);
	});

	it('names scripts that exist: release:check runs the tests, packs and dry-runs every publish', () => {
		expect(scripts['release:check']).toMatch(
			/^npm test && npm run pack:providers && .*release\.ts check$/,
		);
		expect(scripts['pack:providers']).toMatch(/^npm run build && .*release\.ts pack$/);
	});
});
