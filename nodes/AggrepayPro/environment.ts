import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { credentialBaseUrl, credentialEndpoints, type Endpoint } from '../common/endpoints';
import { AGGREPAY_PRO_ASSUMED_ENDPOINTS, type AggrepayProOperation } from './endpoints';

/**
 * The credential test's URL: not a path, a name authenticate() replaces with the payment-method
 * list's endpoint after the operator's overrides (a declarative test cannot read them itself).
 */
export const CREDENTIAL_TEST_URL = 'aggrepay-pro:getPaymentMethods';

export const aggrepayProBaseUrl = (credentials: ICredentialDataDecryptedObject): string =>
	credentialBaseUrl(credentials, 'Aggrepay.pro');

export const aggrepayProEndpoints = (
	credentials: ICredentialDataDecryptedObject,
): Record<AggrepayProOperation, Endpoint> =>
	credentialEndpoints(AGGREPAY_PRO_ASSUMED_ENDPOINTS, credentials, 'Aggrepay.pro');
