import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { currencyProperty } from '../../common/currency';
import { toNodeError } from '../../common/errors';
import { currencyInfo, parseAmount } from '../../common/money';
import type { NormalizedTransaction } from '../../common/normalize';
import {
	defineResource,
	type OperationModule,
	readLimit,
	readPagesInParallel,
	type Resource,
} from '../../common/operation';
import { fetchNumberedPages } from '../../common/pagination';
import { sendOnce } from '../../common/reconcile';
import { deriveReference } from '../../common/reference';
import { ProviderAnswerError } from '../../common/request';
import { aggrepayRequest, type AggrepayEnvelope, type HashCheck } from '../transport';

// AggrePay has 26 form-post calls that differ only in their fields, so each is described once as
// a row of data; operationFromSpec turns a row into an operation module (its parameters and its
// execute), so the rows are adapted to the one contract every provider follows.

export interface FieldSpec {
	/** The API field, also the node parameter's name. */
	name: string;
	displayName: string;
	kind?: 'string' | 'secret' | 'amount' | 'date' | 'number' | 'yesNo' | 'currency';
	/** kind 'currency': the codes offered; another one can be given as an expression. */
	currencies?: readonly string[];
	required?: boolean;
	description?: string;
	placeholder?: string;
	default?: string;
}

export interface OperationSpec {
	name: string;
	action: string;
	description: string;
	/** `wallet/<call>` or `gateway/<call>`. */
	call: string;
	fields: FieldSpec[];
	/** Optional fields, shown under Additional Fields. */
	optional?: FieldSpec[];
	/** Repeating it does no harm: read calls, and updates that set a value. */
	idempotent: boolean;
	/**
	 * Moves money: `reference` is the field with the merchant reference (derived when empty, and in
	 * the output). With `lookup`, the call is sent once (see sendOnce) and, after a lost answer,
	 * looked up by that wallet call; without it, AggrePay itself never repeats a reference.
	 */
	movesMoney?: { reference: string; lookup?: string };
	/**
	 * A paged list: which page comes first, the page-size field and its value, and what each page
	 * says of the whole list: how many pages it has, and how many items.
	 */
	list?: {
		firstPage: number;
		pageSizeField: string;
		pageSize: number;
		pages(envelope: AggrepayEnvelope): number;
		size(envelope: AggrepayEnvelope): string;
	};
	normalize?(json: IDataObject): NormalizedTransaction;
}

function property(field: FieldSpec): INodeProperties {
	const base = {
		displayName: field.displayName,
		name: field.name,
		required: field.required,
		description: field.description,
		placeholder: field.placeholder,
	};
	switch (field.kind) {
		case 'secret':
			return { ...base, type: 'string', typeOptions: { password: true }, default: '' };
		case 'number':
			return { ...base, type: 'number', default: 0 };
		case 'yesNo':
			return { ...base, type: 'boolean', default: true };
		case 'amount':
			return {
				...base,
				type: 'string',
				default: '',
				placeholder: field.placeholder ?? 'e.g. 100.00',
				description:
					field.description ??
					'Amount in rupees with at most 2 decimals, e.g. 100.50; never rounded',
			};
		case 'date':
			return { ...base, type: 'string', default: '', placeholder: 'YYYY-MM-DD' };
		case 'currency':
			return currencyProperty({
				name: field.name,
				displayName: field.displayName,
				required: field.required,
				default: field.default ?? '',
				codes: field.currencies,
				description: field.description ?? '',
			});
		default:
			return { ...base, type: 'string', default: field.default ?? '' };
	}
}

/** The parameters of an operation: its fields, then its optional ones under Additional Fields. */
function properties(spec: OperationSpec): INodeProperties[] {
	const own = spec.fields.map(property);
	if (!spec.optional?.length) return own;
	return [
		...own,
		{
			displayName: 'Additional Fields',
			name: 'additionalFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			options: spec.optional.map(property),
		},
	];
}

const INR = currencyInfo('INR');

/** The posted fields of item i: required ones checked, amounts and dates validated, booleans as y/n. */
function collectFields(this: IExecuteFunctions, spec: OperationSpec, i: number): IDataObject {
	const fail = (message: string) =>
		new NodeOperationError(this.getNode(), message, { itemIndex: i });
	const additional = spec.optional?.length
		? (this.getNodeParameter('additionalFields', i, {}) as IDataObject)
		: {};
	const fields: IDataObject = {};
	const take = (field: FieldSpec, raw: unknown) => {
		if (raw === undefined || raw === null || raw === '') {
			if (field.required && field.kind !== 'yesNo')
				throw fail(`${field.displayName} is required for ${spec.name}`);
			return;
		}
		if (field.kind === 'amount') {
			try {
				fields[field.name] = twoDecimals(parseAmount(raw, INR, field.displayName));
			} catch (error) {
				throw fail((error as Error).message);
			}
		} else if (field.kind === 'currency') {
			try {
				fields[field.name] = currencyInfo(raw, field.displayName).code;
			} catch (error) {
				throw fail((error as Error).message);
			}
		} else if (field.kind === 'date') {
			const text = String(raw).trim();
			if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(Date.parse(`${text}T00:00:00Z`)))
				throw fail(`${field.displayName} must be a date like 2001-12-31; got "${text}"`);
			fields[field.name] = text;
		} else if (field.kind === 'yesNo') {
			fields[field.name] = raw ? 'y' : 'n';
		} else {
			fields[field.name] = typeof raw === 'string' ? raw.trim() : raw;
		}
	};
	for (const field of spec.fields) take(field, this.getNodeParameter(field.name, i, ''));
	for (const field of spec.optional ?? []) take(field, additional[field.name]);
	return fields;
}

/** Rupee amounts as AggrePay shows them: two decimals ("100" → "100.00"). */
function twoDecimals(canonical: string): string {
	const [int, fraction = ''] = canonical.split('.');
	return `${int}.${fraction.padEnd(2, '0')}`;
}

/** The operation module of a row: its parameters, and the form post (paged, or sent once) it makes. */
function operationFromSpec(spec: OperationSpec): OperationModule {
	const { name, action, description, movesMoney, list, normalize } = spec;
	return {
		description: {
			name,
			action,
			description,
			properties: properties(spec),
			movesMoney,
			list: Boolean(list),
			normalize,
		},
		async execute(this: IExecuteFunctions, i: number): Promise<IDataObject | IDataObject[]> {
			const fields = collectFields.call(this, spec, i);
			const hashCheck = this.getNodeParameter('hashCheck', i, 'error') as HashCheck;
			const post = async (call: string, f: IDataObject, idempotent: boolean) =>
				await aggrepayRequest.call(this, call, f, { itemIndex: i, idempotent, hashCheck });

			if (list) {
				const limit = readLimit.call(this, i);
				const pageSize = Math.min(list.pageSize, limit ?? list.pageSize);
				return await fetchNumberedPages<IDataObject>({
					key: (t) => String(t.transaction_id),
					limit,
					firstPage: list.firstPage,
					concurrency: readPagesInParallel.call(this, i),
					fetchPage: async (page) => {
						const envelope = await post(
							spec.call,
							{ ...fields, page_number: page, [list.pageSizeField]: pageSize },
							true,
						);
						const items = Array.isArray(envelope.data) ? (envelope.data as IDataObject[]) : [];
						return { items, pages: list.pages(envelope), size: list.size(envelope) };
					},
				});
			}

			if (movesMoney) {
				const given = String(fields[movesMoney.reference] ?? '');
				const derived = given ? undefined : deriveReference(this, i);
				const reference = given || derived!.reference;
				fields[movesMoney.reference] = reference;
				const lookupCall = movesMoney.lookup;
				const data = !lookupCall
					? (await post(spec.call, fields, spec.idempotent)).data
					: await sendOnce(this, {
							send: async () => (await post(spec.call, fields, false)).data as IDataObject,
							lookup: async () => {
								// AggrePay's answer for an unknown reference is not published: any error it
								// answers with means "not there"; network and HTTP failures fail the item
								const found = await post(
									lookupCall,
									{ [movesMoney.reference]: reference },
									true,
								).catch((error: unknown) => {
									if (error instanceof ProviderAnswerError) return undefined;
									throw toNodeError(this.getNode(), error, i);
								});
								return found?.data && typeof found.data === 'object'
									? (found.data as IDataObject)
									: undefined;
							},
							provider: 'AggrePay',
							what: `${spec.call.split('/')[0]} ${name.toLowerCase()}`,
							reference,
							referenceField: movesMoney.reference,
							itemIndex: i,
						});
				return {
					[movesMoney.reference]: reference,
					...asObject(data),
					...(derived && { derivedReference: { ...derived } }),
				};
			}

			const data = (await post(spec.call, fields, spec.idempotent)).data;
			return Array.isArray(data) ? (data as IDataObject[]) : asObject(data);
		},
	};
}

function asObject(data: unknown): IDataObject {
	return data !== null && typeof data === 'object' && !Array.isArray(data)
		? (data as IDataObject)
		: { result: data as IDataObject };
}

/** A resource whose operations are rows of data, keyed by the Operation parameter's value. */
export function resourceFromSpecs<K extends string>(resource: {
	value: string;
	name: string;
	specs: Record<K, OperationSpec>;
	default: NoInfer<K>;
}): Resource<K> {
	const entries = Object.entries<OperationSpec>(resource.specs).map(([key, spec]) => [
		key,
		operationFromSpec(spec),
	]);
	return defineResource({
		...resource,
		operations: Object.fromEntries(entries) as Record<K, OperationModule>,
	});
}
