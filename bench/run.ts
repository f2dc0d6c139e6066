/**
 * Benchmarks, as ratios against what a user would otherwise pick:
 * - webhook verification: ours (node:crypto, constant-time) vs crypto-js (what provider samples use);
 * - parsing a 1000-payment page: ours (keeps every amount's exact digits) vs JSON.parse, with the
 *   pure-JavaScript fallback parser and (on Node 22+) JSON.parse with a source-text reviver.
 * Usage: npm run bench. Prints a Markdown table; bench/README.md keeps the last results.
 */
import CryptoJS from 'crypto-js';

import { moneyAsText, parseJson, parseJsonMoney } from '../nodes/common/json';
import { hmacDigest } from '../nodes/common/signing';
import { verifyPaytechSignature } from '../nodes/Paytech/signature';
import { PAYTECH_MONEY_FIELDS } from '../nodes/Paytech/transport';

function opsPerSecond(fn: () => unknown, seconds = 1.5): number {
	for (let i = 0; i < 200; i++) fn(); // warm-up
	let count = 0;
	const start = process.hrtime.bigint();
	const limit = BigInt(Math.round(seconds * 1e9));
	while (process.hrtime.bigint() - start < limit) {
		for (let i = 0; i < 50; i++) fn();
		count += 50;
	}
	return count / (Number(process.hrtime.bigint() - start) / 1e9);
}

const key = 'whsk_bench_signing_key';
const payment = (n: number) => ({
	id: n.toString(16).padStart(32, '0'),
	referenceId: `order-${n}`,
	created: '2026-11-01T10:11:12',
	paymentType: 'DEPOSIT',
	state: 'COMPLETED',
	paymentMethod: 'BASIC_CARD',
	amount: 1234.56,
	currency: 'EUR',
	customer: {
		referenceId: `customer-${n}`,
		email: `c${n}@example.com`,
		firstName: 'Ada',
		lastName: 'Lovelace',
	},
	billingAddress: {
		addressLine1: '7, Sunny street',
		city: 'Limassol',
		countryCode: 'CY',
		postalCode: '4141',
	},
});
const body = JSON.stringify(payment(1));
const raw = Buffer.from(body);
const hex = hmacDigest('sha256', key, raw).toString('hex');
const page = JSON.stringify({
	timestamp: '2026-11-01T10:11:12.000+00:00',
	status: 200,
	hasMore: true,
	result: Array.from({ length: 1000 }, (_, n) => payment(n)),
});

const rows: Array<[string, string, number, number]> = [];
const compare = (name: string, unit: string, ours: () => unknown, theirs: () => unknown) =>
	rows.push([name, unit, opsPerSecond(ours), opsPerSecond(theirs)]);

compare(
	`verify a ${raw.length}-byte webhook`,
	'verifications/s',
	() => verifyPaytechSignature(raw, hex, key),
	() => CryptoJS.HmacSHA256(body, key).toString(CryptoJS.enc.Hex) === hex,
);
const pageName = `parse a 1000-payment page (${Math.round(page.length / 1024)} KiB)`;
compare(
	`${pageName}: what the nodes use`,
	'pages/s',
	() => parseJsonMoney(page, PAYTECH_MONEY_FIELDS),
	() => JSON.parse(page),
);
compare(
	`${pageName}: the pure-JavaScript parser (its fallback)`,
	'pages/s',
	() => moneyAsText(parseJson(page), PAYTECH_MONEY_FIELDS),
	() => JSON.parse(page),
);
// Node 22+ gives a reviver each number's source text (n8n runs on Node 24)
const sourceReviver = (key: string, value: unknown, context?: { source?: string }) =>
	typeof value === 'number' && PAYTECH_MONEY_FIELDS.has(key) ? context?.source : value;
if (
	(
		JSON.parse('{"a":1.0}', (k, v, c?: { source?: string }) => (k === 'a' ? c?.source : v)) as {
			a?: string;
		}
	).a === '1.0'
)
	compare(
		`${pageName}: JSON.parse with a source-text reviver`,
		'pages/s',
		() => JSON.parse(page, sourceReviver as never),
		() => JSON.parse(page),
	);

console.log(`Node ${process.version}, ${new Date().toISOString().slice(0, 10)}\n`);
console.log('| what | unit | n8n-nodes-payops | alternative | ratio (ours / alternative) |');
console.log('|---|---|---|---|---|');
for (const [name, unit, ours, theirs] of rows) {
	console.log(
		`| ${name} | ${unit} | ${Math.round(ours).toLocaleString('en')} | ${Math.round(theirs).toLocaleString('en')} | ${(ours / theirs).toFixed(2)} |`,
	);
}
