import type { IExecuteFunctions, JsonObject } from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

import { toNodeError } from './errors';
import { AmbiguousOutcomeError } from './request';

export interface SendOnceOptions<T> {
	/** The money-moving call. */
	send(): Promise<T>;
	/** Finds what `send` created, by the merchant reference; undefined when nothing has it. */
	lookup(): Promise<T | undefined>;
	provider: string;
	/** "deposit", "wallet credit"... for the error message. */
	what: string;
	reference: string;
	referenceField: string;
	itemIndex: number;
}

const ATTEMPTS = 3;
const DELAY_MS = 500;

/**
 * Sends a money-moving call so that it is never carried out twice. After a lost answer the
 * reference is looked up: what is found is returned. Only when the provider has finished with the
 * request (connection reset, 5xx, broken answer) does "not found" prove it failed, so only then is
 * it sent again. After a timeout it may still be in progress: it is looked up with growing waits
 * and, if still absent, reported as unknown, never re-sent.
 */
export async function sendOnce<T>(ctx: IExecuteFunctions, options: SendOnceOptions<T>): Promise<T> {
	let lastError: AmbiguousOutcomeError | undefined;
	for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
		try {
			return await options.send();
		} catch (error) {
			if (!(error instanceof AmbiguousOutcomeError))
				throw toNodeError(ctx.getNode(), error, options.itemIndex);
			lastError = error;
		}
		const lookups = lastError.mayStillBeProcessing ? ATTEMPTS : 1;
		for (let lookup = 1; lookup <= lookups; lookup++) {
			await sleep(DELAY_MS * 2 ** (attempt + lookup - 2));
			const found = await options.lookup();
			if (found !== undefined) return found;
		}
		if (lastError.mayStillBeProcessing) break;
	}
	throw new NodeApiError(
		ctx.getNode(),
		{ [options.referenceField]: options.reference } as JsonObject,
		{
			message: `The outcome of the ${options.provider} ${options.what} with ${options.referenceField} "${options.reference}" is unknown`,
			description: `${lastError?.message ?? ''}. Nothing with this reference was found afterwards${lastError?.mayStillBeProcessing ? `, but ${options.provider} may still be processing it, so it was not sent again` : ''}. Look for the reference at ${options.provider} before running this item again.`,
			itemIndex: options.itemIndex,
		},
	);
}
