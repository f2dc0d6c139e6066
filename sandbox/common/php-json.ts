/**
 * JSON exactly as PHP's json_encode() writes it with default flags, for providers whose
 * response hashes are computed over a PHP re-encoding: `/` becomes `\/`, every non-ASCII UTF-16
 * unit becomes `\uxxxx` (lowercase hex), no whitespace. Decimals keep their exact digits.
 */
import { DecimalLiteral, JsonNumber, type Serializable } from './json';

const SHORT_ESCAPES: Record<string, string> = {
	'"': '\\"',
	'\\': '\\\\',
	'/': '\\/',
	'\b': '\\b',
	'\f': '\\f',
	'\n': '\\n',
	'\r': '\\r',
	'\t': '\\t',
};

export function phpJsonString(text: string): string {
	let out = '"';
	for (let index = 0; index < text.length; index++) {
		const char = text[index];
		const code = text.charCodeAt(index);
		const short = SHORT_ESCAPES[char];
		if (short !== undefined) out += short;
		// 0x7f stays literal in PHP; only controls and non-ASCII are \u-escaped.
		else if (code < 0x20 || code > 0x7f) out += `\\u${code.toString(16).padStart(4, '0')}`;
		else out += char;
	}
	return `${out}"`;
}

/** Like stringifyJson (undefined properties dropped), in PHP json_encode's spelling. */
export function stringifyPhpJson(value: Serializable): string {
	if (value instanceof DecimalLiteral || value instanceof JsonNumber) return value.text;
	if (value === undefined || value === null) return 'null';
	if (typeof value === 'string') return phpJsonString(value);
	if (Array.isArray(value)) return `[${value.map((item) => stringifyPhpJson(item)).join(',')}]`;
	if (typeof value === 'object') {
		const members: string[] = [];
		for (const [key, member] of Object.entries(value as { [key: string]: Serializable })) {
			if (member !== undefined) members.push(`${phpJsonString(key)}:${stringifyPhpJson(member)}`);
		}
		return `{${members.join(',')}}`;
	}
	return JSON.stringify(value);
}
