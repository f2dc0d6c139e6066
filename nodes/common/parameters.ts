import type { IDataObject } from 'n8n-workflow';

/** A JSON-object parameter (typed as text or given as an object by an expression). */
export function jsonObjectParameter(
	value: unknown,
	field: string,
	fail: (message: string) => Error,
): IDataObject {
	let parsed = value;
	if (typeof value === 'string') {
		try {
			parsed = JSON.parse(value);
		} catch {
			throw fail(`${field} must be a JSON object like {"key": "value"}; it is not valid JSON`);
		}
	}
	if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
		throw fail(`${field} must be a JSON object like {"key": "value"}`);
	return parsed as IDataObject;
}
