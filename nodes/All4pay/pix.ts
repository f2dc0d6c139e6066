import type { INodePropertyOptions } from 'n8n-workflow';

// PIX keys as the Banco Central's directory (DICT) stores them: CPF as 11 digits, CNPJ as 14
// characters, phone as +55 and the national number, email in lower case (at most 77 characters),
// random key (EVP) as a lower-case UUID. All4Pay does not publish its PIX fields, so the pack sends
// the DICT form. Error messages describe what is wrong with a key instead of repeating it: keys are
// personal data, and these messages end up in execution logs, error workflows and chat alerts.

export type PixKeyType = 'cpf' | 'cnpj' | 'email' | 'phone' | 'random';

export class PixKeyError extends Error {
	constructor(
		message: string,
		/** The name of the field the message is about. */
		readonly field: string,
	) {
		super(message);
		this.name = 'PixKeyError';
	}
}

/** The key types for a node's options list, sorted by name. */
export const PIX_KEY_TYPES: INodePropertyOptions[] = [
	{
		name: 'CNPJ',
		value: 'cnpj',
		description:
			'Company tax ID, e.g. 11.222.333/0001-81; since July 2026 also alphanumeric, e.g. 12.ABC.345/01DE-35.',
	},
	{ name: 'CPF', value: 'cpf', description: 'Individual tax ID, e.g. 123.456.789-09' },
	{ name: 'Email', value: 'email', description: 'Email address, e.g. name@example.com' },
	{
		name: 'Phone',
		value: 'phone',
		description: 'Brazilian phone number with area code, e.g. +55 11 98765-4321',
	},
	{
		name: 'Random Key (EVP)',
		value: 'random',
		description: 'The UUID the bank generated, e.g. 123e4567-e89b-42d3-a456-426614174000',
	},
];

// names in messages: "PIX Key (CPF)", and what a value of each type looks like
const TYPE_NAMES: Record<PixKeyType, string> = {
	cnpj: 'CNPJ',
	cpf: 'CPF',
	email: 'Email',
	phone: 'Phone',
	random: 'Random Key',
};
const LOOKS_LIKE: Record<PixKeyType, string> = {
	cnpj: 'a CNPJ',
	cpf: 'a CPF',
	email: 'an email address',
	phone: 'a phone number',
	random: 'a random key (EVP)',
};

// longer input is refused before any other work
const MAX_INPUT = 100;
const SEPARATORS = /[\s./-]/g;

function fail(field: string, rule: string, got: string): never {
	throw new PixKeyError(`${field} must be ${rule}; got ${got}`, field);
}

/**
 * The value as trimmed text. A number becomes its digits: an expression may give a CPF, CNPJ or
 * phone number as a number.
 */
function asText(value: unknown): string | undefined {
	if (typeof value === 'string') return value.trim();
	if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
	return undefined;
}

/** What a value that is not usable text is, without its content. */
function describeNonText(value: unknown, wholeNumbers = false): string {
	if (value === undefined || value === null || typeof value === 'string') return 'nothing';
	if (typeof value === 'number') {
		return wholeNumbers ? 'a number that is not a whole number of 0 or more' : 'a number';
	}
	if (typeof value === 'boolean') return 'true or false';
	if (Array.isArray(value)) return 'a list';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function characters(n: number): string {
	return n === 1 ? '1 character' : `${n} characters`;
}

/**
 * Check digit of the modulo 11 scheme CPF and CNPJ share: remainder 0 or 1 gives 0. Because of that
 * merge, and because the 2026 CNPJ letters are worth 17..42, the two digits catch most mistyped
 * characters but not all (test/unit/all4pay-pix.test.ts shows which): a valid key is well-formed,
 * not necessarily the intended one.
 */
function mod11(values: readonly number[], weights: readonly number[]): number {
	let sum = 0;
	for (let i = 0; i < weights.length; i++) sum += values[i] * weights[i];
	const remainder = sum % 11;
	return remainder < 2 ? 0 : 11 - remainder;
}

// the first check digit uses the weights without their first entry
const CPF_WEIGHTS = [11, 10, 9, 8, 7, 6, 5, 4, 3, 2];
const CNPJ_WEIGHTS = [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];

/** Each character's value in the check digit sums: its ASCII code − 48 ('0' → 0, 'A' → 17). */
function values(text: string): number[] {
	return Array.from(text, (c) => c.charCodeAt(0) - 48);
}

function checkDigitsMatch(text: string, weights: readonly number[]): boolean {
	const v = values(text);
	const n = weights.length - 1;
	return mod11(v, weights.slice(1)) === v[n] && mod11(v, weights) === v[n + 1];
}

function isCpf(digits: string): boolean {
	return (
		/^\d{11}$/.test(digits) && !/^(.)\1*$/.test(digits) && checkDigitsMatch(digits, CPF_WEIGHTS)
	);
}

function isCnpj(text: string): boolean {
	return (
		/^[0-9A-Z]{12}\d{2}$/.test(text) &&
		!/^(.)\1*$/.test(text) &&
		checkDigitsMatch(text, CNPJ_WEIGHTS)
	);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A hint when the text is plainly a key of another type than the one the field asks for. */
function otherTypeHint(text: string, asked: PixKeyType): string {
	const stripped = text.replace(SEPARATORS, '').toUpperCase();
	let other: PixKeyType | undefined;
	if (text.includes('@')) other = 'email';
	else if (UUID.test(text.toLowerCase())) other = 'random';
	else if (text.startsWith('+')) other = 'phone';
	else if (isCpf(stripped)) other = 'cpf';
	else if (isCnpj(stripped)) other = 'cnpj';
	return other && other !== asked
		? ` (it looks like ${LOOKS_LIKE[other]}: check the key type)`
		: '';
}

const CPF_RULE = '11 digits with valid check digits (e.g. 123.456.789-09)';

/**
 * A CPF as its 11 digits. Dots, dashes, slashes and spaces are ignored (123.456.789-09); the two
 * check digits must match, and numbers of one repeated digit (000.000.000-00) are refused.
 */
export function validateCpf(value: unknown, field = 'CPF'): string {
	const text = asText(value);
	if (!text) return fail(field, CPF_RULE, describeNonText(value, true));
	if (text.length > MAX_INPUT) return fail(field, CPF_RULE, `text of ${characters(text.length)}`);
	const digits = text.replace(SEPARATORS, '');
	const hint = otherTypeHint(text, 'cpf');
	if (!/^\d*$/.test(digits)) {
		return fail(
			field,
			CPF_RULE,
			`text with characters other than digits, dots, dashes and spaces${hint}`,
		);
	}
	if (digits.length !== 11) {
		const lostZeros =
			typeof value === 'number' && digits.length < 11
				? ' (a CPF kept as a number loses its leading zeros: keep it as text)'
				: '';
		return fail(field, CPF_RULE, `${digits.length} digits${lostZeros}${hint}`);
	}
	if (/^(.)\1*$/.test(digits)) return fail(field, CPF_RULE, '11 identical digits');
	if (!checkDigitsMatch(digits, CPF_WEIGHTS)) {
		return fail(field, CPF_RULE, `11 digits whose check digits do not match${hint}`);
	}
	return digits;
}

const CNPJ_RULE =
	'14 digits with valid check digits (e.g. 11.222.333/0001-81), or since July 2026 12 letters or digits and 2 check digits (e.g. 12.ABC.345/01DE-35)';

/**
 * A CNPJ as its 14 characters, letters in upper case. Dots, slashes, dashes and spaces are ignored.
 * Alphanumeric CNPJs (Receita Federal, IN RFB 2.229/2024, issued from July 2026) are accepted: the
 * first 12 positions may hold 0-9 or A-Z, the last 2 are numeric check digits computed as before
 * with each character worth its ASCII code − 48 (so a numeric CNPJ keeps its check digits).
 * Numbers of one repeated character (00.000.000/0000-00) are refused.
 */
export function validateCnpj(value: unknown, field = 'CNPJ'): string {
	const text = asText(value);
	if (!text) return fail(field, CNPJ_RULE, describeNonText(value, true));
	if (text.length > MAX_INPUT) return fail(field, CNPJ_RULE, `text of ${characters(text.length)}`);
	const chars = text.replace(SEPARATORS, '').toUpperCase();
	const hint = otherTypeHint(text, 'cnpj');
	if (!/^[0-9A-Z]*$/.test(chars)) {
		return fail(
			field,
			CNPJ_RULE,
			`text with characters other than letters, digits, dots, slashes, dashes and spaces${hint}`,
		);
	}
	if (chars.length !== 14) {
		const lostZeros =
			typeof value === 'number' && chars.length < 14
				? ' (a CNPJ kept as a number loses its leading zeros: keep it as text)'
				: '';
		return fail(field, CNPJ_RULE, `${characters(chars.length)}${lostZeros}${hint}`);
	}
	if (!/^\d{2}$/.test(chars.slice(12))) {
		return fail(field, CNPJ_RULE, '14 characters whose last 2 are not digits');
	}
	if (/^(.)\1*$/.test(chars)) return fail(field, CNPJ_RULE, '14 identical digits');
	if (!checkDigitsMatch(chars, CNPJ_WEIGHTS)) {
		return fail(field, CNPJ_RULE, `14 characters whose check digits do not match${hint}`);
	}
	return chars;
}

const PHONE_RULE =
	'a Brazilian phone number: +55, the 2-digit area code (DDD) and 8 or 9 digits (e.g. +55 11 98765-4321)';

/**
 * A phone key in E.164 form: +55, the area code (DDD, two digits 1-9) and the number, 9 digits
 * starting with 9 (mobile) or 8 digits starting with 2-9. Spaces, dashes, dots and parentheses are
 * ignored. The country code may be written 55 without the plus. A national number without it
 * ((11) 98765-4321) is taken as Brazilian, unless its 11 digits are also a valid CPF: then the
 * field probably holds a CPF, and the number must be written with +55.
 */
export function validatePhone(value: unknown, field = 'Phone'): string {
	const text = asText(value);
	if (!text) return fail(field, PHONE_RULE, describeNonText(value, true));
	if (text.length > MAX_INPUT) return fail(field, PHONE_RULE, `text of ${characters(text.length)}`);
	const hint = otherTypeHint(text, 'phone');
	const compact = text.replace(/[\s().-]/g, '');
	const parsed = /^(\+?)(\d+)$/.exec(compact);
	if (!parsed) {
		return fail(
			field,
			PHONE_RULE,
			`text with characters other than digits, a leading +, spaces, dashes and parentheses${hint}`,
		);
	}
	const [, plus, digits] = parsed;
	let national: string;
	if (plus) {
		if (!digits.startsWith('55')) {
			return fail(field, PHONE_RULE, 'a number with another country code than +55');
		}
		national = digits.slice(2);
	} else if (digits.startsWith('0')) {
		return fail(
			field,
			PHONE_RULE,
			'a number starting with 0 (write it without the trunk or carrier prefix)',
		);
	} else if (digits.length === 12 || digits.length === 13) {
		if (!digits.startsWith('55')) return fail(field, PHONE_RULE, `${digits.length} digits`);
		national = digits.slice(2);
	} else if (digits.length === 10 || digits.length === 11) {
		if (isCpf(digits)) {
			return fail(
				field,
				PHONE_RULE,
				'11 digits without +55 that are also a valid CPF (write a phone number with +55)',
			);
		}
		national = digits;
	} else {
		return fail(field, PHONE_RULE, `${digits.length} digits${hint}`);
	}
	if (national.length !== 10 && national.length !== 11) {
		return fail(field, PHONE_RULE, `+55 and ${national.length} digits`);
	}
	if (!/^[1-9]{2}/.test(national)) {
		return fail(field, PHONE_RULE, 'an area code (DDD) with a 0 in it');
	}
	if (national.length === 11 && national[2] !== '9') {
		return fail(field, PHONE_RULE, 'a 9-digit number that does not start with 9');
	}
	if (national.length === 10 && !/[2-9]/.test(national[2])) {
		return fail(field, PHONE_RULE, 'an 8-digit number starting with 0 or 1');
	}
	return `+55${national}`;
}

const EMAIL_RULE = 'an email address of at most 77 characters (e.g. name@example.com)';
// the characters the DICT allows before the @; the domain is ASCII labels of letters, digits and dashes
const EMAIL_LOCAL = /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+$/;
const DOMAIN_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * An email key in lower case: PIX treats email keys case-insensitively and the DICT stores them in
 * lower case. At most 77 characters, one @, no spaces, a domain of at least two dot-separated labels.
 */
export function validateEmail(value: unknown, field = 'Email'): string {
	if (typeof value !== 'string' || !value.trim()) {
		return fail(field, EMAIL_RULE, describeNonText(value));
	}
	const text = value.trim().toLowerCase();
	if (text.length > 77) return fail(field, EMAIL_RULE, `text of ${characters(text.length)}`);
	if (/\s/.test(text)) return fail(field, EMAIL_RULE, 'text with spaces');
	const parts = text.split('@');
	if (parts.length === 1)
		return fail(field, EMAIL_RULE, `text without @${otherTypeHint(text, 'email')}`);
	if (parts.length > 2) return fail(field, EMAIL_RULE, 'text with more than one @');
	const [local, domain] = parts;
	if (!local) return fail(field, EMAIL_RULE, 'nothing before the @');
	if (!EMAIL_LOCAL.test(local)) {
		return fail(
			field,
			EMAIL_RULE,
			"characters before the @ other than a-z, 0-9 and . ! # $ % & ' * + / = ? ^ _ ` { | } ~ -",
		);
	}
	const labels = domain.split('.');
	if (labels.length < 2) return fail(field, EMAIL_RULE, 'a domain without a dot');
	if (!labels.every((label) => DOMAIN_LABEL.test(label))) {
		return fail(
			field,
			EMAIL_RULE,
			'a domain with an empty part or characters other than a-z, 0-9 and inner dashes',
		);
	}
	return text;
}

const RANDOM_RULE =
	'a random key (EVP): a UUID of 32 hexadecimal digits as 8-4-4-4-12 (e.g. 123e4567-e89b-42d3-a456-426614174000)';

/** A random key (EVP): a UUID of any version, in lower case. The nil UUID is refused. */
export function validateRandomKey(value: unknown, field = 'Random Key'): string {
	if (typeof value !== 'string' || !value.trim()) {
		return fail(field, RANDOM_RULE, describeNonText(value));
	}
	const text = value.trim().toLowerCase();
	if (text.length > MAX_INPUT)
		return fail(field, RANDOM_RULE, `text of ${characters(text.length)}`);
	if (!UUID.test(text)) {
		const got = /^[0-9a-f]{32}$/.test(text)
			? '32 hexadecimal digits without dashes'
			: /^[0-9a-f-]+$/.test(text)
				? `${characters(text.length)} of hexadecimal digits and dashes in another layout`
				: `text with characters other than hexadecimal digits and dashes${otherTypeHint(value.trim(), 'random')}`;
		return fail(field, RANDOM_RULE, got);
	}
	if (/^[0-]+$/.test(text)) return fail(field, RANDOM_RULE, 'the nil UUID (all zeros)');
	return text;
}

const VALIDATORS: Record<PixKeyType, (value: unknown, field: string) => string> = {
	cpf: validateCpf,
	cnpj: validateCnpj,
	email: validateEmail,
	phone: validatePhone,
	random: validateRandomKey,
};

/**
 * The key in the form the DICT stores it, checked against its type. The type is matched without
 * regard to case; "evp" is taken for "random". Messages name the field as "<field> (<type>)".
 */
export function validatePixKey(type: PixKeyType, value: unknown, field = 'PIX Key'): string {
	const given = typeof type === 'string' ? type.trim().toLowerCase() : '';
	const known = (given === 'evp' ? 'random' : given) as PixKeyType;
	if (!Object.prototype.hasOwnProperty.call(VALIDATORS, known)) {
		const shown = typeof type === 'string' ? `"${type.slice(0, 20)}"` : describeNonText(type);
		return fail(`${field} Type`, 'one of cpf, cnpj, email, phone or random', shown);
	}
	return VALIDATORS[known](value, `${field} (${TYPE_NAMES[known]})`);
}
