import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { credentialBaseUrl, credentialEndpoints, type Endpoint } from '../common/endpoints';
import { ALL4PAY_ASSUMED_ENDPOINTS, type All4payOperation } from './endpoints';

/**
 * The credential test's URL: not a path, a name authenticate() replaces with the deposit list's
 * endpoint after the operator's overrides (a declarative test cannot read them itself).
 */
export const CREDENTIAL_TEST_URL = 'all4pay:getDeposits';

/** The URL field of each environment; All4Pay publishes none of them, so each is asked for. */
export const ENVIRONMENT_URL_FIELDS = {
	production: 'productionUrl',
	sandbox: 'sandboxUrl',
	custom: 'customUrl',
} as const;

export function all4payBaseUrl(credentials: ICredentialDataDecryptedObject): string {
	const environment = String(credentials.environment ?? 'production');
	const field =
		ENVIRONMENT_URL_FIELDS[environment as keyof typeof ENVIRONMENT_URL_FIELDS] ?? 'productionUrl';
	return credentialBaseUrl({ baseUrl: credentials[field] }, 'All4Pay');
}

export const all4payEndpoints = (
	credentials: ICredentialDataDecryptedObject,
): Record<All4payOperation, Endpoint> =>
	credentialEndpoints(ALL4PAY_ASSUMED_ENDPOINTS, credentials, 'All4Pay');
