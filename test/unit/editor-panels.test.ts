/**
 * What n8n's editor shows of every node of the pack, checked on each node file the provider list
 * (tools/providers.ts) names, so a new provider is covered without editing this file.
 */
import { join } from 'node:path';

import type {
	INodeProperties,
	INodePropertyCollection,
	INodePropertyOptions,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { ISO_4217_CODES } from '../../nodes/common/money';
import { nodeTypeName, PROVIDERS } from '../../tools/providers';

const ROOT = join(__dirname, '../..');

interface PackNode {
	/** `n8n-nodes-payops.paytech`, as n8n's editor knows it. */
	type: string;
	providerName: string;
	description: INodeTypeDescription;
}

let nodes: PackNode[];

beforeAll(async () => {
	nodes = [];
	for (const provider of PROVIDERS) {
		for (const node of provider.nodes) {
			// dist/nodes/Paytech/Paytech.node.js -> <root>/nodes/Paytech/Paytech.node (the .ts source)
			const source = join(ROOT, node.file.replace(/^dist\//, '').replace(/\.js$/, ''));
			const exported = Object.values((await import(source)) as Record<string, unknown>);
			const descriptions = exported
				.filter((value): value is new () => INodeType => typeof value === 'function')
				.map((NodeClass) => new NodeClass().description)
				.filter((description) => description?.name === node.type);
			expect(descriptions).toHaveLength(1);
			nodes.push({
				type: nodeTypeName(node),
				providerName: provider.displayName,
				description: { ...descriptions[0], name: nodeTypeName(node) },
			});
		}
	}
});

const isTrigger = (node: PackNode) => node.description.group.includes('trigger');
const operationLists = (node: PackNode) =>
	node.description.properties.filter((p) => p.name === 'operation' && p.type === 'options');

describe('the node panel', () => {
	// a grey placeholder in an empty required field reads as a value already typed ("IND")
	it('shows no placeholder that looks like a value in an empty required field', () => {
		const lookAlikes: string[] = [];
		for (const node of nodes)
			for (const property of node.description.properties)
				if (
					property.required &&
					property.default === '' &&
					property.placeholder &&
					!/^e\.g\. /.test(property.placeholder) &&
					property.placeholder !== 'name@email.com' // n8n's lint wants exactly this one
				)
					lookAlikes.push(`${node.type} ${property.name}: ${property.placeholder}`);
		expect(lookAlikes).toEqual([]);
	});
});

describe('the node creator (n8n 2.41 editor-ui, components/Node/NodeCreator)', () => {
	// useActionsGeneration.ts lists an action node's actions, labelled with each Operation option's
	// `action`, in the order of the options, which n8n's lint wants sorted by `name`.
	it("lists every resource's actions in the same order sorted by label as by operation name", () => {
		const differing: string[] = [];
		for (const node of nodes.filter((n) => !isTrigger(n))) {
			expect(operationLists(node).length).toBeGreaterThan(0);
			for (const list of operationLists(node)) {
				const options = list.options as INodePropertyOptions[];
				const byName = [...options].sort((a, b) => a.name.localeCompare(b.name));
				const byAction = [...options].sort((a, b) =>
					String(a.action).localeCompare(String(b.action)),
				);
				if (byName.some((option, i) => option !== byAction[i]))
					differing.push(
						`${node.type} ${JSON.stringify(list.displayOptions?.show?.resource)}: by name ${byName.map((o) => o.action).join(' / ')}`,
					);
			}
		}
		expect(differing).toEqual([]);
	});

	it("labels every action in n8n's style: sentence case, acronyms and the provider's name kept", () => {
		const miscased: string[] = [];
		for (const node of nodes.filter((n) => !isTrigger(n))) {
			for (const option of operationLists(node).flatMap(
				(l) => l.options as INodePropertyOptions[],
			)) {
				const [first, ...rest] = String(option.action).split(' ');
				const kept = (word: string) =>
					word === word.toLowerCase() || word === word.toUpperCase() || word === node.providerName;
				if (!/^[A-Z]/.test(first) || !kept(first.slice(1)) || !rest.every(kept))
					miscased.push(`${node.type}: ${String(option.action)}`);
			}
		}
		expect(miscased).toEqual([]);
	});

	// useActionsGeneration.ts, generateMergedNodesAndActions: a trigger whose type name without its
	// first "Trigger" is an action node's is listed in that node's entry, and the entry shows the
	// trigger's description (`app.description = trigger.description`).
	it('shows each action node with its own description, also where it holds a trigger', () => {
		const entries = new Map<string, string>();
		for (const node of nodes.filter((n) => !isTrigger(n)))
			entries.set(node.type, node.description.description);
		const actionNodes = new Set(entries.keys());
		const merged: string[] = [];
		for (const trigger of nodes.filter(isTrigger)) {
			const app = trigger.type.replace('Trigger', '');
			const hasActions = nodes.some((n) => n.type === app && operationLists(n).length > 0);
			if (actionNodes.has(app) && hasActions) {
				entries.set(app, trigger.description.description);
				merged.push(trigger.type);
			} else entries.set(trigger.type, trigger.description.description);
		}
		for (const node of nodes.filter((n) => !isTrigger(n)))
			expect([node.type, entries.get(node.type)]).toEqual([
				node.type,
				node.description.description,
			]);
		// the case this guards: pay.tech Trigger and AggrePay Trigger are merged, the Wallet Trigger is not
		expect(merged).toEqual(
			expect.arrayContaining([
				'n8n-nodes-payops.paytechTrigger',
				'n8n-nodes-payops.aggrePayTrigger',
			]),
		);
	});
});

describe('trigger panels', () => {
	const texts = (node: PackNode) => {
		const panel = node.description.triggerPanel;
		const notice = node.description.properties[0];
		expect(notice.type).toBe('notice');
		expect(typeof panel).toBe('object');
		return {
			notice: notice.displayName,
			panel: panel as Exclude<typeof panel, boolean | undefined>,
		};
	};

	it('tell the operator to give the provider the Production URL from Webhook URLs', () => {
		const webhookTriggers = nodes.filter((n) => n.description.webhooks?.length);
		expect(webhookTriggers.length).toBeGreaterThan(0);
		for (const node of webhookTriggers) {
			const { notice, panel } = texts(node);
			const { executionsHelp, activationHint } = panel;
			// n8n shows the header with no URL next to it, and the hints in both states
			expect(typeof executionsHelp).toBe('object');
			expect(typeof activationHint).toBe('object');
			const all = [
				notice,
				panel.header,
				...Object.values(executionsHelp as object),
				...Object.values(activationHint as object),
			].map(String);
			for (const text of [notice, panel.header, ...Object.values(executionsHelp as object)]) {
				expect(text).toContain('Production URL');
				expect(text).toContain('Webhook URLs');
			}
			expect(notice).toMatch(/switch it to Production URL/);
			for (const text of all) {
				expect(text).not.toMatch(/\bthe webhook URL\b(?! field)/i);
				expect(text).not.toMatch(/this URL/i);
				expect(text).toContain(node.providerName);
			}
		}
	});

	it('say what a poll and a Fetch Test Event do', () => {
		const pollingTriggers = nodes.filter((n) => n.description.polling);
		expect(pollingTriggers.length).toBeGreaterThan(0);
		for (const node of pollingTriggers) {
			const { notice, panel } = texts(node);
			expect(notice).toMatch(/first poll .* only records .* starts nothing/);
			expect(notice).toMatch(/starts the workflow once, with one item per new .*, oldest first/);
			expect(notice).toMatch(/Fetch Test Event records nothing/);
			expect(Object.values(panel.executionsHelp as object).join(' ')).toContain('Fetch Test Event');
		}
	});
});

/** Every parameter, those inside collections and fixed collections included. */
function allProperties(properties: INodeProperties[]): INodeProperties[] {
	return properties.flatMap((p) => {
		const nested = (p.options ?? []).flatMap((o) => {
			if ('values' in o) return allProperties((o as INodePropertyCollection).values);
			if ('displayName' in o) return allProperties([o as INodeProperties]);
			return [];
		});
		return [p, ...(p.type === 'collection' || p.type === 'fixedCollection' ? nested : [])];
	});
}

describe('Currency parameters', () => {
	const currencies = (node: PackNode) =>
		allProperties(node.description.properties).filter((p) => /currency/i.test(p.name));

	it('offer a sorted list of codes that holds their default, and take others as expressions', () => {
		const found = nodes.flatMap((node) => currencies(node).map((p) => [node, p] as const));
		expect(found.length).toBeGreaterThan(0);
		for (const [node, parameter] of found) {
			const where = `${node.type} ${parameter.name}`;
			expect([where, parameter.type]).toEqual([where, 'options']);
			const options = parameter.options as INodePropertyOptions[];
			const names = options.map((o) => o.name);
			const values = options.map((o) => o.value);
			expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
			expect(new Set(values).size).toBe(values.length);
			expect(values).toContain(parameter.default);
			for (const option of options) expect(option.name.startsWith(String(option.value))).toBe(true);
			expect(parameter.noDataExpression).toBeFalsy();
			expect(parameter.description).toMatch(/not in the list .*can be given as an expression/);
		}
	});

	it('list every ISO 4217 currency for pay.tech and only INR for AggrePay, keeping the defaults', () => {
		const values = (type: string) =>
			currencies(nodes.find((n) => n.type === type)!).map((p) => [
				p.name,
				p.default,
				(p.options as INodePropertyOptions[]).map((o) => o.value),
			]);
		for (const [name, value, codes] of values('n8n-nodes-payops.paytech')) {
			expect([name, value]).toEqual([name, 'EUR']);
			expect(codes).toEqual(ISO_4217_CODES);
		}
		expect(values('n8n-nodes-payops.paytech').map(([name]) => name)).toEqual(
			expect.arrayContaining(['currency', 'captureCurrency']),
		);
		expect(values('n8n-nodes-payops.aggrePay')).toEqual([['currency', 'INR', ['INR']]]);
	});
});
