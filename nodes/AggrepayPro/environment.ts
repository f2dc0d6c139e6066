import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { type Endpoint, resolveEndpoints } from '../common/endpoints';
import { AGGREPAY_PRO_ASSUMED_ENDPOINTS, type AggrepayProOperation } from './endpoints';

/**
 * The credential test's URL: not a path, a name authenticate() replaces with the payment-method
 * list's endpoint after the operator's overrides (a declarative test cannot read them itself).
 */
export const CREDENTIAL_TEST_URL = 'aggrepay-pro:getPaymentMethods';

/** The credential's Base URL without a trailing slash; Aggrepay.pro publishes none, so there is no default. */
export function aggrepayProBaseUrl(credentials: ICredentialDataDecryptedObject): string {
	const url = String(credentials.baseUrl ?? '')
		.trim()
		.replace(/\/+$/, '');
	if (!/^https?:\/\/[^\s/]+/i.test(url))
		throw new Error(
			`The Aggrepay.pro credential's Base URL must start with http:// or https:// (Aggrepay.pro does not publish it: ask your account manager); got "${url}"`,
		);
	return url;
}

/** Every operation's method and path: the pack's assumptions with the credential's overrides. */
export function aggrepayProEndpoints(
	credentials: ICredentialDataDecryptedObject,
): Record<AggrepayProOperation, Endpoint> {
	return resolveEndpoints(
		AGGREPAY_PRO_ASSUMED_ENDPOINTS,
		String(credentials.endpointOverrides ?? ''),
		"The Aggrepay.pro credential's Endpoint Overrides",
	);
}
