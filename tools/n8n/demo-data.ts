/**
 * Sandbox data that makes the example workflows show something: withdrawals waiting for approval
 * (some within the payout rules, some not) and deposits of the last days that partly match the
 * reconciliation example's ledger.
 */
import type { AggrepaySandbox } from '../../sandbox/aggrepay';
import type { All4payBalance, All4paySandbox } from '../../sandbox/all4pay';
import type { PaytechSandbox } from '../../sandbox/paytech';

export const APPROVAL_QUEUE = [
	{
		referenceId: 'WD-2001',
		customer: 'cust-alice',
		amount: '120.00',
		currency: 'EUR',
		expected: 'approve',
	},
	{
		referenceId: 'WD-2002',
		customer: 'cust-alice',
		amount: '750.00',
		currency: 'EUR',
		expected: 'reject',
	},
	{
		referenceId: 'WD-2003',
		customer: 'cust-mallory',
		amount: '80.00',
		currency: 'EUR',
		expected: 'reject',
	},
	{
		referenceId: 'WD-2004',
		customer: 'cust-bob',
		amount: '499.99',
		currency: 'EUR',
		expected: 'approve',
	},
	{
		referenceId: 'WD-2005',
		customer: 'cust-bob',
		amount: '60.00',
		currency: 'USD',
		expected: 'reject',
	},
] as const;

/** What pay.tech holds for the ledger in examples/reconciliation-report.json. */
export const SETTLED_DEPOSITS = [
	{ referenceId: 'INV-1001', amount: '120.00' }, // matches the ledger
	{ referenceId: 'INV-1002', amount: '75.50' }, // matches
	{ referenceId: 'INV-1003', amount: '299.00' }, // the ledger says 300.00
	{ referenceId: 'INV-1005', amount: '55.00' }, // not in the ledger
] as const;

export async function seedDemoData(sandbox: PaytechSandbox): Promise<void> {
	const day = 24 * 3600_000;
	for (const deposit of SETTLED_DEPOSITS) {
		sandbox.seedPayments(1, {
			...deposit,
			currency: 'EUR',
			paymentType: 'DEPOSIT',
			state: 'COMPLETED',
			createdFrom: new Date(Date.now() - 10 * day),
			createdTo: new Date(Date.now() - day),
		});
	}
	// Created through the API, like a shop would, with approval turned on in the shop settings
	const approval = sandbox.settings.withdrawalApproval;
	sandbox.settings.withdrawalApproval = true;
	try {
		for (const w of APPROVAL_QUEUE) {
			const response = await fetch(`${sandbox.url}/api/v1/payments`, {
				method: 'POST',
				headers: { authorization: `Bearer ${sandbox.apiKey}`, 'content-type': 'application/json' },
				body: `{"paymentType":"WITHDRAWAL","referenceId":"${w.referenceId}","amount":${w.amount},"currency":"${w.currency}","customer":{"referenceId":"${w.customer}"}}`,
			});
			if (!response.ok)
				throw new Error(`seeding ${w.referenceId}: ${response.status} ${await response.text()}`);
		}
	} finally {
		sandbox.settings.withdrawalApproval = approval;
	}
}

/**
 * An AggrePay wallet customer who tops up with payment links (udf1 carries the customer ID). The
 * ID is fixed, so it stays the same on every start and the "Try it" workflows can carry it.
 */
export const WALLET_CUSTOMER = {
	customerId: '270878540',
	email: 'asha@example.com',
	mobileNumber: '9876543210',
	firstName: 'Asha',
	lastName: 'Rao',
	mpin: '2580',
	balance: '0',
};

/**
 * The customer's side of a payment link for the demo customer: what
 * examples/try-aggrepay-payment-link.json and the README's table fill in, and what the tests send.
 */
export const DEMO_PAYMENT_LINK = {
	description: 'Wallet top-up',
	name: `${WALLET_CUSTOMER.firstName} ${WALLET_CUSTOMER.lastName}`,
	email: WALLET_CUSTOMER.email,
	phone: WALLET_CUSTOMER.mobileNumber,
	city: 'Bengaluru',
	country: 'IND',
	zip_code: '560001',
	return_url: 'https://shop.example/return',
};

export function seedAggrepayDemo(sandbox: AggrepaySandbox): string {
	return sandbox.seedCustomer(WALLET_CUSTOMER);
}

/**
 * The All4Pay demo customer: what examples/try-all4pay-deposit.json and the README's table fill
 * in. All4Pay keeps no customers (each deposit carries them), so nothing is seeded for it; the
 * CPF is a valid one (check digits right). All4Pay refuses a second request with the same user_id
 * and amount for a few minutes, so the "Try it" workflow adds the run to the user ID
 * (`customer-1001-<execution ID>`), and the alert example credits the customer by CPF.
 */
export const ALL4PAY_CUSTOMER = {
	userId: 'customer-1001',
	cpf: '123.456.789-09',
	name: 'Maria Silva',
	email: 'maria.silva@example.com',
};

/** The merchant's available BRL on every start: what withdrawals draw on. */
export const ALL4PAY_BALANCE = '10000.00';

export function seedAll4payDemo(sandbox: All4paySandbox): All4payBalance {
	return sandbox.setBalance(ALL4PAY_BALANCE);
}

/** The owner account `npm start` and the screenshot tool create. */
export const DEMO_OWNER = {
	email: 'owner@example.com',
	password: 'PayOps-demo-1',
	firstName: 'Pay',
	lastName: 'Ops',
};
