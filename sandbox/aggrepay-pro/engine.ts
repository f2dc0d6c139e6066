import { randomBytes, randomInt } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

import type { Clock } from '../common/clock';
import { ControlInputError } from '../common/control';
import { DecimalLiteral, type Serializable, stringifyJson } from '../common/json';
import { type WebhookDelivery, WebhookSender } from '../common/webhooks';
import { AggrepayProApiError, PAYMENT_NOT_FOUND, TransitionError } from './errors';
import { currencyDecimals, formatInUnit, majorToMinor } from './money';
import { SIGNATURE_HEADER, signAggrepayPro } from './signing';
import type {
	AggrepayProPayment,
	AggrepayProSettings,
	AmountUnit,
	PaymentMethod,
	PaymentState,
	PaymentType,
	Requisite,
} from './types';
import type { PaymentInput, PayoutInput } from './validation';
import { methodLimits } from './validation';

/** What the control API (and the customer's page) can do to a payment or payout. */
export type Transition = 'finish' | 'cancel' | 'expire' | 'fail' | 'dispute' | 'check';

/** Target state and the states each transition starts from, per type (the sandbox's model). */
export const TRANSITIONS: Readonly<
	Record<Transition, { to: PaymentState; from: Record<PaymentType, readonly PaymentState[]> }>
> = {
	finish: {
		to: 'finished',
		from: { payment: ['pending', 'in_check', 'dispute'], payout: ['in_check'] },
	},
	cancel: {
		to: 'canceled',
		from: { payment: ['created', 'pending', 'in_check', 'dispute'], payout: ['in_check'] },
	},
	expire: { to: 'expired', from: { payment: ['created', 'pending'], payout: [] } },
	fail: { to: 'failed', from: { payment: ['created', 'pending'], payout: ['in_check'] } },
	dispute: {
		to: 'dispute',
		from: { payment: ['pending', 'in_check', 'canceled', 'expired'], payout: [] },
	},
	check: { to: 'in_check', from: { payment: ['pending'], payout: [] } },
};

export const REQUISITE_HOLDER = 'SANDBOX HOLDER';
/** Bank named in a requisite when the method has no banks for the currency. */
export const FALLBACK_BANK = 'Sandbox Bank';

export interface Balance {
	/** Minor units. */
	available: bigint;
	reserved: bigint;
}

export interface AggrepayProEngineOptions {
	now: Clock;
	secretKey: string;
	merchantId: string;
	settings: AggrepayProSettings;
	methods: readonly PaymentMethod[];
	/** Major units per currency. */
	balances: Record<string, string>;
	/** The sandbox's base URL (known once the server listens). */
	baseUrl(): string;
}

function randomDigits(count: number): string {
	let digits = '';
	for (let index = 0; index < count; index++) digits += String(randomInt(10));
	return digits;
}

/** State, balances, anti-spam and callbacks of one emulated Aggrepay.pro merchant, without HTTP. */
export class AggrepayProEngine {
	readonly payments = new Map<string, AggrepayProPayment>();
	readonly callbacks: WebhookDelivery[] = [];
	/** Per currency, minor units. */
	readonly balances = new Map<string, Balance>();
	readonly settings: AggrepayProSettings;
	readonly methods: readonly PaymentMethod[];
	readonly merchantId: string;
	readonly now: Clock;
	/** userIds the anti-spam protection blocked (40301 from then on). */
	readonly blockedUsers = new Set<string>();
	private readonly orderIds = new Map<string, string>();
	private readonly inFlight = new Set<string>();
	private readonly recentRequests = new Map<string, number[]>();
	private readonly payoutTimers = new Map<string, AbortController>();
	private readonly sender: WebhookSender;
	private readonly pending = new Set<Promise<unknown>>();
	private readonly closing = new AbortController();
	private readonly baseUrl: () => string;

	constructor(options: AggrepayProEngineOptions) {
		this.now = options.now;
		this.settings = options.settings;
		this.methods = options.methods;
		this.merchantId = options.merchantId;
		this.baseUrl = options.baseUrl;
		for (const [currency, amount] of Object.entries(options.balances))
			this.setBalance(currency, amount);
		this.sender = new WebhookSender({
			signatureHeader: SIGNATURE_HEADER,
			sign: (body) => signAggrepayPro(body, options.secretKey),
			attempts: () => this.settings.callbackAttempts,
			log: this.callbacks,
			userAgent: 'aggrepay-pro-sandbox',
			now: options.now,
		});
	}

	/** By id, else by orderId (payments and payouts share one orderId space). */
	find(idOrOrderId: string): AggrepayProPayment | undefined {
		const id = this.payments.has(idOrOrderId) ? idOrOrderId : this.orderIds.get(idOrOrderId);
		return id === undefined ? undefined : this.payments.get(id);
	}

	/** The status lookup: by `id` and / or `orderId`, of one type only; 404 40401 otherwise. */
	lookup(
		type: PaymentType,
		id: string | undefined,
		orderId: string | undefined,
	): AggrepayProPayment {
		const byId = id === undefined ? undefined : this.payments.get(id);
		const orderOf = orderId === undefined ? undefined : this.orderIds.get(orderId);
		const byOrder = orderOf === undefined ? undefined : this.payments.get(orderOf);
		const payment = id === undefined ? byOrder : byId;
		if (
			!payment ||
			payment.type !== type ||
			(id !== undefined && orderId !== undefined && byOrder !== byId)
		)
			throw new AggrepayProApiError(40401, PAYMENT_NOT_FOUND);
		return payment;
	}

	get(id: string): AggrepayProPayment {
		const payment = this.find(id);
		if (!payment) throw new AggrepayProApiError(40401, PAYMENT_NOT_FOUND);
		return payment;
	}

	/** Counts a create-payment request of `userId`; 40301 for a blocked user, 40302 blocks one. */
	countForAntiSpam(userId: string | undefined): void {
		const rule = this.settings.antiSpam;
		if (userId === undefined || !rule) return;
		if (this.blockedUsers.has(userId)) throw new AggrepayProApiError(40301, 'User blocked');
		const at = this.now().getTime();
		const recent = (this.recentRequests.get(userId) ?? []).filter(
			(time) => time > at - rule.windowMs,
		);
		recent.push(at);
		this.recentRequests.set(userId, recent);
		if (recent.length > rule.maxRequests) {
			this.blockedUsers.add(userId);
			this.recentRequests.delete(userId);
			throw new AggrepayProApiError(
				40302,
				`Anti-spam protection triggered: more than ${rule.maxRequests} payment requests in ${rule.windowMs} ms; the user is blocked`,
			);
		}
	}

	resetAntiSpam(): void {
		this.blockedUsers.clear();
		this.recentRequests.clear();
	}

	/**
	 * Runs `create` for a new orderId: 409 40901 if it exists, 400 40008 while another create with
	 * it is in flight (for `processingDelayMs`). Nothing is stored when `create` throws.
	 */
	async withNewOrderId(
		orderId: string,
		create: () => AggrepayProPayment,
	): Promise<AggrepayProPayment> {
		const existing = this.orderIds.get(orderId);
		if (existing !== undefined)
			throw new AggrepayProApiError(
				40901,
				`Duplicate payment: orderId "${orderId}" already exists (${existing})`,
			);
		if (this.inFlight.has(orderId))
			throw new AggrepayProApiError(
				40008,
				`Request is being processed: a request with orderId "${orderId}" is in progress, retry later`,
			);
		this.inFlight.add(orderId);
		try {
			if (this.settings.processingDelayMs > 0)
				await sleep(this.settings.processingDelayMs, undefined, { signal: this.closing.signal });
			return create();
		} finally {
			this.inFlight.delete(orderId);
		}
	}

	createPayment(input: PaymentInput): AggrepayProPayment {
		const method = input.paymentMethod;
		const requisite = method ? this.requisite(method, input.currency) : null;
		const payment = this.insert('payment', input, {
			state: method ? 'pending' : 'created',
			paymentMethod: method?.code ?? null,
			requisite,
			returnUri: input.returnUri,
			userId: input.userId,
			customer: input.customer,
		});
		return payment;
	}

	/** Reserves the amount (40004 and nothing moves when available is short), state in_check. */
	createPayout(input: PayoutInput): AggrepayProPayment {
		const balance = this.balances.get(input.currency);
		if (!balance || balance.available < input.minorAmount)
			throw new AggrepayProApiError(
				40004,
				`Insufficient funds to process this payout: available ${this.formatMinor(balance?.available ?? BigInt(0), input.currency)} ${input.currency}`,
			);
		balance.available -= input.minorAmount;
		balance.reserved += input.minorAmount;
		const payout = this.insert('payout', input, {
			state: 'in_check',
			paymentMethod: input.paymentMethod.code,
			requisite: null,
			recipient: input.recipient,
		});
		this.schedulePayout(payout);
		return payout;
	}

	private insert(
		type: PaymentType,
		input: PaymentInput | PayoutInput,
		fields: Pick<AggrepayProPayment, 'state' | 'paymentMethod' | 'requisite'> &
			Partial<AggrepayProPayment>,
	): AggrepayProPayment {
		let id: string;
		do id = `${type === 'payment' ? 'pay' : 'po'}_${randomBytes(12).toString('hex')}`;
		while (this.payments.has(id));
		const at = this.now();
		const payment: AggrepayProPayment = {
			id,
			orderId: input.orderId,
			merchantId: this.merchantId,
			type,
			amount: input.amount,
			amountUnit: this.settings.amountUnit,
			minorAmount: input.minorAmount,
			currency: input.currency,
			callbackUri: input.callbackUri,
			createdAt: at,
			updatedAt: at,
			...fields,
		};
		this.payments.set(id, payment);
		this.orderIds.set(payment.orderId, id);
		return payment;
	}

	/** A requisite of the method's network; 40002 when settings.requisitesBusy. */
	private requisite(method: PaymentMethod, currency: string): Requisite {
		if (this.settings.requisitesBusy)
			throw new AggrepayProApiError(40002, 'All requisites are busy: invoice creation failed');
		const bank = method.banks?.[currency]?.[0]?.name ?? FALLBACK_BANK;
		const account = /sbp/i.test(method.code)
			? `+79${randomDigits(9)}`
			: `${currency === 'RUB' ? '2200' : '4000'}${randomDigits(12)}`;
		return { bank, account, holder: REQUISITE_HOLDER };
	}

	/** The customer picks a method for a `created` payment: pending with a requisite. */
	choose(payment: AggrepayProPayment, code: string): AggrepayProPayment {
		if (payment.type !== 'payment' || payment.state !== 'created')
			throw new TransitionError(
				`${payment.id} is a ${payment.type} in state ${payment.state}; a method can be chosen for a created payment only`,
			);
		const method = this.methodsFor(payment).find((candidate) => candidate.code === code);
		if (!method)
			throw new AggrepayProApiError(
				40003,
				`Invalid payment method: "${code}" is not offered for this payment`,
			);
		payment.requisite = this.requisite(method, payment.currency);
		payment.paymentMethod = method.code;
		return this.changeState(payment, 'pending');
	}

	/** Payment methods the customer may choose for a created payment (currency and limits). */
	methodsFor(payment: AggrepayProPayment): PaymentMethod[] {
		return this.methods.filter((method) => {
			if (method.type !== 'payment' || !method.currencies.includes(payment.currency)) return false;
			const { min, max } = methodLimits(method, payment.currency);
			return (
				(min === undefined || payment.minorAmount >= min) &&
				(max === undefined || payment.minorAmount <= max)
			);
		});
	}

	apply(payment: AggrepayProPayment, transition: Transition): AggrepayProPayment {
		const { to, from } = TRANSITIONS[transition];
		const allowed = from[payment.type];
		if (!allowed.includes(payment.state))
			throw new TransitionError(
				`${payment.id} is a ${payment.type} in state ${payment.state}; ${transition} needs ${
					allowed.length ? allowed.join(', ') : 'a payment (not a payout)'
				}`,
			);
		if (payment.type === 'payout') this.settlePayout(payment, to);
		else if (to === 'finished') this.credit(payment.currency, payment.minorAmount);
		return this.changeState(payment, to);
	}

	private changeState(payment: AggrepayProPayment, state: PaymentState): AggrepayProPayment {
		payment.state = state;
		payment.updatedAt = this.now();
		this.announceInBackground(payment);
		return payment;
	}

	private settlePayout(payout: AggrepayProPayment, to: PaymentState): void {
		this.payoutTimers.get(payout.id)?.abort();
		this.payoutTimers.delete(payout.id);
		const balance = this.balanceOf(payout.currency);
		balance.reserved -= payout.minorAmount;
		if (to !== 'finished') balance.available += payout.minorAmount;
	}

	private schedulePayout(payout: AggrepayProPayment): void {
		const delay = this.settings.payoutDelayMs;
		if (delay === null) return;
		const timer = new AbortController();
		this.payoutTimers.set(payout.id, timer);
		const closing = this.closing.signal;
		const stop = () => timer.abort();
		closing.addEventListener('abort', stop, { once: true });
		this.track(
			sleep(delay, undefined, { signal: timer.signal })
				.then(
					() => {
						if (payout.state === 'in_check') this.apply(payout, 'finish');
					},
					() => undefined,
				)
				.finally(() => closing.removeEventListener('abort', stop)),
		);
	}

	private credit(currency: string, minor: bigint): void {
		this.balanceOf(currency).available += minor;
	}

	private balanceOf(currency: string): Balance {
		let balance = this.balances.get(currency);
		if (!balance) {
			balance = { available: BigInt(0), reserved: BigInt(0) };
			this.balances.set(currency, balance);
		}
		return balance;
	}

	/** Sets the available balance (major units text); throws ControlInputError when malformed. */
	setBalance(currency: string, amount: string): void {
		this.setAvailable(currency, this.readBalance(currency, amount).minor);
	}

	/** A balance in major units text as minor units; throws ControlInputError when malformed. */
	readBalance(currency: string, amount: string): { currency: string; minor: bigint } {
		const decimals = currencyDecimals(currency);
		if (decimals === undefined) throw new ControlInputError(`Unknown currency ${currency}`);
		const minor = majorToMinor(amount, decimals);
		if (minor === undefined)
			throw new ControlInputError(
				`The ${currency} balance must be decimal text in major units with at most ${decimals} decimals, e.g. "1000.00"`,
			);
		return { currency, minor };
	}

	setAvailable(currency: string, minor: bigint): void {
		this.balanceOf(currency).available = minor;
	}

	formatMinor(
		minor: bigint,
		currency: string,
		unit: AmountUnit = this.settings.amountUnit,
	): string {
		return formatInUnit(minor, currencyDecimals(currency) ?? 2, unit);
	}

	/** Balances as the API answers them, in the current amount unit. */
	balanceView(): Serializable[] {
		return [...this.balances.entries()].map(([currency, balance]) => ({
			currency,
			available: new DecimalLiteral(this.formatMinor(balance.available, currency)),
			reserved: new DecimalLiteral(this.formatMinor(balance.reserved, currency)),
		}));
	}

	/** The amount in the current unit: the merchant's own digits when the unit has not changed. */
	amountText(payment: AggrepayProPayment): string {
		return payment.amountUnit === this.settings.amountUnit
			? payment.amount
			: this.formatMinor(payment.minorAmount, payment.currency);
	}

	paymentUri(payment: AggrepayProPayment): string | null {
		return payment.type === 'payment'
			? `${this.baseUrl()}/pay/${encodeURIComponent(payment.id)}`
			: null;
	}

	/** `data` of the status lookup, the create answers and the callbacks, in this key order. */
	view(payment: AggrepayProPayment): Serializable {
		return {
			id: payment.id,
			orderId: payment.orderId,
			merchantId: payment.merchantId,
			type: payment.type,
			state: payment.state,
			amount: new DecimalLiteral(this.amountText(payment)),
			currency: payment.currency,
			paymentMethod: payment.paymentMethod,
			paymentUri: this.paymentUri(payment),
			requisite: payment.requisite ? { ...payment.requisite } : null,
			createdAt: payment.createdAt.toISOString(),
			updatedAt: payment.updatedAt.toISOString(),
		};
	}

	/** The callback body: the status answer, compact JSON. */
	callbackBody(payment: AggrepayProPayment): string {
		return stringifyJson({ status: true, data: this.view(payment) });
	}

	/** Delivers the current state `times` times, identical bytes; none without a callbackUri. */
	async announce(payment: AggrepayProPayment, times = 1): Promise<WebhookDelivery[]> {
		const url = payment.callbackUri;
		if (!url) return [];
		const body = this.callbackBody(payment);
		const deliveries: WebhookDelivery[] = [];
		for (let round = 0; round < times; round++)
			deliveries.push(...(await this.sender.deliver(payment.id, url, body)));
		return deliveries;
	}

	announceInBackground(payment: AggrepayProPayment): void {
		this.track(this.announce(payment));
	}

	private track(work: Promise<unknown>): void {
		this.pending.add(work);
		void work.finally(() => this.pending.delete(work));
	}

	/** Resolves once payouts due and callbacks started so far (retries included) are done. */
	async settled(): Promise<void> {
		while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
		await this.sender.settled();
	}

	async close(): Promise<void> {
		this.closing.abort();
		await this.sender.close();
		await this.settled();
	}
}
