import type { IDataObject } from 'n8n-workflow';

import {
	decimalText,
	statusText,
	utcTimestamp,
	type NormalizedStatus,
	type NormalizedTransaction,
	type NormalizedType,
} from '../common/normalize';

// The eight states Aggrepay.pro publishes (docs/providers/aggrepay-pro.md). A state it adds later
// is taken as still in flight, the only safe guess, and stays visible as providerStatus.
const STATE: Record<string, NormalizedStatus> = {
	// no payment method chosen yet: the customer has to pick one on the payment page
	created: 'requires_action',
	// a requisite is issued and the customer's transfer is awaited
	pending: 'pending',
	// the customer reported paying and the gateway checks it, or a payout is being sent
	in_check: 'pending',
	// the outcome is open until the gateway's appeal process decides it; not awaiting_approval,
	// which in the pack means a decision the merchant takes (pay.tech's payout approval) and
	// Aggrepay.pro publishes no call to resolve a dispute
	dispute: 'pending',
	finished: 'succeeded',
	canceled: 'canceled',
	// the customer did not pay in time: abandoned, nothing was refused or went wrong, so it counts
	// with the cancellations rather than inflating the failure rate
	expired: 'canceled',
	// no suitable requisite could be found: the payment could not be made
	failed: 'failed',
};

const TYPE: Record<string, NormalizedType> = { payment: 'deposit', payout: 'withdrawal' };

const text = (value: unknown): string | null =>
	value === undefined || value === null || value === '' ? null : String(value);

/**
 * An Aggrepay.pro payment or payout in the shared shape: the `data` of a status answer or of a
 * callback, whose amount fields are already exact text (moneyAsText).
 *
 * The amount is normalized as sent, in the credential's Amount Unit: "10.50" for an account in
 * major units, "1050" for one in minor units. Converting needs the credential, which a normalizer
 * does not see, so a caller that knows the unit is minor converts before normalizing.
 */
export function normalizeAggrepayProPayment(p: IDataObject): NormalizedTransaction {
	return {
		provider: 'aggrepay-pro',
		id: String(p.id ?? ''),
		reference: text(p.orderId),
		type: TYPE[String(p.type ?? '').toLowerCase()] ?? 'other',
		status: STATE[String(p.state ?? '').toLowerCase()] ?? 'pending',
		providerStatus: statusText(p.state),
		amount: decimalText(p, 'amount'),
		currency: text(p.currency),
		createdAt: utcTimestamp(p.createdAt),
		updatedAt: utcTimestamp(p.updatedAt),
		raw: p,
	};
}
