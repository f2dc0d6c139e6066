import type { IncomingHttpHeaders } from 'node:http';

import { FieldError } from './errors';

export class NotAFormError extends Error {}

/**
 * The posted fields, last value winning for a repeated key as in PHP. Anything but a
 * url-encoded form is refused: the seed insists on a form post.
 */
export function parseForm(headers: IncomingHttpHeaders, rawBody: string): Record<string, string> {
	const type = (headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
	if (type !== 'application/x-www-form-urlencoded') {
		throw new NotAFormError('The request must be a form post (application/x-www-form-urlencoded).');
	}
	const fields: Record<string, string> = Object.create(null) as Record<string, string>;
	for (const [key, value] of new URLSearchParams(rawBody)) fields[key] = value;
	return fields;
}

/** Laravel's wording, which the seed's messages follow ("The mobile number field is required."). */
export function label(name: string): string {
	return name.replace(/_/g, ' ');
}

/** Typed access to posted fields; every problem is a FieldError with a Laravel-style message. */
export class FormFields {
	constructor(readonly values: Record<string, string>) {}

	has(name: string): boolean {
		return this.optional(name) !== undefined;
	}

	/** The trimmed value, or undefined when absent or blank. */
	optional(name: string): string | undefined {
		const value = this.values[name];
		if (value === undefined) return undefined;
		const trimmed = value.trim();
		return trimmed === '' ? undefined : trimmed;
	}

	required(name: string): string {
		const value = this.optional(name);
		if (value === undefined) throw new FieldError(`The ${label(name)} field is required.`);
		return value;
	}

	requiredMax(name: string, max: number): string {
		const value = this.required(name);
		if (value.length > max)
			throw new FieldError(`The ${label(name)} may not be greater than ${max} characters.`);
		return value;
	}

	optionalMax(name: string, max: number): string | undefined {
		const value = this.optional(name);
		if (value !== undefined && value.length > max) {
			throw new FieldError(`The ${label(name)} may not be greater than ${max} characters.`);
		}
		return value;
	}

	/** Non-negative whole number; `min` is the smallest allowed value. */
	integer(name: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
		const text = this.required(name);
		if (!/^\d+$/.test(text)) throw new FieldError(`The ${label(name)} must be an integer.`);
		const value = Number(text);
		if (value < min || value > max)
			throw new FieldError(`The ${label(name)} must be between ${min} and ${max}.`);
		return value;
	}

	email(name: string, required = true): string | undefined {
		const value = required ? this.required(name) : this.optional(name);
		if (value !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) {
			throw new FieldError(`The ${label(name)} must be a valid email address.`);
		}
		return value;
	}

	/** Indian mobile numbers: 10 digits, optionally with 91 or +91 in front. */
	mobile(name: string): string | undefined {
		const value = this.optional(name);
		if (value !== undefined && !/^(?:\+?91)?[6-9]\d{9}$/.test(value)) {
			throw new FieldError(`The ${label(name)} field contains an invalid number.`);
		}
		return value;
	}

	/** MPINs are four digits. */
	mpin(name: string): string {
		const value = this.required(name);
		if (!/^\d{4}$/.test(value)) throw new FieldError(`The ${label(name)} must be 4 digits.`);
		return value;
	}
}

/** Compares mobile numbers by their last ten digits, so +91 prefixes do not matter. */
export function sameMobile(a: string | undefined, b: string | undefined): boolean {
	if (a === undefined || b === undefined) return false;
	return a.replace(/\D/g, '').slice(-10) === b.replace(/\D/g, '').slice(-10);
}
