import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { type Endpoint, resolveEndpoints } from '../common/endpoints';
import { NUMIPAY_ASSUMED_ENDPOINTS, type NumipayOperation } from './endpoints';

/**
 * The credential test's URL: not a path, a name authenticate() replaces with the transaction
 * list's endpoint after the operator's overrides (a declarative test cannot read them itself).
 */
export const CREDENTIAL_TEST_URL = 'numipay:getTransactions';

/** The credential's Base URL without a trailing slash; Numipay publishes none, so there is no default. */
export function numipayBaseUrl(credentials: ICredentialDataDecryptedObject): string {
	const url = String(credentials.baseUrl ?? '')
		.trim()
		.replace(/\/+$/, '');
	if (!/^https?:\/\/[^\s/]+/i.test(url))
		throw new Error(
			`The Numipay credential's Base URL must start with http:// or https:// (Numipay does not publish it: ask your account manager); got "${url}"`,
		);
	return url;
}

/** Every operation's method and path: the pack's assumptions with the credential's overrides. */
export function numipayEndpoints(
	credentials: ICredentialDataDecryptedObject,
): Record<NumipayOperation, Endpoint> {
	return resolveEndpoints(
		NUMIPAY_ASSUMED_ENDPOINTS,
		String(credentials.endpointOverrides ?? ''),
		"The Numipay credential's Endpoint Overrides",
	);
}
