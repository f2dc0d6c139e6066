import { createHash } from 'node:crypto';

import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { sameAmount } from '../common/money';
import { safeEqual } from '../common/signing';
import { credentialSecrets, type WebhookAuth } from '../common/webhookAuth';
import { type ProviderHttp } from '../common/request';
import { all4payRequest, all4paySettings, ALL4PAY } from './transport';

/** The query parameter of the trigger's URL that carries the credential's Callback Token. */
export const CALLBACK_TOKEN_PARAMETER = 'token';

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/**
 * All4Pay signs nothing, so its callbacks prove only that the sender knows the URL: a callback is
 * authentic when the URL's `token` equals the credential's Callback Token (compared as SHA-256
 * digests, so in constant time whatever the lengths).
 */
export const all4payCallbackAuth: WebhookAuth = {
	secrets: (credentials) => credentialSecrets(credentials, ['callbackToken']),
	verify({ query }, secrets) {
		const token = query?.[CALLBACK_TOKEN_PARAMETER];
		if (typeof token !== 'string' || token === '') return false;
		let match = false;
		for (const secret of secrets) match = safeEqual(digest(token), digest(secret)) || match;
		return match;
	},
	secretHeaders: [],
};

// The trigger reads the deposit or withdrawal while All4Pay waits for its answer: a short budget
const CONFIRMING: ProviderHttp = {
	...ALL4PAY,
	retry: { maxAttempts: 3, maxElapsedMs: 8_000 },
	timeoutMs: 10_000,
};

/**
 * The deposit or withdrawal the callback names, as All4Pay's API reports it, when the API reports
 * the status (and amount) the callback claims; otherwise why not. Nothing in the reason is secret:
 * the ids and statuses are All4Pay's, the amounts the callback's.
 */
export async function confirmAll4payCallback(
	ctx: IWebhookFunctions,
	claim: IDataObject,
): Promise<{ event: IDataObject } | { unconfirmed: string }> {
	const kind = String(claim.type);
	const what = `the callback for ${kind} ${String(claim.id)}`;
	let found: unknown;
	try {
		const settings = await all4paySettings.call(ctx);
		found = await all4payRequest.call(
			ctx,
			settings,
			kind === 'deposit' ? 'getDeposit' : 'getWithdrawal',
			{ params: { id: String(claim.id) } },
			CONFIRMING,
		);
	} catch (error) {
		return {
			unconfirmed: `${what} could not be confirmed through the API: ${(error as Error).message}`,
		};
	}
	if (!found || typeof found !== 'object' || Array.isArray(found))
		return { unconfirmed: `${what}: the API answered something other than a ${kind}` };
	const api = found as IDataObject;
	if (String(api.status) !== String(claim.status))
		return {
			unconfirmed: `${what} says "${String(claim.status)}", the API says "${String(api.status)}"`,
		};
	if (claim.amount !== undefined && !sameAmount(api.amount, claim.amount))
		return {
			unconfirmed: `${what} says amount ${String(claim.amount)}, the API says ${String(api.amount)}`,
		};
	return { event: { ...api, type: kind } };
}
