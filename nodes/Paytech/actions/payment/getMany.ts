import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	type OperationDescription,
	readLimit,
	readPagesInParallel,
} from '../../../common/operation';
import { fetchNewestFirst } from '../../../common/pagination';
import { formatUtcSeconds, toInstant } from '../../../common/time';
import { normalizePaytechPayment } from '../../normalize';
import { PAYTECH_EARLIEST, paytechRequest, resultList } from '../../transport';

// pay.tech's list bounds: limit 1..1000, offset 0..1,000,000
const MAX_PAGE = 1000;
const MAX_OFFSET = 1_000_000;

export const description: OperationDescription = {
	name: 'Get Many',
	action: 'Get many payments',
	description: 'List payments, newest first, by creation or update time',
	list: true,
	normalize: normalizePaytechPayment,
	properties: [
		{
			displayName: 'Filters',
			name: 'filters',
			type: 'collection',
			placeholder: 'Add Filter',
			default: {},
			description:
				"Dates are in the workflow's time zone unless they carry an offset. Without a Created After, payments of any age are listed.",
			options: [
				{
					displayName: 'Created After',
					name: 'createdFrom',
					type: 'dateTime',
					default: '',
					description: 'Payments created at or after this time',
				},
				{
					displayName: 'Created Before',
					name: 'createdTo',
					type: 'dateTime',
					default: '',
					description: 'Payments created strictly before this time',
				},
				{
					displayName: 'Reference ID',
					name: 'referenceId',
					type: 'string',
					default: '',
					description: 'Only payments with exactly this Reference ID',
				},
				{
					displayName: 'Updated After',
					name: 'updatedFrom',
					type: 'dateTime',
					default: '',
					description: 'Payments updated at or after this time',
				},
				{
					displayName: 'Updated Before',
					name: 'updatedTo',
					type: 'dateTime',
					default: '',
					description: 'Payments updated strictly before this time',
				},
			],
		},
	],
};

/** Payments newest first, every page, no duplicates; created/updated bounds sent in UTC. */
export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const limit = readLimit.call(this, i);
	const concurrency = readPagesInParallel.call(this, i);
	const filters = this.getNodeParameter('filters', i, {}) as IDataObject;
	const timeZone = this.getTimezone();

	const qs: IDataObject = { 'created.gte': PAYTECH_EARLIEST };
	const bounds: Array<[string, string, string]> = [
		['createdFrom', 'created.gte', 'Created After'],
		['createdTo', 'created.lt', 'Created Before'],
		['updatedFrom', 'updated.gte', 'Updated After'],
		['updatedTo', 'updated.lt', 'Updated Before'],
	];
	for (const [field, param, label] of bounds) {
		if (filters[field] === undefined || filters[field] === '') continue;
		try {
			qs[param] = formatUtcSeconds(toInstant(filters[field], timeZone, label));
		} catch (error) {
			throw new NodeOperationError(this.getNode(), (error as Error).message, { itemIndex: i });
		}
	}
	if (typeof filters.referenceId === 'string' && filters.referenceId.trim())
		qs['referenceId.eq'] = filters.referenceId.trim();
	const createdBefore = qs['created.lt'] as string | undefined;

	return await fetchNewestFirst<IDataObject>({
		key: (payment) => String(payment.id),
		createdSecond: (payment) => {
			// pay.tech writes created as UTC YYYY-MM-DDTHH:MM:SS (whole seconds)
			const at = Date.parse(`${String(payment.created)}Z`);
			if (Number.isNaN(at))
				throw new NodeOperationError(
					this.getNode(),
					`pay.tech listed payment ${String(payment.id)} with created "${String(payment.created)}", not a UTC date and time like 2030-12-25T10:11:12`,
					{ itemIndex: i },
				);
			return Math.floor(at / 1000) * 1000;
		},
		pageSize: Math.min(MAX_PAGE, Math.max(2, limit ?? MAX_PAGE)),
		maxOffset: MAX_OFFSET,
		concurrency,
		before: createdBefore === undefined ? undefined : Date.parse(`${createdBefore}Z`),
		limit,
		fetchPage: async (before, offset, pageSize) => {
			const envelope = await paytechRequest.call(this, 'GET', '/payments', {
				qs: {
					...qs,
					'created.lt': before === undefined ? undefined : formatUtcSeconds(new Date(before)),
					offset,
					limit: pageSize,
				},
				itemIndex: i,
			});
			return { items: resultList(envelope), hasMore: envelope.hasMore === true };
		},
	});
}
