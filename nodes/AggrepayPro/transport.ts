import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { type Endpoint, endpointPath } from '../common/endpoints';
import { apiRequest, type ApiResponse, type ProviderHttp } from '../common/request';
import type { AggrepayProOperation } from './endpoints';
import { aggrepayProEndpoints } from './environment';
import {
	aggrepayProEnvelopeError,
	aggrepayProNotActedYet,
	describeAggrepayProError,
} from './errors';
import { verifyAggrepayProSignature } from './signature';

export const AGGREPAY_PRO: ProviderHttp = {
	credentialType: 'aggrepayProApi',
	providerName: 'Aggrepay.pro',
	describeError: describeAggrepayProError,
	envelopeError: aggrepayProEnvelopeError,
	notActedYet: aggrepayProNotActedYet,
	// Amount fields of payments, payouts, payment methods and balances
	moneyFields: new Set(['amount', 'minAmount', 'maxAmount', 'available', 'reserved']),
};

export type AmountUnit = 'major' | 'minor';
export type SignatureCheck = 'error' | 'warn';

export interface AggrepayProSettings {
	endpoints: Record<AggrepayProOperation, Endpoint>;
	merchantId: string;
	amountUnit: AmountUnit;
	secretKey: string;
	signatureCheck: SignatureCheck;
}

/** What the credential and the node's Response Signature Check say, for item i. */
export async function aggrepayProSettings(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<AggrepayProSettings> {
	const credentials = await this.getCredentials('aggrepayProApi', itemIndex);
	let endpoints: Record<AggrepayProOperation, Endpoint>;
	try {
		endpoints = aggrepayProEndpoints(credentials);
	} catch (error) {
		// it throws only CredentialSettingError, whose message names the operation
		throw new NodeOperationError(this.getNode(), (error as Error).message, {
			itemIndex,
			description:
				'Fix it in the Aggrepay.pro credential; leave an operation out to use the assumed endpoint.',
		});
	}
	return {
		endpoints,
		merchantId: String(credentials.merchantId ?? '').trim(),
		amountUnit: credentials.amountUnit === 'minor' ? 'minor' : 'major',
		...(await answerCheckSettings.call(this, itemIndex)),
	};
}

/** What checking an answer's signature needs: the secret key and the node's choice. */
export async function answerCheckSettings(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<Pick<AggrepayProSettings, 'secretKey' | 'signatureCheck'>> {
	const credentials = await this.getCredentials('aggrepayProApi', itemIndex);
	return {
		secretKey: String(credentials.secretKey ?? ''),
		signatureCheck:
			this.getNodeParameter('responseSignatureCheck', itemIndex, 'error') === 'warn'
				? 'warn'
				: 'error',
	};
}

export interface AggrepayProCall {
	itemIndex: number;
	params?: Record<string, string>;
	qs?: IDataObject;
	body?: IDataObject;
	idempotent?: boolean;
}

/**
 * One call of an Aggrepay.pro operation at the endpoint the credential resolves it to; the
 * credential signs the body. The answer's Signature must verify over its exact bytes, else the
 * item fails (or, with the check set to Warn, an execution hint is shown); returns `data`.
 */
export async function aggrepayProRequest(
	this: IExecuteFunctions,
	settings: AggrepayProSettings,
	operation: AggrepayProOperation,
	call: AggrepayProCall,
): Promise<unknown> {
	const endpoint = settings.endpoints[operation];
	const response = await apiRequest.call(this, AGGREPAY_PRO, {
		method: endpoint.method,
		url: endpointPath(endpoint, call.params),
		qs: call.qs,
		body: call.body,
		idempotent: call.idempotent,
		itemIndex: call.itemIndex,
	});
	checkAnswerSignature.call(this, settings, response, operation, call.itemIndex);
	const body = response.body as IDataObject | undefined;
	return body && typeof body === 'object' && 'data' in body ? body.data : body;
}

/**
 * The answer's Signature must verify over its exact bytes, else the item fails (or, with Response
 * Signature Check set to Warn, an execution hint is shown and the answer is used).
 */
export function checkAnswerSignature(
	this: IExecuteFunctions,
	settings: Pick<AggrepayProSettings, 'secretKey' | 'signatureCheck'>,
	response: ApiResponse,
	what: string,
	itemIndex: number,
): void {
	const header = response.headers.signature;
	const signature = typeof header === 'string' ? header : undefined;
	if (verifyAggrepayProSignature(Buffer.from(response.text, 'utf8'), signature, settings.secretKey))
		return;
	const problem = signature === undefined ? 'carries no Signature' : 'failed its signature check';
	const message = `Aggrepay.pro's answer to ${what} ${problem}`;
	if (settings.signatureCheck !== 'warn')
		throw new NodeApiError(
			this.getNode(),
			{ code: 'RESPONSE-SIGNATURE' },
			{
				message,
				description:
					'The answer may not come from Aggrepay.pro, or was changed on the way, so it was not used. Check the Secret Key and the Base URL; if Aggrepay.pro does not sign this answer, set Response Signature Check to Warn.',
				itemIndex,
			},
		);
	this.addExecutionHints({
		message: `${message}; it was used anyway because Response Signature Check is set to Warn`,
		location: 'outputPane',
	});
}
