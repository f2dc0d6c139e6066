import type { Request } from 'express';
import { parseIncomingMessage } from '@n8n/backend-network';
import type {
	INode,
	IWorkflowDataProxyAdditionalKeys,
	Workflow,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { jsonParse } from 'n8n-workflow';
import { parse as parseQueryString } from 'node:querystring';
import type { Readable } from 'node:stream';
import { createGunzip, createInflate } from 'node:zlib';
import getRawBody from 'raw-body';

// Mirrors n8n 2.41 cli/dist/middlewares/body-parser.js (rawBodyReader, parseBody) and
// webhooks/webhook-helpers.js parseRequestBody. Not mirrored: multipart (n8n parses it with
// formidable into files) and XML (n8n uses xml2js); both leave req.body untouched here.

/** n8n's default N8N_PAYLOAD_SIZE_MAX, in MB. */
const PAYLOAD_SIZE_MAX_MB = 16;

export class UnprocessableRequestError extends Error {
	readonly httpStatusCode = 422;

	constructor(
		message: string,
		readonly hint: string,
	) {
		super(message);
	}
}

/** The rawBodyReader middleware: content type/encoding now, body bytes only on demand. */
export function installRawBodyReader(req: Request): void {
	parseIncomingMessage(req);
	req.readRawBody = async () => {
		if (req.rawBody) return;
		let stream: Readable = req;
		let length: string | undefined;
		switch (req.headers['content-encoding']) {
			case 'gzip':
				stream = req.pipe(createGunzip());
				break;
			case 'deflate':
				stream = req.pipe(createInflate());
				break;
			default:
				length = req.headers['content-length'];
		}
		req.rawBody = await getRawBody(stream, { length, limit: `${PAYLOAD_SIZE_MAX_MB}mb` });
		req._body = true;
	};
}

const stripBom = (text: string) => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

async function parseBody(req: Request): Promise<void> {
	if (req.contentType?.startsWith('multipart/')) return;
	await req.readRawBody();
	const { rawBody, contentType, encoding } = req;
	if (!rawBody?.length) return;
	try {
		if (contentType === 'application/json') {
			req.body = jsonParse(stripBom(rawBody.toString(encoding)));
		} else if (contentType === 'application/x-www-form-urlencoded') {
			req.body = parseQueryString(rawBody.toString(encoding), undefined, undefined, {
				maxKeys: 1000,
			});
		} else if (contentType === 'text/plain') {
			req.body = rawBody.toString(encoding);
		}
	} catch (error) {
		throw new UnprocessableRequestError('Failed to parse request body', (error as Error).message);
	}
}

function isParsableContentType(contentType?: string): boolean {
	if (!contentType) return false;
	return (
		contentType.startsWith('application/json') ||
		contentType.startsWith('text/plain') ||
		contentType.startsWith('application/x-www-form-urlencoded') ||
		contentType.endsWith('/xml') ||
		contentType.endsWith('+xml')
	);
}

/** Decides whether n8n reads (and so sets req.rawBody for) this request before webhook(). */
export async function parseRequestBody(
	req: Request,
	node: INode,
	workflow: Workflow,
	mode: WorkflowExecuteMode,
	additionalKeys: IWorkflowDataProxyAdditionalKeys,
): Promise<void> {
	if (node.typeVersion === 1) {
		const binaryData = workflow.expression.getSimpleParameterValue(
			node,
			'={{$parameter["options"]["binaryData"]}}',
			mode,
			additionalKeys,
			undefined,
			false,
		);
		if (binaryData) return;
	}
	if (req.contentType === 'multipart/form-data') return;
	if (node.typeVersion > 1 && !isParsableContentType(req.contentType)) return;
	await parseBody(req);
}
