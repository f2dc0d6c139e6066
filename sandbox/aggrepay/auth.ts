import { timingSafeEqual } from 'node:crypto';

import type { SandboxRequest } from '../common/router';
import { parseForm } from './form';
import { hashMatches, requestHash } from './hash';

export type AuthResult =
	| { ok: true; fields: Record<string, string> }
	| { ok: false; problem: 'not-a-form' | 'unauthorized' | 'hash-mismatch'; message: string };

/** Form post, then api_key, then the request hash: the order the seed's errors suggest. */
export function authenticate(request: SandboxRequest, apiKey: string, salt: string): AuthResult {
	let fields: Record<string, string>;
	try {
		fields = parseForm(request.headers, request.rawBody);
	} catch (error) {
		return { ok: false, problem: 'not-a-form', message: (error as Error).message };
	}
	if (!sameText(fields.api_key, apiKey))
		return { ok: false, problem: 'unauthorized', message: 'Unauthorized' };
	if (!hashMatches(requestHash(fields, salt), fields.hash)) {
		return { ok: false, problem: 'hash-mismatch', message: 'Hash Mismatch' };
	}
	return { ok: true, fields };
}

function sameText(given: string | undefined, expected: string): boolean {
	if (given === undefined) return false;
	const a = Buffer.from(given.trim(), 'utf8');
	const b = Buffer.from(expected, 'utf8');
	return a.length === b.length && timingSafeEqual(a, b);
}
