/**
 * Endpoints a provider does not publish. The pack assumes a method and path per operation, states
 * them once (the provider's endpoints.ts and docs/providers/<id>.md), and lets an operator replace
 * any of them in the credential without touching a workflow: a JSON object of operation ->
 * "METHOD /path", e.g. {"getTransaction": "GET /v2/transactions/{id}"}.
 */

import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

export const ENDPOINT_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type EndpointMethod = (typeof ENDPOINT_METHODS)[number];

export interface Endpoint {
	method: EndpointMethod;
	/** From the base URL on, starting with `/`; `{name}` stands for a path parameter. */
	path: string;
}

/** A malformed Base URL or endpoint override: its message names the field (and the operation) and what is allowed. */
export class CredentialSettingError extends Error {}

const PARAMETER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** "POST /payments/cashier" as an Endpoint; undefined when it is not of that form. */
export function parseEndpoint(text: string): Endpoint | undefined {
	const match = /^\s*([A-Za-z]+)\s+(\/\S*)\s*$/.exec(text);
	if (!match) return undefined;
	const method = match[1].toUpperCase() as EndpointMethod;
	if (!ENDPOINT_METHODS.includes(method)) return undefined;
	return { method, path: match[2] };
}

export function formatEndpoint(endpoint: Endpoint): string {
	return `${endpoint.method} ${endpoint.path}`;
}

/**
 * The endpoint of every operation: `assumed`, with the operator's overrides (the credential field
 * `field`, JSON text, empty for none) in place. Throws CredentialSettingError naming the operation
 * for an unknown operation, a value that is not "METHOD /path", or a path parameter the operation
 * does not have.
 */
export function resolveEndpoints<O extends string>(
	assumed: Record<O, Endpoint>,
	overridesText: string | undefined,
	field = 'Endpoint Overrides',
): Record<O, Endpoint> {
	const resolved = { ...assumed };
	const text = (overridesText ?? '').trim();
	if (!text) return resolved;
	const operations = Object.keys(assumed) as O[];
	const example = `{"${operations[0]}": "${formatEndpoint(assumed[operations[0]])}"}`;
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		parsed = undefined;
	}
	if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
		throw new CredentialSettingError(
			`${field} must be a JSON object of operation -> "METHOD /path", e.g. ${example}`,
		);
	for (const [operation, value] of Object.entries(parsed as Record<string, unknown>)) {
		if (!operations.includes(operation as O))
			throw new CredentialSettingError(
				`${field}: unknown operation "${operation}"; the operations are ${operations.join(', ')}`,
			);
		const endpoint = typeof value === 'string' ? parseEndpoint(value) : undefined;
		if (!endpoint)
			throw new CredentialSettingError(
				`${field}: "${operation}" must be "METHOD /path" with METHOD one of ${ENDPOINT_METHODS.join(', ')} and a path starting with /, e.g. "${formatEndpoint(assumed[operation as O])}"`,
			);
		const allowed = new Set(pathParameters(assumed[operation as O].path));
		const unknown = pathParameters(endpoint.path).filter((name) => !allowed.has(name));
		if (unknown.length)
			throw new CredentialSettingError(
				`${field}: "${operation}" has no path parameter {${unknown[0]}}; it has ${allowed.size ? [...allowed].map((n) => `{${n}}`).join(', ') : 'none'}`,
			);
		resolved[operation as O] = endpoint;
	}
	return resolved;
}

export function pathParameters(path: string): string[] {
	return [...path.matchAll(PARAMETER)].map((match) => match[1]);
}

/** The endpoint's path with each `{name}` replaced by its URL-encoded value. */
export function endpointPath(endpoint: Endpoint, parameters: Record<string, string> = {}): string {
	return endpoint.path.replace(PARAMETER, (whole, name: string) => {
		const value = parameters[name];
		if (value === undefined) throw new Error(`no value for path parameter {${name}}`);
		return encodeURIComponent(value);
	});
}

/**
 * The credential's Base URL without a trailing slash, for a provider that publishes none (so there
 * is no default); throws naming the provider and the field.
 */
export function credentialBaseUrl(
	credentials: ICredentialDataDecryptedObject,
	providerName: string,
): string {
	const url = String(credentials.baseUrl ?? '')
		.trim()
		.replace(/\/+$/, '');
	if (!/^https?:\/\/[^\s/]+/i.test(url))
		throw new CredentialSettingError(
			`The ${providerName} credential's Base URL must start with http:// or https:// (${providerName} does not publish it: ask your account manager); got "${url}"`,
		);
	return url;
}

/** Every operation's endpoint: the pack's assumptions with the credential's Endpoint Overrides. */
export function credentialEndpoints<O extends string>(
	assumed: Record<O, Endpoint>,
	credentials: ICredentialDataDecryptedObject,
	providerName: string,
): Record<O, Endpoint> {
	return resolveEndpoints(
		assumed,
		String(credentials.endpointOverrides ?? ''),
		`The ${providerName} credential's Endpoint Overrides`,
	);
}
