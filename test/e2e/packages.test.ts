/**
 * Each provider's own package (tools/packages.ts; `npm run build` writes packages-dist/) in a real
 * n8n 2.41, installed alone the way n8n installs a community package: the tarball of `npm pack`
 * extracted into a fresh user folder's `.n8n/nodes/node_modules/<name>`, with no other package of
 * ours beside it. n8n lists exactly its nodes and its credential, the credential test passes
 * against the provider's sandbox (and fails with a wrong secret), and its "Try it" example runs
 * after changing nothing but the package prefix of each node's `type`. Then the pack and provider
 * packages side by side in one n8n: what n8n does with the same type names under two package names.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

import {
	EXAMPLES_DIR,
	ensureCredential,
	provisionExamples,
	withPackagePrefix,
} from '../../tools/n8n/provision';
import { ensureRuntime, type N8nRuntime } from '../../tools/n8n/runtime';
import { N8nServer, PACKAGE_NAME, installPack, nodeOutput } from '../../tools/n8n/server';
import { DIST_DIR, providerPackages, type ProviderPackage } from '../../tools/packages';
import {
	PROVIDERS,
	secretsOf,
	type ProviderEntry,
	type ProviderId,
	type SandboxHandle,
	type SandboxOf,
} from '../../tools/providers';
import { freePortRange } from './helpers';

const OWNER = {
	email: 'packages-e2e@example.com',
	password: 'E2e-password-1',
	firstName: 'Packages',
	lastName: 'Owner',
};
// the webhook base URL the examples are written with (tools/n8n/stack.ts): an Aggrepay.pro
// payment carries its callback URL, which must name this n8n, not `npm start`'s
const EXAMPLE_WEBHOOK_BASE_URL = 'http://127.0.0.1:5678/';

const PACKAGES = providerPackages();

interface RecordedRequest {
	method: string;
	path: string;
	headers: Record<string, string>;
	status?: number;
}

interface TypeDescription {
	name: string;
	supportedNodes?: string[];
}

/** What the "Try it" run created, looked up in the sandbox; a provider not named here is checked by its request log only. */
const HELD: {
	[I in ProviderId]?: (sandbox: SandboxOf<I>, item: Record<string, unknown>) => unknown;
} = {
	paytech: (sandbox, deposit) => sandbox.payments.get(String(deposit.id)),
	numipay: (sandbox, session) => sandbox.sessions.get(String(session.token)),
	'aggrepay-pro': (sandbox, payment) => sandbox.payment(String(payment.id)),
	all4pay: (sandbox, deposit) => sandbox.deposit(String(deposit.id)),
	// AggrePay's payment link: the sandbox serves its payment page
	aggrepay: async (_sandbox, link) =>
		(await fetch(String(link.url), { signal: AbortSignal.timeout(10_000) })).ok || undefined,
};

/** A provider's entry in tools/providers.ts: the one with the package's credential type. */
function entryOf(pkg: ProviderPackage): ProviderEntry<ProviderId> {
	const entry = PROVIDERS.find((p) => p.credential.type === pkg.credential.type);
	if (!entry)
		throw new Error(`${pkg.name}: no entry in tools/providers.ts has ${pkg.credential.type}`);
	return entry;
}

/** The User-Agent a package's credential sends (nodes/common/userAgent.ts, from its package.json). */
const userAgentOf = (manifest: { name: string; version: unknown }) =>
	`${manifest.name}/${String(manifest.version)}`;
const PACK_MANIFEST = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as {
	name: string;
	version: string;
};

/**
 * The node types n8n lists for a package: each node under `<package>.<type>`, and the
 * `<type>Tool` n8n generates for a node that is `usableAsTool` (as the AI Agent's tool).
 */
function listedNodeTypes(pkg: ProviderPackage, prefix = pkg.name): string[] {
	return pkg.nodes
		.flatMap((node) => {
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			const exported = require(join(DIST_DIR, pkg.name, node.file)) as Record<
				string,
				new () => { description: { usableAsTool?: boolean } }
			>;
			const { description } = new (Object.values(exported)[0])();
			return description.usableAsTool ? [node.type, `${node.type}Tool`] : [node.type];
		})
		.map((type) => `${prefix}.${type}`)
		.sort();
}

/** Every file below `dir`, as a path relative to it. */
const filesUnder = (dir: string): string[] =>
	readdirSync(dir, { recursive: true, withFileTypes: true })
		.filter((entry) => entry.isFile())
		.map((entry) => relative(dir, join(entry.parentPath, entry.name)))
		.sort();

/** Every path at which two JSON values differ, with both values. */
function jsonDifferences(
	a: unknown,
	b: unknown,
	path = '',
): Array<{ path: string; from: unknown; to: unknown }> {
	if (
		a !== null &&
		b !== null &&
		typeof a === 'object' &&
		typeof b === 'object' &&
		Array.isArray(a) === Array.isArray(b)
	) {
		const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
		return [...keys].flatMap((key) =>
			jsonDifferences(
				(a as Record<string, unknown>)[key],
				(b as Record<string, unknown>)[key],
				`${path}/${key}`,
			),
		);
	}
	return Object.is(a, b) ? [] : [{ path, from: a, to: b }];
}

interface ExampleNode {
	name: string;
	type: string;
}
const readExample = (file: string) =>
	JSON.parse(readFileSync(join(EXAMPLES_DIR, file), 'utf8')) as { nodes: ExampleNode[] };

/** A provider's "Try it" example: the first examples/try-*.json its entry names. */
function tryExample(entry: ProviderEntry): string {
	const file = entry.demo.examples.find((f) => f.startsWith('try-'));
	if (!file) throw new Error(`${entry.id} has no examples/try-*.json in tools/providers.ts`);
	return file;
}

/** One n8n with its own user folder, and the sandboxes it talks to; stop() ends all of them. */
class Fixture {
	n8n?: N8nServer;
	userFolder?: string;
	readonly sandboxes = new Map<
		string,
		{ sandbox: SandboxHandle; secrets: Record<string, string> }
	>();

	/** Installs the packages (dirs) into a fresh user folder, starts n8n, signs the owner in. */
	async start(runtime: N8nRuntime, packageDirs: string[]): Promise<N8nServer> {
		this.userFolder = mkdtempSync(join(tmpdir(), 'payops-packages-e2e-'));
		for (const dir of packageDirs) installPack(this.userFolder, dir);
		this.n8n = await N8nServer.start({
			runtime,
			userFolder: this.userFolder,
			port: await freePortRange(),
			logFile: join(this.userFolder, 'n8n.log'),
		});
		await this.n8n.signIn(OWNER);
		return this.n8n;
	}

	/** The provider's sandbox with its demo secrets and demo data, as `npm start` runs it. */
	async sandbox(entry: ProviderEntry) {
		const secrets = secretsOf(entry);
		const sandbox = await entry.sandbox.start({ port: 0, host: '127.0.0.1', secrets });
		this.sandboxes.set(entry.id, { sandbox, secrets });
		await entry.demo.seed(sandbox);
		return { sandbox, secrets };
	}

	/** n8n's log from its first line naming `what` (a package that failed to load says why), or its tail. */
	logAbout(what: string): string {
		const lines = this.n8n?.logTail(10_000).split('\n') ?? [];
		const first = lines.findIndex((line) => line.includes(what));
		return first < 0
			? `n8n's log ends:\n${lines.slice(-30).join('\n')}`
			: `n8n's log about ${what}:\n${lines.slice(first, first + 12).join('\n')}`;
	}

	async stop(): Promise<void> {
		await Promise.allSettled([
			this.n8n?.stop(),
			...[...this.sandboxes.values()].map(async ({ sandbox }) => await sandbox.close()),
		]);
		if (this.userFolder) rmSync(this.userFolder, { recursive: true, force: true });
	}
}

const requestsOf = (sandbox: SandboxHandle): RecordedRequest[] => {
	const { requests } = sandbox as SandboxHandle & { requests?: RecordedRequest[] };
	if (!requests) throw new Error(`the sandbox at ${sandbox.url} keeps no request log`);
	return requests;
};

/** The editor's "Test" button: the saved credential with the dialog's values. */
const testCredential = async (
	n8n: N8nServer,
	saved: { id: string; name: string },
	type: string,
	data: Record<string, unknown>,
) =>
	(await n8n.rest('POST', '/rest/credentials/test', {
		credentials: { ...saved, type, data },
	})) as { status: string; message?: string };

let runtime: N8nRuntime;

beforeAll(async () => {
	runtime = await ensureRuntime((message) => process.stdout.write(`${message}\n`));
}, 20 * 60_000);

describe.each(PACKAGES.map((pkg) => [pkg.name, pkg] as const))(
	'%s alone in a fresh n8n',
	(name, pkg) => {
		const fixture = new Fixture();
		const entry = entryOf(pkg);
		const userAgent = userAgentOf(pkg.manifest as { name: string; version: string });
		let n8n: N8nServer;
		let sandbox: SandboxHandle;
		let secrets: Record<string, string>;
		let saved: Promise<{ id: string; name: string }> | undefined;
		// the saved credential, created by the first test that needs it
		const credential = async () =>
			await (saved ??= ensureCredential(
				n8n,
				entry.demo.credentialName,
				pkg.credential.type,
				entry.demo.credentialData(sandbox, secrets),
			).then(
				(id) => ({ id, name: entry.demo.credentialName }),
				(error: Error) => {
					throw new Error(`${error.message}\n${fixture.logAbout(name)}`);
				},
			));

		beforeAll(async () => {
			({ sandbox, secrets } = await fixture.sandbox(entry));
			n8n = await fixture.start(runtime, [join(DIST_DIR, name)]);
		}, 180_000);

		afterAll(async () => await fixture.stop(), 60_000);

		it('lists exactly its nodes and its credential, and nothing of the pack or another provider', async () => {
			// what npm pack put into the tarball: the package's files and the three npm always takes
			expect(filesUnder(join(fixture.userFolder!, '.n8n/nodes/node_modules', name))).toEqual(
				[...pkg.files, 'LICENSE.md', 'README.md', 'package.json'].sort(),
			);
			expect(readdirSync(join(fixture.userFolder!, '.n8n/nodes/node_modules'))).toEqual([name]);
			const nodes = (await n8n.getJson('/types/nodes.json')) as TypeDescription[];
			const names = [...new Set(nodes.map((t) => t.name))];
			const listed = names.filter((n) => n.startsWith(`${name}.`)).sort();
			if (listed.join() !== listedNodeTypes(pkg).join())
				throw new Error(
					`n8n lists [${listed.join(', ')}], not [${listedNodeTypes(pkg).join(', ')}]\n${fixture.logAbout(name)}`,
				);
			const ours = [PACKAGE_NAME, ...PACKAGES.map((p) => p.name)].filter((p) => p !== name);
			expect(names.filter((n) => ours.some((p) => n.startsWith(`${p}.`)))).toEqual([]);

			const credentials = (await n8n.getJson('/types/credentials.json')) as TypeDescription[];
			const otherTypes = PACKAGES.filter((p) => p !== pkg).map((p) => p.credential.type);
			expect(credentials.filter((c) => otherTypes.includes(c.name))).toEqual([]);
			const own = credentials.filter((c) => c.name === pkg.credential.type);
			expect(own).toHaveLength(1);
			// the nodes that use it, under this package's name
			expect([...(own[0].supportedNodes ?? [])].sort()).toEqual(
				pkg.nodes.map((node) => `${name}.${node.type}`).sort(),
			);
		});

		it("runs its credential's test against its sandbox, and fails it with a wrong secret", async () => {
			const data = entry.demo.credentialData(sandbox, secrets);
			const requests = requestsOf(sandbox);
			const before = requests.length;
			expect(
				await testCredential(n8n, await credential(), pkg.credential.type, data),
			).toMatchObject({
				status: 'OK',
			});
			// the first secret is the API key or token the sandbox checks on every call
			const [secret] = Object.keys(entry.sandbox.secrets);
			const wrong = entry.demo.credentialData(sandbox, { ...secrets, [secret]: 'wrong-secret' });
			expect(
				await testCredential(n8n, await credential(), pkg.credential.type, wrong),
			).toMatchObject({
				status: 'Error',
			});
			const sent = requests.slice(before);
			expect(sent.length).toBeGreaterThanOrEqual(2);
			// this package's credential code made them: its User-Agent names the package
			expect(new Set(sent.map((r) => r.headers['user-agent']))).toEqual(new Set([userAgent]));
		}, 60_000);

		it('runs its "Try it" example after only the package prefix of the node types changed', async () => {
			const file = tryExample(entry);
			const original = readExample(file);
			const moved = withPackagePrefix(original, name);
			// the move: every difference is a node's type, from the pack's prefix to this package's
			const changed = original.nodes.flatMap((node, i) =>
				node.type.startsWith(`${PACKAGE_NAME}.`)
					? [
							{
								path: `/nodes/${i}/type`,
								from: node.type,
								to: `${name}.${node.type.slice(PACKAGE_NAME.length + 1)}`,
							},
						]
					: [],
			);
			expect(changed.length).toBeGreaterThan(0);
			expect(jsonDifferences(original, moved)).toEqual(changed);

			const [workflow] = await provisionExamples(
				n8n,
				{ [pkg.credential.type]: await credential() },
				{ [EXAMPLE_WEBHOOK_BASE_URL]: `${n8n.webhookBaseUrl}/` },
				{},
				{ files: [file], packageName: name },
			);
			expect(workflow.file).toBe(file);
			const stored = await n8n.api('GET', `/workflows/${workflow.id}`);
			expect((stored.nodes as ExampleNode[]).map((n) => n.type)).toEqual(
				moved.nodes.map((n) => n.type),
			);

			const requests = requestsOf(sandbox);
			const before = requests.length;
			const execution = await n8n.execute(workflow.id);
			expect(execution).toMatchObject({ status: 'success' });
			const actionTypes = pkg.nodes.filter((n) => !n.trigger).map((n) => `${name}.${n.type}`);
			const action = moved.nodes.find((n) => actionTypes.includes(n.type));
			expect(action).toBeDefined();
			const [item] = nodeOutput(execution, action!.name);
			expect(item).toBeDefined();
			// what it created is in the sandbox
			const held = HELD[entry.id] as
				| ((sandbox: SandboxHandle, item: Record<string, unknown>) => unknown)
				| undefined;
			if (held) expect(await held(sandbox, item)).toBeTruthy();
			// and the sandbox answered this package's requests
			const sent = requests.slice(before);
			expect(sent.length).toBeGreaterThan(0);
			expect(sent.every((r) => r.status !== undefined && r.status < 300)).toBe(true);
			expect(new Set(sent.map((r) => r.headers['user-agent']))).toEqual(new Set([userAgent]));
		}, 120_000);
	},
);

/*
 * The pack and provider packages side by side (n8n 2.41.0), found below and in n8n's code:
 *
 * n8n starts, loads every package and logs nothing about the duplicates. Node types do not clash:
 * n8n names each node `<package name>.<type>`, so `n8n-nodes-payops.paytech` and
 * `n8n-nodes-paytech.paytech` are both listed, and a workflow of either prefix runs, each node
 * from its own package. Credential types carry no package name: both packages register
 * `paytechApi`; `/types/credentials.json` lists it twice, once per package (each entry's
 * supportedNodes naming that package's nodes; the editor keeps the last entry of a name), and one
 * saved `paytechApi` credential serves the nodes of both packages. Where n8n runs the credential
 * type's code (its test, and `authenticate` on every request of either package's nodes), the
 * package loaded last wins: n8n loads community packages in the alphabetical order of their
 * folder names, and each package's credential type replaces the one loaded before it. So
 * `n8n-nodes-paytech`, which sorts after `n8n-nodes-payops`, supplies `paytechApi` to the pack's
 * nodes as well, and the pack supplies `aggrePayApi` to `n8n-nodes-aggrepay`'s nodes. Both copies
 * are built from the same source, so what the provider sees differs only in the User-Agent, which
 * names the package whose credential type sent the request; with two different versions installed,
 * one package's nodes would run with the other's credential code.
 *
 * Where (n8n 2.41.0, under .n8n-runtime/app/node_modules):
 * - n8n/dist/modules/community-packages/community-packages.module.js:42-44 and
 *   n8n-core/dist/nodes-loader/scan-directory-for-packages.js:21: one loader per
 *   `fast-glob('n8n-nodes-*')` match in `.n8n/nodes/node_modules`, in directory-listing order,
 *   which Node (libuv's scandir) sorts by name (`ls -U` shows ext4's own, different order).
 * - n8n/dist/load-nodes-and-credentials.js:156-162: `this.loaders[loader.packageName] = loader`
 *   in that order; :363-365 refuses only a second copy of the same package name.
 * - :377-380 and :395 node types become `${packageName}.${name}`; :388 credential types are
 *   concatenated as they are (hence two entries of one name); :400-403
 *   `known.credentials[type] = ...` with the supportedNodes of the last package to define it.
 * - :448-460 getCredential(): every loader that knows the type overwrites
 *   `loadedCredentials[credentialType]`, so the last loader's class is returned; :429-436 getNode()
 *   splits the type at '.' and asks that package's loader.
 * - n8n/dist/credential-types.js:23-24 getByName() is that getCredential(), used by
 *   n8n/dist/credentials-helper.js:71 (authenticate) and
 *   n8n/dist/services/credentials-tester.service.js:80 (the credential test).
 * - editor: n8n-editor-ui's credentials store, `credentialTypes = t.reduce((e,t)=>(e[t.name]=t,e),{})`.
 */
describe('the pack beside provider packages in one n8n', () => {
	const fixture = new Fixture();
	const bySlug = (slug: string) => PACKAGES.find((p) => p.slug === slug)!;
	// one provider package sorting after the pack's name, one before it
	const paytech = bySlug('paytech');
	const aggrepay = bySlug('aggrepay');
	const PACK_AGENT = userAgentOf(PACK_MANIFEST);
	let n8n: N8nServer;
	const credentials: Record<string, { id: string; name: string }> = {};
	const credentialData: Record<string, Record<string, unknown>> = {};

	beforeAll(async () => {
		expect([paytech.name, PACKAGE_NAME, aggrepay.name].sort()).toEqual([
			'n8n-nodes-aggrepay',
			'n8n-nodes-payops',
			'n8n-nodes-paytech',
		]);
		n8n = await fixture.start(runtime, [
			join(__dirname, '../..'),
			join(DIST_DIR, paytech.name),
			join(DIST_DIR, aggrepay.name),
		]);
		for (const pkg of [paytech, aggrepay]) {
			const entry = entryOf(pkg);
			const { sandbox, secrets } = await fixture.sandbox(entry);
			const type = pkg.credential.type;
			credentialData[type] = entry.demo.credentialData(sandbox, secrets);
			const name = entry.demo.credentialName;
			credentials[type] = {
				id: await ensureCredential(n8n, name, type, credentialData[type]),
				name,
			};
		}
	}, 180_000);

	afterAll(async () => await fixture.stop(), 60_000);

	it('starts, and lists the nodes of each package under its own package name', async () => {
		const names = [
			...new Set(
				((await n8n.getJson('/types/nodes.json')) as TypeDescription[]).map((t) => t.name),
			),
		];
		const under = (prefix: string) => names.filter((n) => n.startsWith(`${prefix}.`)).sort();
		expect(under(PACKAGE_NAME)).toEqual(
			PACKAGES.flatMap((pkg) => listedNodeTypes(pkg, PACKAGE_NAME)).sort(),
		);
		expect(under(paytech.name)).toEqual(listedNodeTypes(paytech));
		expect(under(aggrepay.name)).toEqual(listedNodeTypes(aggrepay));
		expect(names).toEqual(
			expect.arrayContaining(['n8n-nodes-payops.paytech', 'n8n-nodes-paytech.paytech']),
		);
		expect(readFileSync(n8n.logFile, 'utf8')).not.toMatch(
			/already loaded|Failed to load|Skipping package/,
		);
	});

	it('lists a credential type of both packages twice, once per package, in the order it loads them', async () => {
		const types = (await n8n.getJson('/types/credentials.json')) as TypeDescription[];
		expect(
			types
				.filter((t) => t.name === 'paytechApi' || t.name === 'aggrePayApi')
				.map((t) => ({ name: t.name, supportedNodes: t.supportedNodes })),
		).toEqual([
			{
				name: 'aggrePayApi',
				supportedNodes: [
					'n8n-nodes-aggrepay.aggrePay',
					'n8n-nodes-aggrepay.aggrePayTrigger',
					'n8n-nodes-aggrepay.aggrePayWalletTrigger',
				],
			},
			{
				name: 'paytechApi',
				supportedNodes: ['n8n-nodes-payops.paytech', 'n8n-nodes-payops.paytechTrigger'],
			},
			{
				name: 'aggrePayApi',
				supportedNodes: [
					'n8n-nodes-payops.aggrePay',
					'n8n-nodes-payops.aggrePayTrigger',
					'n8n-nodes-payops.aggrePayWalletTrigger',
				],
			},
			{
				name: 'paytechApi',
				supportedNodes: ['n8n-nodes-paytech.paytech', 'n8n-nodes-paytech.paytechTrigger'],
			},
		]);
		// the saved credentials: one per type, whichever package's nodes use it
		const saved = (await n8n.rest('GET', '/rest/credentials')) as Array<{ type: string }>;
		expect(saved.map((c) => c.type).sort()).toEqual(['aggrePayApi', 'paytechApi']);
	});

	it('tests a shared credential type with the code of the package whose name sorts last', async () => {
		for (const [pkg, agent] of [
			[paytech, userAgentOf(paytech.manifest as { name: string; version: string })],
			[aggrepay, PACK_AGENT],
		] as const) {
			const type = pkg.credential.type;
			const requests = requestsOf(fixture.sandboxes.get(entryOf(pkg).id)!.sandbox);
			const before = requests.length;
			expect(
				await testCredential(n8n, credentials[type], type, credentialData[type]),
			).toMatchObject({ status: 'OK' });
			expect(requests.slice(before).map((r) => r.headers['user-agent'])).toEqual([agent]);
		}
	}, 60_000);

	it('runs the "Try it" workflow under either package prefix with the one credential', async () => {
		const entry = entryOf(paytech);
		const file = tryExample(entry);
		const replace = { [EXAMPLE_WEBHOOK_BASE_URL]: `${n8n.webhookBaseUrl}/` };
		const [ofPack] = await provisionExamples(n8n, credentials, replace, {}, { files: [file] });
		const [ofPackage] = await provisionExamples(
			n8n,
			credentials,
			replace,
			{},
			{
				files: [file],
				packageName: paytech.name,
				nameSuffix: ` (${paytech.name})`,
			},
		);
		expect(ofPackage.id).not.toBe(ofPack.id);
		const { sandbox } = fixture.sandboxes.get(entry.id)!;
		const requests = requestsOf(sandbox);
		const action = readExample(file).nodes.find((n) => n.type === `${PACKAGE_NAME}.paytech`)!;
		for (const [workflow, prefix] of [
			[ofPack, PACKAGE_NAME],
			[ofPackage, paytech.name],
		] as const) {
			const stored = await n8n.api('GET', `/workflows/${workflow.id}`);
			expect((stored.nodes as ExampleNode[]).find((n) => n.name === action.name)?.type).toBe(
				`${prefix}.paytech`,
			);
			const before = requests.length;
			const execution = await n8n.execute(workflow.id);
			expect(execution).toMatchObject({ status: 'success' });
			const [deposit] = nodeOutput(execution, action.name);
			expect(await HELD.paytech!(sandbox as SandboxOf<'paytech'>, deposit)).toBeTruthy();
			// the pack's node too sends with n8n-nodes-paytech's paytechApi (its authenticate)
			expect(new Set(requests.slice(before).map((r) => r.headers['user-agent']))).toEqual(
				new Set([userAgentOf(paytech.manifest as { name: string; version: string })]),
			);
		}
	}, 120_000);
});
