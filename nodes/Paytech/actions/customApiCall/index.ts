import { defineResource } from '../../../common/operation';
import * as request from './request';

export const customApiCall = defineResource({
	value: 'customApiCall',
	name: 'Custom API Call',
	operations: { request },
	default: 'request',
});
