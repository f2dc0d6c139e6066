import { htmlReply, redirectReply, type Router, type SandboxReply } from '../common/router';
import type { PaytechEngine } from './engine';
import { PaytechApiError } from './errors';
import type { PaytechPayment } from './types';
import { escapeHtml, htmlPage } from '../common/html';

/** A bare hosted checkout so a human can finish a CHECKOUT deposit in a browser. */
export function addCheckoutRoutes(router: Router, engine: PaytechEngine): void {
	const finish =
		(action: 'pay' | 'decline') =>
		async (request: { params: Record<string, string> }): Promise<SandboxReply> => {
			const payment = engine.store.get(request.params.id);
			if (!payment) return htmlReply(404, htmlPage('Payment not found', '<p>No such payment.</p>'));
			try {
				await engine.change(payment.id, (found) =>
					action === 'pay' ? engine.workflow.complete(found) : engine.workflow.decline(found),
				);
			} catch (error) {
				if (!(error instanceof PaytechApiError)) throw error;
				return htmlReply(
					409,
					htmlPage('Cannot finish payment', `<p>${escapeHtml(error.message)}</p>`),
				);
			}
			return redirectReply(
				payment.returnUrl ? expandReturnUrl(payment.returnUrl, payment) : `/checkout/${payment.id}`,
			);
		};

	router
		.add('GET', '/checkout/:id', (request) => {
			const payment = engine.store.get(request.params.id);
			if (!payment) return htmlReply(404, htmlPage('Payment not found', '<p>No such payment.</p>'));
			return htmlReply(200, checkoutHtml(payment));
		})
		.add('POST', '/checkout/:id/pay', finish('pay'))
		.add('POST', '/checkout/:id/decline', finish('decline'));
}

/** The spec's returnUrl example uses {id}, {referenceId}, {state} and {type} placeholders. */
function expandReturnUrl(template: string, payment: PaytechPayment): string {
	const values: Record<string, string> = {
		id: payment.id,
		referenceId: payment.referenceId ?? '',
		state: payment.state,
		type: payment.paymentType,
	};
	return template.replace(/\{(id|referenceId|state|type)\}/g, (_, key: string) =>
		encodeURIComponent(values[key]),
	);
}

function checkoutHtml(payment: PaytechPayment): string {
	const id = encodeURIComponent(payment.id);
	const open = payment.state === 'CHECKOUT' || payment.state === 'PENDING';
	const actions = open
		? `<form method="post" action="/checkout/${id}/pay"><button type="submit">Pay</button></form>
<form method="post" action="/checkout/${id}/decline"><button type="submit">Decline</button></form>`
		: `<p>This payment is ${escapeHtml(payment.state)}${payment.errorMessage ? ` (${escapeHtml(payment.errorMessage)})` : ''}.</p>`;
	return htmlPage(
		'pay.tech sandbox checkout',
		`<p>${escapeHtml(payment.description ?? 'Deposit')}</p>
<p><strong>${escapeHtml(payment.amount)} ${escapeHtml(payment.currency)}</strong></p>
<p>Reference: ${escapeHtml(payment.referenceId ?? '-')}</p>
${actions}`,
	);
}
