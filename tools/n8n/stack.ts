/**
 * The whole demo stack, used by `npm start`, the e2e tests and the screenshot tool: the pay.tech
 * sandbox, the chat sink, n8n with the built pack, its owner, a pay.tech credential for the sandbox
 * and the example workflows.
 */
import { join } from 'node:path';

import { startAggrepaySandbox, type AggrepaySandbox } from '../../sandbox/aggrepay';
import { startChatSink, type ChatSink } from '../../sandbox/chat';
import { startPaytechSandbox, type PaytechSandbox } from '../../sandbox/paytech';
import { seedAggrepayDemo, seedDemoData } from './demo-data';
import { ensureCredential, provisionExamples, type ProvisionedWorkflow } from './provision';
import { ensureRuntime } from './runtime';
import { N8nServer, installPack, type Owner } from './server';

// The chat URL the examples are written with; replaced when the sink runs elsewhere
const EXAMPLE_CHAT_URL = 'http://127.0.0.1:8910';

export interface StackOptions {
	userFolder: string;
	owner: Owner;
	/** n8n's port; its task broker takes the next one, `n8n execute` the one after. */
	port: number;
	/** 0 for any free port. */
	paytechPort?: number;
	aggrepayPort?: number;
	chatPort?: number;
	apiKey: string;
	signingKey: string;
	/** AggrePay's salt; its API key is `apiKey` too. */
	salt: string;
	log?: (message: string) => void;
}

export interface Stack {
	n8n: N8nServer;
	paytech: PaytechSandbox;
	aggrepay: AggrepaySandbox;
	/** The AggrePay wallet customer of the demo data. */
	walletCustomerId: string;
	chat: ChatSink;
	credential: { id: string; name: string };
	aggrepayCredential: { id: string; name: string };
	/** By example file name without .json. */
	workflows: Record<string, ProvisionedWorkflow>;
	stop(): Promise<void>;
}

export async function startStack(options: StackOptions): Promise<Stack> {
	const log = options.log ?? (() => undefined);
	const runtime = await ensureRuntime(log);
	const chat = await startChatSink({ port: options.chatPort ?? 0 });
	const paytech = await startPaytechSandbox({ port: options.paytechPort ?? 0, apiKey: options.apiKey, signingKey: options.signingKey });
	await seedDemoData(paytech);
	const aggrepay = await startAggrepaySandbox({ port: options.aggrepayPort ?? 0, apiKey: options.apiKey, salt: options.salt });
	const walletCustomerId = seedAggrepayDemo(aggrepay);
	installPack(options.userFolder);
	log('Starting n8n...');
	let n8n: N8nServer | undefined;
	const stop = async () => {
		await n8n?.stop();
		await Promise.all([paytech.close(), aggrepay.close(), chat.close()]);
	};
	try {
		n8n = await N8nServer.start({ runtime, userFolder: options.userFolder, port: options.port, logFile: join(options.userFolder, 'n8n.log') });
		await n8n.signIn(options.owner);
		const credential = { id: '', name: 'pay.tech sandbox' };
		credential.id = await ensureCredential(n8n, credential.name, 'paytechApi', {
			environment: 'custom',
			baseUrl: paytech.url,
			apiKey: options.apiKey,
			signingKey: options.signingKey,
		});
		const aggrepayCredential = { id: '', name: 'AggrePay sandbox' };
		aggrepayCredential.id = await ensureCredential(n8n, aggrepayCredential.name, 'aggrePayApi', {
			apiKey: options.apiKey,
			salt: options.salt,
			walletEnvironment: 'custom',
			walletBaseUrl: aggrepay.url,
			gatewayMode: 'TEST',
			gatewayBaseUrl: aggrepay.url,
		});
		const list = await provisionExamples(n8n, { paytechApi: credential, aggrePayApi: aggrepayCredential }, { [EXAMPLE_CHAT_URL]: chat.url });
		const workflows = Object.fromEntries(list.map((w) => [w.file.replace(/\.json$/, ''), w]));
		// pay.tech's shop-level webhook URL: the alert example's trigger
		paytech.settings.webhookUrl = workflows['payment-alert-to-chat']?.webhookUrls['pay.tech Trigger'];
		// AggrePay's "Payment Callback URL": the wallet top-up example's trigger
		aggrepay.settings.callbackUrl = workflows['aggrepay-payment-credits-wallet']?.webhookUrls['AggrePay Trigger'];
		return { n8n, paytech, aggrepay, walletCustomerId, chat, credential, aggrepayCredential, workflows, stop };
	} catch (error) {
		const tail = n8n?.logTail() ?? '';
		await stop();
		throw new Error(`${(error as Error).message}${tail ? `\n--- n8n log ---\n${tail}` : ''}`);
	}
}
