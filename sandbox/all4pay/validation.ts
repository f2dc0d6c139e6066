import {
	isJsonObject,
	type JsonObject,
	JsonNumber,
	JsonSyntaxError,
	type JsonValue,
	parseJsonLossless,
} from '../common/json';
import { EMAIL, isValidCpf, PIX_KEY_TYPES, type PixKeyType, pixKeyProblem } from './documents';
import type { DepositInput, WithdrawalInput } from './engine';
import { parametersNotValid } from './errors';
import { formatAmount, parseCents, ZERO } from './money';

type Problems = Array<[field: string, why: string]>;

/** The request body as a lossless JSON object; anything else is 422 naming `body`. */
export function parseBody(rawBody: string): JsonObject {
	let parsed: JsonValue;
	try {
		parsed = parseJsonLossless(rawBody);
	} catch (error) {
		if (!(error instanceof JsonSyntaxError)) throw error;
		throw parametersNotValid([['body', 'not valid JSON']]);
	}
	if (!isJsonObject(parsed)) throw parametersNotValid([['body', 'must be a JSON object']]);
	return parsed;
}

function text(body: JsonObject, field: string, problems: Problems, max = 200): string {
	const value = body[field];
	if (typeof value !== 'string' || value.trim() === '') {
		problems.push([field, 'required, a non-empty string']);
		return '';
	}
	if (value.length > max) problems.push([field, `at most ${max} characters`]);
	return value;
}

/** user_id: a non-empty string, or a whole JSON number (kept as its digits). */
function userId(body: JsonObject, problems: Problems): string {
	const value = body.user_id;
	if (value instanceof JsonNumber && /^\d+$/.test(value.text)) return value.text;
	return text(body, 'user_id', problems, 100);
}

function cpf(body: JsonObject, problems: Problems): string {
	const value = body.cpf;
	if (typeof value !== 'string' || !isValidCpf(value)) {
		problems.push(['cpf', '11 digits with valid check digits, as a string']);
		return '';
	}
	return value;
}

/** A JSON number above 0 with at most two decimals, as "10.50". */
function amount(body: JsonObject, problems: Problems): string {
	const value = body.amount;
	const parsed = value instanceof JsonNumber ? parseCents(value.text) : undefined;
	if (parsed === undefined || parsed <= ZERO) {
		problems.push(['amount', 'a JSON number above 0 with at most 2 decimals']);
		return '';
	}
	return formatAmount(parsed);
}

export function validateDeposit(body: JsonObject): DepositInput {
	const problems: Problems = [];
	const input: DepositInput = {
		userId: userId(body, problems),
		cpf: cpf(body, problems),
		name: text(body, 'name', problems),
		email: text(body, 'email', problems),
		amount: amount(body, problems),
	};
	if (input.email && !EMAIL.test(input.email) && !problems.some(([field]) => field === 'email'))
		problems.push(['email', 'not an e-mail address']);
	if (problems.length > 0) throw parametersNotValid(problems);
	return input;
}

export function validateWithdrawal(body: JsonObject): WithdrawalInput {
	const problems: Problems = [];
	const id = userId(body, problems);
	const value = amount(body, problems);
	const pixKey = text(body, 'pix_key', problems, 140);
	const type = body.pix_key_type;
	const pixKeyType = PIX_KEY_TYPES.find((known) => known === type);
	if (!pixKeyType) problems.push(['pix_key_type', `one of ${PIX_KEY_TYPES.join(', ')}`]);
	else if (pixKey) {
		const problem = pixKeyProblem(pixKeyType, pixKey);
		if (problem) problems.push(['pix_key', problem]);
	}
	const input: WithdrawalInput = {
		userId: id,
		amount: value,
		pixKey,
		pixKeyType: pixKeyType ?? ('random' as PixKeyType),
		name: text(body, 'name', problems),
		cpf: cpf(body, problems),
	};
	if (problems.length > 0) throw parametersNotValid(problems);
	return input;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATE_TIME =
	/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * date_from / date_to of the deposit list (ISO 8601): a date alone is that whole UTC day (from its
 * start, to its end); a date-time without zone is UTC. Undefined when absent; 422 when invalid.
 */
export function listBound(
	query: URLSearchParams,
	field: 'date_from' | 'date_to',
): number | undefined {
	const value = query.get(field);
	if (value === null || value === '') return undefined;
	let time = Number.NaN;
	if (ISO_DATE.test(value)) {
		time = Date.parse(`${value}T00:00:00Z`);
		if (field === 'date_to') time += 86_400_000 - 1;
	} else {
		const match = ISO_DATE_TIME.exec(value);
		if (match) time = Date.parse(match[1] ? value : `${value}Z`);
	}
	if (Number.isNaN(time)) throw parametersNotValid([[field, 'an ISO 8601 date or date-time']]);
	return time;
}
