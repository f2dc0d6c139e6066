// nodes/, credentials/ and package.json get the rule sets n8n's scanner applies
// (@n8n/scan-community-package: community-nodes recommended, no-console, n8n-nodes-base community,
// credentials and nodes), set up as @n8n/node-cli 0.48.3 configs/eslint.js does; node-cli itself
// does not install from the registry reachable here. Left out of node-cli's set: the import-x
// plugin, whose resolver needs native packages the registry here lacks for other platforms (so
// `npm ci` could not use the lockfile); the scanner does not apply it.
// sandbox/, test/, bench/ and tools/ are dev-only code that never ships: they get ordinary
// typescript-eslint rules and may use process, timers and the file system.
import js from '@eslint/js';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import { globalIgnores } from 'eslint/config';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import tseslint from 'typescript-eslint';

const communityNodesRecommended = n8nCommunityNodesPlugin.configs.recommended;
const shipped = ['nodes/**/*.ts', 'credentials/**/*.ts'];

export default tseslint.config(
	globalIgnores([
		'dist',
		'node_modules',
		'coverage',
		'.n8n-runtime',
		'.tmp',
		// packages/ links to nodes/ and credentials/ (linted there); packages-dist/ is built
		'packages',
		'packages-dist',
		'**/*.js',
		'**/*.mjs',
	]),
	{
		files: shipped,
		extends: [js.configs.recommended, tseslint.configs.recommended, communityNodesRecommended],
		rules: {
			'prefer-spread': 'off',
			'no-console': 'error',
		},
	},
	{
		plugins: { 'n8n-nodes-base': n8nNodesBase },
	},
	{
		files: ['package.json'],
		extends: [communityNodesRecommended],
		rules: {
			...n8nNodesBase.configs.community.rules,
		},
		languageOptions: {
			parser: tseslint.parser,
			parserOptions: {
				extraFileExtensions: ['.json'],
			},
		},
	},
	{
		files: ['credentials/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
			'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
			'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
		},
	},
	{
		files: ['sandbox/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'tools/**/*.ts'],
		extends: [js.configs.recommended, tseslint.configs.recommended],
	},
);
