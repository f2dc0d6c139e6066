import type { INodeProperties, INodeType } from 'n8n-workflow';

import { AggrePay } from '../../nodes/Aggrepay/AggrePay.node';
import { gateway } from '../../nodes/Aggrepay/actions/gateway';
import { wallet } from '../../nodes/Aggrepay/actions/wallet';
import { All4pay } from '../../nodes/All4pay/All4pay.node';
import { ALL4PAY_RESOURCES } from '../../nodes/All4pay/actions/resources';
import { AggrepayPro } from '../../nodes/AggrepayPro/AggrepayPro.node';
import { AGGREPAY_PRO_RESOURCES } from '../../nodes/AggrepayPro/actions/resources';
import { Numipay } from '../../nodes/Numipay/Numipay.node';
import { NUMIPAY_RESOURCES } from '../../nodes/Numipay/actions/resources';
import { Paytech } from '../../nodes/Paytech/Paytech.node';
import { PAYTECH_RESOURCES } from '../../nodes/Paytech/actions/resources';
import type { Resource } from '../../nodes/common/operation';

// What every provider's action node owes the operator, checked on the modules it is built from.
const NODES: Array<[string, INodeType, Resource[]]> = [
	['pay.tech', new Paytech(), PAYTECH_RESOURCES],
	['AggrePay', new AggrePay(), [wallet, gateway]],
	['Numipay', new Numipay(), NUMIPAY_RESOURCES],
	['Aggrepay.pro', new AggrepayPro(), AGGREPAY_PRO_RESOURCES],
	['All4Pay', new All4pay(), ALL4PAY_RESOURCES],
];

/** The node's parameters shown for this resource and operation. */
function shownFor(node: INodeType, resource: string, operation: string): INodeProperties[] {
	return node.description.properties.filter((p) => {
		const show = p.displayOptions?.show;
		return show?.resource?.includes(resource) && show.operation?.includes(operation);
	});
}

describe.each(NODES)('%s node, built from its operation modules', (_name, node, resources) => {
	const operations = resources.flatMap((resource) =>
		Object.entries(resource.operations).map(([value, module]) => ({
			resource: resource.value,
			value,
			module,
		})),
	);

	it('lists every operation once per resource, sorted by name, defaulting to one that exists', () => {
		for (const resource of resources) {
			const list = node.description.properties.find(
				(p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(resource.value),
			)!;
			const names = (list.options as Array<{ name: string; value: string }>).map((o) => o.name);
			expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
			expect(Object.keys(resource.operations)).toContain(list.default);
		}
	});

	it.each(['money-moving', 'list', 'normalizing'])(
		'gives each %s operation what it promises',
		(kind) => {
			for (const { resource, value, module } of operations) {
				const names = shownFor(node, resource, value).map((p) => p.name);
				const { movesMoney, list, normalize } = module.description;
				if (kind === 'money-moving' && movesMoney) {
					// the merchant reference the operation derives when empty and looks up after a lost answer
					const additional = shownFor(node, resource, value).find(
						(p) => p.name === 'additionalFields',
					);
					const optional = (additional?.options ?? []).map((o) => (o as INodeProperties).name);
					expect([...names, ...optional]).toContain(movesMoney.reference);
				}
				if (kind === 'list')
					expect(names.includes('returnAll') && names.includes('limit')).toBe(Boolean(list));
				if (kind === 'normalizing') expect(names.includes('normalize')).toBe(Boolean(normalize));
			}
		},
	);
});

describe('pay.tech Return Existing Payment With This Reference', () => {
	it('says which references protect a re-run: one the operator sets or one derived from the event', () => {
		const descriptions = new Paytech().description.properties
			.filter((p) => p.name === 'reuseExisting')
			.map((p) => p.description);
		expect(descriptions).toHaveLength(3);
		for (const text of descriptions) {
			expect(text).toMatch(/with a Reference ID you set/);
			expect(text).toMatch(/derived from the event of this pack's trigger/);
			expect(text).toMatch(
				/derived from the execution \(no such trigger\) differs in every execution/,
			);
		}
	});
});
