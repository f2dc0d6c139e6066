/** Payment-level error codes published in the pay.tech API reference (seed 004, "Error codes"). */
const ERROR_MESSAGES: Record<string, string> = {
	'1.00': 'Illegal Workflow State',
	'1.01': 'Not Found',
	'1.02': 'Communication Problem',
	'1.03': 'Internal Server Error',
	'1.04': 'Cancelled by Timeout',
	'1.05': 'Terminal not Found',
	'1.06': 'Recurring Token not Found',
	'1.07': 'Payer Unaccepted',
	'1.08': 'Invalid Amount',
	'1.09': 'Invalid Currency',
	'1.10': 'Insufficient Balance',
	'2.00': 'Cancelled by Customer',
	'3.00': 'Declined by Acquirer',
	'3.01': 'Declined by Acquirer: Anti-fraud',
	'3.02': 'Declined by Acquirer: Request Validation',
	'3.03': 'Acquirer Malfunction',
	'3.04': 'Acquirer Timeout',
	'3.05': 'Acquirer Limits Reached',
	'3.06': 'Declined by Acquirer: Card Scheme',
	'3.07': 'Declined by Acquirer: Card Data',
	'3.08': 'Declined by Acquirer: Business Rules',
	'3.09': 'Not Fully 3DS',
	'3.10': 'Unknown Error Code',
	'3.11': 'Payer cannot pay',
	'3.16': 'Duplicate Payment',
	'4.00': 'Declined by Issuer',
	'4.01': 'Insufficient Funds',
	'4.02': 'Do Not Honor',
	'4.03': 'Invalid Account Number',
	'4.04': 'Declined by Issuer: Expired Card',
	'4.05': 'Issuer Limits Reached',
	'4.06': 'Card Lost or Stolen',
	'4.07': 'Invalid Security Code',
	'4.08': 'Declined by Issuer: Business Rules',
	'5.00': 'Declined by 3DS',
	'5.01': '3DS Timeout',
	'6.00': 'Declined by Internal Anti-fraud',
	'6.01': 'Card PAN Blacklisted',
	'6.02': 'Customer Email Blacklisted',
	'7.00': 'Declined by External Anti-fraud',
	'7.01': 'External Anti-fraud Communication Problem',
	// Not in the published table; the 1.0.341 reject endpoint documents the behaviour only.
	'8.00': 'Rejected by merchant',
};

export function errorMessageFor(code: string): string {
	return ERROR_MESSAGES[code] ?? ERROR_MESSAGES['3.10'];
}

export function isKnownErrorCode(code: string): boolean {
	return code in ERROR_MESSAGES;
}
