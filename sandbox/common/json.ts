/**
 * JSON that keeps number tokens as text, so a money amount sent as `10.10` or with 18 decimals
 * comes back with exactly the digits the client wrote. JSON.parse would round both through a
 * float, and Node 20 has no JSON.parse source-text access.
 */

/** A JSON number kept as the exact token text it was written with. */
export class JsonNumber {
	constructor(readonly text: string) {}

	toNumber(): number {
		return Number(this.text);
	}
}

export type JsonValue = null | boolean | string | JsonNumber | JsonValue[] | JsonObject;
export interface JsonObject {
	[key: string]: JsonValue;
}

export class JsonSyntaxError extends Error {}

const NUMBER_TOKEN = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

export function parseJsonLossless(text: string): JsonValue {
	let pos = 0;

	const fail = (what: string): never => {
		throw new JsonSyntaxError(`${what} at position ${pos}`);
	};
	const skipWhitespace = () => {
		while (pos < text.length && ' \t\n\r'.includes(text[pos])) pos++;
	};
	const expect = (char: string) => {
		if (text[pos] !== char) fail(`Expected '${char}'`);
		pos++;
	};

	const parseString = (): string => {
		const start = pos;
		expect('"');
		while (pos < text.length && text[pos] !== '"') {
			if (text.charCodeAt(pos) < 0x20) fail('Control character in string');
			pos += text[pos] === '\\' ? 2 : 1;
		}
		expect('"');
		try {
			// Escape decoding is the one part JSON.parse does exactly right on its own.
			return JSON.parse(text.slice(start, pos)) as string;
		} catch {
			return fail('Invalid string escape');
		}
	};

	const parseValue = (): JsonValue => {
		skipWhitespace();
		const char = text[pos];
		if (char === '{') return parseObject();
		if (char === '[') return parseArray();
		if (char === '"') return parseString();
		for (const [word, value] of [
			['true', true],
			['false', false],
			['null', null],
		] as const) {
			if (text.startsWith(word, pos)) {
				pos += word.length;
				return value;
			}
		}
		NUMBER_TOKEN.lastIndex = pos;
		const match = NUMBER_TOKEN.exec(text);
		if (!match) return fail('Unexpected token');
		pos += match[0].length;
		return new JsonNumber(match[0]);
	};

	const parseObject = (): JsonObject => {
		const result: JsonObject = {};
		expect('{');
		skipWhitespace();
		if (text[pos] === '}') {
			pos++;
			return result;
		}
		for (;;) {
			skipWhitespace();
			const key = parseString();
			skipWhitespace();
			expect(':');
			// defineProperty so a "__proto__" key is data, not a prototype switch.
			Object.defineProperty(result, key, {
				value: parseValue(),
				enumerable: true,
				writable: true,
				configurable: true,
			});
			skipWhitespace();
			if (text[pos] === ',') {
				pos++;
				continue;
			}
			expect('}');
			return result;
		}
	};

	const parseArray = (): JsonValue[] => {
		const result: JsonValue[] = [];
		expect('[');
		skipWhitespace();
		if (text[pos] === ']') {
			pos++;
			return result;
		}
		for (;;) {
			result.push(parseValue());
			skipWhitespace();
			if (text[pos] === ',') {
				pos++;
				continue;
			}
			expect(']');
			return result;
		}
	};

	const value = parseValue();
	skipWhitespace();
	if (pos !== text.length) fail('Unexpected trailing content');
	return value;
}

/** A value the serializer writes as a bare JSON number literal with exactly these digits. */
export class DecimalLiteral {
	constructor(readonly text: string) {}
}

export type Serializable =
	| undefined
	| null
	| boolean
	| number
	| string
	| DecimalLiteral
	| JsonNumber
	| readonly Serializable[]
	| { readonly [key: string]: Serializable };

/** Marks a decimal's digits in JSON.stringify's output; a private-use character. */
const MARK = '\uE000';
const MARKED = /"\uE000([^"\uE000]*)\uE000"/g;

/**
 * Like JSON.stringify (undefined properties dropped), but decimals keep their exact digits.
 * JSON.stringify writes each decimal as a marked string, which is then unquoted: a page of 1,000
 * payments took 12 ms written member by member, which made the sandbox, not the client, the
 * bottleneck of concurrent page reads. A string that holds the mark itself is written the slow way.
 */
export function stringifyJson(value: Serializable): string {
	if (value === undefined) return 'null';
	let decimals = 0;
	const text = JSON.stringify(value, (_key, member: unknown) => {
		if (!(member instanceof DecimalLiteral || member instanceof JsonNumber)) return member;
		decimals++;
		return `${MARK}${member.text}${MARK}`;
	});
	let unquoted = 0;
	const result = text.replace(MARKED, (_match, digits: string) => {
		unquoted++;
		return digits;
	});
	return unquoted === decimals && !result.includes(MARK) ? result : memberByMember(value);
}

/** stringifyJson the slow way: each member written on its own. */
export function memberByMember(value: Serializable): string {
	if (value instanceof DecimalLiteral || value instanceof JsonNumber) return value.text;
	if (value === undefined || value === null) return 'null';
	if (Array.isArray(value)) return `[${value.map((item) => memberByMember(item)).join(',')}]`;
	if (typeof value === 'object') {
		const members: string[] = [];
		for (const [key, member] of Object.entries(value as { [key: string]: Serializable })) {
			if (member !== undefined) members.push(`${JSON.stringify(key)}:${memberByMember(member)}`);
		}
		return `{${members.join(',')}}`;
	}
	return JSON.stringify(value);
}

/** Plain JS view of a lossless value (numbers become floats): for non-money fields only. */
export function toPlain(value: JsonValue): unknown {
	if (value instanceof JsonNumber) return value.toNumber();
	if (Array.isArray(value)) return value.map(toPlain);
	if (value !== null && typeof value === 'object') {
		return Object.fromEntries(Object.entries(value).map(([key, member]) => [key, toPlain(member)]));
	}
	return value;
}

export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
	return (
		value !== null &&
		typeof value === 'object' &&
		!Array.isArray(value) &&
		!(value instanceof JsonNumber)
	);
}
