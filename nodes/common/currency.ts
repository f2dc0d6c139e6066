import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { currencyInfo, ISO_4217_CODES } from './money';

// A Currency parameter offers the currencies a provider takes as options, built from money.ts's
// table, so a typo is caught in the editor. It stays a string parameter, so a stored value keeps
// working, and n8n lets an options parameter take an expression: a code not in the list (a
// crypto-currency symbol, say) is given that way, and validated when the node runs (currencyInfo).

// English names of the codes, where the runtime's ICU knows them ("Euro"); else the code alone
const currencyNames =
	typeof Intl.DisplayNames === 'function'
		? new Intl.DisplayNames(['en'], { type: 'currency', fallback: 'code' })
		: undefined;

function optionName(code: string): string {
	const name = currencyNames?.of(code);
	return name && name !== code ? `${code} (${name})` : code;
}

/** Options for these ISO 4217 codes, sorted by name (which starts with the code). */
export function currencyOptions(codes: readonly string[] = ISO_4217_CODES): INodePropertyOptions[] {
	return codes
		.map((code) => {
			const { decimals } = currencyInfo(code);
			return {
				name: optionName(code),
				value: code,
				description: `${decimals} decimal place${decimals === 1 ? '' : 's'}`,
			};
		})
		.sort((a, b) => a.name.localeCompare(b.name));
}

export interface CurrencyParameter {
	name: string;
	displayName?: string;
	/** One of the codes. */
	default: string;
	required?: boolean;
	/** What the field is, as a sentence; the field's description goes on to say how to give another code. */
	description: string;
	/** The codes the provider takes; every ISO 4217 code the pack knows by default. */
	codes?: readonly string[];
	/** What else it takes, said after "A currency not in the list": "(a crypto-currency symbol such as BTC)". */
	notListed?: string;
}

/** A Currency parameter: the provider's currencies as options, another code as an expression. */
export function currencyProperty(parameter: CurrencyParameter): INodeProperties {
	const {
		name,
		displayName = 'Currency',
		default: defaultCode,
		codes = ISO_4217_CODES,
	} = parameter;
	if (!codes.includes(defaultCode))
		throw new Error(`Currency parameter ${name}: its default ${defaultCode} is not listed`);
	const notListed = parameter.notListed ? ` ${parameter.notListed}` : '';
	const description = `${parameter.description} A currency not in the list${notListed} can be given as an expression: switch the field to Expression and type its code.`;
	return {
		displayName,
		name,
		type: 'options',
		options: currencyOptions(codes),
		default: defaultCode,
		...(parameter.required ? { required: true } : {}),
		description,
	};
}
