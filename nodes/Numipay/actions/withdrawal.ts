import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { toNodeError } from '../../common/errors';

import { defineResource, type OperationModule } from '../../common/operation';
import { numipayRequest, numipaySettings } from '../transport';
import { asObject, createSession } from './create';
import {
	additionalFieldsProperty,
	amountProperties,
	customerProperty,
	trackingIdProperty,
	userIdProperty,
} from './fields';

const session: OperationModule = {
	description: {
		name: 'Create Withdrawal Session',
		action: 'Create a withdrawal session',
		description: "Open Numipay's payout cashier, where the customer asks for a withdrawal",
		properties: [
			userIdProperty,
			...amountProperties,
			trackingIdProperty,
			customerProperty('withdrawal'),
			additionalFieldsProperty('withdrawal'),
		],
		movesMoney: { reference: 'trackingId' },
	},
	async execute(this: IExecuteFunctions, i: number) {
		return await createSession.call(this, i, 'createWithdrawalSession', 'withdrawal session');
	},
};

// Numipay's reference names the webhook's id for Reject and "your" id for Approve; the pack sends
// the gateway's transaction_id for both (docs/providers/numipay.md), which the trigger outputs.
const transactionIdProperty: INodeProperties = {
	displayName: 'Transaction ID',
	name: 'transactionId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. r21nmrtpcmrcava',
	description:
		"Numipay's transaction_id of the pending withdrawal, the transaction_id field of the Numipay Trigger's output. Not your Tracking ID.",
};

function readTransactionId(this: IExecuteFunctions, i: number): string {
	const id = String(this.getNodeParameter('transactionId', i, '') ?? '').trim();
	if (!id)
		throw new NodeOperationError(
			this.getNode(),
			"Transaction ID is required: Numipay's transaction_id of the pending withdrawal, as the Numipay Trigger outputs it",
			{ itemIndex: i },
		);
	return id;
}

// A decision is sent once: after a lost answer Numipay may have carried it out, and sending it
// again could approve a payout twice, so the item fails with "may have carried it out" instead.
async function decide(
	this: IExecuteFunctions,
	i: number,
	decision: 'approved' | 'rejected',
): Promise<IDataObject> {
	const settings = await numipaySettings.call(this, i);
	const transactionId = readTransactionId.call(this, i);
	const request: IDataObject = { transaction_id: transactionId };
	if (decision === 'rejected') {
		const reason = String(this.getNodeParameter('reason', i, '') ?? '').trim();
		if (reason) request.reason = reason;
	}
	let answer: unknown;
	try {
		answer = await numipayRequest.call(
			this,
			settings,
			decision === 'approved' ? 'approveWithdrawal' : 'rejectWithdrawal',
			{ itemIndex: i, request, idempotent: false },
		);
	} catch (error) {
		// the likely mistake behind a 404 here: a Tracking ID where Numipay's id belongs
		if (error instanceof NodeApiError && error.httpCode === '404')
			error.description = `Approve and Reject take Numipay's transaction_id of the pending withdrawal (the transaction_id of the Numipay Trigger's output), not your Tracking ID. Check "${transactionId}", and that it belongs to this credential's Mode.`;
		throw toNodeError(this.getNode(), error, i);
	}
	return {
		transaction_id: transactionId,
		decision,
		...(request.reason ? { reason: request.reason } : {}),
		...asObject(answer),
	};
}

const approve: OperationModule = {
	description: {
		name: 'Approve',
		action: 'Approve a withdrawal',
		description: 'Approve a pending withdrawal so Numipay pays it out',
		properties: [transactionIdProperty],
	},
	async execute(this: IExecuteFunctions, i: number) {
		return await decide.call(this, i, 'approved');
	},
};

const reject: OperationModule = {
	description: {
		name: 'Reject',
		action: 'Reject a withdrawal',
		description: 'Reject a pending withdrawal',
		properties: [
			transactionIdProperty,
			{
				displayName: 'Reason',
				name: 'reason',
				type: 'string',
				default: '',
				placeholder: 'e.g. Amount above the daily limit',
				description:
					'Why it is rejected, sent as reason. Numipay does not publish this field, so it may not keep it: the pack outputs it either way.',
			},
		],
	},
	async execute(this: IExecuteFunctions, i: number) {
		return await decide.call(this, i, 'rejected');
	},
};

export const withdrawal = defineResource({
	value: 'withdrawal',
	name: 'Withdrawal',
	operations: { createWithdrawalSession: session, approve, reject },
	default: 'createWithdrawalSession',
});
