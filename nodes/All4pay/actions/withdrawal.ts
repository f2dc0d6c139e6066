import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { toNodeError } from '../../common/errors';
import { defineResource, type OperationModule } from '../../common/operation';
import { AmbiguousOutcomeError } from '../../common/request';
import { normalizeAll4pay } from '../normalize';
import { PIX_KEY_TYPES, type PixKeyType, validateCpf, validatePixKey } from '../pix';
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

const create: OperationModule = {
	description: {
		name: 'Create',
		action: 'Create a PIX withdrawal',
		description: 'Pay out to a PIX key from your All4Pay balance',
		properties: [
			userIdProperty,
			amountProperty,
			{
				displayName: 'PIX Key Type',
				name: 'pixKeyType',
				type: 'options',
				options: PIX_KEY_TYPES,
				default: 'cpf',
			},
			{
				displayName: 'PIX Key',
				name: 'pixKey',
				type: 'string',
				required: true,
				default: '',
				placeholder: 'e.g. 123.456.789-09',
				description:
					"The recipient's PIX key, checked against its type before anything is sent: CPF and CNPJ check digits, a Brazilian phone number (+55), an email address, or a random key (UUID). Sent as the Banco Central stores it (digits only, lower case).",
			},
			{
				displayName: 'Name',
				name: 'name',
				type: 'string',
				required: true,
				default: '',
				placeholder: 'e.g. Maria Silva',
				description: "The recipient's full name",
			},
			{
				displayName: 'CPF',
				name: 'cpf',
				type: 'string',
				required: true,
				default: '',
				placeholder: 'e.g. 123.456.789-09',
				description: "The recipient's CPF; sent as its 11 digits, check digits verified",
			},
		],
		normalize: normalizeAll4pay('withdrawal'),
	},
	async execute(this: IExecuteFunctions, i: number) {
		const userId = requiredText.call(this, i, 'userId', 'User ID', 'your ID of the customer');
		const amount = readBrlAmount.call(this, i);
		const pixKeyType = this.getNodeParameter('pixKeyType', i, 'cpf') as PixKeyType;
		let pixKey: string;
		let cpf: string;
		try {
			pixKey = validatePixKey(pixKeyType, this.getNodeParameter('pixKey', i, ''), 'PIX Key');
			cpf = validateCpf(this.getNodeParameter('cpf', i, ''), 'CPF');
		} catch (error) {
			throw fail(this, i, (error as Error).message);
		}
		const name = requiredText.call(this, i, 'name', 'Name', "the recipient's full name");
		const settings = await all4paySettings.call(this, i);
		try {
			return asObject(
				await all4payRequest.call(this, settings, 'createWithdrawal', {
					itemIndex: i,
					body: {
						user_id: userId,
						amount: jsonAmount(amount),
						pix_key: pixKey,
						pix_key_type: pixKeyType,
						name,
						cpf,
					},
					idempotent: false,
				}),
			);
		} catch (error) {
			// No withdrawal list is known to look it up in, so a payout whose answer was lost is never
			// sent again: All4Pay's duplicate guard would refuse a resend for a few minutes, and after
			// that it would pay twice
			if (error instanceof AmbiguousOutcomeError)
				throw new NodeApiError(
					this.getNode(),
					{ user_id: userId, amount },
					{
						message: `The outcome of the All4Pay withdrawal of R$ ${amount} for User ID "${userId}" is unknown`,
						description: `${error.message}. All4Pay may have created it, and it has no merchant reference to look it up by, so it was not sent again. Check the All4Pay dashboard for a withdrawal of R$ ${amount} to this User ID before running this item again.`,
						itemIndex: i,
					},
				);
			throw toNodeError(this.getNode(), error, i);
		}
	},
};

export const withdrawal = defineResource({
	value: 'withdrawal',
	name: 'Withdrawal',
	operations: { create, get: getOperation('withdrawal') },
	default: 'create',
});
