import type {
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { pollingTriggerTexts } from '../common/trigger';
import { TRANSACTIONS_PAGE_SIZE } from './actions/wallet';
import { normalizeAggrepayWalletTransaction } from './normalize';
import { aggrepayRequest } from './transport';

// How many transaction IDs per customer are remembered as the cursor: the newest ones, so a new
// transaction is recognised however many arrive between polls, and an old one never comes back.
const CURSOR_SIZE = 1000;

interface CustomerCursor {
	seen: string[];
}

// What poll() below does, said in the editor: the notice and the trigger panel's help
const texts = pollingTriggerTexts('AggrePay', {
	reason: 'AggrePay wallets have no webhooks',
	source: 'wallet',
	item: 'successful transaction',
	items: 'successful transactions',
	filter: 'of the selected Payment Type',
});

export class AggrePayWalletTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'AggrePay Wallet Trigger',
		name: 'aggrePayWalletTrigger',
		icon: { light: 'file:aggrepay.svg', dark: 'file:aggrepay.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ "wallets of " + $parameter["customerIds"] }}',
		description:
			'Starts the workflow for new successful wallet transactions (AggrePay wallets have no webhooks, so this polls)',
		defaults: { name: 'AggrePay Wallet Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'aggrePayApi', required: true }],
		triggerPanel: texts.triggerPanel,
		properties: [
			texts.notice,
			{
				displayName: 'Customer IDs',
				name: 'customerIds',
				type: 'string',
				required: true,
				default: '',
				placeholder: 'e.g. 784334610, 784334611',
				description:
					'Wallets to watch, comma-separated. The first poll only records what is there; later polls emit what is new, oldest first.',
			},
			{
				displayName: 'Payment Type',
				name: 'paymentType',
				type: 'options',
				options: [
					{ name: 'All', value: 'all' },
					{ name: 'Credits', value: 'CREDIT' },
					{ name: 'Debits', value: 'DEBIT' },
				],
				default: 'all',
				description:
					'Which new wallet transactions start the workflow: money in (credits), money out (debits) or both',
			},
			{
				displayName: 'Normalized Output',
				name: 'normalize',
				type: 'boolean',
				default: false,
				description:
					"Whether to output the shared shape instead of AggrePay's own transaction (kept in raw)",
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const customerIds = String(this.getNodeParameter('customerIds', ''))
			.split(/[\s,]+/)
			.filter(Boolean);
		if (!customerIds.length)
			throw new NodeOperationError(
				this.getNode(),
				'Customer IDs must list at least one wallet customer ID',
			);
		const paymentType = this.getNodeParameter('paymentType', 'all') as string;
		const normalize = this.getNodeParameter('normalize', false) as boolean;
		const manual = this.getMode() === 'manual';
		const staticData = this.getWorkflowStaticData('node');
		const cursors = (staticData.cursors ?? {}) as Record<string, CustomerCursor>;

		const emitted: IDataObject[] = [];
		for (const customerId of customerIds) {
			const cursor = cursors[customerId];
			const seen = new Set(cursor?.seen ?? []);
			const fresh: IDataObject[] = [];
			// Newest first: read pages until one holds a transaction already seen (or the list ends)
			for (let page = 0; ; page++) {
				const envelope = await aggrepayRequest.call(
					this,
					'wallet/fetchtransactions',
					{ customer_id: customerId, page_number: page, page_size: TRANSACTIONS_PAGE_SIZE },
					{ itemIndex: 0, idempotent: true },
				);
				const items = Array.isArray(envelope.data) ? (envelope.data as IDataObject[]) : [];
				let reachedSeen = false;
				for (const t of items) {
					if (seen.has(String(t.transaction_id))) reachedSeen = true;
					else fresh.push(t);
				}
				// The first poll records the newest page only; in a manual test, the latest one is shown
				if (!cursor || reachedSeen || page + 1 >= Number(envelope.page?.total_pages ?? 0)) break;
			}
			const newestIds = [
				...fresh.map((t) => String(t.transaction_id)),
				...(cursor?.seen ?? []),
			].slice(0, CURSOR_SIZE);
			if (!manual) cursors[customerId] = { seen: newestIds };
			const selected = fresh.filter((t) => paymentType === 'all' || t.payment_type === paymentType);
			if (!cursor) {
				if (manual && selected.length) emitted.push({ customer_id: customerId, ...selected[0] });
				continue;
			}
			for (const t of selected.reverse()) emitted.push({ customer_id: customerId, ...t });
		}
		// reassigning the bucket's key marks static data as changed, so n8n saves the cursors
		if (!manual) staticData.cursors = { ...cursors };

		if (!emitted.length) return null;
		return [
			this.helpers.returnJsonArray(
				normalize ? emitted.map(normalizeAggrepayWalletTransaction) : emitted,
			),
		];
	}
}
