/**
 * The providers of the pack, one entry each: what n8n loads (credential, nodes, icons), the
 * sandbox that emulates the provider, and the demo the stack puts into n8n. The demo stack
 * (`npm start`, e2e, screenshot), the sandbox CLI and the tests read this list; package.json's
 * `n8n` section must stay static JSON, so test/unit/providers.test.ts checks it against the list.
 * Adding a provider: one `defineProvider` entry here, added to ENTRIES (plus its own files).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { startAggrepaySandbox } from '../sandbox/aggrepay';
import { startAggrepayProSandbox } from '../sandbox/aggrepay-pro';
import { type All4paySandbox, startAll4paySandbox } from '../sandbox/all4pay';
import { startNumipaySandbox } from '../sandbox/numipay';
import { startPaytechSandbox } from '../sandbox/paytech';
import {
	ALL4PAY_CUSTOMER,
	APPROVAL_QUEUE,
	SETTLED_DEPOSITS,
	seedAggrepayDemo,
	seedAll4payDemo,
	seedDemoData,
	WALLET_CUSTOMER,
} from './n8n/demo-data';

/** What every sandbox handle offers; the rest is the provider's own. */
export interface SandboxHandle {
	url: string;
	close(): Promise<void>;
}

export interface ProviderNode {
	/** n8n type name without the package prefix (n8n's camelCase: `aggrePayTrigger`). */
	type: string;
	/** Built file, as in package.json's n8n.nodes; the source is the same path under nodes/ as .ts. */
	file: string;
	/** Icon base name next to the node file: `<icon>.svg` and `<icon>.dark.svg`. */
	icon: string;
	/** Triggers only: the webhook path (production URL `/webhook/<webhookId>/<path>`), or polling. */
	trigger?: { webhookPath: string } | { polling: true };
}

/**
 * One provider. I: its id (folder-style); S: its sandbox handle; K: the secrets its sandbox and
 * credential share (e.g. 'apiKey' | 'signingKey'); D: what seeding the demo data returns.
 * Functions are methods so that any entry is a `ProviderEntry` with the defaults.
 */
export interface ProviderEntry<
	I extends string = string,
	S extends SandboxHandle = SandboxHandle,
	K extends string = string,
	D = unknown,
> {
	id: I;
	displayName: string;
	credential: { type: string; file: string };
	nodes: ProviderNode[];
	sandbox: {
		/** Port of `npm run sandbox` and `npm start`. */
		defaultPort: number;
		/** `npm run sandbox` reads `<prefix>PORT`, `<prefix><SECRET_IN_SNAKE_CASE>` and `<prefix><webhooks.env>`. */
		envPrefix: string;
		/** Where its control endpoints are documented. */
		readme: string;
		/** By the sandbox option name; the label is what the CLI and npm start print, demo the default value. */
		secrets: Record<K, { label: string; demo: string }>;
		start(options: { port: number; host: string; secrets: Record<K, string> }): Promise<S>;
		/** Where its APIs are under the base URL, e.g. "(API at http://…/api/v1)". */
		endpoints(sandbox: S): string;
		/**
		 * The URL the sandbox sends its signed webhooks (callbacks) to; none for a provider that calls
		 * back the URL given with each payment (Aggrepay.pro's callbackUri).
		 */
		webhooks?: {
			/** "webhook URL"; the CLI's label. */
			label: string;
			/** Environment name after envPrefix. */
			env: string;
			/** "its webhooks"; npm start prints "<displayName> sends <sends> to <url>". */
			sends: string;
			/** What the CLI prints when no URL is set. */
			unset: string;
			get(sandbox: S): string | undefined;
			set(sandbox: S, url: string | undefined): void;
		};
	};
	demo: {
		/** Name of the credential the stack creates in n8n for the sandbox. */
		credentialName: string;
		credentialData(sandbox: S, secrets: Record<K, string>): Record<string, unknown>;
		/** Data that makes the examples show something; its result is on `stack.demo[id]`. */
		seed(sandbox: S): Promise<D>;
		/** What npm start prints about the seeded data, e.g. "wallet customer …". */
		describeSeed?(seeded: D): string;
		/** examples/*.json files of this provider (a file may be named by more than one provider). */
		examples: string[];
		/** The example trigger the sandbox sends its webhooks to in the demo (by file name and node name). */
		webhookTarget?: { example: string; trigger: string };
	};
}

/** Infers an entry's type parameters from the entry. */
function defineProvider<I extends string, S extends SandboxHandle, K extends string, D>(
	entry: ProviderEntry<I, S, K, D>,
): ProviderEntry<I, S, K, D> {
	return entry;
}

const paytech = defineProvider({
	id: 'paytech',
	displayName: 'pay.tech',
	credential: { type: 'paytechApi', file: 'dist/credentials/PaytechApi.credentials.js' },
	nodes: [
		{ type: 'paytech', file: 'dist/nodes/Paytech/Paytech.node.js', icon: 'paytech' },
		{
			type: 'paytechTrigger',
			file: 'dist/nodes/Paytech/PaytechTrigger.node.js',
			icon: 'paytech',
			trigger: { webhookPath: 'webhook' },
		},
	],
	sandbox: {
		defaultPort: 8911,
		envPrefix: 'PAYTECH_SANDBOX_',
		readme: 'sandbox/README.md',
		secrets: {
			apiKey: { label: 'API key', demo: 'sandbox_api_key' },
			signingKey: { label: 'signing key', demo: 'sandbox_signing_key' },
		},
		start: ({ port, host, secrets }) => startPaytechSandbox({ port, host, ...secrets }),
		endpoints: (sandbox) => `(API at ${sandbox.url}/api/v1)`,
		webhooks: {
			label: 'webhook URL',
			env: 'WEBHOOK_URL',
			sends: 'its webhooks',
			unset: '(none; PUT /__sandbox/settings or pass webhookUrl per payment)',
			get: (sandbox) => sandbox.settings.webhookUrl,
			set: (sandbox, url) => {
				sandbox.settings.webhookUrl = url;
			},
		},
	},
	demo: {
		credentialName: 'pay.tech sandbox',
		credentialData: (sandbox, secrets) => ({
			environment: 'custom',
			baseUrl: sandbox.url,
			apiKey: secrets.apiKey,
			signingSecret: secrets.signingKey,
		}),
		seed: seedDemoData,
		describeSeed: () =>
			`${APPROVAL_QUEUE.length} withdrawals awaiting approval (${APPROVAL_QUEUE[0].referenceId} to ${APPROVAL_QUEUE[APPROVAL_QUEUE.length - 1].referenceId}), ${SETTLED_DEPOSITS.length} completed deposits`,
		examples: [
			'payment-alert-to-chat.json',
			'payout-approval.json',
			'reconciliation-report.json',
			'try-paytech-deposit.json',
		],
		// pay.tech's shop-level webhook URL: the alert example's trigger
		webhookTarget: { example: 'payment-alert-to-chat.json', trigger: 'pay.tech Trigger' },
	},
});

const aggrepay = defineProvider({
	id: 'aggrepay',
	displayName: 'AggrePay',
	credential: { type: 'aggrePayApi', file: 'dist/credentials/AggrepayApi.credentials.js' },
	nodes: [
		{ type: 'aggrePay', file: 'dist/nodes/Aggrepay/AggrePay.node.js', icon: 'aggrepay' },
		{
			type: 'aggrePayTrigger',
			file: 'dist/nodes/Aggrepay/AggrePayTrigger.node.js',
			icon: 'aggrepay',
			trigger: { webhookPath: 'callback' },
		},
		{
			type: 'aggrePayWalletTrigger',
			file: 'dist/nodes/Aggrepay/AggrePayWalletTrigger.node.js',
			icon: 'aggrepay',
			trigger: { polling: true },
		},
	],
	sandbox: {
		defaultPort: 8912,
		envPrefix: 'AGGREPAY_SANDBOX_',
		readme: 'sandbox/aggrepay/README.md',
		secrets: {
			apiKey: { label: 'API key', demo: 'sandbox_api_key' },
			salt: { label: 'salt', demo: 'sandbox_salt' },
		},
		start: ({ port, host, secrets }) => startAggrepaySandbox({ port, host, ...secrets }),
		endpoints: (sandbox) => `(wallet at ${sandbox.url}/api/v1, gateway at ${sandbox.url}/v2)`,
		webhooks: {
			label: 'callback URL',
			env: 'CALLBACK_URL',
			sends: 'its payment callbacks',
			unset: '(none; PUT /__sandbox/settings)',
			get: (sandbox) => sandbox.settings.callbackUrl,
			set: (sandbox, url) => {
				sandbox.settings.callbackUrl = url;
			},
		},
	},
	demo: {
		credentialName: 'AggrePay sandbox',
		credentialData: (sandbox, secrets) => ({
			apiKey: secrets.apiKey,
			secretSalt: secrets.salt,
			walletEnvironment: 'custom',
			walletBaseUrl: sandbox.url,
			gatewayMode: 'TEST',
			gatewayBaseUrl: sandbox.url,
		}),
		seed: async (sandbox) => ({ walletCustomerId: seedAggrepayDemo(sandbox) }),
		describeSeed: (seeded) =>
			`wallet customer ${seeded.walletCustomerId} (${WALLET_CUSTOMER.email}, MPIN ${WALLET_CUSTOMER.mpin}, balance 0)`,
		examples: [
			'aggrepay-payment-credits-wallet.json',
			'try-aggrepay-payment-link.json',
			'try-aggrepay-wallet-balance.json',
		],
		// AggrePay's "Payment Callback URL": the wallet top-up example's trigger
		webhookTarget: { example: 'aggrepay-payment-credits-wallet.json', trigger: 'AggrePay Trigger' },
	},
});

const numipay = defineProvider({
	id: 'numipay',
	displayName: 'Numipay',
	credential: { type: 'numipayApi', file: 'dist/credentials/NumipayApi.credentials.js' },
	nodes: [
		{ type: 'numipay', file: 'dist/nodes/Numipay/Numipay.node.js', icon: 'numipay' },
		{
			type: 'numipayTrigger',
			file: 'dist/nodes/Numipay/NumipayTrigger.node.js',
			icon: 'numipay',
			trigger: { webhookPath: 'webhook' },
		},
	],
	sandbox: {
		defaultPort: 8913,
		envPrefix: 'NUMIPAY_SANDBOX_',
		readme: 'sandbox/numipay/README.md',
		secrets: {
			devApiKey: { label: 'DEV API key', demo: 'sandbox_dev_api_key' },
			signaturePassword: { label: 'signature password', demo: 'sandbox_signature_password' },
		},
		start: ({ port, host, secrets }) => startNumipaySandbox({ port, host, ...secrets }),
		endpoints: (sandbox) =>
			`(API at ${sandbox.url}, cashier pages at ${sandbox.url}/cashier/{token})`,
		webhooks: {
			label: 'webhook URL',
			env: 'WEBHOOK_URL',
			sends: 'its webhooks',
			unset: '(none; PUT /__sandbox/settings)',
			get: (sandbox) => sandbox.settings.webhookUrl,
			set: (sandbox, url) => {
				sandbox.settings.webhookUrl = url;
			},
		},
	},
	demo: {
		credentialName: 'Numipay sandbox',
		credentialData: (sandbox, secrets) => ({
			baseUrl: sandbox.url,
			apiKey: secrets.devApiKey,
			mode: 'test',
			signaturePassword: secrets.signaturePassword,
			cashierUrlTemplate: sandbox.cashierUrlTemplate,
		}),
		seed: async (sandbox) => ({ seeded: sandbox.seedTransactions({ count: 30, days: 30 }).length }),
		describeSeed: (seeded) => `${seeded.seeded} test transactions over the last 30 days`,
		examples: ['numipay-payout-approval.json', 'try-numipay-withdrawal.json'],
		// the webhook URL of Numipay's back office: the payout approval example's trigger
		webhookTarget: { example: 'numipay-payout-approval.json', trigger: 'Numipay Trigger' },
	},
});

const aggrepayPro = defineProvider({
	id: 'aggrepay-pro',
	displayName: 'Aggrepay.pro',
	credential: { type: 'aggrepayProApi', file: 'dist/credentials/AggrepayProApi.credentials.js' },
	nodes: [
		{
			type: 'aggrepayPro',
			file: 'dist/nodes/AggrepayPro/AggrepayPro.node.js',
			icon: 'aggrepayPro',
		},
		{
			type: 'aggrepayProTrigger',
			file: 'dist/nodes/AggrepayPro/AggrepayProTrigger.node.js',
			icon: 'aggrepayPro',
			trigger: { webhookPath: 'callback' },
		},
	],
	sandbox: {
		defaultPort: 8914,
		envPrefix: 'AGGREPAY_PRO_SANDBOX_',
		readme: 'sandbox/aggrepay-pro/README.md',
		secrets: {
			apiKey: { label: 'API key', demo: 'sandbox_api_key' },
			secretKey: { label: 'secret key', demo: 'sandbox_secret_key' },
			merchantId: { label: 'merchant ID', demo: 'sandbox_merchant' },
		},
		start: ({ port, host, secrets }) => startAggrepayProSandbox({ port, host, ...secrets }),
		endpoints: (sandbox) =>
			`(API at ${sandbox.url}/api/v1, payment pages at ${sandbox.url}/pay/{id})`,
		// no account-wide URL: Aggrepay.pro calls back the callbackUri of each payment
	},
	demo: {
		credentialName: 'Aggrepay.pro sandbox',
		credentialData: (sandbox, secrets) => ({
			baseUrl: sandbox.url,
			apiKey: secrets.apiKey,
			secretKey: secrets.secretKey,
			merchantId: secrets.merchantId,
			amountUnit: 'major',
		}),
		seed: async (sandbox) => sandbox.balances(),
		describeSeed: (balances) =>
			`merchant balance ${balances.map((b) => `${b.available} ${b.currency}`).join(', ')} (for payouts)`,
		examples: ['aggrepay-pro-payment-alert-to-chat.json', 'try-aggrepay-pro-payment.json'],
	},
});

/**
 * The All4Pay sandbox with the Callback Token it puts in its callback URL: All4Pay signs nothing,
 * so the trigger's URL carries the credential's Callback Token (`?token=`), which the sandbox
 * itself does not know.
 */
export interface All4payDemoSandbox extends All4paySandbox {
	callbackToken: string;
}

/** The trigger's Production URL as All4Pay's dashboard gets it: with `?token=<Callback Token>`. */
export function withCallbackToken(url: string, callbackToken: string): string {
	const withToken = new URL(url);
	// an operator's own token in the URL wins
	if (!withToken.searchParams.has('token')) withToken.searchParams.set('token', callbackToken);
	return withToken.toString();
}

const all4pay = defineProvider({
	id: 'all4pay',
	displayName: 'All4Pay',
	credential: { type: 'all4payApi', file: 'dist/credentials/All4payApi.credentials.js' },
	nodes: [
		{ type: 'all4pay', file: 'dist/nodes/All4pay/All4pay.node.js', icon: 'all4pay' },
		{
			type: 'all4payTrigger',
			file: 'dist/nodes/All4pay/All4payTrigger.node.js',
			icon: 'all4pay',
			trigger: { webhookPath: 'callback' },
		},
	],
	sandbox: {
		defaultPort: 8915,
		envPrefix: 'ALL4PAY_SANDBOX_',
		readme: 'sandbox/all4pay/README.md',
		secrets: {
			token: { label: 'token', demo: 'sandbox_token' },
			callbackToken: { label: 'callback token', demo: 'sandbox_callback_token' },
		},
		start: async ({ port, host, secrets }): Promise<All4payDemoSandbox> =>
			Object.assign(await startAll4paySandbox({ port, host, token: secrets.token }), {
				callbackToken: secrets.callbackToken,
			}),
		endpoints: (sandbox) => `(API at ${sandbox.url}, PIX pages at ${sandbox.url}/pix/{id})`,
		webhooks: {
			label: 'callback URL',
			env: 'CALLBACK_URL',
			sends: 'its callbacks',
			unset:
				"(none; set ALL4PAY_SANDBOX_CALLBACK_URL to the All4Pay Trigger's Production URL: the callback token is appended as ?token=)",
			get: (sandbox) => sandbox.settings.callbackUrl,
			// the dashboard-level callback URL: the trigger's Production URL with the Callback Token
			set: (sandbox, url) => {
				sandbox.settings.callbackUrl = url
					? withCallbackToken(url, sandbox.callbackToken)
					: undefined;
			},
		},
	},
	demo: {
		credentialName: 'All4Pay sandbox',
		credentialData: (sandbox, secrets) => ({
			environment: 'custom',
			customUrl: sandbox.url,
			token: secrets.token,
			callbackToken: secrets.callbackToken,
		}),
		seed: async (sandbox) => seedAll4payDemo(sandbox),
		describeSeed: (balance) =>
			`demo customer ${ALL4PAY_CUSTOMER.name} (CPF ${ALL4PAY_CUSTOMER.cpf}, ${ALL4PAY_CUSTOMER.email}, User ID ${ALL4PAY_CUSTOMER.userId}-<execution ID>), merchant balance ${balance.available} ${balance.currency} (for withdrawals)`,
		examples: ['all4pay-pix-deposit-credit-and-alert.json', 'try-all4pay-deposit.json'],
		// the callback URL of the All4Pay dashboard: the credit and alert example's trigger
		webhookTarget: {
			example: 'all4pay-pix-deposit-credit-and-alert.json',
			trigger: 'All4Pay Trigger',
		},
	},
});

const ENTRIES = [paytech, aggrepay, numipay, aggrepayPro, all4pay] as const;

type Entry = (typeof ENTRIES)[number];
export type ProviderId = Entry['id'];
export type ProviderById<I extends ProviderId> = Extract<Entry, { id: I }>;
/* eslint-disable @typescript-eslint/no-explicit-any -- only the one parameter inferred matters */
export type SandboxOf<I extends ProviderId> =
	ProviderById<I> extends ProviderEntry<string, infer S, any, any> ? S : never;
export type SecretsOf<I extends ProviderId> =
	ProviderById<I> extends ProviderEntry<string, any, infer K, any> ? Record<K, string> : never;
export type DemoDataOf<I extends ProviderId> =
	ProviderById<I> extends ProviderEntry<string, any, any, infer D> ? D : never;
/* eslint-enable @typescript-eslint/no-explicit-any */

/** Every provider, in the order the stack starts and prints them. */
export const PROVIDERS: readonly ProviderEntry<ProviderId>[] = ENTRIES;

/** One provider's entry with its own types (sandbox handle, secrets, demo data). */
export function provider<I extends ProviderId>(id: I): ProviderById<I> {
	return ENTRIES.find((entry) => entry.id === id) as ProviderById<I>;
}

/** The package name n8n prefixes node types with. */
export const PACKAGE_NAME = (
	JSON.parse(readFileSync(join(__dirname, '../package.json'), 'utf8')) as { name: string }
).name;

/** `n8n-nodes-payops.paytechTrigger` */
export function nodeTypeName(node: ProviderNode): string {
	return `${PACKAGE_NAME}.${node.type}`;
}

/** Trigger nodes of every provider by full n8n type name. */
export function triggerNodes(): Record<string, NonNullable<ProviderNode['trigger']>> {
	return Object.fromEntries(
		PROVIDERS.flatMap((p) =>
			p.nodes.flatMap((node) => (node.trigger ? [[nodeTypeName(node), node.trigger]] : [])),
		),
	);
}

const snakeCase = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();

/** Environment variable of a sandbox secret: PAYTECH_SANDBOX_SIGNING_KEY. */
export function secretEnvName(entry: ProviderEntry, secret: string): string {
	return `${entry.sandbox.envPrefix}${snakeCase(secret)}`;
}

/** The entry's demo secrets, each replaced by `given` where it has one. */
export function secretsOf(
	entry: ProviderEntry,
	given: (secret: string) => string | undefined = () => undefined,
): Record<string, string> {
	return Object.fromEntries(
		Object.entries(entry.sandbox.secrets).map(([name, { demo }]) => [name, given(name) || demo]),
	);
}

/** The block `npm run sandbox` prints for a running sandbox. */
export function describeSandbox(
	entry: ProviderEntry,
	sandbox: SandboxHandle,
	secrets: Record<string, string>,
): string[] {
	const { webhooks } = entry.sandbox;
	const rows: Array<[string, string]> = [
		['base URL', `${sandbox.url}   ${entry.sandbox.endpoints(sandbox)}`],
		...Object.entries(entry.sandbox.secrets).map(([name, { label }]): [string, string] => [
			label,
			secrets[name],
		]),
		...(webhooks
			? [[webhooks.label, webhooks.get(sandbox) ?? webhooks.unset] satisfies [string, string]]
			: []),
	];
	const width = Math.max(...rows.map(([label]) => label.length));
	return [
		`${entry.displayName} sandbox`,
		...rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`),
	];
}

/** The line `npm start` prints for a running sandbox: URL, secrets, seeded data, README. */
export function summarizeSandbox(
	entry: ProviderEntry,
	sandbox: SandboxHandle,
	secrets: Record<string, string>,
	seeded: unknown,
): string {
	const keys = Object.entries(entry.sandbox.secrets)
		.map(([name, { label }]) => `${label} ${secrets[name]}`)
		.join(', ');
	const seed = entry.demo.describeSeed ? `; ${entry.demo.describeSeed(seeded)}` : '';
	return `${entry.displayName.padEnd(16)}${sandbox.url}   (${keys}${seed}; control endpoints in ${entry.sandbox.readme})`;
}

/** "pay.tech sends its webhooks to …", when the sandbox has a webhook URL. */
export function describeWebhookTarget(
	entry: ProviderEntry,
	sandbox: SandboxHandle,
): string | undefined {
	const { webhooks } = entry.sandbox;
	const url = webhooks?.get(sandbox);
	return url ? `${entry.displayName} sends ${webhooks!.sends} to ${url}` : undefined;
}
