import type { Clock } from '../common/clock';
import { stringifyJson } from '../common/json';
import { type WebhookDelivery, WebhookSender } from '../common/webhooks';
import { PaymentNotFoundError } from './errors';
import { toPaymentResult } from './serialize';
import { signPaytechWebhook } from './signing';
import { PaymentStore } from './store';
import { type PaymentState, type PaytechPayment, WEBHOOK_STATES } from './types';
import { PaymentWorkflow } from './workflow';

export interface PaytechSettings {
	/** Shop setting: withdrawals wait in AWAITING_APPROVAL until approved or rejected. */
	withdrawalApproval: boolean;
	/** Shop-level webhook URL; a payment's own webhookUrl wins. */
	webhookUrl?: string;
}

export interface PaytechEngineOptions {
	now: Clock;
	signingKey: string;
	settings: PaytechSettings;
	webhookAttempts: number;
	shopName: string;
}

/** State, workflow and webhook announcements of one emulated pay.tech shop, without HTTP. */
export class PaytechEngine {
	readonly store: PaymentStore;
	readonly workflow: PaymentWorkflow;
	readonly webhooks: WebhookDelivery[] = [];
	readonly settings: PaytechSettings;
	readonly now: Clock;
	readonly shopName: string;
	/** Set once the server listens; checkout redirect URLs are built from it. */
	baseUrl = '';
	private readonly sender: WebhookSender;

	constructor(options: PaytechEngineOptions) {
		this.now = options.now;
		this.settings = options.settings;
		this.shopName = options.shopName;
		this.store = new PaymentStore(options.now);
		this.workflow = new PaymentWorkflow({
			store: this.store,
			now: options.now,
			baseUrl: '',
			shopName: options.shopName,
			withdrawalApproval: () => this.settings.withdrawalApproval,
		});
		this.sender = new WebhookSender({
			signatureHeader: 'Signature',
			sign: (body) => signPaytechWebhook(body, options.signingKey),
			attempts: () => options.webhookAttempts,
			log: this.webhooks,
			userAgent: 'paytech-sandbox',
			now: options.now,
		});
	}

	setBaseUrl(url: string): void {
		this.baseUrl = url;
		this.workflow.setBaseUrl(url);
	}

	payment(id: string): PaytechPayment {
		const payment = this.store.get(id);
		if (!payment) throw new PaymentNotFoundError();
		return payment;
	}

	/** Runs a state change and, if it reached a webhook state, delivers before resolving. */
	async change(id: string, apply: (payment: PaytechPayment) => void): Promise<PaytechPayment> {
		const payment = this.payment(id);
		const before = payment.state;
		apply(payment);
		if (this.isAnnounced(payment, before)) await this.announce(payment);
		return payment;
	}

	/**
	 * Same, but the webhook goes out after the API answer, as a real gateway does. The delivery
	 * is tracked, so webhooksSettled() and close() still wait for it.
	 */
	announceInBackground(payment: PaytechPayment, before: PaymentState | undefined): void {
		if (this.isAnnounced(payment, before)) void this.announce(payment);
	}

	/** Delivers the current state `times` times with byte-identical bodies. */
	async announce(payment: PaytechPayment, times = 1): Promise<WebhookDelivery[]> {
		const url = payment.webhookUrl ?? this.settings.webhookUrl;
		if (!url) return [];
		const body = stringifyJson(toPaymentResult(payment));
		const deliveries: WebhookDelivery[] = [];
		for (let round = 0; round < times; round++) {
			this.store.log(payment, 'TRIGGER_WEBHOOK');
			deliveries.push(...(await this.sender.deliver(payment.id, url, body)));
		}
		return deliveries;
	}

	webhooksSettled(): Promise<void> {
		return this.sender.settled();
	}

	close(): Promise<void> {
		return this.sender.close();
	}

	private isAnnounced(payment: PaytechPayment, before: PaymentState | undefined): boolean {
		return payment.state !== before && WEBHOOK_STATES.includes(payment.state);
	}
}
