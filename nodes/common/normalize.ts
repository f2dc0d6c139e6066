import type { IDataObject } from 'n8n-workflow';

import { numberText } from './json';
import { numberToPlainText } from './money';

/** One status vocabulary for every provider, so a report can mix them. */
export type NormalizedStatus =
	| 'requires_action'
	| 'pending'
	| 'awaiting_approval'
	| 'authorized'
	| 'succeeded'
	| 'failed'
	| 'canceled'
	| 'refunded';

export type NormalizedType =
	| 'deposit'
	| 'withdrawal'
	| 'refund'
	| 'chargeback'
	| 'transfer'
	| 'credit'
	| 'debit'
	| 'other';

export interface NormalizedTransaction extends IDataObject {
	provider: string;
	id: string;
	reference: string | null;
	type: NormalizedType;
	status: NormalizedStatus;
	/**
	 * The provider's own status, as sent: a status the pack does not know is mapped to the nearest
	 * shared one (usually pending) and stays visible here.
	 */
	providerStatus: string | null;
	/** Exact decimal text, as the provider sent it. */
	amount: string | null;
	currency: string | null;
	/** ISO 8601 in UTC. */
	createdAt: string | null;
	updatedAt: string | null;
	raw: IDataObject;
}

/** A provider's "2026-11-01T10:11:12" (documented as UTC, no zone written) as ISO 8601 with Z. */
export function utcTimestamp(value: unknown): string | null {
	if (typeof value !== 'string' || value === '') return null;
	const text = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value) ? `${value}Z` : value;
	const date = new Date(text);
	return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/**
 * obj[key] as exact decimal text: providers' amounts already are (see moneyAsText); a number that
 * got here anyway is written with its source digits when parseJson kept them.
 */
export function decimalText(obj: IDataObject, key: string): string | null {
	const value = obj[key];
	if (typeof value === 'string') return value === '' ? null : value;
	if (typeof value === 'number') return numberText(obj, key) ?? numberToPlainText(value);
	return null;
}

/** A provider's status field as text, or null when it has none. */
export function statusText(value: unknown): string | null {
	return value === undefined || value === null || value === '' ? null : String(value);
}
