import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { JsonNumber } from '../../../common/json';
import { compareDecimal, currencyInfo, parseAmount } from '../../../common/money';
import { deriveReference, type DerivedReference } from '../../../common/reference';
import { sendOnce } from '../../../common/reconcile';
import { jsonObjectParameter } from '../../../common/parameters';
import { formatUtcSeconds, toInstant } from '../../../common/time';
import { PAYTECH_EARLIEST, paytechRequest, resultList, resultObject } from '../../transport';
import { PAYMENT_ID_PATTERN, PAYTECH_AMOUNT } from './fields';

export type PaymentType = 'DEPOSIT' | 'WITHDRAWAL' | 'REFUND';

/**
 * Creates a DEPOSIT, WITHDRAWAL or REFUND for item i, never twice for one reference: see sendOnce.
 * With Return Existing on, a payment that already has the reference is returned instead.
 */
export async function createPayment(
	this: IExecuteFunctions,
	i: number,
	paymentType: PaymentType,
): Promise<IDataObject> {
	const { body, derived } = buildPaymentRequest.call(this, i, paymentType);
	const referenceId = body.referenceId as string;
	const withDerived = (payment: IDataObject) =>
		derived ? { ...payment, derivedReference: { ...derived } } : payment;
	// Reconciliation looks only at payments since shortly before this attempt: an older payment
	// that reuses the reference is not the one this attempt created.
	const since = formatUtcSeconds(new Date(Date.now() - 60 * 60 * 1000));

	if (this.getNodeParameter('reuseExisting', i, false) as boolean) {
		const existing = await findByReference.call(this, referenceId, PAYTECH_EARLIEST, i);
		if (existing) return withDerived(checkSamePayment.call(this, existing, body, i));
	}
	const payment = await sendOnce(this, {
		send: async () =>
			resultObject(
				await paytechRequest.call(this, 'POST', '/payments', {
					body,
					idempotent: false,
					itemIndex: i,
				}),
			),
		lookup: async () => {
			const existing = await findByReference.call(this, referenceId, since, i);
			return existing && checkSamePayment.call(this, existing, body, i);
		},
		provider: 'pay.tech',
		what: paymentType.toLowerCase(),
		reference: referenceId,
		referenceField: 'Reference ID',
		itemIndex: i,
	});
	return withDerived(payment);
}

function buildPaymentRequest(
	this: IExecuteFunctions,
	i: number,
	paymentType: PaymentType,
): { body: IDataObject; derived?: DerivedReference } {
	const node = this.getNode();
	const fail = (message: string) => new NodeOperationError(node, message, { itemIndex: i });
	let currency;
	let amount;
	try {
		currency = currencyInfo(this.getNodeParameter('currency', i), 'Currency');
		const preAuth =
			paymentType === 'DEPOSIT' &&
			Boolean((this.getNodeParameter('recurring', i, {}) as IDataObject).preAuth);
		amount = parseAmount(this.getNodeParameter('amount', i), currency, 'Amount', {
			...PAYTECH_AMOUNT,
			allowZero: preAuth,
		});
	} catch (error) {
		throw fail((error as Error).message);
	}
	const given = String(this.getNodeParameter('referenceId', i, '') ?? '').trim();
	const derived = given ? undefined : deriveReference(this, i);
	const referenceId = given || derived!.reference;
	if (referenceId.length > 256)
		throw fail(`Reference ID must be at most 256 characters; it has ${referenceId.length}`);

	const body: IDataObject = {
		paymentType,
		referenceId,
		amount: new JsonNumber(amount) as unknown as IDataObject,
		currency: currency.code,
	};
	const extra = this.getNodeParameter('additionalFields', i, {}) as IDataObject;
	for (const key of ['description', 'paymentMethod', 'returnUrl', 'webhookUrl']) {
		const value = typeof extra[key] === 'string' ? (extra[key] as string).trim() : '';
		if (value) body[key] = value;
	}
	if (typeof body.description === 'string' && body.description.length > 512)
		throw fail('Description must be at most 512 characters');
	for (const key of ['returnUrl', 'webhookUrl']) {
		const url = body[key];
		if (typeof url === 'string' && (!/^https?:\/\/\S+$/i.test(url) || url.length > 512)) {
			throw fail(
				`${key === 'returnUrl' ? 'Return URL' : 'Webhook URL'} must be an http(s) URL of at most 512 characters; got "${url}"`,
			);
		}
	}
	if (extra.additionalParameters !== undefined && extra.additionalParameters !== '{}') {
		body.additionalParameters = jsonObjectParameter(
			extra.additionalParameters,
			'Additional Parameters',
			fail,
		);
	}

	if (paymentType === 'REFUND') {
		const parent = String(this.getNodeParameter('parentPaymentId', i)).trim();
		if (!PAYMENT_ID_PATTERN.test(parent))
			throw fail(
				`Deposit Payment ID must be the 32-letter-or-digit pay.tech payment ID; got "${parent}"`,
			);
		body.parentPaymentId = parent;
		return { body, derived };
	}

	for (const group of ['customer', 'billingAddress', 'card']) {
		const values = compact(this.getNodeParameter(group, i, {}) as IDataObject);
		if (Object.keys(values).length) body[group] = values;
	}
	if (typeof (body.card as IDataObject | undefined)?.cardNumber === 'string') {
		(body.card as IDataObject).cardNumber = (
			(body.card as IDataObject).cardNumber as string
		).replace(/\D/g, '');
	}

	if (paymentType === 'DEPOSIT') {
		const recurring = this.getNodeParameter('recurring', i, {}) as IDataObject;
		for (const key of ['preAuth', 'startRecurring']) if (recurring[key] === true) body[key] = true;
		for (const key of ['recurringToken', 'parentPaymentId']) {
			if (typeof recurring[key] === 'string' && recurring[key])
				body[key] = (recurring[key] as string).trim();
		}
		const schedule = ((recurring.subscription as IDataObject | undefined)?.schedule ??
			undefined) as IDataObject | undefined;
		if (schedule) {
			if (!body.startRecurring) throw fail('Subscription needs Start Recurring to be on');
			const subscription: IDataObject = {
				frequency: schedule.frequency ?? 1,
				frequencyUnit: schedule.frequencyUnit ?? 'MONTH',
			};
			if (typeof schedule.description === 'string' && schedule.description)
				subscription.description = schedule.description;
			if (schedule.numberOfCycles) subscription.numberOfCycles = schedule.numberOfCycles;
			if (schedule.startTime) {
				try {
					subscription.startTime = formatUtcSeconds(
						toInstant(schedule.startTime, this.getTimezone(), 'Subscription Start Time'),
					);
				} catch (error) {
					throw fail((error as Error).message);
				}
			}
			if (schedule.amount !== undefined && schedule.amount !== '') {
				try {
					subscription.amount = new JsonNumber(
						parseAmount(schedule.amount, currency, 'Subscription Amount', PAYTECH_AMOUNT),
					) as unknown as IDataObject;
				} catch (error) {
					throw fail((error as Error).message);
				}
			}
			body.subscription = subscription;
		}
	}
	return { body, derived };
}

async function findByReference(
	this: IExecuteFunctions,
	referenceId: string,
	createdSince: string,
	i: number,
): Promise<IDataObject | undefined> {
	const envelope = await paytechRequest.call(this, 'GET', '/payments', {
		qs: { 'referenceId.eq': referenceId, 'created.gte': createdSince, limit: 1 },
		itemIndex: i,
	});
	return resultList(envelope)[0];
}

/** A payment found by reference must be the one asked for; anything else is a reference clash. */
function checkSamePayment(
	this: IExecuteFunctions,
	existing: IDataObject,
	wanted: IDataObject,
	i: number,
): IDataObject {
	// the transport hands amounts over as the exact decimal text pay.tech sent
	const amount = String(existing.amount);
	const same =
		existing.paymentType === wanted.paymentType &&
		String(existing.currency).toUpperCase() === wanted.currency &&
		compareDecimal(amount, (wanted.amount as unknown as JsonNumber).text) === 0;
	if (!same) {
		throw new NodeOperationError(
			this.getNode(),
			`Reference ID "${String(wanted.referenceId)}" already belongs to pay.tech payment ${String(existing.id)} (${String(existing.paymentType)} ${amount} ${String(existing.currency)}), not to this ${String(wanted.paymentType)} of ${(wanted.amount as unknown as JsonNumber).text} ${String(wanted.currency)}`,
			{
				itemIndex: i,
				description:
					'Use a different Reference ID for a different payment, or leave it empty to derive one.',
			},
		);
	}
	return existing;
}

function compact(values: IDataObject): IDataObject {
	const out: IDataObject = {};
	for (const [key, value] of Object.entries(values)) {
		if (value === '' || value === undefined || value === null) continue;
		out[key] = typeof value === 'string' ? value.trim() : value;
	}
	return out;
}
