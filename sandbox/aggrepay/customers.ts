import { ZERO } from '../common/decimal';
import { FieldError, invalidCustomerId, invalidMpin, invalidOtp, WalletError } from './errors';
import { sameMobile } from './form';
import { OtpBook } from './otp';
import type { AggrepayStore } from './store';
import type { Customer } from './types';

const REGISTRATION = 'registration:';
const CUSTOMER = 'customer:';

export interface NewCustomer {
	/** A fixed ID (seeding stable demo data); a new random one without it. */
	customerId?: string;
	email: string;
	mobileNumber?: string;
	firstName: string;
	lastName: string;
	dateOfBirth?: string;
	mpin: string;
	balance?: bigint;
}

export type CustomerUpdate = Partial<
	Pick<
		Customer,
		| 'firstName'
		| 'lastName'
		| 'email'
		| 'dateOfBirth'
		| 'addressLine1'
		| 'addressLine2'
		| 'city'
		| 'pincode'
		| 'description'
	>
>;

/** Customer registry: lookups, OTP registration, MPIN and profile changes. */
export class CustomerBook {
	readonly otps = new OtpBook();
	/** Registrations waiting for their OTP, by lower-case e-mail. */
	private readonly pending = new Map<string, { email: string; mobileNumber?: string }>();

	constructor(private readonly store: AggrepayStore) {}

	byEmail(email: string): Customer | undefined {
		const wanted = email.toLowerCase();
		return [...this.store.customers.values()].find(
			(customer) => customer.email.toLowerCase() === wanted,
		);
	}

	byMobile(mobile: string): Customer | undefined {
		return [...this.store.customers.values()].find((customer) =>
			sameMobile(customer.mobileNumber, mobile),
		);
	}

	/**
	 * The seed marks customer_id mandatory but also says "mobile_number or customer_id is
	 * mandatory": either identifies the customer; when both are given they must agree.
	 */
	resolve(
		customerId: string | undefined,
		mobile: string | undefined,
		idLabel = 'customer id',
	): Customer {
		if (customerId !== undefined) {
			const customer = this.store.customers.get(customerId);
			if (!customer) throw new WalletError('INVALID-PARAMS', `The selected ${idLabel} is invalid.`);
			if (mobile !== undefined && !sameMobile(customer.mobileNumber, mobile)) {
				throw new WalletError('INVALID-PARAMS', 'The selected mobile number is invalid.');
			}
			return customer;
		}
		if (mobile === undefined) {
			throw new FieldError(`The mobile number field is required when ${idLabel} is not present.`);
		}
		const customer = this.byMobile(mobile);
		if (!customer)
			throw new WalletError('INVALID-PARAMS', 'The selected mobile number is invalid.');
		return customer;
	}

	get(customerId: string): Customer {
		const customer = this.store.customers.get(customerId);
		if (!customer) throw invalidCustomerId();
		return customer;
	}

	exists(email: string, mobile: string | undefined): boolean {
		return (
			this.byEmail(email) !== undefined ||
			(mobile !== undefined && this.byMobile(mobile) !== undefined)
		);
	}

	/** Sends a registration OTP unless the customer exists already. */
	registrationOtp(
		email: string,
		mobileNumber: string | undefined,
	): { exists: boolean; sent: boolean } {
		if (this.exists(email, mobileNumber)) return { exists: true, sent: false };
		this.pending.set(email.toLowerCase(), { email, mobileNumber });
		this.otps.issue(REGISTRATION + email.toLowerCase(), [email, mobileNumber]);
		return { exists: false, sent: true };
	}

	/**
	 * registercustomer carries no e-mail in the seed, so the pending registration is found by
	 * e-mail (accepted as an extra), else by mobile number, else by the OTP itself.
	 */
	register(
		input: Omit<NewCustomer, 'email' | 'balance'> & { otp: string; email?: string },
	): Customer {
		const key = this.pendingKey(input.email, input.mobileNumber, input.otp);
		if (key === undefined) throw invalidOtp();
		const pending = this.pending.get(key);
		if (!pending) throw invalidOtp();
		const mobileNumber = input.mobileNumber ?? pending.mobileNumber;
		if (this.exists(pending.email, mobileNumber))
			throw new WalletError('INVALID-INPUT-DATA', 'Invalid input Data');
		if (!this.otps.consume(REGISTRATION + key, input.otp)) throw invalidOtp();
		this.pending.delete(key);
		return this.add({ ...input, email: pending.email, mobileNumber });
	}

	/** A registered, active customer without the OTP flow (seeding). */
	add(input: NewCustomer): Customer {
		if (this.exists(input.email, input.mobileNumber))
			throw new WalletError('INVALID-INPUT-DATA', 'Invalid input Data');
		if (input.customerId !== undefined && this.store.customers.has(input.customerId))
			throw new WalletError('INVALID-INPUT-DATA', 'Invalid input Data');
		const customer: Customer = {
			customerId: input.customerId ?? this.store.newCustomerId(),
			email: input.email,
			mobileNumber: input.mobileNumber,
			firstName: input.firstName,
			lastName: input.lastName,
			dateOfBirth: input.dateOfBirth,
			mpin: input.mpin,
			active: true,
			balance: input.balance ?? ZERO,
		};
		this.store.customers.set(customer.customerId, customer);
		return customer;
	}

	customerOtp(customer: Customer): void {
		this.otps.issue(CUSTOMER + customer.customerId, [
			customer.customerId,
			customer.email,
			customer.mobileNumber,
		]);
	}

	forgotMpin(customer: Customer, otp: string, newMpin: string): void {
		if (!this.otps.consume(CUSTOMER + customer.customerId, otp)) throw invalidOtp();
		customer.mpin = newMpin;
	}

	changeMpin(customer: Customer, oldMpin: string, newMpin: string): void {
		this.checkMpin(customer, oldMpin);
		customer.mpin = newMpin;
	}

	checkMpin(customer: Customer, mpin: string): void {
		if (customer.mpin !== mpin) throw invalidMpin();
	}

	update(customer: Customer, changes: CustomerUpdate): void {
		if (changes.email !== undefined) {
			const other = this.byEmail(changes.email);
			if (other && other !== customer)
				throw new WalletError('INVALID-INPUT-DATA', 'Invalid input Data');
		}
		for (const [key, value] of Object.entries(changes) as Array<
			[keyof CustomerUpdate, string | undefined]
		>) {
			if (value !== undefined) customer[key] = value;
		}
	}

	private pendingKey(
		email: string | undefined,
		mobile: string | undefined,
		otp: string,
	): string | undefined {
		if (email !== undefined) return email.toLowerCase();
		if (mobile !== undefined) {
			for (const [key, pending] of this.pending)
				if (sameMobile(pending.mobileNumber, mobile)) return key;
		}
		const matches = this.otps.purposesWith(REGISTRATION, otp);
		return matches.length === 1 ? matches[0].slice(REGISTRATION.length) : undefined;
	}
}
