import { randomBytes } from 'node:crypto';

import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INodeExecutionData,
	INodeParameters,
} from 'n8n-workflow';

import type { All4paySandbox, RecordedRequest } from '../../sandbox/all4pay';
import type { Harness, RunResult } from '../harness/engine';
import { chain } from './paytech.helpers';

// Shared by the All4Pay engine tests (node and trigger), both driven through n8n-core against
// the sandbox over real HTTP.

export const ALL4PAY = 'n8n-nodes-payops.all4pay';
export const ALL4PAY_TRIGGER = 'n8n-nodes-payops.all4payTrigger';
export const NODE = 'All4Pay';

// Distinctive secrets, so a leak into any output, error or description is found by a substring search.
export const TOKEN = 'a4p_token_7c1e93d0_SECRET';
export const CALLBACK_TOKEN = 'a4p_cbtok_52f8b6a1_SECRET';
export const WRONG_TOKEN = 'a4p_wrong_0d94e2c7_SECRET';
export const WRONG_CALLBACK_TOKEN = 'a4p_cbwrong_3a7f10e9_SECRET';

/** Valid CPFs that are not the examples the node's messages give (123.456.789-09). */
export const CUSTOMER_CPF = '529.982.247-25';
export const CUSTOMER_CPF_DIGITS = '52998224725';
export const RECIPIENT_CPF = '111.444.777-35';
export const RECIPIENT_CPF_DIGITS = '11144477735';

export function all4payCredentials(
	sandbox: All4paySandbox,
	overrides: ICredentialDataDecryptedObject = {},
): ICredentialDataDecryptedObject {
	return {
		environment: 'custom',
		customUrl: sandbox.url,
		productionUrl: '',
		sandboxUrl: '',
		token: TOKEN,
		callbackToken: CALLBACK_TOKEN,
		endpointOverrides: '',
		...overrides,
	};
}

/** A user_id never used before in this process: the equal-request guard and daily limit are per user_id. */
export const freshUser = (prefix = 'cust') => `${prefix}-${randomBytes(6).toString('hex')}`;

export const depositCreate = (fields: INodeParameters = {}): INodeParameters => ({
	resource: 'deposit',
	operation: 'create',
	userId: freshUser(),
	amount: '10.50',
	cpf: CUSTOMER_CPF,
	name: 'Maria Silva',
	email: 'maria.silva@example.com',
	...fields,
});

export const withdrawalCreate = (fields: INodeParameters = {}): INodeParameters => ({
	resource: 'withdrawal',
	operation: 'create',
	userId: freshUser(),
	amount: '25.00',
	pixKeyType: 'cpf',
	pixKey: RECIPIENT_CPF,
	name: 'João Souza',
	cpf: RECIPIENT_CPF,
	...fields,
});

export interface NodeRunOptions {
	items?: IDataObject[];
	continueOnFail?: boolean;
}

/** Start → All4Pay with these parameters, as the editor's "Execute workflow". */
export async function runAll4pay(
	harness: Harness,
	parameters: INodeParameters,
	options: NodeRunOptions = {},
): Promise<RunResult & { items: INodeExecutionData[] }> {
	const workflow = harness.workflow({
		nodes: [
			{ name: 'Start', type: 'n8n-nodes-base.manualTrigger' },
			{
				name: NODE,
				type: ALL4PAY,
				parameters,
				...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
			},
		],
		connections: chain('Start', NODE),
		settings: { timezone: 'America/Sao_Paulo', executionOrder: 'v1' },
	});
	const result = await harness.run(workflow, {
		items: (options.items ?? [{}]).map((json) => ({ json })),
	});
	return Object.assign(result, { items: result.output(NODE) });
}

/** Recorded API requests to this method and path. */
export const sent = (sandbox: All4paySandbox, method: string, path: string): RecordedRequest[] =>
	sandbox.requests.filter((r) => r.method === method && r.path === path);

/** A call of the sandbox's API at the path its endpoint table gives, with the right token. */
export async function callApi(
	sandbox: All4paySandbox,
	operation: keyof All4paySandbox['endpoints'],
	body?: IDataObject,
	id?: string,
): Promise<IDataObject> {
	const endpoint = sandbox.endpoints[operation];
	const path = endpoint.path.replace('{id}', encodeURIComponent(id ?? ''));
	const response = await fetch(`${sandbox.url}${path}`, {
		method: endpoint.method,
		headers: { 'content-type': 'application/json', token: sandbox.token },
		body: body === undefined ? undefined : JSON.stringify(body),
		signal: AbortSignal.timeout(5000),
	});
	const text = await response.text();
	if (response.status !== 200) throw new Error(`${operation}: HTTP ${response.status} ${text}`);
	return JSON.parse(text) as IDataObject;
}

/** A deposit created directly through the sandbox's API (not through the node). */
export const apiDeposit = async (sandbox: All4paySandbox, amount = 10.5, userId = freshUser()) =>
	await callApi(sandbox, 'createDeposit', {
		user_id: userId,
		cpf: CUSTOMER_CPF_DIGITS,
		name: 'Maria Silva',
		email: 'maria.silva@example.com',
		amount,
	});

/** A withdrawal created directly through the sandbox's API (not through the node). */
export const apiWithdrawal = async (
	sandbox: All4paySandbox,
	amount = 25,
	userId = freshUser('payee'),
) =>
	await callApi(sandbox, 'createWithdrawal', {
		user_id: userId,
		amount,
		pix_key: RECIPIENT_CPF_DIGITS,
		pix_key_type: 'cpf',
		name: 'João Souza',
		cpf: RECIPIENT_CPF_DIGITS,
	});

/** The most requests in any window of `windowMs` (inclusive start, exclusive end) of these times. */
export function busiestWindow(times: number[], windowMs: number): number {
	const sorted = [...times].sort((a, b) => a - b);
	let most = 0;
	let start = 0;
	for (let end = 0; end < sorted.length; end++) {
		while (sorted[end] - sorted[start] >= windowMs) start++;
		most = Math.max(most, end - start + 1);
	}
	return most;
}
