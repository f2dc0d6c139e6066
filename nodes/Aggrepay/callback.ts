import { numberText, parseJson } from '../common/json';
import { verifyDigestSignature } from '../common/signing';
import { credentialSecrets, singleHeader } from '../common/webhookAuth';
import type { WebhookAuth } from '../common/webhookAuth';
import { aggrepayFieldsHash, phpTrim } from './hash';

/**
 * The fields AggrePay publishes for its payment callback (docs/providers/aggrepay.md, "Payment callback"; the
 * "address fields" are the payment request's). The hash covers values but not names, so a field
 * renamed without changing the sort order would still verify: only these names, and those the
 * operator adds, are accepted. What remains is a rename onto a published name the callback does
 * not carry that sorts in the same place (udf1 to udf2 when udf2 is absent, address_line_1 to
 * address_line_2): nothing in the hash tells them apart.
 */
export const AGGREPAY_CALLBACK_FIELDS: readonly string[] = [
	'transaction_id',
	'payment_method',
	'payment_datetime',
	'response_code',
	'response_message',
	'order_id',
	'amount',
	'currency',
	'description',
	'name',
	'email',
	'phone',
	'address_line_1',
	'address_line_2',
	'city',
	'state',
	'country',
	'zip_code',
	'udf1',
	'udf2',
	'udf3',
	'udf4',
	'udf5',
	'hash',
];

/**
 * The callback's fields, from a form post (what AggrePay's browser leg sends) or a flat JSON
 * object (its server callback's content type is not published), read from the exact bytes.
 * Values are trimmed as the hash trims them, so the workflow sees what was hashed. Undefined, so
 * the callback is refused, when the body is ambiguous or cannot be what AggrePay hashed:
 * - a field sent twice (the hashed value and the one a workflow reads could differ);
 * - bytes or percent-escapes that are not UTF-8, or a malformed percent-escape;
 * - JSON that is not one flat object, or with a true/false value (PHP hashes true as "1", other
 *   languages as "true"; the published fields are all text). null counts as empty. A number is
 *   hashed with the digits as sent ("100.00", not "100").
 */
export function aggrepayCallbackFields(
	rawBody: Buffer,
	contentType: string | undefined,
): Record<string, string> | undefined {
	const decoded = rawBody.toString('utf8');
	if (!Buffer.from(decoded, 'utf8').equals(rawBody)) return undefined;
	const text = decoded.replace(/^\uFEFF/, '');
	const entries =
		/json/i.test(contentType ?? '') || /^\s*\{/.test(text) ? jsonEntries(text) : formEntries(text);
	if (!entries) return undefined;
	const names = new Set(entries.map(([name]) => name));
	if (names.size !== entries.length) return undefined;
	// fromEntries, not assignment: a "__proto__" field must stay a field
	return Object.fromEntries(entries.map(([name, value]) => [name, phpTrim(value)]));
}

function formEntries(text: string): Array<[string, string]> | undefined {
	const entries: Array<[string, string]> = [];
	for (const part of text.split('&')) {
		if (part === '') continue;
		const eq = part.indexOf('=');
		const name = formDecode(eq === -1 ? part : part.slice(0, eq));
		const value = formDecode(eq === -1 ? '' : part.slice(eq + 1));
		if (name === undefined || value === undefined) return undefined;
		entries.push([name, value]);
	}
	return entries;
}

function formDecode(text: string): string | undefined {
	if (!/[%+]/.test(text)) return text;
	try {
		// throws on a malformed escape and on escapes that are not UTF-8
		return decodeURIComponent(text.replace(/\+/g, ' '));
	} catch {
		return undefined;
	}
}

function jsonEntries(text: string): Array<[string, string]> | undefined {
	let parsed: unknown;
	try {
		parsed = parseJson(text);
	} catch {
		return undefined;
	}
	if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
	const object = parsed as Record<string, unknown>;
	const entries: Array<[string, string]> = [];
	for (const [name, value] of Object.entries(object)) {
		if (typeof value === 'string') entries.push([name, value]);
		else if (value === null) entries.push([name, '']);
		else if (typeof value === 'number') {
			const digits = numberText(object, name);
			if (digits === undefined) return undefined;
			entries.push([name, digits]);
		} else return undefined;
	}
	// The parser keeps the last of repeated names; in a flat object every ":" outside a string
	// starts one member, so fewer names than those means a name was repeated.
	if (membersOfFlatObject(text) !== entries.length) return undefined;
	return entries;
}

function membersOfFlatObject(text: string): number {
	let members = 0;
	let inString = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (inString) {
			if (c === '\\') i++;
			else if (c === '"') inString = false;
		} else if (c === '"') inString = true;
		else if (c === ':') members++;
	}
	return members;
}

/**
 * AggrePay's payment callback: the salted SHA-512 of its fields (aggrepayFieldsHash) in the `hash`
 * field, hex in any case (the provider writes uppercase). `extraFieldNames` are field names
 * accepted besides the published ones, for a callback that carries more.
 */
export function aggrepayCallbackAuth(extraFieldNames: readonly string[] = []): WebhookAuth {
	const extra = extraFieldNames.map((name) => name.trim()).filter((name) => name !== '');
	const accepted = new Set([...AGGREPAY_CALLBACK_FIELDS, ...extra]);
	return {
		secrets: (credentials) => credentialSecrets(credentials, ['secretSalt']),
		verify({ rawBody, headers }, secrets) {
			const fields = aggrepayCallbackFields(rawBody, singleHeader(headers, 'content-type'));
			if (!fields || !Object.keys(fields).every((name) => accepted.has(name))) return false;
			return verifyDigestSignature({
				signature: fields.hash,
				secrets,
				digestLength: 64,
				encodings: ['hex'],
				compute: (salt) => Buffer.from(aggrepayFieldsHash(fields, salt), 'hex'),
			});
		},
		secretHeaders: [],
	};
}
