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
