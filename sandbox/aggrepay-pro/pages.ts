import { escapeHtml, htmlPage } from '../common/html';
import {
	htmlReply,
	redirectReply,
	type Router,
	type SandboxReply,
	type SandboxRequest,
} from '../common/router';
import type { AggrepayProEngine } from './engine';
import { AggrepayProApiError, TransitionError } from './errors';
import { currencyDecimals, minorToMajor } from './money';
import type { AggrepayProPayment } from './types';

/** The customer's payment page: `${url}/pay/{id}` (a payment's `paymentUri`). */
export const PAY_PAGE_PREFIX = '/pay';

const TITLE = 'Aggrepay.pro sandbox payment';

/**
 * The customer's side of a payment, with plain form buttons: "Choose <method>" while created,
 * then the requisite and "I have paid" (-> in_check); "Cancel" (-> canceled) in both. In check,
 * "Confirm receipt (as Aggrepay.pro)" (-> finished) plays the gateway's side, which confirms a
 * P2P transfer once it has arrived, so a walk-through can finish a payment from the browser.
 * Each click redirects (303) back to the page, which then shows the new state.
 */
export function addAggrepayProPages(router: Router, engine: AggrepayProEngine): void {
	const act =
		(action: (payment: AggrepayProPayment, request: SandboxRequest) => void) =>
		(request: SandboxRequest): SandboxReply => {
			const payment = paymentAt(engine, request.params.id);
			if (!payment) return notFound();
			try {
				action(payment, request);
			} catch (error) {
				if (!(error instanceof AggrepayProApiError)) throw error;
				return htmlReply(
					error.status === 409 ? 409 : 400,
					htmlPage('Cannot continue', `<p>${escapeHtml(error.message)}</p>${backLink(payment)}`),
				);
			}
			return redirectReply(pageUrl(payment));
		};

	router
		.add('GET', `${PAY_PAGE_PREFIX}/:id`, (request) => {
			const payment = paymentAt(engine, request.params.id);
			return payment ? htmlReply(200, pageHtml(engine, payment)) : notFound();
		})
		.add(
			'POST',
			`${PAY_PAGE_PREFIX}/:id/choose/:method`,
			act((payment, request) => engine.choose(payment, request.params.method)),
		)
		.add(
			'POST',
			`${PAY_PAGE_PREFIX}/:id/paid`,
			act((payment) => engine.apply(payment, 'check')),
		)
		.add(
			'POST',
			`${PAY_PAGE_PREFIX}/:id/cancel`,
			act((payment) => engine.apply(payment, 'cancel')),
		)
		.add(
			'POST',
			`${PAY_PAGE_PREFIX}/:id/confirm`,
			act((payment) => {
				// the page offers it only in check; finish itself also takes pending and dispute
				if (payment.state !== 'in_check')
					throw new TransitionError(
						`${payment.id} is in state ${payment.state}; Confirm receipt needs in_check`,
					);
				engine.apply(payment, 'finish');
			}),
		);
}

function paymentAt(engine: AggrepayProEngine, id: string): AggrepayProPayment | undefined {
	const payment = engine.payments.get(id);
	return payment?.type === 'payment' ? payment : undefined;
}

function pageUrl(payment: AggrepayProPayment): string {
	return `${PAY_PAGE_PREFIX}/${encodeURIComponent(payment.id)}`;
}

function backLink(payment: AggrepayProPayment): string {
	return `<p><a href="${escapeHtml(pageUrl(payment))}">Back to the payment</a></p>`;
}

function notFound(): SandboxReply {
	return htmlReply(404, htmlPage('Payment not found', '<p>This payment does not exist.</p>'));
}

function button(payment: AggrepayProPayment, action: string, label: string): string {
	return `<form method="post" action="${escapeHtml(`${pageUrl(payment)}/${action}`)}"><button type="submit">${escapeHtml(label)}</button></form>`;
}

function pageHtml(engine: AggrepayProEngine, payment: AggrepayProPayment): string {
	const major = minorToMajor(payment.minorAmount, currencyDecimals(payment.currency) ?? 2);
	const amount = `${escapeHtml(major)} ${escapeHtml(payment.currency)}`;
	const header = `<p><strong>${amount}</strong></p>
<p>Order: ${escapeHtml(payment.orderId)}</p>
<p>State: <span id="state">${escapeHtml(payment.state)}</span></p>`;
	const cancel = button(payment, 'cancel', 'Cancel');
	let body: string;
	switch (payment.state) {
		case 'created': {
			const methods = engine.methodsFor(payment);
			body = methods.length
				? `<p>Choose a payment method:</p>\n${methods
						.map((method) =>
							button(payment, `choose/${encodeURIComponent(method.code)}`, `Choose ${method.name}`),
						)
						.join('\n')}\n${cancel}`
				: `<p>No payment method takes this amount.</p>\n${cancel}`;
			break;
		}
		case 'pending': {
			const requisite = payment.requisite;
			body = `<p>Pay exactly ${amount} to:</p>
<ul><li>Bank: <span id="bank">${escapeHtml(requisite?.bank ?? '-')}</span></li><li>Account: <span id="account">${escapeHtml(requisite?.account ?? '-')}</span></li><li>Holder: <span id="holder">${escapeHtml(requisite?.holder ?? '-')}</span></li></ul>
${button(payment, 'paid', 'I have paid')}
${cancel}`;
			break;
		}
		case 'in_check':
			// not the customer's button: Aggrepay.pro's side, as the control endpoint finish is
			body = `<p>Your payment is being checked.</p>
<p>Sandbox only: confirm the transfer as Aggrepay.pro would once it has arrived.</p>
${button(payment, 'confirm', 'Confirm receipt (as Aggrepay.pro)')}`;
			break;
		default:
			body = `<p>This payment is ${escapeHtml(payment.state)}.</p>`;
	}
	const back = payment.returnUri
		? `\n<p><a href="${escapeHtml(payment.returnUri)}">Back to the shop</a></p>`
		: '';
	return htmlPage(TITLE, `${header}\n${body}${back}`);
}
