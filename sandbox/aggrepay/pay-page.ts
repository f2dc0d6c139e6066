import { htmlReply, type Router, type SandboxReply } from '../common/router';
import { callbackFields } from './callbacks';
import { GatewayError } from './errors';
import type { Gateway } from './gateway';
import type { PaymentRequest } from './types';
import { escapeHtml, htmlPage } from '../common/html';

/**
 * The hosted payment page behind a payment link: Pay / Fail buttons for a human. After the
 * click it offers the browser return leg, a form post of the hashed result to return_url.
 */
export function addPayPageRoutes(router: Router, gateway: Gateway, salt: string): void {
	const finish =
		(success: boolean) =>
		async (request: { params: Record<string, string> }): Promise<SandboxReply> => {
			try {
				const transaction = await gateway.complete(request.params.uuid, { success });
				const found = gateway.findRequest(request.params.uuid);
				const target = (!success && found.returnUrlFailure) || found.returnUrl;
				const inputs = Object.entries(callbackFields(transaction, salt))
					.map(
						([name, value]) =>
							`<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`,
					)
					.join('\n');
				return htmlReply(
					200,
					htmlPage(
						success ? 'Payment successful' : 'Payment failed',
						`<p>Transaction ${escapeHtml(transaction.transactionId)}: ${escapeHtml(transaction.responseMessage)}</p>
<form method="post" action="${escapeHtml(target)}">
${inputs}
<button type="submit">Return to merchant</button>
</form>`,
					),
				);
			} catch (error) {
				if (!(error instanceof GatewayError)) throw error;
				return htmlReply(
					409,
					htmlPage('Cannot finish payment', `<p>${escapeHtml(error.message)}</p>`),
				);
			}
		};

	router
		.add('GET', '/pay/:uuid', (request) => {
			try {
				return htmlReply(200, payHtml(gateway.findRequest(request.params.uuid)));
			} catch (error) {
				if (!(error instanceof GatewayError)) throw error;
				return htmlReply(404, htmlPage('Payment link not found', '<p>No such payment link.</p>'));
			}
		})
		.add('POST', '/pay/:uuid/pay', finish(true))
		.add('POST', '/pay/:uuid/fail', finish(false));
}

function payHtml(request: PaymentRequest): string {
	const uuid = encodeURIComponent(request.uuid);
	const actions =
		request.status === 'OPEN'
			? `<form method="post" action="/pay/${uuid}/pay"><button type="submit">Pay</button></form>
<form method="post" action="/pay/${uuid}/fail"><button type="submit">Fail</button></form>`
			: `<p>This payment link is ${escapeHtml(request.status.toLowerCase())}.</p>`;
	return htmlPage(
		'AggrePay sandbox payment',
		`<p>${escapeHtml(request.description)}</p>
<p><strong>${escapeHtml(request.amount)} ${escapeHtml(request.currency)}</strong></p>
<p>Order: ${escapeHtml(request.orderId)}</p>
${actions}`,
	);
}
