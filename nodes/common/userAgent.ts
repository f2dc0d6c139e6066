import { name, version } from '../../package.json';

// pay.tech sits behind Cloudflare, which may answer 403 to library default user agents; every
// provider gets an explicit one naming the package and its version, read from its package.json.
export const USER_AGENT = `${name}/${version}`;
