import type { IDataObject, IDisplayOptions, IExecuteFunctions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { currencyInfo, parseAmount } from '../../common/money';

// AggrePay has 26 form-post calls that differ only in their fields, so each is described once as
// data; the node's parameters and the posted fields are both built from it.

export interface FieldSpec {
	/** The API field, also the node parameter's name. */
	name: string;
	displayName: string;
	kind?: 'string' | 'secret' | 'amount' | 'date' | 'number' | 'yesNo';
	required?: boolean;
	description?: string;
	placeholder?: string;
	default?: string;
}

export interface OperationSpec {
	value: string;
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
}

function property(field: FieldSpec, show: NonNullable<IDisplayOptions['show']>): INodeProperties {
	const base = {
		displayName: field.displayName,
		name: field.name,
		required: field.required,
		description: field.description,
		placeholder: field.placeholder,
		displayOptions: { show },
	};
	switch (field.kind) {
		case 'secret':
			return { ...base, type: 'string', typeOptions: { password: true }, default: '' };
		case 'number':
			return { ...base, type: 'number', default: 0 };
		case 'yesNo':
			return { ...base, type: 'boolean', default: true };
		case 'amount':
			return { ...base, type: 'string', default: '', placeholder: field.placeholder ?? '100.00', description: field.description ?? 'Amount in rupees with at most 2 decimals, e.g. 100.50; never rounded' };
		case 'date':
			return { ...base, type: 'string', default: '', placeholder: 'YYYY-MM-DD' };
		default:
			return { ...base, type: 'string', default: field.default ?? '' };
	}
}

function optionalProperty(field: FieldSpec): INodeProperties {
	const { displayOptions: _unused, ...rest } = property(field, {});
	void _unused;
	return rest as INodeProperties;
}

/** The options of a resource's Operation parameter. */
export function operationOptions(specs: OperationSpec[]): INodePropertyOptions[] {
	return specs.map(({ name, value, action, description }) => ({ name, value, action, description })).sort((a, b) => a.name.localeCompare(b.name));
}

/** The parameters of every operation of a resource, each shown only for its operation. */
export function operationFields(resource: string, specs: OperationSpec[]): INodeProperties[] {
	const properties: INodeProperties[] = [];
	for (const spec of specs) {
		const show = { resource: [resource], operation: [spec.value] };
		for (const field of spec.fields) properties.push(property(field, show));
		if (spec.optional?.length) {
			properties.push({
				displayName: 'Additional Fields',
				name: 'additionalFields',
				type: 'collection',
				placeholder: 'Add Field',
				default: {},
				displayOptions: { show },
				options: spec.optional.map(optionalProperty),
			});
		}
	}
	return properties;
}

const INR = currencyInfo('INR');

/** The posted fields of item i: required ones checked, amounts and dates validated, booleans as y/n. */
export function collectFields(this: IExecuteFunctions, spec: OperationSpec, i: number): IDataObject {
	const fail = (message: string) => new NodeOperationError(this.getNode(), message, { itemIndex: i });
	const additional = spec.optional?.length ? (this.getNodeParameter('additionalFields', i, {}) as IDataObject) : {};
	const fields: IDataObject = {};
	const take = (field: FieldSpec, raw: unknown) => {
		if (raw === undefined || raw === null || raw === '') {
			if (field.required && field.kind !== 'yesNo') throw fail(`${field.displayName} is required for ${spec.name}`);
			return;
		}
		if (field.kind === 'amount') {
			try {
				fields[field.name] = twoDecimals(parseAmount(raw, INR, field.displayName));
			} catch (error) {
				throw fail((error as Error).message);
			}
		} else if (field.kind === 'date') {
			const text = String(raw).trim();
			if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(Date.parse(`${text}T00:00:00Z`))) throw fail(`${field.displayName} must be a date like 2001-12-31; got "${text}"`);
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
