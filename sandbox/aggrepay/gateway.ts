import { randomUUID } from 'node:crypto';

import type { Clock } from '../common/clock';
import { ZERO } from '../common/decimal';
import { type WebhookDelivery, WebhookSender } from '../common/webhooks';
import { type CallbackContentType, callbackFields, encodeCallback, hashInBody } from './callbacks';
import { GATEWAY_CODES, GatewayError } from './errors';
import { amountUnits, formatRupees } from './money';
import type { AggrepayStore } from './store';
import {
	type GatewayRefund,
	type GatewayTransaction,
	type PayerDetails,
	type PaymentRequest,
	RESPONSE_MESSAGES,
} from './types';

export interface AggrepaySettings {
	/** The merchant dashboard's "Payment Callback URL". */
	callbackUrl?: string;
	/** The provider does not publish the callback's content type; form is what its return leg uses. */
	callbackContentType: CallbackContentType;
}

export interface PaymentOutcome {
	success?: boolean;
	/** A published response code (0, 1000, 1006, 1030, 1043, 1088, 9999); wins over `success`. */
	responseCode?: number;
}

export type NewPaymentRequest = Omit<
	PaymentRequest,
	'uuid' | 'createdAt' | 'status' | 'transactionId'
>;

export interface RefundInput {
	transactionId: string;
	amount: bigint;
	description: string;
	merchantRefundId: string;
	merchantOrderId?: string;
}

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
let seedBatch = 0;

/** Payment links, the customer's payment, its hashed callback, and refunds. */
export class Gateway {
	readonly callbacks: WebhookDelivery[] = [];
	/** Where /pay/<uuid> links point; set once the server listens. */
	baseUrl = '';
	private readonly sender: WebhookSender;
	private readonly refundsById = new Map<
		string,
		{ transaction: GatewayTransaction; refund: GatewayRefund }
	>();

	constructor(
		private readonly store: AggrepayStore,
		private readonly now: Clock,
		private readonly salt: string,
		readonly settings: AggrepaySettings,
		callbackAttempts: number,
	) {
		this.sender = new WebhookSender({
			// The hash travels inside the body; no signature header, the log shows that hash.
			sign: hashInBody,
			attempts: () => callbackAttempts,
			log: this.callbacks,
			userAgent: 'aggrepay-sandbox',
			now,
		});
	}

	createRequest(input: NewPaymentRequest): PaymentRequest {
		if (this.store.requestsByOrderId.has(input.orderId)) {
			throw new GatewayError(GATEWAY_CODES.duplicateOrder, 'The order id has already been taken.');
		}
		const request: PaymentRequest = {
			...input,
			uuid: randomUUID(),
			createdAt: this.now(),
			status: 'OPEN',
		};
		this.store.paymentRequests.set(request.uuid, request);
		this.store.requestsByOrderId.set(request.orderId, request);
		return request;
	}

	payUrl(request: PaymentRequest): string {
		return `${this.baseUrl}/pay/${request.uuid}`;
	}

	findRequest(orderIdOrUuid: string): PaymentRequest {
		const request =
			this.store.paymentRequests.get(orderIdOrUuid) ??
			this.store.requestsByOrderId.get(orderIdOrUuid);
		if (!request) throw new GatewayError(GATEWAY_CODES.notFound, 'Payment request not found');
		this.refreshExpiry(request);
		return request;
	}

	expire(uuid: string): void {
		const request = this.store.paymentRequests.get(uuid);
		if (!request) throw new GatewayError(GATEWAY_CODES.notFound, 'Payment request not found');
		if (request.status === 'COMPLETED') {
			throw new GatewayError(
				GATEWAY_CODES.invalidParams,
				'The payment request is already paid or failed',
			);
		}
		request.status = 'EXPIRED';
	}

	/** The customer pays (or fails); resolves after the callback's delivery, retries included. */
	async complete(orderIdOrUuid: string, outcome: PaymentOutcome = {}): Promise<GatewayTransaction> {
		const request = this.findRequest(orderIdOrUuid);
		if (request.status !== 'OPEN') {
			throw new GatewayError(
				GATEWAY_CODES.invalidParams,
				`The payment request is ${request.status.toLowerCase()}`,
			);
		}
		const responseCode = outcome.responseCode ?? (outcome.success === false ? 1000 : 0);
		const transaction = this.insertTransaction(request, responseCode, this.now());
		await this.announce(transaction, 1);
		return transaction;
	}

	/** Sends the stored callback `times` times with identical bytes. */
	async announce(transaction: GatewayTransaction, times: number): Promise<WebhookDelivery[]> {
		const url = this.settings.callbackUrl;
		if (!url || !transaction.callback) return [];
		const deliveries: WebhookDelivery[] = [];
		for (let round = 0; round < times; round++) {
			const { body, contentType } = transaction.callback;
			deliveries.push(
				...(await this.sender.deliver(transaction.transactionId, url, body, contentType)),
			);
		}
		return deliveries;
	}

	transaction(transactionId: string): GatewayTransaction {
		const transaction = this.store.gatewayTransactions.get(transactionId);
		if (!transaction) throw new GatewayError(GATEWAY_CODES.notFound, 'Transaction not found');
		return transaction;
	}

	transactions(): Iterable<GatewayTransaction> {
		return this.store.gatewayTransactions.values();
	}

	/** merchant_refund_id is the idempotency key: a repeat returns the first refund, never a second. */
	refund(input: RefundInput): GatewayRefund {
		const transaction = this.transaction(input.transactionId);
		const previous = this.refundsById.get(input.merchantRefundId);
		if (previous) {
			if (previous.transaction !== transaction) {
				throw new GatewayError(
					GATEWAY_CODES.invalidParams,
					'The merchant refund id has already been taken.',
				);
			}
			return previous.refund;
		}
		if (input.merchantOrderId !== undefined && input.merchantOrderId !== transaction.orderId) {
			throw new GatewayError(GATEWAY_CODES.notFound, 'Transaction not found');
		}
		if (transaction.responseCode !== 0) {
			throw new GatewayError(
				GATEWAY_CODES.invalidParams,
				'Only successful transactions can be refunded',
			);
		}
		const refunded = transaction.refunds.reduce(
			(sum, refund) => sum + amountUnits(refund.amount),
			ZERO,
		);
		if (refunded + input.amount > amountUnits(transaction.amount)) {
			throw new GatewayError(
				GATEWAY_CODES.invalidParams,
				'The refund amount exceeds the refundable amount.',
			);
		}
		const refundId = this.store.newRefundId();
		const refund: GatewayRefund = {
			refundId,
			refundReferenceNo: `RFN${String(refundId).padStart(9, '0')}`,
			merchantRefundId: input.merchantRefundId,
			merchantOrderId: transaction.orderId,
			amount: formatRupees(input.amount),
			description: input.description,
			status: 'PENDING',
			createdAt: this.now(),
		};
		transaction.refunds.push(refund);
		this.refundsById.set(input.merchantRefundId, { transaction, refund });
		return refund;
	}

	/** Successful INR payments spread over the last seven days, oldest first, no callbacks. */
	seed(count: number): GatewayTransaction[] {
		if (!Number.isInteger(count) || count < 0)
			throw new RangeError('count must be a non-negative integer');
		const batch = ++seedBatch;
		const end = this.now().getTime();
		const step = (7 * DAY_MS) / Math.max(count, 1);
		const seeded: GatewayTransaction[] = [];
		for (let index = 0; index < count; index++) {
			const at = new Date(Math.floor(end - 7 * DAY_MS + step * (index + 0.5)));
			const request = this.createRequest({
				...blankPayer(),
				orderId: `SEED-${batch}-${index + 1}`,
				mode: 'TEST',
				amount: `${(index % 97) + 1}.${String((index * 7) % 100).padStart(2, '0')}`,
				currency: 'INR',
				description: `Seeded payment ${index + 1}`,
				name: `Customer ${index + 1}`,
				email: `customer${index + 1}@example.com`,
				phone: `98${String(index).padStart(8, '0')}`,
				city: 'Bengaluru',
				country: 'IND',
				zipCode: '560001',
				returnUrl: 'https://merchant.example/return',
				returnUrlFailure: '',
				returnUrlCancel: '',
				paymentOptions: '',
				expiresAt: new Date(at.getTime() + 60 * MINUTE_MS),
			});
			request.createdAt = at;
			seeded.push(this.insertTransaction(request, 0, at));
		}
		return seeded;
	}

	close(): Promise<void> {
		return this.sender.close();
	}

	private insertTransaction(
		request: PaymentRequest,
		responseCode: number,
		at: Date,
	): GatewayTransaction {
		const { uuid, orderId, mode, amount, currency, description } = request;
		const transaction: GatewayTransaction = {
			...payerOf(request),
			transactionId: this.store.newGatewayTransactionId(),
			uuid,
			orderId,
			mode,
			amount,
			currency,
			description,
			// Assumed: the sandbox "customer" always pays by UPI.
			paymentMethod: 'UPI',
			paymentMode: 'UPI',
			paymentChannel: 'UPI',
			paymentDatetime: at,
			responseCode,
			responseMessage: RESPONSE_MESSAGES[responseCode] ?? RESPONSE_MESSAGES[9999],
			refunds: [],
		};
		transaction.callback = encodeCallback(
			callbackFields(transaction, this.salt),
			this.settings.callbackContentType,
		);
		request.status = 'COMPLETED';
		request.transactionId = transaction.transactionId;
		this.store.gatewayTransactions.set(transaction.transactionId, transaction);
		return transaction;
	}

	private refreshExpiry(request: PaymentRequest): void {
		if (request.status === 'OPEN' && this.now().getTime() > request.expiresAt.getTime())
			request.status = 'EXPIRED';
	}
}

export function blankPayer(): PayerDetails {
	return {
		name: '',
		email: '',
		phone: '',
		addressLine1: '',
		addressLine2: '',
		city: '',
		state: '',
		country: '',
		zipCode: '',
		udf1: '',
		udf2: '',
		udf3: '',
		udf4: '',
		udf5: '',
	};
}

function payerOf(request: PaymentRequest): PayerDetails {
	const payer = blankPayer();
	for (const key of Object.keys(payer) as Array<keyof PayerDetails>) payer[key] = request[key];
	return payer;
}
