// pay.tech sits behind Cloudflare, which may answer 403 to library default user agents; every
// provider gets an explicit one naming the pack. Kept equal to package.json's version by a test.
export const PACK_VERSION = '0.1.0';
export const USER_AGENT = `n8n-nodes-payops/${PACK_VERSION}`;
