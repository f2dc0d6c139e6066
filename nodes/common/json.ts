import { numberToPlainText } from './money';

// JSON that keeps money exact in both directions. JSON.parse turns 0.000000000000000001 or
// 12345678.123456789 into the nearest double and JSON.stringify cannot write a decimal it was not
// given as a double, so amounts would be rounded on the way in or out. Here an outgoing amount is a
// JsonNumber (written as its decimal text), every number parsed keeps its source text (numberText),
// and moneyAsText turns a provider's amount fields into that text before anything is output.

/** JSON text written as is by stringifyJson (a user's own JSON body, verified to parse). */
export class RawJson {
	constructor(readonly text: string) {}
}

/** A number written with exactly these decimal digits. */
export class JsonNumber extends RawJson {}

const sourceText = new WeakMap<object, Map<string, string>>();

/** The exact source text of the number at obj[key], when obj came from parseJson. */
export function numberText(obj: object, key: string): string | undefined {
	return sourceText.get(obj)?.get(key);
}

export function stringifyJson(value: unknown): string {
	if (value instanceof RawJson) return value.text;
	if (Array.isArray(value)) {
		return `[${value.map((v) => (v === undefined ? 'null' : stringifyJson(v))).join(',')}]`;
	}
	if (value !== null && typeof value === 'object') {
		const parts: string[] = [];
		for (const [key, v] of Object.entries(value)) {
			if (v === undefined || typeof v === 'function') continue;
			parts.push(`${JSON.stringify(key)}:${stringifyJson(v)}`);
		}
		return `{${parts.join(',')}}`;
	}
	const text = JSON.stringify(value);
	return text === undefined ? 'null' : text;
}

export class JsonSyntaxError extends Error {}

/**
 * Valid JSON text without the whitespace between its tokens: what JSON.stringify writes for the
 * value, except that every token (key order, a number's digits, a string's escapes) stays as it
 * was sent. Throws JsonSyntaxError for text that is not JSON.
 */
export function compactJson(text: string): string {
	parseJson(text);
	let out = '';
	let inString = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (inString) {
			out += c;
			if (c === '\\') out += text[++i];
			else if (c === '"') inString = false;
		} else if (c === '"') {
			inString = true;
			out += c;
		} else if (c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r') out += c;
	}
	return out;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
// Control characters are refused by the JSON.parse of each string token
const STRING = /"(?:[^"\\]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const WHITESPACE = /[ \t\n\r]*/y;

/** JSON.parse with the same result, plus the source text of every number (see numberText). */
export function parseJson(text: string): unknown {
	let pos = 0;

	const fail = (what: string): never => {
		throw new JsonSyntaxError(`${what} at position ${pos}`);
	};
	const skipWhitespace = () => {
		WHITESPACE.lastIndex = pos;
		WHITESPACE.exec(text);
		pos = WHITESPACE.lastIndex;
	};
	const match = (re: RegExp): string | undefined => {
		re.lastIndex = pos;
		const m = re.exec(text);
		if (!m) return undefined;
		pos = re.lastIndex;
		return m[0];
	};
	const literal = (word: string, value: unknown) => {
		if (text.startsWith(word, pos)) {
			pos += word.length;
			return value;
		}
		return fail('Unexpected token');
	};

	const stringToken = (): string => {
		const token = match(STRING) ?? fail('Bad string');
		if (!token.includes('\\')) {
			// the common case: nothing to decode, only control characters to refuse
			for (let k = 1; k < token.length - 1; k++)
				if (token.charCodeAt(k) < 0x20) fail('Control character in string');
			return token.slice(1, -1);
		}
		let decoded: string | undefined;
		try {
			decoded = JSON.parse(token) as string;
		} catch {
			decoded = undefined;
		}
		return decoded ?? fail('Bad string');
	};

	// Returns the value and, for numbers, their source text.
	const value = (): [unknown, string?] => {
		skipWhitespace();
		const c = text[pos];
		if (c === '{') return [object()];
		if (c === '[') return [array()];
		if (c === '"') {
			return [stringToken()];
		}
		if (c === 't') return [literal('true', true)];
		if (c === 'f') return [literal('false', false)];
		if (c === 'n') return [literal('null', null)];
		const n =
			match(NUMBER) ?? fail(c === undefined ? 'Unexpected end of JSON' : 'Unexpected token');
		return [Number(n), n];
	};

	const object = (): Record<string, unknown> => {
		pos++;
		const result: Record<string, unknown> = {};
		let numbers: Map<string, string> | undefined;
		skipWhitespace();
		if (text[pos] === '}') {
			pos++;
			return result;
		}
		for (;;) {
			skipWhitespace();
			if (text[pos] !== '"') fail('Expected a property name');
			const key = stringToken();
			skipWhitespace();
			if (text[pos++] !== ':') fail('Expected ":"');
			const [v, numberSource] = value();
			// defineProperty: a "__proto__" key must become data, as with JSON.parse
			Object.defineProperty(result, key, {
				value: v,
				enumerable: true,
				writable: true,
				configurable: true,
			});
			if (numberSource !== undefined) (numbers ??= new Map()).set(key, numberSource);
			skipWhitespace();
			const sep = text[pos++];
			if (sep === '}') break;
			if (sep !== ',') fail('Expected "," or "}"');
		}
		if (numbers) sourceText.set(result, numbers);
		return result;
	};

	const array = (): unknown[] => {
		pos++;
		const result: unknown[] = [];
		skipWhitespace();
		if (text[pos] === ']') {
			pos++;
			return result;
		}
		for (;;) {
			result.push(value()[0]);
			skipWhitespace();
			const sep = text[pos++];
			if (sep === ']') break;
			if (sep !== ',') fail('Expected "," or "]"');
		}
		return result;
	};

	const [result] = value();
	skipWhitespace();
	if (pos !== text.length) fail('Unexpected data after JSON');
	return result;
}

interface MoneyMatcher {
	/** `"field": number` for each money field, with the number's text as group 1. */
	pattern: RegExp;
	/** The characters of the money fields' names. */
	nameChars: Set<string>;
}

const moneyMatchers = new WeakMap<ReadonlySet<string>, MoneyMatcher>();

function moneyMatcher(moneyFields: ReadonlySet<string>): MoneyMatcher {
	let matcher = moneyMatchers.get(moneyFields);
	if (!matcher) {
		const names = [...moneyFields].map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
		matcher = {
			pattern: new RegExp(
				`"(?:${names.join('|')})"[ \\t\\n\\r]*:[ \\t\\n\\r]*(${NUMBER.source})`,
				'g',
			),
			nameChars: new Set([...moneyFields].join('')),
		};
		moneyMatchers.set(moneyFields, matcher);
	}
	return matcher;
}

/** Whether a \u escape in the text writes a character of a money field's name. */
function escapesNameChar(text: string, nameChars: Set<string>): boolean {
	if (!text.includes('\\u')) return false;
	const escape = /\\u([0-9a-fA-F]{4})/g;
	for (let match = escape.exec(text); match; match = escape.exec(text))
		if (nameChars.has(String.fromCharCode(parseInt(match[1], 16)))) return true;
	return false;
}

/**
 * JSON.parse, then moneyAsText, as moneyAsText(parseJson(text)) does, at a fraction of the cost
 * (parseJson is pure JavaScript: about 9 times slower than JSON.parse).
 *
 * JSON.parse gives every value; only the money numbers' digits are missing. One regular expression
 * finds each `"field": number` of a money field in the text, and its digits go to the money numbers
 * JSON.parse produced, in document order. A match is a real key: in valid JSON, a quote preceded by
 * `{`, `,` or whitespace opens a string (a quote inside a string is written \"), and a string
 * followed by `:` is a key. The digits are used only when every money number is matched once, in
 * the same order, with the same value, and no \u escape writes a letter of a money field's name
 * (a key written so is invisible to the expression; with a repeated key it could even leave the
 * counts equal). Otherwise, and for keys that JavaScript does not keep in text order (those that
 * look like array indexes, which no provider sends), it falls back to parseJson.
 */
export function parseJsonMoney(text: string, moneyFields: ReadonlySet<string>): unknown {
	const value: unknown = JSON.parse(text);
	const slots: Array<[Record<string, unknown>, string]> = [];
	let ordered = true;
	const collect = (node: unknown): void => {
		if (Array.isArray(node)) {
			for (const element of node)
				if (element !== null && typeof element === 'object') collect(element);
			return;
		}
		const obj = node as Record<string, unknown>;
		for (const key in obj) {
			const v = obj[key];
			if (typeof v === 'number') {
				if (moneyFields.has(key)) slots.push([obj, key]);
			} else if (v !== null && typeof v === 'object') collect(v);
			const first = key.charCodeAt(0);
			if (first >= 48 && first <= 57) ordered = false;
		}
	};
	if (value !== null && typeof value === 'object') collect(value);
	if (slots.length === 0) return value;

	const { pattern, nameChars } = moneyMatcher(moneyFields);
	if (!ordered || escapesNameChar(text, nameChars))
		return moneyAsText(parseJson(text), moneyFields);
	const digits: string[] = [];
	pattern.lastIndex = 0;
	for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
		const before = match.index > 0 ? text.charCodeAt(match.index - 1) : 0;
		// { , space tab newline return
		if (
			before === 123 ||
			before === 44 ||
			before === 32 ||
			before === 9 ||
			before === 10 ||
			before === 13
		)
			digits.push(match[1]);
	}
	let exact = digits.length === slots.length;
	for (let k = 0; exact && k < slots.length; k++) {
		const [obj, key] = slots[k];
		exact = Object.is(Number(digits[k]), obj[key]);
	}
	if (!exact) return moneyAsText(parseJson(text), moneyFields);
	for (let k = 0; k < slots.length; k++) slots[k][0][slots[k][1]] = digits[k];
	return value;
}

/**
 * Replaces, at any depth, every number under one of `moneyFields` with the exact decimal text the
 * provider sent ("amount": 10.00 becomes "10.00", 0.123456789012345678 stays whole), in place.
 * Amounts in every output are therefore strings with the provider's digits; a double would round
 * 18-decimal crypto amounts and drop trailing zeros.
 */
export function moneyAsText<T>(value: T, moneyFields: ReadonlySet<string>): T {
	if (Array.isArray(value)) {
		for (const item of value) moneyAsText(item, moneyFields);
	} else if (value !== null && typeof value === 'object' && !(value instanceof RawJson)) {
		const obj = value as Record<string, unknown>;
		for (const [key, v] of Object.entries(obj)) {
			if (typeof v === 'number' && moneyFields.has(key))
				obj[key] = numberText(obj, key) ?? numberToPlainText(v);
			else if (v !== null && typeof v === 'object') moneyAsText(v, moneyFields);
		}
	}
	return value;
}
