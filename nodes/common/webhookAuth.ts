import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

/** A webhook request as received: the exact body bytes, the headers (names in lower case), the query. */
export interface Delivery {
	rawBody: Buffer;
	headers: Record<string, string | string[] | undefined>;
	/** The URL's query parameters: where a provider that signs nothing can carry a secret token. */
	query?: Record<string, unknown>;
}

/** How a provider's webhooks are authenticated. */
export interface WebhookAuth {
	/**
	 * The secrets in the credential (current first, then a previous one during rotation); empty ones
	 * are ignored. None left: every delivery is refused (fail closed).
	 */
	secrets(credentials: ICredentialDataDecryptedObject): string[];
	/**
	 * Whether the delivery is authentic under one of the secrets; compares in constant time and does
	 * not stop at the first matching secret.
	 */
	verify(delivery: Delivery, secrets: string[]): boolean | Promise<boolean>;
	/** Headers that carry a signature or secret: redacted when the trigger outputs headers. */
	secretHeaders: string[];
}

/**
 * The credential's values under `names`, in that order, skipping missing, non-text and blank ones
 * (a blank secret is a configuration mistake, never a key to verify with). Values are used as
 * typed: a key may legitimately contain spaces.
 */
export function credentialSecrets(
	credentials: ICredentialDataDecryptedObject,
	names: readonly string[],
): string[] {
	const secrets: string[] = [];
	for (const name of names) {
		const value = credentials[name];
		if (typeof value === 'string' && value.trim() !== '') secrets.push(value);
	}
	return secrets;
}

/**
 * A header's single value. Sent more than once it is ambiguous which one was meant, so there is
 * none: a repeated signature header verifies nothing.
 */
export function singleHeader(headers: Delivery['headers'], name: string): string | undefined {
	const value = headers[name.toLowerCase()];
	if (Array.isArray(value)) return value.length === 1 ? value[0] : undefined;
	return value;
}
