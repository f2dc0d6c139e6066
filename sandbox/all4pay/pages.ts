import { escapeHtml, htmlPage } from '../common/html';
import { htmlReply, redirectReply, type Router, type SandboxReply } from '../common/router';
import type { All4payEngine } from './engine';
import { All4payApiError } from './errors';
import { cents, formatReais } from './money';

export const PIX_PAGE_PREFIX = '/pix';

/** The payer's side of a deposit: `/pix/{id}` with a "Pay with PIX" button (→ confirmed). */
export function addAll4payPages(router: Router, engine: All4payEngine): void {
	router
		.add('GET', `${PIX_PAGE_PREFIX}/:id`, (request) => {
			const deposit = engine.deposits.get(request.params.id);
			if (!deposit) return notFound();
			const state =
				deposit.status === 'pending'
					? `<p><code>${escapeHtml(deposit.pixCode)}</code></p>\n<form method="post" action="${PIX_PAGE_PREFIX}/${encodeURIComponent(deposit.id)}/pay"><button type="submit">Pay with PIX</button></form>`
					: `<p>This deposit is ${escapeHtml(deposit.status)}.</p>`;
			return htmlReply(
				200,
				htmlPage(
					'All4Pay sandbox PIX',
					`<p><strong>${escapeHtml(formatReais(cents(deposit.amount)))}</strong></p>\n<p>Deposit ${escapeHtml(deposit.id)}</p>\n${state}`,
				),
			);
		})
		.add('POST', `${PIX_PAGE_PREFIX}/:id/pay`, (request) => {
			const deposit = engine.deposits.get(request.params.id);
			if (!deposit) return notFound();
			try {
				engine.pay(deposit.id);
			} catch (error) {
				if (!(error instanceof All4payApiError)) throw error;
				return htmlReply(409, htmlPage('Cannot pay', `<p>${escapeHtml(error.message)}</p>`));
			}
			return redirectReply(`${PIX_PAGE_PREFIX}/${encodeURIComponent(deposit.id)}`);
		});
}

function notFound(): SandboxReply {
	return htmlReply(404, htmlPage('Deposit not found', '<p>This PIX charge does not exist.</p>'));
}
