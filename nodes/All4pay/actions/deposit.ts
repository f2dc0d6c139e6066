import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { toNodeError } from '../../common/errors';
import { sameAmount } from '../../common/money';
import { defineResource, type OperationModule } from '../../common/operation';
import { sendOnce } from '../../common/reconcile';
import { validateCpf, validateEmail } from '../pix';
import { normalizeAll4pay } from '../normalize';
import { all4payRequest, all4paySettings } from '../transport';
import {
	amountProperty,
	asObject,
	fail,
	getOperation,
	jsonAmount,
	readBrlAmount,
	requiredText,
	userIdProperty,
} from './fields';

// A lost answer is looked up among the user's deposits created since a little before it was sent:
// All4Pay has no merchant reference, and its duplicate guard keeps one user_id and amount unique
// for a few minutes, so user_id, amount and time find the deposit
const CLOCK_SKEW_MS = 60_000;

const create: OperationModule = {
	description: {
		name: 'Create',
		action: 'Create a PIX deposit',
		description: 'Create a PIX deposit: the output holds the PIX copy-and-paste code and QR code',
		properties: [
			userIdProperty,
			amountProperty,
			{
				displayName: 'CPF',
				name: 'cpf',
				type: 'string',
				required: true,
				default: '',
				placeholder: 'e.g. 123.456.789-09',
				description: "The customer's CPF; sent as its 11 digits, check digits verified",
			},
			{
				displayName: 'Name',
				name: 'name',
				type: 'string',
				required: true,
				default: '',
				placeholder: 'e.g. Maria Silva',
				description: "The customer's full name",
			},
			{
				displayName: 'Email',
				name: 'email',
				type: 'string',
				placeholder: 'name@email.com',
				required: true,
				default: '',
				description: "The customer's email address",
			},
		],
		normalize: normalizeAll4pay('deposit'),
	},
	async execute(this: IExecuteFunctions, i: number) {
		const userId = requiredText.call(this, i, 'userId', 'User ID', 'your ID of the customer');
		const amount = readBrlAmount.call(this, i);
		let cpf: string;
		let email: string;
		try {
			cpf = validateCpf(this.getNodeParameter('cpf', i, ''), 'CPF');
			email = validateEmail(this.getNodeParameter('email', i, ''), 'Email');
		} catch (error) {
			throw fail(this, i, (error as Error).message);
		}
		const name = requiredText.call(this, i, 'name', 'Name', "the customer's full name");
		const settings = await all4paySettings.call(this, i);
		const sentAt = Date.now();
		let sends = 0;
		const answer = await sendOnce(this, {
			provider: 'All4Pay',
			what: 'deposit',
			reference: `${userId}, R$ ${amount}`,
			referenceField: 'user_id and amount',
			itemIndex: i,
			send: async () => {
				sends++;
				try {
					return await all4payRequest.call(this, settings, 'createDeposit', {
						itemIndex: i,
						body: { user_id: userId, cpf, name, email, amount: jsonAmount(amount) },
						idempotent: false,
					});
				} catch (error) {
					if (sends > 1 && error instanceof NodeApiError && /^4/.test(String(error.httpCode)))
						error.description =
							`This was a second attempt, sent after the answer to the first was lost and no deposit of R$ ${amount} for this User ID was found. All4Pay refuses equal requests (same User ID and amount) for a few minutes, so this refusal may be that duplicate guard: the first request may have created the deposit. Look for it in the All4Pay dashboard before running this item again. ${error.description ?? ''}`.trim();
					throw toNodeError(this.getNode(), error, i);
				}
			},
			lookup: async () => {
				const list = await all4payRequest.call(this, settings, 'getDeposits', {
					itemIndex: i,
					qs: { user_id: userId, date_from: new Date(sentAt - CLOCK_SKEW_MS).toISOString() },
				});
				if (!Array.isArray(list)) return undefined;
				// date_from already bounds the list; created_at (not published) only narrows it further
				const recent = (d: IDataObject) => {
					const at = Date.parse(String(d.created_at));
					return Number.isNaN(at) || at >= sentAt - CLOCK_SKEW_MS;
				};
				const found = (list as IDataObject[]).find(
					(d) => String(d.user_id) === userId && sameAmount(d.amount, amount) && recent(d),
				);
				return found && { ...found, foundAfterLostAnswer: true };
			},
		});
		return asObject(answer);
	},
};

export const deposit = defineResource({
	value: 'deposit',
	name: 'Deposit',
	operations: { create, get: getOperation('deposit') },
	default: 'create',
});
