import type { ICredentialDataDecryptedObject, IWebhookFunctions } from 'n8n-workflow';

/**
 * How long a trigger keeps the keys it read from its credential. In n8n's default (eager) mode,
 * every `getCredentials()` in a webhook builds a throwaway workflow and acquires a fresh
 * expression isolate, a third of what a delivery costs; reading the keys once per few seconds
 * saves it. A new key takes effect at once (a delivery that fails with the kept keys is checked
 * again with freshly read ones); a removed key stops being accepted within this time.
 */
export const CREDENTIAL_TTL_MS = 5_000;
/** Entries kept at most; the oldest goes first. One per active trigger node and credential. */
const MAX_ENTRIES = 1_000;

const kept = new Map<string, { readAt: number; data: ICredentialDataDecryptedObject }>();

export interface TriggerCredentials {
	data: ICredentialDataDecryptedObject;
	/** Whether `data` was read just now; if not, `refresh()` reads it again. */
	fresh: boolean;
	refresh(): Promise<ICredentialDataDecryptedObject>;
}

/** The credential of this trigger node, read at most once per CREDENTIAL_TTL_MS. */
export async function triggerCredentials(
	ctx: IWebhookFunctions,
	type: string,
	now = Date.now(),
): Promise<TriggerCredentials> {
	const node = ctx.getNode();
	const credential = node.credentials?.[type];
	// without a credential n8n's own error says what is missing
	const key =
		credential && `${ctx.getWorkflow().id}\n${node.id}\n${credential.id ?? credential.name}`;
	const read = async () => {
		const data = await ctx.getCredentials(type);
		if (key) {
			kept.delete(key);
			for (const [k, entry] of kept)
				if (kept.size >= MAX_ENTRIES || now - entry.readAt >= CREDENTIAL_TTL_MS) kept.delete(k);
				else break;
			kept.set(key, { readAt: now, data });
		}
		return data;
	};
	const hit = key ? kept.get(key) : undefined;
	if (hit && now - hit.readAt < CREDENTIAL_TTL_MS)
		return { data: hit.data, fresh: false, refresh: read };
	return { data: await read(), fresh: true, refresh: read };
}
