import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

type Dedupe = typeof import('../../nodes/common/dedupe');

// The claims live in a module-level map: each test loads its own copy, as a fresh process would.
async function freshProcess(): Promise<Dedupe> {
	let dedupe: Dedupe | undefined;
	await jest.isolateModulesAsync(async () => {
		dedupe = await import('../../nodes/common/dedupe');
	});
	return dedupe!;
}

/** What isRedelivery reads from a WebhookContext. */
const webhookContext = (workflowId: string, nodeName: string, staticData: IDataObject = {}) =>
	({
		getWorkflowStaticData: () => staticData,
		getWorkflow: () => ({ id: workflowId }),
		getNode: () => ({ name: nodeName }),
	}) as unknown as IWebhookFunctions;

describe('claimRecentEvent', () => {
	it('claims a key once within the TTL, and again once it has expired', async () => {
		const { claimRecentEvent } = await freshProcess();
		expect(claimRecentEvent('p1:COMPLETED', 1000, 0)).toBe(true);
		expect(claimRecentEvent('p1:COMPLETED', 1000, 999)).toBe(false);
		expect(claimRecentEvent('p1:DECLINED', 1000, 999)).toBe(true);
		// a refused claim does not extend the first one
		expect(claimRecentEvent('p1:COMPLETED', 1000, 1000)).toBe(true);
		// the new claim runs from its own time
		expect(claimRecentEvent('p1:COMPLETED', 1000, 1999)).toBe(false);
		expect(claimRecentEvent('p1:COMPLETED', 1000, 2000)).toBe(true);
	});

	it('holds the newest 10,000 claims, dropping the oldest beyond them', async () => {
		const { claimRecentEvent } = await freshProcess();
		// nothing expires here: a key is claimable again only because it was dropped
		const ttl = 1e12;
		expect(claimRecentEvent('oldest', ttl, 0)).toBe(true);
		const claims = Array.from({ length: 9_999 }, (_, i) =>
			claimRecentEvent(`k${i + 1}`, ttl, i + 1),
		);
		expect(claims.every(Boolean)).toBe(true);
		expect(claimRecentEvent('oldest', ttl, 10_000)).toBe(false);
		expect(claimRecentEvent('newest', ttl, 10_001)).toBe(true);
		expect(claimRecentEvent('k1', ttl, 10_002)).toBe(false);
		expect(claimRecentEvent('newest', ttl, 10_003)).toBe(false);
		expect(claimRecentEvent('oldest', ttl, 10_004)).toBe(true);
		// that re-claim is the newest now, so the next oldest went
		expect(claimRecentEvent('k2', ttl, 10_005)).toBe(false);
		expect(claimRecentEvent('k1', ttl, 10_006)).toBe(true);
	});
});

describe('isRedelivery', () => {
	const ttl = 60_000;

	it('claims an event per workflow and trigger node', async () => {
		const { isRedelivery } = await freshProcess();
		expect(isRedelivery(webhookContext('wf-1', 'Trigger'), 'p1:COMPLETED', ttl)).toBe(false);
		expect(isRedelivery(webhookContext('wf-1', 'Trigger'), 'p1:COMPLETED', ttl)).toBe(true);
		expect(isRedelivery(webhookContext('wf-2', 'Trigger'), 'p1:COMPLETED', ttl)).toBe(false);
		expect(isRedelivery(webhookContext('wf-1', 'Other Trigger'), 'p1:COMPLETED', ttl)).toBe(false);
		expect(isRedelivery(webhookContext('wf-2', 'Trigger'), 'p1:COMPLETED', ttl)).toBe(true);
	});

	it('takes an event recorded in static data as a redelivery although this process never claimed it', async () => {
		const { isRedelivery, rememberEvent } = await freshProcess();
		const staticData: IDataObject = {};
		rememberEvent(staticData, 'p2:COMPLETED', { ttlMs: ttl, maxEntries: 10 });
		expect(isRedelivery(webhookContext('wf-1', 'Trigger', staticData), 'p2:COMPLETED', ttl)).toBe(
			true,
		);
		expect(isRedelivery(webhookContext('wf-1', 'Trigger', staticData), 'p2:DECLINED', ttl)).toBe(
			false,
		);
	});
});

describe('wasEventSeen', () => {
	it('reads what rememberEvent wrote, until it expires', async () => {
		const { rememberEvent, wasEventSeen } = await freshProcess();
		const staticData: IDataObject = {};
		expect(wasEventSeen(staticData, 'p3:COMPLETED', 0)).toBe(false);
		rememberEvent(staticData, 'p3:COMPLETED', { ttlMs: 1000, maxEntries: 10, now: 0 });
		expect(wasEventSeen(staticData, 'p3:COMPLETED', 999)).toBe(true);
		expect(wasEventSeen(staticData, 'p3:DECLINED', 999)).toBe(false);
		expect(wasEventSeen(staticData, 'p3:COMPLETED', 1000)).toBe(false);
	});
});
