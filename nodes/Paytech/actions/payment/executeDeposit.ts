import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { OperationDescription } from '../../../common/operation';
import { jsonObjectParameter } from '../../../common/parameters';
import { normalizePaytechPayment } from '../../normalize';
import { changeState } from './changeState';
import { paymentIdProperty } from './fields';

export const description: OperationDescription = {
	name: 'Execute Deposit',
	action: 'Execute a deposit without redirect',
	description:
		'Run a deposit without sending the customer to the checkout page (needs pay.tech approval)',
	properties: [
		paymentIdProperty(),
		{
			displayName: 'Customer IP',
			name: 'customerIp',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. 152.13.130.125',
		},
		{
			displayName: 'Browser Details (JSON)',
			name: 'browser',
			type: 'json',
			default: '{}',
			description:
				'Optional 3-D Secure browser data: ipCountryCode, customerUserAgent, browserWindowWidth, browserWindowHeight, browserScreenWidth, browserScreenHeight, browserScreenColorDepth, browserLanguage, browserJavaEnabled, browserTimezoneOffset',
		},
	],
	normalize: normalizePaytechPayment,
};

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const fail = (message: string) =>
		new NodeOperationError(this.getNode(), message, { itemIndex: i });
	const customerIp = String(this.getNodeParameter('customerIp', i) ?? '').trim();
	if (!customerIp || customerIp.length > 39)
		throw fail(`Customer IP must be the customer's IPv4 or IPv6 address; got "${customerIp}"`);
	const body = {
		...jsonObjectParameter(this.getNodeParameter('browser', i, '{}'), 'Browser Details', fail),
		customerIp,
	};
	return await changeState.call(this, i, { path: '', from: 'CHECKOUT', method: 'PATCH', body });
}
