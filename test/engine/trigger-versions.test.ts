import { createHmac } from 'node:crypto';

import type { INodeParameters } from 'n8n-workflow';

import { aggrepayFieldsHash } from '../../nodes/Aggrepay/hash';
import { Harness, type WebhookServer } from '../harness/engine';
import { SIGNING_KEY, chain } from './paytech.helpers';

// Webhook triggers default to node version 2, where n8n reads a request's body before the node runs
// only for JSON, form, text and XML; workflows saved at version 1 must keep working.

const PAYTECH_TRIGGER = 'n8n-nodes-payops.paytechTrigger';
const AGGREPAY_TRIGGER = 'n8n-nodes-payops.aggrePayTrigger';
const SALT = 'versions_salt_SECRET';

let harness: Harness;
let server: WebhookServer | undefined;

beforeAll(async () => {
	harness = await Harness.create({
		credentials: {
			paytechApi: {
				environment: 'custom',
				baseUrl: 'http://127.0.0.1:9',
				apiKey: 'unused',
				signingSecret: SIGNING_KEY,
				previousSigningSecret: '',
			},
			aggrePayApi: {
				apiKey: 'unused',
				secretSalt: SALT,
				walletEnvironment: 'custom',
				walletBaseUrl: 'http://127.0.0.1:9',
				gatewayMode: 'TEST',
				gatewayBaseUrl: 'http://127.0.0.1:9',
			},
		},
	});
});

afterEach(async () => {
	await server?.close();
	server = undefined;
});

async function serve(
	type: string,
	typeVersion?: number,
	parameters: INodeParameters = {},
): Promise<string> {
	const workflow = harness.workflow({
		nodes: [
			{ name: 'Trigger', type, typeVersion, parameters },
			{ name: 'Next', type: 'n8n-nodes-base.noOp' },
		],
		connections: chain('Trigger', 'Next'),
	});
	expect(workflow.getNode('Trigger')!.typeVersion).toBe(typeVersion ?? 2);
	await harness.activate(workflow, 'Trigger');
	server = await harness.serveWebhooks(workflow);
	return server.url('Trigger');
}

// an 18-decimal amount a JavaScript number cannot hold, as pay.tech would write it
const paytechBody = (id: string) =>
	`{"id":"${id}","paymentType":"DEPOSIT","state":"COMPLETED","amount":0.123456789012345678,"currency":"BTC"}`;
const sign = (body: string) => createHmac('sha256', SIGNING_KEY).update(body).digest('hex');

describe('webhook triggers at node version 2, and workflows saved at version 1', () => {
	it('defaults both triggers to version 2 and still offers version 1', () => {
		for (const type of [PAYTECH_TRIGGER, AGGREPAY_TRIGGER]) {
			const { description } = harness.nodeTypes.getByNameAndVersion(type);
			expect(description.defaultVersion).toBe(2);
			expect(description.version).toEqual([1, 2]);
		}
	});

	it.each([
		[
			'version 2, a body type n8n does not read (application/octet-stream)',
			2,
			'application/octet-stream',
		],
		['version 2, JSON', 2, 'application/json'],
		['version 1, application/octet-stream', 1, 'application/octet-stream'],
		['version 1, JSON', 1, 'application/json'],
	])('pay.tech Trigger verifies the exact bytes at %s', async (_name, typeVersion, contentType) => {
		const url = await serve(PAYTECH_TRIGGER, typeVersion);
		const id = `${typeVersion}${contentType.length}`.padEnd(32, 'a');
		const body = paytechBody(id);
		const response = await fetch(url, {
			method: 'POST',
			body,
			headers: { 'content-type': contentType, signature: sign(body) },
		});
		expect(response.status).toBe(200);
		const [execution] = await server!.waitForExecutions(1);
		expect(execution.output('Next').map((i) => i.json)).toEqual([
			{
				id,
				paymentType: 'DEPOSIT',
				state: 'COMPLETED',
				amount: '0.123456789012345678',
				currency: 'BTC',
				eventKey: `${id}:COMPLETED`,
			},
		]);
	});

	it.each([1, 2])(
		'AggrePay Trigger verifies a form callback at version %i',
		async (typeVersion) => {
			const url = await serve(AGGREPAY_TRIGGER, typeVersion);
			const fields = {
				transaction_id: `PG-V${typeVersion}`,
				response_code: '0',
				order_id: 'ORD-1',
				amount: '100.00',
				currency: 'INR',
			};
			const form = new URLSearchParams({
				...fields,
				hash: aggrepayFieldsHash(fields, SALT),
			}).toString();
			const response = await fetch(url, {
				method: 'POST',
				body: form,
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
			});
			expect(response.status).toBe(200);
			const [execution] = await server!.waitForExecutions(1);
			expect(execution.output('Next').map((i) => i.json)).toEqual([
				{ ...fields, eventKey: `${fields.transaction_id}:0` },
			]);
		},
	);
});
