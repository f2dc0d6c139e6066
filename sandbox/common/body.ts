import type { IncomingMessage } from 'node:http';

export const MAX_BODY_BYTES = 1024 * 1024;

export class BodyTooLargeError extends Error {}

/** Reads the whole request body as UTF-8 text, refusing more than `limit` bytes. */
export async function readRequestBody(
	req: IncomingMessage,
	limit = MAX_BODY_BYTES,
): Promise<string> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req) {
		const buffer = chunk as Buffer;
		size += buffer.length;
		if (size > limit) throw new BodyTooLargeError(`Request body larger than ${limit} bytes`);
		chunks.push(buffer);
	}
	return Buffer.concat(chunks).toString('utf8');
}
