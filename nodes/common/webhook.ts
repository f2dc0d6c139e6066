import type {
	IDataObject,
	IHookFunctions,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { parseJson } from './json';

// webhookMethods for providers without a webhook registration API (the operator pastes the URL
// into the provider's dashboard): they remember which URL the trigger was activated with, which
// is all there is to manage.
export async function webhookUrlRemembered(this: IHookFunctions): Promise<boolean> {
	return this.getWorkflowStaticData('node').webhookUrl === this.getNodeWebhookUrl('default');
}

export async function rememberWebhookUrl(this: IHookFunctions): Promise<boolean> {
	this.getWorkflowStaticData('node').webhookUrl = this.getNodeWebhookUrl('default');
	return true;
}

export async function forgetWebhookUrl(this: IHookFunctions): Promise<boolean> {
	delete this.getWorkflowStaticData('node').webhookUrl;
	return true;
}

/**
 * The exact request bytes. n8n reads the body lazily and, for some content types, not at all
 * before the node runs; re-serializing the parsed body would change the signed bytes.
 */
export async function readRawBody(ctx: IWebhookFunctions): Promise<Buffer> {
	const req = ctx.getRequestObject();
	if (req.rawBody === undefined && typeof req.readRawBody === 'function') await req.readRawBody();
	const raw: unknown = req.rawBody;
	if (Buffer.isBuffer(raw)) return raw;
	if (typeof raw === 'string') return Buffer.from(raw, 'utf8');
	return Buffer.alloc(0);
}

/**
 * The body as a JSON object (a UTF-8 byte-order mark ignored, every number's digits kept, see
 * parseJson), or undefined when it is not one.
 */
export function jsonObjectBody(rawBody: Buffer): IDataObject | undefined {
	let body: unknown;
	try {
		body = parseJson(rawBody.toString('utf8').replace(/^\uFEFF/, ''));
	} catch {
		return undefined;
	}
	return body && typeof body === 'object' && !Array.isArray(body)
		? (body as IDataObject)
		: undefined;
}

const REJECTION: Record<number, string> = {
	400: 'Bad Request',
	401: 'Unauthorized',
	403: 'Forbidden',
	503: 'Service Unavailable',
};

/**
 * Answers 401 (or the given status) and ends the response, and starts no execution. The body says only that the request
 * was refused, never why in detail: a forger learns nothing from it.
 */
export function rejectWebhook(ctx: IWebhookFunctions, status = 401): IWebhookResponseData {
	const res = ctx.getResponseObject();
	res.status(status).json({ error: REJECTION[status] ?? 'Rejected' });
	res.end();
	return { noWebhookResponse: true };
}

/** 200 and no execution: the event is genuine but filtered out or already processed. */
export function acknowledgeWithoutRun(reason: string): IWebhookResponseData {
	return { webhookResponse: { received: true, processed: false, reason } };
}

interface Cidr {
	bytes: Buffer;
	prefix: number;
}

export class AllowlistError extends Error {}

/** Parses "203.0.113.5, 198.51.100.0/24, 2001:db8::/32" (commas, spaces or new lines). */
export function parseAllowlist(text: string): Cidr[] {
	return text
		.split(/[\s,]+/)
		.filter(Boolean)
		.map((entry) => {
			const [address, prefixText] = entry.split('/');
			const bytes = ipBytes(address);
			const bits = bytes ? bytes.length * 8 : 0;
			const prefix = prefixText === undefined ? bits : Number(prefixText);
			if (!bytes || !/^\d*$/.test(prefixText ?? '') || !(prefix >= 0 && prefix <= bits)) {
				throw new AllowlistError(
					`IP Allowlist entry "${entry}" is not an IPv4 or IPv6 address or CIDR range (like 203.0.113.0/24)`,
				);
			}
			return { bytes, prefix };
		});
}

export function ipAllowed(ip: string | undefined, allowlist: Cidr[]): boolean {
	const bytes = ip ? ipBytes(ip) : undefined;
	if (!bytes) return false;
	return allowlist.some(({ bytes: net, prefix }) => {
		if (net.length !== bytes.length) return false;
		const full = Math.floor(prefix / 8);
		if (!net.subarray(0, full).equals(bytes.subarray(0, full))) return false;
		const rest = prefix % 8;
		if (rest === 0) return true;
		const mask = (0xff << (8 - rest)) & 0xff;
		return (net[full] & mask) === (bytes[full] & mask);
	});
}

/** IPv4 as 4 bytes, IPv6 as 16; IPv4-mapped IPv6 (::ffff:1.2.3.4) as the IPv4 address. */
export function ipBytes(ip: string): Buffer | undefined {
	const text = ip
		.trim()
		.replace(/^\[|\]$/g, '')
		.replace(/%.*$/, '');
	const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
	if (v4) {
		const parts = v4.slice(1).map(Number);
		return parts.every((p) => p <= 255) ? Buffer.from(parts) : undefined;
	}
	if (!/^[0-9a-fA-F:.]+$/.test(text) || !text.includes(':')) return undefined;
	const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(text);
	if (mapped) return ipBytes(mapped[1]);
	const halves = text.split('::');
	if (halves.length > 2) return undefined;
	const groups = (half: string) => (half ? half.split(':') : []);
	const head = groups(halves[0]);
	const tail = halves.length === 2 ? groups(halves[1]) : [];
	const fill = 8 - head.length - tail.length;
	if (halves.length === 1 ? fill !== 0 : fill < 1) return undefined;
	const all = [...head, ...Array<string>(halves.length === 2 ? fill : 0).fill('0'), ...tail];
	if (!all.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
	const out = Buffer.alloc(16);
	all.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
	return out;
}

/**
 * With an IP Allowlist set, answers 403 (and ends) for a sender outside it; undefined when the
 * request may go on. A malformed allowlist fails the trigger with the entry named.
 */
export function ipAllowlistRejection(
	ctx: IWebhookFunctions,
	allowlistText: unknown,
): IWebhookResponseData | undefined {
	const text = String(allowlistText ?? '').trim();
	if (!text) return undefined;
	let allowlist: Cidr[];
	try {
		allowlist = parseAllowlist(text);
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), (error as Error).message);
	}
	return ipAllowed(requestIp(ctx), allowlist) ? undefined : rejectWebhook(ctx, 403);
}

/** The address the request came from, as n8n's express app sees it (honours N8N_PROXY_HOPS). */
export function requestIp(ctx: IWebhookFunctions): string | undefined {
	const req = ctx.getRequestObject();
	return req.ip ?? req.socket?.remoteAddress;
}

/** A copy of the headers for the output, with signature and auth headers replaced. */
export function redactHeaders(headers: IDataObject, secretHeaders: string[]): IDataObject {
	const hidden = new Set(
		[...secretHeaders, 'authorization', 'cookie', 'proxy-authorization'].map((h) =>
			h.toLowerCase(),
		),
	);
	const out: IDataObject = {};
	for (const [name, value] of Object.entries(headers))
		out[name] = hidden.has(name.toLowerCase()) ? '[redacted]' : value;
	return out;
}
