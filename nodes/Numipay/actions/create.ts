import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { toNodeError } from '../../common/errors';
import { AmbiguousOutcomeError } from '../../common/request';
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
 * token or a URL for the customer, and no money moves until the customer acts there. After a lost
 * answer it is asked again with the same tracking_id: Numipay then either opens it (the first
 * never arrived) or refuses the tracking_id as a duplicate (409), which means the first was
 * opened and its token is lost; the item then fails saying so.
 */
export async function createSession(
	this: IExecuteFunctions,
	i: number,
	operation: NumipayOperation,
	what: string,
	extra: IDataObject = {},
): Promise<IDataObject> {
	const settings = await numipaySettings.call(this, i);
	const created = createRequest.call(this, i);
	const send = async (idempotent: boolean) =>
		asObject(
			await numipayRequest.call(this, settings, operation, {
				itemIndex: i,
				request: { ...created.request, ...extra },
				idempotent,
			}),
		);
	let answer: IDataObject;
	try {
		answer = await send(false);
	} catch (error) {
		if (!(error instanceof AmbiguousOutcomeError)) throw toNodeError(this.getNode(), error, i);
		try {
			answer = await send(true);
		} catch (again) {
			if (!(again instanceof NodeApiError) || again.httpCode !== '409')
				throw toNodeError(this.getNode(), again, i);
			throw new NodeApiError(
				this.getNode(),
				{ tracking_id: created.trackingId },
				{
					message: `The answer to the Numipay ${what} with tracking_id "${created.trackingId}" was lost`,
					description: `Numipay opened it (asked again, it refuses the tracking_id as already used), but its answer never arrived (${error.message}). Nothing is paid until a customer uses it: run the item again with a new Tracking ID. A derived Tracking ID stays the same for the same event or execution, so set one.`,
					itemIndex: i,
				},
			);
		}
	}
	const url = cashierUrl(settings, answer.token);
	return createOutput(created, { ...answer, ...(url && { cashierUrl: url }) });
}
