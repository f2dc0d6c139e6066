import type { IDataObject, IExecuteFunctions, IPollFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { parseJson } from '../common/json';
import { apiRequest, type ProviderHttp } from '../common/request';
import { aggrepayEnvelopeError, aggrepayHint, describeAggrepayError } from './errors';
import { GATEWAY_PATH, WALLET_PATH } from './environment';
import { verifyAggrepayResponseHash } from './hash';

export const AGGREPAY: ProviderHttp = {
	credentialType: 'aggrePayApi',
	providerName: 'AggrePay',
	describeError: describeAggrepayError,
	envelopeError: aggrepayEnvelopeError,
	// Amount fields of the wallet, gateway and settlement answers
	moneyFields: new Set([
		'amount',
		'balance',
		'refund_amount',
		'sale_amount',
		'payout_amount',
		'chargeback_amount',
	]),
};

export interface AggrepayEnvelope {
	data?: unknown;
	page?: IDataObject | null;
	hash?: string | null;
}

export type HashCheck = 'error' | 'warn';

async function salt(this: IExecuteFunctions | IPollFunctions, itemIndex: number): Promise<string> {
	const credentials = await this.getCredentials('aggrePayApi', itemIndex);
	return String(credentials.secretSalt ?? '');
}

/**
 * One AggrePay call: `wallet/<call>` goes to the wallet host's /api/v1/, `gateway/<call>` to the
 * gateway's /v2/. Fields are form-posted; the credential adds api_key and the hash. A response
 * that carries a hash must verify, else the item fails (or, with `hashCheck: 'warn'`, an execution
 * hint is shown and the answer is used).
 */
export async function aggrepayRequest(
	this: IExecuteFunctions | IPollFunctions,
	call: string,
	fields: IDataObject,
	options: { itemIndex: number; idempotent: boolean; hashCheck?: HashCheck },
): Promise<AggrepayEnvelope> {
	const [api, name] = call.split('/');
	const url = `${api === 'gateway' ? GATEWAY_PATH : WALLET_PATH}${name}`;
	const compact: IDataObject = {};
	for (const [key, value] of Object.entries(fields))
		if (value !== undefined && value !== null && value !== '') compact[key] = value;
	const response = await apiRequest.call(this, AGGREPAY, {
		method: 'POST',
		url,
		body: compact,
		form: true,
		idempotent: options.idempotent,
		itemIndex: options.itemIndex,
	});
	const envelope = (response.body ?? {}) as AggrepayEnvelope & IDataObject;
	if (envelope.hash !== undefined && envelope.hash !== null) {
		// the hash covers the answer as AggrePay wrote it, before amounts were turned into text
		const asSent = parseJson(response.text) as Record<string, unknown>;
		const ok = verifyAggrepayResponseHash(
			response.text,
			asSent,
			await salt.call(this, options.itemIndex),
		);
		if (!ok) {
			const message = `AggrePay's answer to ${name} failed its hash check`;
			if (options.hashCheck !== 'warn' || !('addExecutionHints' in this)) {
				throw new NodeApiError(
					this.getNode(),
					{ code: 'RESPONSE-HASH-MISMATCH' },
					{
						message,
						description: aggrepayHint('RESPONSE-HASH-MISMATCH'),
						itemIndex: options.itemIndex,
					},
				);
			}
			this.addExecutionHints({
				message: `${message}; it was used anyway because Response Hash Check is set to Warn`,
				location: 'outputPane',
			});
		}
	}
	return envelope;
}
