import { customApiCall as customApiCallOperation } from '../../../common/customApiCall';
import { defineResource } from '../../../common/operation';
import { PAYTECH, requestTimeoutMs } from '../../transport';

export const customApiCall = defineResource({
	value: 'customApiCall',
	name: 'Custom API Call',
	operations: {
		request: customApiCallOperation(PAYTECH, {
			defaultPath: '/api/v1/',
			placeholder: '/api/v1/customers/customer_123/card-tokens',
			timeoutMs: requestTimeoutMs,
		}),
	},
	default: 'request',
});
