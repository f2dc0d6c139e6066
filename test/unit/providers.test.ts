/**
 * The provider list (tools/providers.ts) against what n8n reads and what the repository holds:
 * package.json's `n8n` section stays static JSON, so nothing else keeps the two in step.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import type { ICredentialType } from 'n8n-workflow';

import { ALL4PAY_CUSTOMER, DEMO_PAYMENT_LINK, WALLET_CUSTOMER } from '../../tools/n8n/demo-data';
import { PACKAGE_NAME, PROVIDERS, secretEnvName } from '../../tools/providers';

const ROOT = join(__dirname, '../..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
	name: string;
	n8n: { credentials: string[]; nodes: string[] };
};
const NODES = PROVIDERS.flatMap((p) => p.nodes);
const sorted = (list: string[]) => [...list].sort();
/** dist/nodes/Paytech/Paytech.node.js -> nodes/Paytech/Paytech.node */
const source = (distFile: string) => distFile.replace(/^dist\//, '').replace(/\.js$/, '');

describe('the provider list', () => {
	it("names exactly the credentials and nodes of package.json's n8n section", () => {
		expect(sorted(PROVIDERS.map((p) => p.credential.file))).toEqual(sorted(pkg.n8n.credentials));
		expect(sorted(NODES.map((n) => n.file))).toEqual(sorted(pkg.n8n.nodes));
		expect(PACKAGE_NAME).toBe(pkg.name);
	});

	it('has no provider id, type, file, port or environment prefix twice', () => {
		const unique = (list: unknown[]) => expect(new Set(list).size).toBe(list.length);
		unique(PROVIDERS.map((p) => p.id));
		unique(PROVIDERS.map((p) => p.credential.type));
		unique(NODES.map((n) => n.type));
		unique(NODES.map((n) => n.file));
		unique(PROVIDERS.map((p) => p.sandbox.defaultPort));
		unique(PROVIDERS.map((p) => p.sandbox.envPrefix));
		unique(PROVIDERS.map((p) => p.demo.credentialName));
	});

	it('points at source files that exist: credential, node with its codex file, light and dark icon, README', () => {
		const files = PROVIDERS.flatMap((p) => [
			`${source(p.credential.file)}.ts`,
			p.sandbox.readme,
			...p.nodes.flatMap((n) => [
				`${source(n.file)}.ts`,
				`${source(n.file)}.json`,
				`${dirname(source(n.file))}/${n.icon}.svg`,
				`${dirname(source(n.file))}/${n.icon}.dark.svg`,
			]),
		]);
		expect(files.filter((file) => !existsSync(join(ROOT, file)))).toEqual([]);
	});

	it('names every example workflow, and only examples that exist', () => {
		const onDisk = readdirSync(join(ROOT, 'examples')).filter((f) => f.endsWith('.json'));
		const named = PROVIDERS.flatMap((p) => p.demo.examples);
		expect(sorted([...new Set(named)])).toEqual(sorted(onDisk));
	});

	it("sends each sandbox's webhooks to a trigger of its own provider in one of its examples", () => {
		for (const p of PROVIDERS) {
			const target = p.demo.webhookTarget;
			if (!target) continue;
			expect(p.demo.examples).toContain(target.example);
			const workflow = JSON.parse(readFileSync(join(ROOT, 'examples', target.example), 'utf8')) as {
				nodes: Array<{ name: string; type: string }>;
			};
			const trigger = workflow.nodes.find((n) => n.name === target.trigger);
			const webhookTypes = p.nodes
				.filter((n) => n.trigger && 'webhookPath' in n.trigger)
				.map((n) => `${PACKAGE_NAME}.${n.type}`);
			expect(webhookTypes).toContain(trigger?.type);
		}
	});

	it('ships a "Try it" workflow per provider: a manual start, a node of the provider, a note on what to do', () => {
		for (const p of PROVIDERS) {
			const tries = p.demo.examples
				.map(
					(file) =>
						JSON.parse(readFileSync(join(ROOT, 'examples', file), 'utf8')) as {
							name: string;
							nodes: Array<{ type: string }>;
						},
				)
				.filter((w) => w.name.startsWith('Try it: '));
			expect(tries.length).toBeGreaterThan(0);
			const types = p.nodes.map((n) => `${PACKAGE_NAME}.${n.type}`);
			for (const workflow of tries) {
				const nodeTypes = workflow.nodes.map((n) => n.type);
				expect(nodeTypes).toContain('n8n-nodes-base.manualTrigger');
				expect(nodeTypes).toContain('n8n-nodes-base.stickyNote');
				expect(nodeTypes.some((type) => types.includes(type))).toBe(true);
			}
		}
	});

	it('fills the AggrePay "Try it" payment link with the demo data the tests and the README use', () => {
		const workflow = JSON.parse(
			readFileSync(join(ROOT, 'examples', 'try-aggrepay-payment-link.json'), 'utf8'),
		) as { nodes: Array<{ parameters: Record<string, unknown> }> };
		const link = workflow.nodes.find((n) => n.parameters.operation === 'createPaymentLink');
		expect(link?.parameters).toMatchObject({
			...DEMO_PAYMENT_LINK,
			additionalFields: { udf1: WALLET_CUSTOMER.customerId },
		});
	});

	it('fills the All4Pay "Try it" deposit with the demo customer, and a new User ID per run', () => {
		const workflow = JSON.parse(
			readFileSync(join(ROOT, 'examples', 'try-all4pay-deposit.json'), 'utf8'),
		) as { nodes: Array<{ parameters: Record<string, unknown> }> };
		const deposit = workflow.nodes.find((n) => n.parameters.resource === 'deposit');
		expect(deposit?.parameters).toMatchObject({
			operation: 'create',
			cpf: ALL4PAY_CUSTOMER.cpf,
			name: ALL4PAY_CUSTOMER.name,
			email: ALL4PAY_CUSTOMER.email,
		});
		// All4Pay refuses the same user_id and amount for a few minutes: the run's ID goes into it
		expect(deposit?.parameters.userId).toBe(`={{ '${ALL4PAY_CUSTOMER.userId}-' + $execution.id }}`);
	});

	it('turns a refused key in the credential test into a message that names the provider and what to check', () => {
		for (const p of PROVIDERS) {
			// eslint-disable-next-line @typescript-eslint/no-require-imports -- the file the entry names
			const exported = require(join(ROOT, `${source(p.credential.file)}.ts`)) as Record<
				string,
				new () => ICredentialType
			>;
			const credential = Object.values(exported).map((Class) => new Class())[0];
			const rules = credential.test?.rules ?? [];
			// without a rule for the provider's answer (a 401, or an error code inside a 200), n8n
			// shows its bare status text: "Unauthorized"
			const messages = rules.map((rule) => rule.properties.message);
			expect(messages.some((m) => /refused the API key.*\([A-Z0-9]+\): check /.test(m))).toBe(true);
			for (const message of messages) expect(message.startsWith(`${p.displayName} `)).toBe(true);
		}
	});

	it('gives every sandbox setting its own environment variable', () => {
		const names = PROVIDERS.flatMap((p) => [
			`${p.sandbox.envPrefix}PORT`,
			...(p.sandbox.webhooks ? [`${p.sandbox.envPrefix}${p.sandbox.webhooks.env}`] : []),
			...Object.keys(p.sandbox.secrets).map((s) => secretEnvName(p, s)),
		]);
		expect(new Set(names).size).toBe(names.length);
		expect(secretEnvName(PROVIDERS.find((p) => p.id === 'paytech')!, 'signingKey')).toBe(
			'PAYTECH_SANDBOX_SIGNING_KEY',
		);
	});
});
