import type { IncomingHttpHeaders } from 'node:http';

import { type Serializable, stringifyJson } from './json';

export interface SandboxRequest {
	method: string;
	path: string;
	query: URLSearchParams;
	headers: IncomingHttpHeaders;
	rawBody: string;
	/** Values of `:name` segments in the route pattern, URL-decoded. */
	params: Record<string, string>;
}

export interface SandboxReply {
	status: number;
	headers?: Record<string, string>;
	body: string;
}

export type RouteHandler = (request: SandboxRequest) => SandboxReply | Promise<SandboxReply>;

interface Route {
	method: string;
	segments: string[];
	handler: RouteHandler;
}

export type RouteMatch =
	| { kind: 'found'; handler: RouteHandler; params: Record<string, string> }
	| { kind: 'method-not-allowed'; allowed: string[] }
	| { kind: 'not-found' };

/** Exact-segment routing with `:param` placeholders; enough for REST paths, nothing more. */
export class Router {
	private readonly routes: Route[] = [];

	add(method: string, pattern: string, handler: RouteHandler): this {
		this.routes.push({ method: method.toUpperCase(), segments: splitPath(pattern), handler });
		return this;
	}

	match(method: string, path: string): RouteMatch {
		const segments = splitPath(path);
		const allowed: string[] = [];
		for (const route of this.routes) {
			const params = matchSegments(route.segments, segments);
			if (!params) continue;
			if (route.method === method.toUpperCase())
				return { kind: 'found', handler: route.handler, params };
			allowed.push(route.method);
		}
		return allowed.length > 0 ? { kind: 'method-not-allowed', allowed } : { kind: 'not-found' };
	}
}

function splitPath(path: string): string[] {
	return path.split('/').filter((segment) => segment !== '');
}

function matchSegments(pattern: string[], actual: string[]): Record<string, string> | undefined {
	if (pattern.length !== actual.length) return undefined;
	const params: Record<string, string> = {};
	for (let index = 0; index < pattern.length; index++) {
		const expected = pattern[index];
		if (expected.startsWith(':')) {
			try {
				params[expected.slice(1)] = decodeURIComponent(actual[index]);
			} catch {
				return undefined;
			}
		} else if (expected !== actual[index]) {
			return undefined;
		}
	}
	return params;
}

export function jsonReply(
	status: number,
	value: Serializable,
	headers: Record<string, string> = {},
): SandboxReply {
	return {
		status,
		headers: { 'Content-Type': 'application/json', ...headers },
		body: stringifyJson(value),
	};
}

export function htmlReply(status: number, html: string): SandboxReply {
	return { status, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: html };
}

export function redirectReply(location: string): SandboxReply {
	return { status: 303, headers: { Location: location }, body: '' };
}
