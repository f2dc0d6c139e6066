import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { USER_AGENT } from '../../nodes/common/userAgent';

const pkg = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8'));

describe('package.json', () => {
	it('follows the community-node rules', () => {
		expect(pkg.name).toBe('n8n-nodes-payops');
		expect(pkg.license).toBe('MIT');
		expect(pkg.keywords).toContain('n8n-community-node-package');
		expect(pkg.files).toEqual(['dist']);
		expect(pkg.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		expect(pkg.dependencies ?? {}).toEqual({});
		expect(pkg.overrides).toBeUndefined();
		for (const script of ['preinstall', 'install', 'postinstall', 'prepare'])
			expect(pkg.scripts[script]).toBeUndefined();
	});

	it('pins n8n-core and n8n-workflow as the pair n8n-core was released with', () => {
		const core = JSON.parse(readFileSync(require.resolve('n8n-core/package.json'), 'utf8'));
		expect(pkg.devDependencies['n8n-workflow']).toBe(core.dependencies['n8n-workflow']);
	});

	it('sends the package name and version in the User-Agent', () => {
		expect(USER_AGENT).toBe(`n8n-nodes-payops/${pkg.version}`);
	});
});
