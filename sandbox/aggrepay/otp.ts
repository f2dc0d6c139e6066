import { randomInt } from 'node:crypto';

/**
 * One-time passwords: only the latest per purpose is valid and each is good for one use. The
 * last code sent to each recipient is kept apart for tests, since real ones go by SMS/e-mail.
 */
export class OtpBook {
	private readonly valid = new Map<string, string>();
	private readonly sent = new Map<string, string>();

	issue(purpose: string, recipients: Array<string | undefined>): string {
		const otp = String(randomInt(0, 1_000_000)).padStart(6, '0');
		this.valid.set(purpose, otp);
		for (const recipient of recipients) if (recipient) this.sent.set(recipient.toLowerCase(), otp);
		return otp;
	}

	/** True (and the code spent) when `otp` is the latest for `purpose`. */
	consume(purpose: string, otp: string): boolean {
		if (this.valid.get(purpose) !== otp) return false;
		this.valid.delete(purpose);
		return true;
	}

	/** Purposes with this prefix whose latest code is `otp`. */
	purposesWith(prefix: string, otp: string): string[] {
		return [...this.valid]
			.filter(([purpose, code]) => purpose.startsWith(prefix) && code === otp)
			.map(([purpose]) => purpose);
	}

	lastSent(to: string): string | undefined {
		return this.sent.get(to.toLowerCase());
	}
}
