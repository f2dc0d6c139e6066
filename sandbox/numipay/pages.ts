import { escapeHtml, htmlPage } from '../common/html';
import { htmlReply, redirectReply, type Router, type SandboxReply } from '../common/router';
import { THREE_DS_FAILED_REASON } from './cards';
import type { NumipayEngine } from './engine';
import { NumipayApiError } from './errors';
import { formatAmount } from './money';
import type { NumipaySession, SessionKind } from './types';

/** Where each session kind's page lives: `/cashier/{token}`, `/provider/{token}`, `/3ds/{token}`. */
export const PAGE_PREFIXES: Record<SessionKind, string> = {
	cashier: '/cashier',
	withdrawal: '/cashier',
	direct: '/provider',
	'3ds': '/3ds',
};

const TITLES: Record<SessionKind, string> = {
	cashier: 'Numipay sandbox cashier',
	withdrawal: 'Numipay sandbox withdrawal cashier',
	direct: 'numipay_simulator (sandbox provider page)',
	'3ds': 'Numipay sandbox 3-D Secure',
};

/**
 * The customer's side: hosted cashier (deposit: Pay / Reject; withdrawal: Confirm / Cancel), the
 * direct-integration provider page and the 3-D Secure page, each with plain form buttons.
 */
export function addNumipayPages(router: Router, engine: NumipayEngine): void {
	const act =
		(prefix: string, action: 'complete' | 'reject') =>
		(request: { params: Record<string, string> }): SandboxReply => {
			const session = sessionAt(engine, prefix, request.params.token);
			if (!session) return notFound();
			try {
				if (action === 'complete') engine.completeSession(session.token);
				else
					engine.rejectSession(
						session.token,
						session.kind === '3ds' ? THREE_DS_FAILED_REASON : undefined,
					);
			} catch (error) {
				if (!(error instanceof NumipayApiError)) throw error;
				return htmlReply(409, htmlPage('Cannot continue', `<p>${escapeHtml(error.message)}</p>`));
			}
			return redirectReply(`${prefix}/${encodeURIComponent(session.token)}`);
		};

	for (const prefix of new Set(Object.values(PAGE_PREFIXES))) {
		router.add('GET', `${prefix}/:token`, (request) => {
			const session = sessionAt(engine, prefix, request.params.token);
			return session ? htmlReply(200, sessionHtml(engine, session)) : notFound();
		});
		const complete = act(prefix, 'complete');
		const reject = act(prefix, 'reject');
		// Deposit pages post pay / reject, the withdrawal cashier confirm / cancel.
		router
			.add('POST', `${prefix}/:token/pay`, complete)
			.add('POST', `${prefix}/:token/reject`, reject)
			.add('POST', `${prefix}/:token/confirm`, complete)
			.add('POST', `${prefix}/:token/cancel`, reject);
	}
}

function sessionAt(
	engine: NumipayEngine,
	prefix: string,
	token: string,
): NumipaySession | undefined {
	const session = engine.session(token);
	return session && PAGE_PREFIXES[session.kind] === prefix ? session : undefined;
}

function notFound(): SandboxReply {
	return htmlReply(
		404,
		htmlPage('Session not found', '<p>This payment session does not exist.</p>'),
	);
}

function button(prefix: string, token: string, action: string, label: string): string {
	return `<form method="post" action="${prefix}/${encodeURIComponent(token)}/${action}"><button type="submit">${label}</button></form>`;
}

function sessionHtml(engine: NumipayEngine, session: NumipaySession): string {
	const { request, token, kind } = session;
	const prefix = PAGE_PREFIXES[kind];
	const amount = `<p><strong>${escapeHtml(formatAmount(request.amount, request.currency))} ${escapeHtml(request.currency)}</strong></p>
<p>Reference: ${escapeHtml(request.trackingId)}${request.test ? ' (test mode)' : ''}</p>`;
	let state: string;
	if (!session.used) {
		state =
			kind === 'withdrawal'
				? `${button(prefix, token, 'confirm', 'Confirm')}\n${button(prefix, token, 'cancel', 'Cancel')}`
				: `${button(prefix, token, 'pay', 'Pay')}\n${button(prefix, token, 'reject', 'Reject')}`;
	} else if (session.cancelled) {
		state = '<p>This session has already been used: the withdrawal was cancelled.</p>';
	} else {
		const transaction = session.transactionId
			? engine.transactions.get(session.transactionId)
			: undefined;
		state = `<p>This session has already been used: transaction ${escapeHtml(session.transactionId ?? '-')} is ${escapeHtml(transaction?.status ?? 'unknown')}${transaction?.rejectedReason ? ` (${escapeHtml(transaction.rejectedReason)})` : ''}.</p>`;
	}
	return htmlPage(TITLES[kind], `${amount}\n${state}`);
}
