import type { ICredentialDataDecryptedObject, IWebhookFunctions } from 'n8n-workflow';

/**
 * How long a trigger keeps the keys it read from its credential. In n8n's default (eager) mode,
 * every `getCredentials()` in a webhook builds a throwaway workflow and acquires a fresh
 * expression isolate, a third of what a delivery costs; reading the keys once per few seconds
 * saves it. A removed key stops being accepted within this time.
 */
export const CREDENTIAL_TTL_MS = 5_000;
/**
 * A delivery that fails the kept keys is checked again with keys read anew (so a new key takes
 * effect within this time), but not more often than this: a flood of forgeries must not make
 * every request pay for a read.
 */
export const REREAD_AFTER_MS = 1_000;
/** Entries kept at most; the oldest goes first. One per active trigger node and credential. */
const MAX_ENTRIES = 1_000;

const kept = new Map<string, { readAt: number; data: ICredentialDataDecryptedObject }>();
/** Reads under way, shared by the deliveries that arrive meanwhile. */
const reading = new Map<string, Promise<ICredentialDataDecryptedObject>>();

export interface TriggerCredentials {
	data: ICredentialDataDecryptedObject;
	/** Whether `data` was read for this delivery; if not, `reread()` may read it again. */
	fresh: boolean;
	/** The keys read anew; undefined when they were read less than REREAD_AFTER_MS ago. */
	reread(): Promise<ICredentialDataDecryptedObject | undefined>;
}

/** The credential of this trigger node, read at most once per CREDENTIAL_TTL_MS. */
export async function triggerCredentials(
	ctx: IWebhookFunctions,
	type: string,
	now = Date.now(),
): Promise<TriggerCredentials> {
	const node = ctx.getNode();
	const credential = node.credentials?.[type];
	// without a credential, n8n's own error says what is missing
	if (!credential) {
		const data = await ctx.getCredentials(type);
		return { data, fresh: true, reread: async () => undefined };
	}
	const key = `${ctx.getWorkflow().id}\n${node.id}\n${credential.id ?? credential.name}`;
	const read = async () => {
		const under = reading.get(key);
		if (under) return await under;
		const started = ctx.getCredentials(type);
		reading.set(key, started);
		try {
			const data = await started;
			kept.delete(key);
			for (const [k, entry] of kept)
				if (kept.size >= MAX_ENTRIES || now - entry.readAt >= CREDENTIAL_TTL_MS) kept.delete(k);
				else break;
			kept.set(key, { readAt: now, data });
			return data;
		} finally {
			reading.delete(key);
		}
	};
	const hit = kept.get(key);
	if (hit && now - hit.readAt < CREDENTIAL_TTL_MS)
		return {
			data: hit.data,
			fresh: false,
			reread: async () =>
				now - (kept.get(key)?.readAt ?? 0) < REREAD_AFTER_MS ? undefined : await read(),
		};
	return { data: await read(), fresh: true, reread: async () => undefined };
}
