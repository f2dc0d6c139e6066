/**
 * The workflows `npm run bench:webhooks` loads, each published on a real n8n, and the deliveries
 * each gets:
 * - bare: n8n's Webhook node v2 → No Op, answering at once; verifies nothing;
 * - diy: what an operator builds to verify pay.tech's signature without the pack, with n8n 2.41's
 *   nodes at their current versions: Webhook v2 (Raw Body, respond "Using 'Respond to Webhook'
 *   Node") → Crypto v2 (HMAC-SHA256 of the raw body, hex, the key in a Crypto credential) → If v2.3
 *   (the HMAC equals the `signature` header) → true: Respond to Webhook v1.5 200 → No Op;
 *   false: Respond to Webhook 401;
 * - every webhook trigger of the pack (tools/providers.ts) at its default version → No Op.
 * Deliveries come from test/e2e/deliveries.ts (signed as each provider signs; All4Pay's are
 * callbacks of deposits made and paid in its sandbox first); bare and diy get pay.tech's.
 */
import { join } from 'node:path';

import type { INodeType, IVersionedNodeType } from 'n8n-workflow';

import { CALLBACK_TOKEN_PARAMETER } from '../nodes/All4pay/callback';
import {
	deliveryUrl,
	signedDelivery,
	webhookTriggers,
	type SignedDelivery,
} from '../test/e2e/deliveries';
import { ensureCredential } from '../tools/n8n/provision';
import { ROOT } from '../tools/n8n/runtime';
import type { N8nServer } from '../tools/n8n/server';
import {
	nodeTypeName,
	secretsOf,
	type ProviderEntry,
	type ProviderNode,
	type SandboxHandle,
} from '../tools/providers';

export type CaseKind = 'bare' | 'diy' | 'trigger';

export interface BenchCase {
	kind: CaseKind;
	/** Row label: "pay.tech Trigger v2", "n8n's Webhook v2 (verifies nothing)". */
	label: string;
	/** Short name for logs and tags. */
	key: string;
	workflowId: string;
	/** Production URL path (no query). */
	path: string;
	/** The node that runs only for an accepted event: the workflow's business part. */
	businessNode: string;
	/** The node whose output carries the delivery (the trigger, or the Webhook node). */
	entryNode: string;
	/** A new accepted delivery. */
	genuine(tag: string): Promise<SignedDelivery>;
	/** A new delivery with a wrong signature (token); none for the bare Webhook node. */
	forged?(tag: string): Promise<SignedDelivery>;
}

/** Where a delivery goes, path and query, relative to n8n's base URL. */
export function requestPath(c: BenchCase, delivery: SignedDelivery): string {
	const url = new URL(deliveryUrl(`http://n8n${c.path}`, delivery));
	return `${url.pathname}${url.search}`;
}

/** Flips the last character of a hex signature: same length and alphabet, wrong value. */
const flip = (signature: string) =>
	`${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}`;

/**
 * The same delivery with its authentication made wrong: a wrong callback token (All4Pay), else
 * a wrong `signature` / `x-signature` header (pay.tech, Numipay, Aggrepay.pro), else a wrong
 * `hash` field in the form (AggrePay).
 */
export function forge(delivery: SignedDelivery): SignedDelivery {
	if (delivery.query?.[CALLBACK_TOKEN_PARAMETER])
		return {
			...delivery,
			query: { ...delivery.query, [CALLBACK_TOKEN_PARAMETER]: 'forged_callback_token' },
		};
	for (const name of ['signature', 'x-signature'])
		if (delivery.headers[name])
			return {
				...delivery,
				headers: { ...delivery.headers, [name]: flip(delivery.headers[name]) },
			};
	const form = new URLSearchParams(delivery.body);
	const hash = form.get('hash');
	if (hash) {
		form.set('hash', flip(hash));
		return { ...delivery, body: form.toString() };
	}
	throw new Error(`cannot forge this delivery: no signature, token or hash in ${delivery.body}`);
}

/** The version a new node of this type gets, read from the built node in dist/. */
async function builtNode(
	node: ProviderNode,
): Promise<{ version: number; displayName: string; name: string }> {
	const exported = (await import(join(ROOT, node.file))) as Record<
		string,
		new () => INodeType | IVersionedNodeType
	>;
	for (const NodeClass of Object.values(exported)) {
		if (typeof NodeClass !== 'function') continue;
		const type = new NodeClass();
		if (type.description?.name !== node.type) continue;
		if ('nodeVersions' in type) {
			const description = type.nodeVersions[type.currentVersion].description;
			return {
				version: type.currentVersion,
				displayName: description.displayName,
				name: description.defaults.name ?? description.displayName,
			};
		}
		const { version, defaultVersion, displayName, defaults } = type.description;
		return {
			version: defaultVersion ?? (Array.isArray(version) ? Math.max(...version) : version),
			displayName,
			name: defaults.name ?? displayName,
		};
	}
	throw new Error(`${node.file} exports no node named ${node.type}: run \`npm run build\``);
}

const NO_OP = {
	name: 'No Op',
	type: 'n8n-nodes-base.noOp',
	typeVersion: 1,
	parameters: {},
};

type Node = Record<string, unknown> & { name: string };

async function publish(
	n8n: N8nServer,
	name: string,
	nodes: Node[],
	connections: Array<[from: string, to: string, output?: number]>,
): Promise<string> {
	const wiring: Record<string, { main: Array<Array<{ node: string; type: 'main'; index: 0 }>> }> =
		{};
	for (const [from, to, output = 0] of connections) {
		const main = (wiring[from] ??= { main: [] }).main;
		while (main.length <= output) main.push([]);
		main[output].push({ node: to, type: 'main', index: 0 });
	}
	const created = await n8n.api('POST', '/workflows', {
		name,
		nodes: nodes.map((node, i) => ({ position: [i * 220, 0], ...node })),
		connections: wiring,
		settings: { executionOrder: 'v1' },
	});
	const id = String(created.id);
	await n8n.api('POST', `/workflows/${id}/activate`);
	return id;
}

export interface Sandboxes {
	started: Array<{ entry: ProviderEntry; sandbox: SandboxHandle; secrets: Record<string, string> }>;
	close(): Promise<void>;
}

/** One sandbox per provider with a webhook trigger, on loopback, in this process. */
export async function startSandboxes(): Promise<Sandboxes> {
	const started: Sandboxes['started'] = [];
	for (const entry of new Set(webhookTriggers().map((t) => t.entry))) {
		const secrets = secretsOf(entry);
		const sandbox = await entry.sandbox.start({ port: 0, host: '127.0.0.1', secrets });
		// All4Pay's deliveries need a deposit made and paid first, hundreds of them before the load
		// starts; its sandbox enforces All4Pay's 50 creates per second, which only slows preparing
		// (the trigger's confirmation reads a deposit, which that limit does not cover)
		if (entry.id === 'all4pay')
			(sandbox as unknown as { updateSettings(changes: object): unknown }).updateSettings({
				rateLimits: { perSecond: 1_000_000 },
			});
		started.push({ entry, sandbox, secrets });
	}
	return {
		started,
		close: async () => {
			await Promise.all(started.map(async ({ sandbox }) => await sandbox.close()));
		},
	};
}

/** Publishes every workflow of the bench on `n8n` (fresh), with the credentials they need. */
export async function publishCases(n8n: N8nServer, sandboxes: Sandboxes): Promise<BenchCase[]> {
	const cases: BenchCase[] = [];
	const paytech = sandboxes.started.find(({ entry }) => entry.id === 'paytech');
	const paytechNode = paytech?.entry.nodes.find((n) => n.type === 'paytechTrigger');
	if (!paytech || !paytechNode) throw new Error('the bench signs like pay.tech: no pay.tech entry');
	const paytechDelivery = async (tag: string) =>
		await signedDelivery(paytech.entry, paytechNode, paytech.sandbox, paytech.secrets, tag);

	const barePath = 'bench-webhook-v2';
	cases.push({
		kind: 'bare',
		key: 'bare',
		label: "n8n's Webhook v2 (verifies nothing)",
		path: `/webhook/${barePath}`,
		entryNode: 'Webhook',
		businessNode: 'No Op',
		workflowId: await publish(
			n8n,
			'bench: Webhook v2 → No Op',
			[
				{
					name: 'Webhook',
					type: 'n8n-nodes-base.webhook',
					typeVersion: 2,
					webhookId: '6c0b6a52-2f0e-4d52-8a1e-000000000001',
					parameters: {
						httpMethod: 'POST',
						path: barePath,
						responseMode: 'onReceived',
						options: {},
					},
				},
				NO_OP,
			],
			[['Webhook', 'No Op']],
		),
		genuine: paytechDelivery,
	});

	const cryptoCredential = await ensureCredential(n8n, 'bench HMAC key', 'crypto', {
		hmacSecret: paytech.secrets.signingKey,
	});
	const diyPath = 'bench-diy-hmac';
	cases.push({
		kind: 'diy',
		key: 'diy',
		label: 'do-it-yourself HMAC chain',
		path: `/webhook/${diyPath}`,
		entryNode: 'Webhook',
		businessNode: 'No Op',
		workflowId: await publish(
			n8n,
			'bench: do-it-yourself HMAC check',
			[
				{
					name: 'Webhook',
					type: 'n8n-nodes-base.webhook',
					typeVersion: 2,
					webhookId: '6c0b6a52-2f0e-4d52-8a1e-000000000002',
					parameters: {
						httpMethod: 'POST',
						path: diyPath,
						responseMode: 'responseNode',
						options: { rawBody: true },
					},
				},
				{
					name: 'Crypto',
					type: 'n8n-nodes-base.crypto',
					typeVersion: 2,
					parameters: {
						action: 'hmac',
						binaryData: true,
						binaryPropertyName: 'data',
						type: 'SHA256',
						dataPropertyName: 'expectedSignature',
						encoding: 'hex',
					},
					credentials: { crypto: { id: cryptoCredential, name: 'bench HMAC key' } },
				},
				{
					name: 'Signature matches',
					type: 'n8n-nodes-base.if',
					typeVersion: 2.3,
					parameters: {
						conditions: {
							options: {
								caseSensitive: true,
								leftValue: '',
								typeValidation: 'strict',
								version: 3,
							},
							conditions: [
								{
									id: 'b1f0c2d4-0000-4000-8000-000000000001',
									leftValue: '={{ $json.expectedSignature }}',
									rightValue: '={{ $json.headers.signature }}',
									operator: { type: 'string', operation: 'equals' },
								},
							],
							combinator: 'and',
						},
						options: {},
					},
				},
				{
					name: 'Accept',
					type: 'n8n-nodes-base.respondToWebhook',
					typeVersion: 1.5,
					parameters: {
						respondWith: 'json',
						responseBody: '{"received": true, "processed": true}',
						options: {},
					},
				},
				{
					name: 'Refuse',
					type: 'n8n-nodes-base.respondToWebhook',
					typeVersion: 1.5,
					parameters: {
						respondWith: 'json',
						responseBody: '{"error": "Unauthorized"}',
						options: { responseCode: 401 },
					},
				},
				NO_OP,
			],
			[
				['Webhook', 'Crypto'],
				['Crypto', 'Signature matches'],
				['Signature matches', 'Accept', 0],
				['Signature matches', 'Refuse', 1],
				['Accept', 'No Op'],
			],
		),
		genuine: paytechDelivery,
		forged: async (tag) => forge(await paytechDelivery(tag)),
	});

	for (const { entry, node, path } of webhookTriggers()) {
		const { sandbox, secrets } = sandboxes.started.find((s) => s.entry === entry)!;
		const built = await builtNode(node);
		const credential = {
			id: await ensureCredential(
				n8n,
				entry.demo.credentialName,
				entry.credential.type,
				entry.demo.credentialData(sandbox as never, secrets as never),
			),
			name: entry.demo.credentialName,
		};
		const webhookId = `6c0b6a52-2f0e-4d52-8a1e-${String(100 + cases.length).padStart(12, '0')}`;
		const delivery = async (tag: string) =>
			await signedDelivery(entry, node, sandbox, secrets, tag);
		cases.push({
			kind: 'trigger',
			key: node.type,
			label: `${built.displayName} v${built.version}`,
			path: `/webhook/${webhookId}/${path}`,
			entryNode: built.name,
			businessNode: 'No Op',
			workflowId: await publish(
				n8n,
				`bench: ${built.displayName}`,
				[
					{
						name: built.name,
						type: nodeTypeName(node),
						typeVersion: built.version,
						webhookId,
						parameters: {},
						credentials: { [entry.credential.type]: credential },
					},
					NO_OP,
				],
				[[built.name, 'No Op']],
			),
			genuine: delivery,
			forged: async (tag) => forge(await delivery(tag)),
		});
	}
	return cases;
}
