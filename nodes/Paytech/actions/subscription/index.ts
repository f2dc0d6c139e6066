import { defineResource } from '../../../common/operation';
import * as cancel from './cancel';
import * as get from './get';

export const subscription = defineResource({
	value: 'subscription',
	name: 'Subscription',
	operations: { cancel, get },
	default: 'get',
});
