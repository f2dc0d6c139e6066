import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { NumipayOperation } from '../endpoints';
import { numipayRequest, numipaySettings, type NumipaySettings } from '../transport';
import { type CreateRequest, createRequest } from './fields';

export function asObject(answer: unknown): IDataObject {
	return answer && typeof answer === 'object' && !Array.isArray(answer)
		? (answer as IDataObject)
		: { result: answer as IDataObject };
}

/** The output of a create: the tracking_id first, the answer, then how the reference was made. */
export function createOutput(created: CreateRequest, answer: IDataObject): IDataObject {
	return {
		tracking_id: created.trackingId,
		...answer,
		...(created.derived && { derivedReference: { ...created.derived } }),
	};
}

/** The cashier URL for a session token, when the credential has a Cashier URL Template. */
function cashierUrl(settings: NumipaySettings, token: unknown): string | undefined {
	if (!settings.cashierUrlTemplate || typeof token !== 'string' || !token) return undefined;
	return settings.cashierUrlTemplate.split('{token}').join(encodeURIComponent(token));
}

/**
 * A cashier session (deposit or withdrawal) or a direct-integration deposit: Numipay answers a
 * token or a URL for the customer, and no money moves until the customer acts there. Sending it
 * again after a lost answer is therefore harmless; Numipay then refuses the same tracking_id
 * (409), which the error explains, and a new Tracking ID gives a new session.
 */
export async function createSession(
	this: IExecuteFunctions,
	i: number,
	operation: NumipayOperation,
	extra: IDataObject = {},
): Promise<IDataObject> {
	const settings = await numipaySettings.call(this, i);
	const created = createRequest.call(this, i);
	const answer = asObject(
		await numipayRequest.call(this, settings, operation, {
			itemIndex: i,
			request: { ...created.request, ...extra },
			idempotent: true,
		}),
	);
	const url = cashierUrl(settings, answer.token);
	return createOutput(created, { ...answer, ...(url && { cashierUrl: url }) });
}
