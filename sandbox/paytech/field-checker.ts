import { decimalToUnits, toPlainDecimalText } from '../common/decimal';
import { isJsonObject, type JsonObject, JsonNumber, type JsonValue } from '../common/json';
import { type FieldError, validationError } from './errors';

interface StringRules {
	required?: boolean;
	min?: number;
	max?: number;
	pattern?: RegExp;
	allowed?: ReadonlySet<string> | readonly string[];
}

interface DecimalRules {
	required?: boolean;
	/** Inclusive bounds as scaled units (see common/decimal). */
	minUnits?: bigint;
	maxUnits?: bigint;
	minText?: string;
	maxText?: string;
}

/**
 * Collects bean-validation style errors for one request object, so a 400 lists every bad field
 * at once the way pay.tech's Spring backend does.
 */
export class FieldChecker {
	readonly errors: FieldError[] = [];

	constructor(private readonly objectName: string) {}

	fail(field: string, code: string, defaultMessage: string): void {
		this.errors.push({ field, code, defaultMessage, objectName: this.objectName });
	}

	throwIfAny(): void {
		if (this.errors.length > 0) throw validationError(this.errors);
	}

	string(
		source: JsonObject,
		key: string,
		field: string,
		rules: StringRules = {},
	): string | undefined {
		const value = source[key];
		if (value === undefined || value === null) {
			if (rules.required) this.fail(field, 'NotNull', 'must not be null');
			return undefined;
		}
		if (typeof value !== 'string') {
			this.fail(field, 'typeMismatch', 'must be a string');
			return undefined;
		}
		if (rules.required && value.trim() === '') this.fail(field, 'NotBlank', 'must not be blank');
		const min = rules.min ?? 0;
		if ((rules.max !== undefined && value.length > rules.max) || value.length < min) {
			this.fail(field, 'Size', `size must be between ${min} and ${rules.max ?? 2147483647}`);
		} else if (rules.pattern && !rules.pattern.test(value)) {
			this.fail(field, 'Pattern', `must match "${rules.pattern.source}"`);
		}
		if (rules.allowed && !hasValue(rules.allowed, value)) {
			this.fail(field, 'typeMismatch', `must be one of the documented values`);
		}
		return value;
	}

	boolean(source: JsonObject, key: string, field: string): boolean | undefined {
		const value = source[key];
		if (value === undefined || value === null) return undefined;
		if (typeof value !== 'boolean') {
			this.fail(field, 'typeMismatch', 'must be a boolean');
			return undefined;
		}
		return value;
	}

	integer(
		source: JsonObject,
		key: string,
		field: string,
		min?: number,
		required = false,
	): number | undefined {
		const value = source[key];
		if (value === undefined || value === null) {
			if (required) this.fail(field, 'NotNull', 'must not be null');
			return undefined;
		}
		if (!(value instanceof JsonNumber) || !/^-?\d+$/.test(value.text)) {
			this.fail(field, 'typeMismatch', 'must be an integer');
			return undefined;
		}
		const number = value.toNumber();
		if (min !== undefined && number < min)
			this.fail(field, 'Min', `must be greater than or equal to ${min}`);
		return number;
	}

	/** A JSON number kept as decimal text (exponents expanded), checked without floats. */
	decimal(
		source: JsonObject,
		key: string,
		field: string,
		rules: DecimalRules = {},
	): string | undefined {
		const value = source[key];
		if (value === undefined || value === null) {
			if (rules.required) this.fail(field, 'NotNull', 'must not be null');
			return undefined;
		}
		if (!(value instanceof JsonNumber)) {
			this.fail(field, 'typeMismatch', 'must be a number');
			return undefined;
		}
		const text = toPlainDecimalText(value.text);
		const units = text === undefined ? undefined : decimalToUnits(text);
		if (text === undefined || units === undefined) {
			this.fail(field, 'Digits', 'numeric value out of bounds (<10 digits>.<18 digits> expected)');
			return undefined;
		}
		if (rules.minUnits !== undefined && units < rules.minUnits) {
			this.fail(field, 'DecimalMin', `must be greater than or equal to ${rules.minText}`);
			return undefined;
		}
		if (rules.maxUnits !== undefined && units > rules.maxUnits) {
			this.fail(field, 'DecimalMax', `must be less than or equal to ${rules.maxText}`);
			return undefined;
		}
		return text;
	}

	object(source: JsonObject, key: string, field: string): JsonObject | undefined {
		const value: JsonValue | undefined = source[key];
		if (value === undefined || value === null) return undefined;
		if (!isJsonObject(value)) {
			this.fail(field, 'typeMismatch', 'must be an object');
			return undefined;
		}
		return value;
	}

	/** Checks declared string lengths inside a nested object; unknown members pass through. */
	stringLengths(source: JsonObject, prefix: string, limits: Record<string, StringRules>): void {
		for (const [key, rules] of Object.entries(limits))
			this.string(source, key, `${prefix}.${key}`, rules);
	}
}

function hasValue(allowed: ReadonlySet<string> | readonly string[], value: string): boolean {
	return allowed instanceof Set
		? allowed.has(value)
		: (allowed as readonly string[]).includes(value);
}
