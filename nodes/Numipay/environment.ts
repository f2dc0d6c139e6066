import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { credentialBaseUrl, credentialEndpoints, type Endpoint } from '../common/endpoints';
import { NUMIPAY_ASSUMED_ENDPOINTS, type NumipayOperation } from './endpoints';

/**
 * The credential test's URL: not a path, a name authenticate() replaces with the transaction
 * list's endpoint after the operator's overrides (a declarative test cannot read them itself).
 */
export const CREDENTIAL_TEST_URL = 'numipay:getTransactions';

export const numipayBaseUrl = (credentials: ICredentialDataDecryptedObject): string =>
	credentialBaseUrl(credentials, 'Numipay');

export const numipayEndpoints = (
	credentials: ICredentialDataDecryptedObject,
): Record<NumipayOperation, Endpoint> =>
	credentialEndpoints(NUMIPAY_ASSUMED_ENDPOINTS, credentials, 'Numipay');
