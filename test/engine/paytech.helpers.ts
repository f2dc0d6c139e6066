import type {
	ICredentialDataDecryptedObject,
	IConnections,
	IDataObject,
	INodeExecutionData,
	INodeParameters,
} from 'n8n-workflow';

import type { PaytechSandbox } from '../../sandbox/paytech';
import { Harness, type RunResult } from '../harness/engine';

// Distinctive secrets, so a leak into any output or error is found by a plain substring search.
export const API_KEY = 'sk_sandbox_4f9a1c07e2b84d5f_SECRET';
export const SIGNING_KEY = 'whsk_3b8e0f61a9c24d77_SECRET';

export const PAYTECH = 'n8n-nodes-payops.paytech';
export const PAYTECH_TRIGGER = 'n8n-nodes-payops.paytechTrigger';

export function paytechCredentials(
	sandbox: PaytechSandbox,
	overrides: ICredentialDataDecryptedObject = {},
): ICredentialDataDecryptedObject {
	return {
		environment: 'custom',
		baseUrl: sandbox.url,
		apiKey: API_KEY,
		signingSecret: SIGNING_KEY,
		previousSigningSecret: '',
		...overrides,
	};
}

export const chain = (...names: string[]): IConnections =>
	Object.fromEntries(
		names
			.slice(0, -1)
			.map((name, i) => [name, { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] }]),
	);

/** Runs Start → pay.tech with the given parameters (and input items), as the editor's "Execute workflow". */
export async function runPaytech(
	harness: Harness,
	parameters: INodeParameters,
	options: { items?: IDataObject[]; continueOnFail?: boolean; typeVersion?: number } = {},
): Promise<RunResult & { items: INodeExecutionData[] }> {
	const workflow = harness.workflow({
		nodes: [
			{ name: 'Start', type: 'n8n-nodes-base.manualTrigger' },
			{
				name: 'pay.tech',
				type: PAYTECH,
				typeVersion: options.typeVersion,
				parameters,
				...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
			},
		],
		connections: chain('Start', 'pay.tech'),
		settings: { timezone: 'Europe/Berlin', executionOrder: 'v1' },
	});
	const result = await harness.run(workflow, {
		items: (options.items ?? [{}]).map((json) => ({ json })),
	});
	return Object.assign(result, { items: result.output('pay.tech') });
}

/** Everything a run exposes: outputs, errors and their descriptions. */
export function everythingVisible(result: RunResult): string {
	return JSON.stringify(result.run.data, (_key, value) =>
		value instanceof Error ? { ...value, message: value.message, stack: value.stack } : value,
	);
}
