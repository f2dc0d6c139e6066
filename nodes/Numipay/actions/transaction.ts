import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { customApiCall as customApiCallOperation } from '../../common/customApiCall';
import {
	defineResource,
	type OperationModule,
	readLimit,
	readPagesInParallel,
} from '../../common/operation';
import { inOrder } from '../../common/pagination';
import {
	type CalendarDate,
	calendarDateIn,
	DateInputError,
	formatDdMmYyyy,
	knownZone,
	splitDateRange,
	toInstant,
} from '../../common/time';
import { normalizeNumipayTransaction } from '../normalize';
import { NUMIPAY, numipayRequest, numipaySettings } from '../transport';
import { asObject } from './create';

const get: OperationModule = {
	description: {
		name: 'Get',
		action: 'Get a transaction',
		description: 'Get the status of a transaction, and its rejected reason',
		properties: [
			{
				displayName: 'Transaction ID',
				name: 'id',
				type: 'string',
				required: true,
				default: '',
				placeholder: 'e.g. order-12345',
				description:
					'Your Tracking ID, or the transaction_id Numipay sent in its webhook. Numipay calls it "your" ID; the pack assumes it takes the Tracking ID.',
			},
		],
		normalize: normalizeNumipayTransaction,
	},
	async execute(this: IExecuteFunctions, i: number) {
		const id = String(this.getNodeParameter('id', i, '') ?? '').trim();
		if (!id)
			throw new NodeOperationError(this.getNode(), 'Transaction ID is required', { itemIndex: i });
		const settings = await numipaySettings.call(this, i);
		const answer = await numipayRequest.call(this, settings, 'getTransaction', {
			itemIndex: i,
			params: { id },
		});
		return { id, ...asObject(answer) };
	},
};

// Numipay lists at most 7 days at a time; a window of 7 calendar days (6 between from and to) is
// accepted whether or not its end counts
const MAX_DAYS_BETWEEN = 6;

const isoDay = (d: CalendarDate) =>
	`${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;

function nextDay(d: CalendarDate): CalendarDate {
	const date = new Date(Date.UTC(d.year, d.month - 1, d.day + 1));
	return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

interface ListRange {
	/** The operator's days, from midnight to midnight in the workflow's zone. */
	start: Date;
	end: Date;
	/** The API's days that overlap them. */
	apiDays: { from: CalendarDate; to: CalendarDate };
}

/** The range of From Date and To Date (today when empty); throws with a message for the operator. */
function listRange(fromValue: unknown, toValue: unknown, zone: string, apiZone: string): ListRange {
	if (!knownZone(apiZone))
		throw new DateInputError(
			`API Time Zone must be an IANA time zone such as UTC or Europe/London; got "${apiZone}"`,
		);
	const day = (value: unknown, label: string) =>
		calendarDateIn(value ? toInstant(value, zone, label) : new Date(), zone);
	const from = day(fromValue, 'From Date');
	const to = day(toValue, 'To Date');
	const start = toInstant(isoDay(from), zone, 'From Date');
	const end = toInstant(isoDay(nextDay(to)), zone, 'To Date');
	if (end <= start)
		throw new DateInputError(`To Date (${isoDay(to)}) is before From Date (${isoDay(from)})`);
	return {
		start,
		end,
		apiDays: {
			from: calendarDateIn(start, apiZone),
			to: calendarDateIn(new Date(end.getTime() - 1), apiZone),
		},
	};
}

const getMany: OperationModule = {
	description: {
		name: 'Get Many',
		action: 'Get many transactions',
		description: 'List transactions between two dates, newest first, over any number of days',
		list: true,
		normalize: normalizeNumipayTransaction,
		properties: [
			{
				displayName: 'From Date',
				name: 'fromDate',
				type: 'dateTime',
				default: '',
				description:
					"First day to list, in the workflow's time zone; empty for today. Numipay lists at most 7 days at a time: the node asks for as many 7-day windows as the range needs.",
			},
			{
				displayName: 'To Date',
				name: 'toDate',
				type: 'dateTime',
				default: '',
				description: "Last day to list (included), in the workflow's time zone; empty for today",
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'API Time Zone',
						name: 'apiTimeZone',
						type: 'string',
						default: 'UTC',
						placeholder: 'e.g. Europe/London',
						description:
							'The time zone in which Numipay reads from and to and writes transaction_date. Numipay does not publish it; the pack assumes UTC. The node asks for every API day that overlaps your days and keeps only the transactions of your days.',
					},
				],
			},
		],
	},
	async execute(this: IExecuteFunctions, i: number) {
		const fail = (message: string) =>
			new NodeOperationError(this.getNode(), message, { itemIndex: i });
		const zone = this.getTimezone();
		const apiZone =
			String((this.getNodeParameter('options', i, {}) as IDataObject).apiTimeZone ?? '').trim() ||
			'UTC';
		let range: ListRange;
		try {
			range = listRange(
				this.getNodeParameter('fromDate', i, ''),
				this.getNodeParameter('toDate', i, ''),
				zone,
				apiZone,
			);
		} catch (error) {
			throw fail((error as Error).message);
		}
		const { start, end, apiDays } = range;
		const settings = await numipaySettings.call(this, i);
		const limit = readLimit.call(this, i);
		const seen = new Set<string>();
		const result: IDataObject[] = [];
		// newest window first, as Numipay lists newest first
		const windows = splitDateRange(apiDays.from, apiDays.to, MAX_DAYS_BETWEEN).reverse();
		const answers = inOrder({
			concurrency: readPagesInParallel.call(this, i),
			count: windows.length,
			fetch: async (w) =>
				await numipayRequest.call(this, settings, 'getTransactions', {
					itemIndex: i,
					qs: { from: formatDdMmYyyy(windows[w].from), to: formatDdMmYyyy(windows[w].to) },
				}),
		});
		for await (const answer of answers) {
			if (!Array.isArray(answer))
				throw fail(
					`Numipay answered the transaction list with ${answer === null ? 'null' : typeof answer} instead of a list`,
				);
			for (const row of answer as IDataObject[]) {
				// windows share no day, but a transaction may be listed again if the list moves
				const key = String(row.transaction_id ?? JSON.stringify(row));
				if (seen.has(key) || !within(row, apiZone, start, end)) continue;
				seen.add(key);
				result.push(row);
				if (limit !== undefined && result.length >= limit) return result;
			}
		}
		return result;
	},
};

/** Whether the row's transaction_date, read in the API's zone, falls in [start, end); kept when unreadable. */
function within(row: IDataObject, apiZone: string, start: Date, end: Date): boolean {
	try {
		const at = toInstant(String(row.transaction_date ?? ''), apiZone, 'transaction_date');
		return at >= start && at < end;
	} catch {
		return true;
	}
}

export const transaction = defineResource({
	value: 'transaction',
	name: 'Transaction',
	operations: { get, getMany },
	default: 'getMany',
});

export const customApiCall = defineResource({
	value: 'customApiCall',
	name: 'Custom API Call',
	operations: {
		request: customApiCallOperation(NUMIPAY, {
			defaultPath: '/',
			placeholder: '/transactions',
			pathNote:
				'Numipay does not publish its paths; wrap a body in {"request": {...}} as its other calls are, with "mode": "test" in Test mode.',
		}),
	},
	default: 'request',
});
