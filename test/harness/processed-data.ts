/**
 * n8n's de-duplication store (`processed_data`) for the engine harness, which has no database:
 * the same rules as n8n 2.41's DeduplicationHelper (packages/cli/src/deduplication), with the
 * table in memory. One row per (workflow, context); a missing row is inserted, and an insert of
 * a row that exists fails as the primary key makes it fail in the database; an existing row is
 * read, merged in memory and written back whole, with a turn of the event loop between the read
 * and the write, as the database round trip gives other executions. The real store runs in the
 * e2e tests (SQLite, and PostgreSQL in queue mode).
 */
import { createHash } from 'node:crypto';

import { DataDeduplicationService } from 'n8n-core';
import type {
	DeduplicationItemTypes,
	DeduplicationScope,
	ICheckProcessedContextData,
	ICheckProcessedOptions,
	IDataDeduplicator,
	IDeduplicationOutput,
} from 'n8n-workflow';

interface Row {
	mode: string;
	data: DeduplicationItemTypes | string[];
}

const rows = new Map<string, Row>();
const roundTrip = async () => await new Promise<void>((resolve) => setImmediate(resolve));

function rowKey(scope: DeduplicationScope, context: ICheckProcessedContextData): string {
	if (scope === 'node' && !context.node) throw new Error("scope 'node' needs a node");
	return `${context.workflow.id}/${scope === 'node' ? `n:${context.node!.id}` : ''}`;
}

const hash = (value: DeduplicationItemTypes) =>
	createHash('md5').update(value.toString()).digest('base64');

const compare = (mode: string, a: DeduplicationItemTypes, b: DeduplicationItemTypes) => {
	const [x, y] =
		mode === 'latestDate' ? [Date.parse(String(a)), Date.parse(String(b))] : [Number(a), Number(b)];
	return x === y ? 0 : x > y ? 1 : -1;
};

export class InMemoryDeduplicator implements IDataDeduplicator {
	async checkProcessedAndRecord(
		items: DeduplicationItemTypes[],
		scope: DeduplicationScope,
		context: ICheckProcessedContextData,
		options: ICheckProcessedOptions,
	): Promise<IDeduplicationOutput> {
		const key = rowKey(scope, context);
		const found = rows.get(key);
		const read = found && structuredClone(found);
		await roundTrip();
		if (read && read.mode !== options.mode)
			throw new Error(
				'Deduplication data was originally saved with an incompatible setting of the ‘Keep Items Where’ parameter.',
			);
		const latest = options.mode !== 'entries';
		if (!read) {
			if (rows.has(key))
				throw new Error('duplicate key value violates unique constraint "PK_processed_data"');
			const data = latest
				? [...items].sort((a, b) => compare(options.mode, a, b)).at(-1)!
				: items.map(hash).slice(-(options.maxEntries ?? items.length));
			rows.set(key, { mode: options.mode, data });
			return { new: items, processed: [] };
		}
		const output: IDeduplicationOutput = { new: [], processed: [] };
		if (latest) {
			let largest = read.data as DeduplicationItemTypes;
			for (const item of items) {
				if (compare(options.mode, item, read.data as DeduplicationItemTypes) === 1) {
					output.new.push(item);
					if (compare(options.mode, item, largest) === 1) largest = item;
				} else output.processed.push(item);
			}
			read.data = largest;
		} else {
			const data = read.data as string[];
			const seen = new Set(data);
			items.forEach((item) => {
				if (seen.has(hash(item))) output.processed.push(item);
				else {
					output.new.push(item);
					data.push(hash(item));
				}
			});
			if (options.maxEntries) data.splice(0, data.length - options.maxEntries);
		}
		// an UPDATE: writes the whole row if it still exists
		if (rows.has(key)) rows.set(key, read);
		return output;
	}

	async removeProcessed(
		items: DeduplicationItemTypes[],
		scope: DeduplicationScope,
		context: ICheckProcessedContextData,
	): Promise<void> {
		const row = rows.get(rowKey(scope, context));
		if (row && Array.isArray(row.data)) {
			const gone = new Set(items.map(hash));
			row.data = row.data.filter((entry) => !gone.has(entry));
		}
	}

	async clearAllProcessedItems(
		scope: DeduplicationScope,
		context: ICheckProcessedContextData,
	): Promise<void> {
		await roundTrip();
		rows.delete(rowKey(scope, context));
	}

	async getProcessedDataCount(
		scope: DeduplicationScope,
		context: ICheckProcessedContextData,
		options: ICheckProcessedOptions,
	): Promise<number> {
		const row = rows.get(rowKey(scope, context));
		return options.mode === 'entries' && row && Array.isArray(row.data) ? row.data.length : 0;
	}
}

let installed = false;

/** Gives n8n-core's helpers (checkProcessedAndRecord...) this store; once per module registry. */
export async function installProcessedDataStore(): Promise<void> {
	if (installed) return;
	installed = true;
	await DataDeduplicationService.init(new InMemoryDeduplicator());
}

/** Forgets every record, as a new n8n with an empty database would start. */
export function clearProcessedData(): void {
	rows.clear();
}
