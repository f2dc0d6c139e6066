/**
 * One accepted delivery of a new event for each webhook trigger of the pack, as its provider sends
 * it, signed with the pack's own code (nodes/<Provider>/signature.ts, hash.ts, callback.ts) and
 * the secrets its sandbox and credential share (tools/providers.ts `secretsOf`). Each starts the
 * trigger's workflow once at the node's default parameters. A new webhook trigger needs an entry
 * in MAKERS; without one, `signedDelivery` throws and says so.
 */
import { randomUUID } from 'node:crypto';

import { aggrepayFieldsHash } from '../../nodes/Aggrepay/hash';
import { aggrepayProSignature } from '../../nodes/AggrepayPro/signature';
import { CALLBACK_TOKEN_PARAMETER } from '../../nodes/All4pay/callback';
import { hashWithSecretAppended, hmacDigest } from '../../nodes/common/signing';
import { ALL4PAY_CUSTOMER } from '../../tools/n8n/demo-data';
import {
	nodeTypeName,
	PROVIDERS,
	type ProviderEntry,
	type ProviderId,
	type ProviderNode,
	type SandboxHandle,
	type SandboxOf,
	type SecretsOf,
} from '../../tools/providers';

export interface SignedDelivery {
	/** Added to the trigger's Production URL (All4Pay's `?token=`). */
	query?: Record<string, string>;
	body: string;
	headers: Record<string, string>;
}

interface DeliveryMaker<I extends ProviderId> {
	provider: I;
	/** A delivery of a new event, `tag` in its ids, that the trigger accepts and runs for. */
	make(sandbox: SandboxOf<I>, secrets: SecretsOf<I>, tag: string): Promise<SignedDelivery>;
}

const maker = <I extends ProviderId>(m: DeliveryMaker<I>) => m;
/** Any provider's maker; called with that provider's sandbox and secrets only (signedDelivery). */
interface AnyMaker {
	provider: ProviderId;
	make(sandbox: never, secrets: never, tag: string): Promise<SignedDelivery>;
}
const JSON_TYPE = { 'content-type': 'application/json' };

/** By trigger type (ProviderNode.type). */
const MAKERS: Record<string, AnyMaker> = {
	// test/engine/paytech-trigger.test.ts: the `signature` header, hex HMAC-SHA256 of the raw body
	paytechTrigger: maker({
		provider: 'paytech',
		make: async (_sandbox, secrets, tag) => {
			const body = JSON.stringify({
				id: `pay-${tag}`,
				paymentType: 'DEPOSIT',
				state: 'COMPLETED',
				amount: 1000,
				currency: 'EUR',
			});
			const signature = hmacDigest('sha256', secrets.signingKey, body).toString('hex');
			return { body, headers: { ...JSON_TYPE, signature } };
		},
	}),
	// test/engine/aggrepay.test.ts: a form post with the salted SHA-512 `hash` of its fields
	aggrePayTrigger: maker({
		provider: 'aggrepay',
		make: async (_sandbox, secrets, tag) => {
			const fields = {
				transaction_id: `TXN-${tag}`,
				order_id: `ORD-${tag}`,
				amount: '75.00',
				currency: 'INR',
				response_code: '0',
				response_message: 'SUCCESS',
			};
			const hash = aggrepayFieldsHash(fields, secrets.salt);
			return {
				body: new URLSearchParams({ ...fields, hash }).toString(),
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
			};
		},
	}),
	// test/engine/numipay-trigger.test.ts: `x-signature`, uppercase hex SHA-1 of the compact JSON
	// followed by the Signature Password
	numipayTrigger: maker({
		provider: 'numipay',
		make: async (_sandbox, secrets, tag) => {
			const body = JSON.stringify({
				transaction_id: `txn-${tag}`,
				user_id: '1001',
				tracking_id: `trk-${tag}`,
				status: 'pending',
				currency: 'EUR',
				amount: '25.00',
				transaction_type: 'withdrawal',
			});
			const signature = hashWithSecretAppended('sha1', Buffer.from(body), secrets.signaturePassword)
				.toString('hex')
				.toUpperCase();
			return { body, headers: { ...JSON_TYPE, 'x-signature': signature } };
		},
	}),
	// test/engine/aggrepay-pro-trigger.test.ts: the status answer's envelope, `Signature` the hex
	// HMAC-SHA256 of the raw body with the Secret Key
	aggrepayProTrigger: maker({
		provider: 'aggrepay-pro',
		make: async (_sandbox, secrets, tag) => {
			const body = JSON.stringify({
				status: true,
				data: {
					id: `pay_${tag}`,
					orderId: `order-${tag}`,
					merchantId: secrets.merchantId,
					type: 'payment',
					state: 'finished',
					amount: 1500,
					currency: 'RUB',
				},
			});
			return {
				body,
				headers: { ...JSON_TYPE, signature: aggrepayProSignature(body, secrets.secretKey) },
			};
		},
	}),
	// test/engine/all4pay-trigger.test.ts: unsigned, the Callback Token in the URL; the trigger
	// confirms the claim through the API, so the deposit is made and paid in the sandbox first
	all4payTrigger: maker({
		provider: 'all4pay',
		make: async (sandbox, secrets, tag) => {
			if (sandbox.settings.callbackUrl)
				throw new Error(
					'the All4Pay sandbox has a callback URL: it would call back the trigger itself',
				);
			const userId = `iso-${tag}`;
			const response = await fetch(`${sandbox.url}/deposit/`, {
				method: 'POST',
				headers: { ...JSON_TYPE, token: secrets.token },
				// the amount as a JSON number, as the API takes it
				body: `{"user_id":${JSON.stringify(userId)},"cpf":"${ALL4PAY_CUSTOMER.cpf.replace(/\D/g, '')}","name":"${ALL4PAY_CUSTOMER.name}","email":"${ALL4PAY_CUSTOMER.email}","amount":10.50}`,
				signal: AbortSignal.timeout(30_000),
			});
			const text = await response.text();
			if (response.status !== 200)
				throw new Error(`All4Pay sandbox refused the deposit: ${response.status} ${text}`);
			const { id } = JSON.parse(text) as { id: string };
			const paid = sandbox.pay(id);
			// the body the sandbox sends (sandbox/all4pay/engine.ts callbackBody)
			const body = `{"id":${JSON.stringify(id)},"type":"deposit","status":"${paid.status}","amount":${paid.amount},"user_id":${JSON.stringify(userId)}}`;
			return {
				query: { [CALLBACK_TOKEN_PARAMETER]: secrets.callbackToken },
				body,
				headers: JSON_TYPE,
			};
		},
	}),
};

/** Whether MAKERS has a delivery for this trigger of this provider. */
export function canSign(entry: ProviderEntry, node: ProviderNode): boolean {
	return MAKERS[node.type]?.provider === entry.id;
}

/**
 * An accepted delivery of a new event for the trigger `node` of `entry`, whose sandbox runs with
 * `secrets` and whose credential carries them (entry.demo.credentialData).
 */
export async function signedDelivery(
	entry: ProviderEntry,
	node: ProviderNode,
	sandbox: SandboxHandle,
	secrets: Record<string, string>,
	tag: string = randomUUID().replace(/-/g, ''),
): Promise<SignedDelivery> {
	if (!canSign(entry, node))
		throw new Error(
			`test/e2e/deliveries.ts cannot build a delivery for ${nodeTypeName(node)} (${entry.displayName}): add it to MAKERS, signed the way ${entry.displayName} signs (see its test/engine/*-trigger.test.ts)`,
		);
	return await MAKERS[node.type].make(sandbox as never, secrets as never, tag);
}

/** The URL a delivery goes to: the trigger's Production URL with the delivery's query. */
export function deliveryUrl(triggerUrl: string, delivery: SignedDelivery): string {
	const url = new URL(triggerUrl);
	for (const [name, value] of Object.entries(delivery.query ?? {}))
		url.searchParams.set(name, value);
	return url.toString();
}

/**
 * The webhook triggers of the pack (tools/providers.ts), with their webhook path. A trigger this
 * file cannot build a delivery for fails here, before anything starts: it is never skipped.
 */
export function webhookTriggers(): Array<{
	entry: ProviderEntry;
	node: ProviderNode;
	path: string;
}> {
	const triggers = PROVIDERS.flatMap((entry) =>
		entry.nodes
			.filter((node) => node.trigger && 'webhookPath' in node.trigger)
			.map((node) => ({
				entry,
				node,
				path: (node.trigger as { webhookPath: string }).webhookPath,
			})),
	);
	const unsigned = triggers.filter(({ entry, node }) => !canSign(entry, node));
	if (unsigned.length)
		throw new Error(
			`no delivery can be built for ${unsigned.map(({ node }) => nodeTypeName(node)).join(', ')}: add it to MAKERS in test/e2e/deliveries.ts`,
		);
	return triggers;
}
