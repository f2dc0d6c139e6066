import fc from 'fast-check';

import {
	PIX_KEY_TYPES,
	PixKeyError,
	type PixKeyType,
	validateCnpj,
	validateCpf,
	validateEmail,
	validatePhone,
	validatePixKey,
	validateRandomKey,
} from '../../nodes/All4pay/pix';

// Test-only check digit generator, written independently of nodes/All4pay/pix.ts: it uses the
// "weights 2..9 from the right, DV = (10 × sum mod 11) mod 10" formulation of modulo 11 (the
// implementation uses fixed weight tables and "remainder < 2 → 0, else 11 − remainder"), and a
// lookup table for character values (the implementation uses ASCII code − 48).
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
function charValue(c: string): number {
	const i = ALPHABET.indexOf(c);
	if (i < 0) throw new Error(`no value for ${c}`);
	return i < 10 ? i : 17 + (i - 10); // Receita Federal: A = 17 ... Z = 42
}
function digitFor(chars: string, firstWeight: number): number {
	let sum = 0;
	for (let i = 0; i < chars.length; i++) {
		const weight = firstWeight > 0 ? firstWeight - i : 2 + ((chars.length - 1 - i) % 8);
		sum += charValue(chars[i]) * weight;
	}
	return ((10 * sum) % 11) % 10;
}
/** CPF check digits: weights 10..2, then 11..2. */
function cpfCheckDigits(base9: string): string {
	const d1 = digitFor(base9, 10);
	return `${d1}${digitFor(base9 + d1, 11)}`;
}
/** CNPJ check digits: weights 2..9 repeating from the right (5,4,3,2,9,...,2 and 6,5,...,2). */
function cnpjCheckDigits(base12: string): string {
	const d1 = digitFor(base12, 0);
	return `${d1}${digitFor(base12 + d1, 0)}`;
}
const oracleCpf = (s: string) => /^\d{11}$/.test(s) && cpfCheckDigits(s.slice(0, 9)) === s.slice(9);
const oracleCnpj = (s: string) =>
	/^[0-9A-Z]{12}\d{2}$/.test(s) && cnpjCheckDigits(s.slice(0, 12)) === s.slice(12);

function formatCpf(d: string): string {
	return `${d.slice(0, 3)}.${d.slice(3, 6)}.${d.slice(6, 9)}-${d.slice(9)}`;
}
function formatCnpj(d: string): string {
	return `${d.slice(0, 2)}.${d.slice(2, 5)}.${d.slice(5, 8)}/${d.slice(8, 12)}-${d.slice(12)}`;
}

/** The message a call throws; fails the test when it does not throw a PixKeyError. */
function messageOf(call: () => unknown): string {
	try {
		call();
	} catch (error) {
		expect(error).toBeInstanceOf(PixKeyError);
		return (error as PixKeyError).message;
	}
	throw new Error('expected a PixKeyError, nothing was thrown');
}

const sameCharacter = (s: string) => /^(.)\1*$/.test(s);

/** Every one-character change of `key` in its first `positions` places, and whether it was accepted. */
function singleChanges(
	key: string,
	alphabet: string,
	positions: number,
	validate: (value: string) => string,
): Array<{ position: number; changed: string; accepted: boolean }> {
	const changes = [];
	for (let position = 0; position < positions; position++) {
		for (const c of alphabet) {
			if (c === key[position]) continue;
			const changed = key.slice(0, position) + c + key.slice(position + 1);
			let accepted: boolean;
			try {
				accepted = validate(changed) === changed;
			} catch (error) {
				if (!(error instanceof PixKeyError)) throw error;
				accepted = false;
			}
			changes.push({ position, changed, accepted });
		}
	}
	return changes;
}

const digitString = (length: number) =>
	fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: length, maxLength: length });
const alnumString = (length: number) =>
	fc.string({ unit: fc.constantFrom(...ALPHABET), minLength: length, maxLength: length });

describe('test-only check digit generator', () => {
	it('reproduces hand-computed vectors', () => {
		// 123456789: 1·10+2·9+3·8+4·7+5·6+6·5+7·4+8·3+9·2 = 210, 210 mod 11 = 1 → 0;
		// then 1·11+...+9·3+0·2 = 255, 255 mod 11 = 2 → 9
		expect(cpfCheckDigits('123456789')).toBe('09');
		// 12ABC34501DE is 1,2,17,18,19,3,4,5,0,1,20,21: Σ with 5,4,3,2,9,8,7,6,5,4,3,2 = 459,
		// 459 mod 11 = 8 → 3; then with 6,5,4,3,2,9,8,7,6,5,4,3,2 over ...,3 = 424, mod 11 = 6 → 5.
		// The same vector, 12.ABC.345/01DE-35, is the one used across published alphanumeric
		// CNPJ validators (after SERPRO's manual on the 2026 check digits).
		expect(cnpjCheckDigits('12ABC34501DE')).toBe('35');
		// 00.000.000/0001-91 (Banco do Brasil)
		expect(cnpjCheckDigits('000000000001')).toBe('91');
	});
});

describe('validateCpf', () => {
	// textbook examples from CPF tutorials, each checked against the test generator here
	const known = ['123.456.789-09', '529.982.247-25', '111.444.777-35'];

	it('accepts well-known example numbers, whose check digits the generator confirms', () => {
		for (const cpf of known) {
			const digits = cpf.replace(/\D/g, '');
			expect(oracleCpf(digits)).toBe(true);
			expect(validateCpf(cpf)).toBe(digits);
		}
	});

	it('accepts the usual punctuation, spaces, surrounding blanks and a number', () => {
		for (const input of [
			'12345678909',
			'123.456.789-09',
			'123 456 789 09',
			'123456789-09',
			' 123.456.789-09\n',
		]) {
			expect(validateCpf(input)).toBe('12345678909');
		}
		expect(validateCpf(12345678909)).toBe('12345678909');
		expect(validateCpf('012.345.678-90')).toBe('01234567890');
	});

	it('accepts every generated CPF, plain and formatted', () => {
		fc.assert(
			fc.property(digitString(9), (base) => {
				fc.pre(!sameCharacter(base));
				const cpf = base + cpfCheckDigits(base);
				expect(validateCpf(cpf)).toBe(cpf);
				expect(validateCpf(formatCpf(cpf))).toBe(cpf);
			}),
			{ numRuns: 500 },
		);
	});

	// Modulo 11 with "remainder 0 or 1 → 0" cannot catch every single-digit change: when a change
	// moves the remainders only between 0 and 1, both check digits stay the same. The weights make
	// that possible at positions 1 and 6 of a CPF only (weights 10/11 and 5/6). Such a changed
	// number is a valid CPF in its own right: no validator can refuse it.
	it('refuses each single-digit change unless the change is itself a valid CPF (positions 1, 6)', () => {
		fc.assert(
			fc.property(digitString(9), (base) => {
				fc.pre(!sameCharacter(base));
				const cpf = base + cpfCheckDigits(base);
				const changes = singleChanges(cpf, '0123456789', 11, validateCpf);
				expect(changes).toHaveLength(99);
				const wrong = changes.filter(
					(c) => c.accepted !== (oracleCpf(c.changed) && !sameCharacter(c.changed)),
				);
				expect(wrong).toEqual([]);
				const accepted = changes.filter((c) => c.accepted).map((c) => c.position);
				expect(accepted.filter((position) => position !== 0 && position !== 5)).toEqual([]);
			}),
			{ numRuns: 300 },
		);
	});

	it('has the blind spot above: 945.968.203-09 and 845.968.203-09 are both valid', () => {
		expect(oracleCpf('94596820309') && oracleCpf('84596820309')).toBe(true);
		expect(validateCpf('945.968.203-09')).toBe('94596820309');
		expect(validateCpf('845.968.203-09')).toBe('84596820309');
	});

	it('refuses numbers of one repeated digit, though most pass the check digits', () => {
		let passing = 0;
		for (const d of '0123456789') {
			const same = d.repeat(11);
			if (oracleCpf(same)) passing++;
			expect(messageOf(() => validateCpf(same))).toMatch(/got 11 identical digits$/);
			expect(() => validateCpf(formatCpf(same))).toThrow(PixKeyError);
		}
		expect(passing).toBe(10);
	});

	it('says what is wrong without repeating the number', () => {
		const wrong = messageOf(() => validateCpf('123.456.789-00'));
		expect(wrong).toBe(
			'CPF must be 11 digits with valid check digits (e.g. 123.456.789-09); got 11 digits whose check digits do not match',
		);
		expect(wrong).not.toContain('12345678900');
		expect(messageOf(() => validateCpf('1234567890'))).toMatch(/got 10 digits$/);
		expect(messageOf(() => validateCpf(1234567890))).toMatch(
			/got 10 digits \(a CPF kept as a number loses its leading zeros: keep it as text\)$/,
		);
		expect(messageOf(() => validateCpf('123.456.789-0x'))).toMatch(
			/got text with characters other than digits/,
		);
		expect(messageOf(() => validateCpf('11.222.333/0001-81'))).toMatch(
			/got 14 digits \(it looks like a CNPJ: check the key type\)$/,
		);
		expect(messageOf(() => validateCpf('ana@example.com'))).toMatch(/looks like an email address/);
		expect(messageOf(() => validateCpf('ana@example.com'))).not.toContain('ana');
		for (const nothing of [undefined, null, '', '   ']) {
			expect(messageOf(() => validateCpf(nothing))).toMatch(/^CPF must be .*; got nothing$/);
		}
		expect(messageOf(() => validateCpf({}))).toMatch(/got an object$/);
		expect(messageOf(() => validateCpf(-1))).toMatch(/got a number that is not a whole number/);
		expect(messageOf(() => validateCpf('1'.repeat(500)))).toMatch(/got text of 500 characters$/);
		expect(messageOf(() => validateCpf('x', 'Recipient CPF'))).toMatch(/^Recipient CPF must be/);
	});

	it('never puts the given digits in a message', () => {
		fc.assert(
			fc.property(digitString(11), (digits) => {
				fc.pre(!oracleCpf(digits));
				expect(messageOf(() => validateCpf(digits))).not.toContain(digits.slice(0, 6));
			}),
		);
	});
});

describe('validateCnpj', () => {
	// public CNPJs of well-known institutions, each checked against the test generator here
	const known = [
		'00.000.000/0001-91', // Banco do Brasil
		'00.038.166/0001-05', // Banco Central do Brasil
		'00.360.305/0001-04', // Caixa Econômica Federal
		'33.000.167/0001-01', // Petrobras
		'60.701.190/0001-04', // Itaú Unibanco
		'60.746.948/0001-12', // Bradesco
		'11.222.333/0001-81', // the usual textbook example
	];

	it('accepts well-known numbers, whose check digits the generator confirms', () => {
		for (const cnpj of known) {
			const digits = cnpj.replace(/\D/g, '');
			expect(oracleCnpj(digits)).toBe(true);
			expect(validateCnpj(cnpj)).toBe(digits);
		}
	});

	it('accepts punctuation, spaces, surrounding blanks and a number', () => {
		for (const input of [
			'33000167000101',
			'33.000.167/0001-01',
			'33 000 167 0001 01',
			' 33.000.167/0001-01 ',
		]) {
			expect(validateCnpj(input)).toBe('33000167000101');
		}
		expect(validateCnpj(33000167000101)).toBe('33000167000101');
	});

	it('accepts alphanumeric CNPJs (from July 2026), upper-casing them', () => {
		expect(validateCnpj('12.ABC.345/01DE-35')).toBe('12ABC34501DE35');
		expect(validateCnpj('12abc34501de35')).toBe('12ABC34501DE35');
		expect(messageOf(() => validateCnpj('12.ABC.345/01DE-36'))).toMatch(
			/got 14 characters whose check digits do not match$/,
		);
		// the check digits stay numeric
		expect(messageOf(() => validateCnpj('12ABC34501DE3A'))).toMatch(
			/got 14 characters whose last 2 are not digits$/,
		);
	});

	it('accepts every generated CNPJ, numeric and alphanumeric, plain and formatted', () => {
		fc.assert(
			fc.property(fc.oneof(digitString(12), alnumString(12)), (base) => {
				fc.pre(!sameCharacter(base));
				const cnpj = base + cnpjCheckDigits(base);
				expect(validateCnpj(cnpj)).toBe(cnpj);
				expect(validateCnpj(formatCnpj(cnpj).toLowerCase())).toBe(cnpj);
			}),
			{ numRuns: 500 },
		);
	});

	// As for the CPF, a change that moves both remainders only between 0 and 1 keeps both check
	// digits; the CNPJ weights allow it at positions 1, 5 and 9 (weights 5/6, 9/2, 5/6).
	it('refuses each single-digit change of a numeric CNPJ unless the change is itself valid', () => {
		fc.assert(
			fc.property(digitString(12), (base) => {
				fc.pre(!sameCharacter(base));
				const cnpj = base + cnpjCheckDigits(base);
				const changes = singleChanges(cnpj, '0123456789', 14, validateCnpj);
				expect(changes).toHaveLength(126);
				const wrong = changes.filter(
					(c) => c.accepted !== (oracleCnpj(c.changed) && !sameCharacter(c.changed)),
				);
				expect(wrong).toEqual([]);
				const accepted = changes.filter((c) => c.accepted).map((c) => c.position);
				expect(accepted.filter((position) => ![0, 4, 8].includes(position))).toEqual([]);
			}),
			{ numRuns: 300 },
		);
	});

	// Receita Federal's rule gives letters the values 17..42, so 6 and A, 7 and B, 8 and C, 9 and D,
	// and letters 11 apart (A and L, L and W, ...) weigh the same modulo 11: replacing one by the
	// other never changes the check digits. That is the official scheme; no validator can fix it.
	it('cannot tell apart alphanumeric characters 11 apart (the 2026 rule)', () => {
		expect(oracleCnpj('12LBC34501DE35')).toBe(true);
		expect(validateCnpj('12.LBC.345/01DE-35')).toBe('12LBC34501DE35');
		fc.assert(
			fc.property(alnumString(12), (base) => {
				fc.pre(/[6-9A-Z]/.test(base)); // 0-5 have no partner 11 apart
				const cnpj = base + cnpjCheckDigits(base);
				const changes = singleChanges(cnpj, ALPHABET, 12, validateCnpj).filter(
					(c) => !sameCharacter(c.changed),
				);
				const wrong = changes.filter((c) => c.accepted !== oracleCnpj(c.changed));
				expect(wrong).toEqual([]);
				const invisible = changes.filter(
					(c) => (charValue(c.changed[c.position]) - charValue(cnpj[c.position])) % 11 === 0,
				);
				expect(invisible.length).toBeGreaterThan(0);
				expect(invisible.filter((c) => !c.accepted)).toEqual([]);
			}),
			{ numRuns: 100 },
		);
	});

	it('refuses numbers of one repeated digit', () => {
		for (const d of '0123456789') {
			expect(messageOf(() => validateCnpj(d.repeat(14)))).toMatch(/got 14 identical digits$/);
		}
		// 00.000.000/0000-00 passes the check digits: only the explicit rule refuses it
		expect(oracleCnpj('00000000000000')).toBe(true);
	});

	it('says what is wrong without repeating the number', () => {
		const wrong = messageOf(() => validateCnpj('33.000.167/0001-02'));
		expect(wrong).toMatch(/^CNPJ must be 14 digits with valid check digits/);
		expect(wrong).not.toContain('33000167');
		expect(wrong).not.toContain('33.000.167');
		expect(messageOf(() => validateCnpj('123.456.789-09'))).toMatch(
			/got 11 characters \(it looks like a CPF: check the key type\)$/,
		);
		expect(messageOf(() => validateCnpj(191))).toMatch(/loses its leading zeros/);
		expect(messageOf(() => validateCnpj('12.ABC.345/01DÉ-35'))).toMatch(
			/got text with characters other than letters, digits/,
		);
		expect(messageOf(() => validateCnpj(undefined, 'Company'))).toMatch(
			/^Company must be .*; got nothing$/,
		);
	});
});

describe('validatePhone', () => {
	it('gives +55 and the national number, ignoring spaces, dashes, dots and parentheses', () => {
		for (const input of [
			'+5511987654321',
			'+55 11 98765-4321',
			'+55 (11) 98765-4321',
			'+55.11.98765.4321',
			' +55 11 987654321 ',
		]) {
			expect(validatePhone(input)).toBe('+5511987654321');
		}
		expect(validatePhone('+55 (21) 2345-6789')).toBe('+552123456789');
	});

	it('takes 55 without the plus, and a national number, as Brazilian', () => {
		expect(validatePhone('5511987654321')).toBe('+5511987654321');
		expect(validatePhone('55 11 98765-4321')).toBe('+5511987654321');
		expect(validatePhone('(11) 98765-4321')).toBe('+5511987654321');
		expect(validatePhone('11987654321')).toBe('+5511987654321');
		expect(validatePhone(11987654321)).toBe('+5511987654321');
		expect(validatePhone('(21) 2345-6789')).toBe('+552123456789');
		// area code 55 (Rio Grande do Sul) is not mistaken for the country code
		expect(validatePhone('(55) 99876-5432')).toBe('+5555998765432');
	});

	it('refuses a national number that is also a valid CPF', () => {
		// the field probably holds a CPF: a phone number that is also a CPF must be written with +55
		const message = messageOf(() => validatePhone('12345678909'));
		expect(message).toMatch(/11 digits without \+55 that are also a valid CPF/);
		fc.assert(
			fc.property(digitString(9), (base) => {
				const cpf = base + cpfCheckDigits(base);
				fc.pre(!sameCharacter(cpf));
				expect(() => validatePhone(cpf)).toThrow(PixKeyError);
			}),
		);
	});

	it('refuses other shapes with a message naming the field and the rule', () => {
		const cases: Array<[unknown, RegExp]> = [
			['+1 212 555 1234', /got a number with another country code than \+55$/],
			['+55 11 8765-432', /got \+55 and 9 digits$/],
			['+55 01 98765-4321', /got an area code \(DDD\) with a 0 in it$/],
			['+55 10 98765-4321', /with a 0 in it$/],
			['+55 11 88765-4321', /got a 9-digit number that does not start with 9$/],
			['+55 11 0765-4321', /got an 8-digit number starting with 0 or 1$/],
			['011 98765-4321', /got a number starting with 0/],
			['4411987654321', /got 13 digits$/],
			['987654321', /got 9 digits$/],
			['+55 11 98765-43x1', /got text with characters other than digits/],
			['ana@example.com', /looks like an email address/],
			['', /got nothing$/],
			[true, /got true or false$/],
		];
		for (const [input, expected] of cases) {
			const message = messageOf(() => validatePhone(input));
			expect(message).toMatch(
				/^Phone must be a Brazilian phone number: \+55, the 2-digit area code/,
			);
			expect(message).toMatch(expected);
		}
		expect(messageOf(() => validatePhone('+55 11 88765-4321'))).not.toContain('88765');
	});

	it('accepts every well-formed mobile number', () => {
		fc.assert(
			fc.property(fc.integer({ min: 11, max: 99 }), digitString(8), (ddd, rest) => {
				fc.pre(!String(ddd).includes('0'));
				expect(validatePhone(`+55 (${ddd}) 9${rest.slice(0, 4)}-${rest.slice(4)}`)).toBe(
					`+55${ddd}9${rest}`,
				);
			}),
		);
	});
});

describe('validateEmail', () => {
	it('lower-cases and trims', () => {
		expect(validateEmail(' Ana.Souza+pix@Example.COM.br ')).toBe('ana.souza+pix@example.com.br');
		expect(validateEmail('a@b.co')).toBe('a@b.co');
		expect(validateEmail("o'neil_{x}~@sub-domain.example.org")).toBe(
			"o'neil_{x}~@sub-domain.example.org",
		);
	});

	it('allows 77 characters and no more', () => {
		const at77 = `${'a'.repeat(65)}@example.com`;
		expect(at77).toHaveLength(77);
		expect(validateEmail(at77)).toBe(at77);
		expect(messageOf(() => validateEmail(`a${at77}`))).toMatch(/got text of 78 characters$/);
	});

	it('refuses what is not a pragmatic email address, without repeating it', () => {
		const cases: Array<[unknown, RegExp]> = [
			['ana.example.com', /got text without @$/],
			['ana@@example.com', /got text with more than one @$/],
			['ana@x@example.com', /got text with more than one @$/],
			['ana souza@example.com', /got text with spaces$/],
			['@example.com', /got nothing before the @$/],
			['ana@localhost', /got a domain without a dot$/],
			['ana@example..com', /got a domain with an empty part/],
			['ana@.example.com', /got a domain with an empty part/],
			['ana@example.com.', /got a domain with an empty part/],
			['ana@-example.com', /got a domain with an empty part/],
			['ana@exa_mple.com', /got a domain with an empty part/],
			['joão@example.com', /got characters before the @ other than a-z/],
			['ana@exãmple.com', /got a domain with/],
			['"ana"@example.com', /got characters before the @/],
			[12, /got a number$/],
			[undefined, /got nothing$/],
			[' ', /got nothing$/],
		];
		for (const [input, expected] of cases) {
			const message = messageOf(() => validateEmail(input));
			expect(message).toMatch(/^Email must be an email address of at most 77 characters/);
			expect(message).toMatch(expected);
			expect(message).not.toMatch(/ana|joão/);
		}
	});
});

describe('validateRandomKey', () => {
	it('accepts a UUID of any version, lower-cased', () => {
		for (const uuid of [
			'123e4567-e89b-42d3-a456-426614174000', // v4
			'C232AB00-9414-11EC-B3C8-9F6BDECED846', // v1
			'017f22e2-79b0-7cc3-98c4-dc0c0c07398f', // v7
			'ffffffff-ffff-ffff-ffff-ffffffffffff',
		]) {
			expect(validateRandomKey(` ${uuid} `)).toBe(uuid.toLowerCase());
		}
		fc.assert(fc.property(fc.uuid(), (uuid) => expect(validateRandomKey(uuid)).toBe(uuid)));
	});

	it('refuses other layouts, non-hex characters and the nil UUID', () => {
		const cases: Array<[unknown, RegExp]> = [
			['c232ab00941411ecb3c89f6bdeced846', /got 32 hexadecimal digits without dashes$/],
			[
				'c232ab00-941411ec-b3c8-9f6bdeced846',
				/of hexadecimal digits and dashes in another layout$/,
			],
			['{c232ab00-9414-11ec-b3c8-9f6bdeced846}', /got text with characters other than/],
			['c232ab00-9414-11ec-b3c8-9f6bdeced84g', /got text with characters other than/],
			['00000000-0000-0000-0000-000000000000', /got the nil UUID \(all zeros\)$/],
			['ana@example.com', /looks like an email address/],
			[null, /got nothing$/],
		];
		for (const [input, expected] of cases) {
			const message = messageOf(() => validateRandomKey(input));
			expect(message).toMatch(/^Random Key must be a random key \(EVP\): a UUID/);
			expect(message).toMatch(expected);
			expect(message).not.toContain('9f6bdeced8');
		}
	});
});

describe('validatePixKey', () => {
	it('dispatches on the type and gives the normalized key', () => {
		expect(validatePixKey('cpf', '123.456.789-09')).toBe('12345678909');
		expect(validatePixKey('cnpj', '12.abc.345/01de-35')).toBe('12ABC34501DE35');
		expect(validatePixKey('email', 'Ana@Example.com')).toBe('ana@example.com');
		expect(validatePixKey('phone', '(11) 98765-4321')).toBe('+5511987654321');
		expect(validatePixKey('random', '123E4567-E89B-42D3-A456-426614174000')).toBe(
			'123e4567-e89b-42d3-a456-426614174000',
		);
		// an expression may give the type in capitals, or All4Pay's and Bacen's name for a random key
		expect(validatePixKey('CPF' as PixKeyType, '12345678909')).toBe('12345678909');
		expect(validatePixKey('evp' as PixKeyType, '123e4567-e89b-42d3-a456-426614174000')).toBe(
			'123e4567-e89b-42d3-a456-426614174000',
		);
	});

	it('names the field and the type in messages', () => {
		expect(messageOf(() => validatePixKey('cpf', '123.456.789-00'))).toMatch(
			/^PIX Key \(CPF\) must be 11 digits/,
		);
		expect(messageOf(() => validatePixKey('random', 'x', 'Recipient Key'))).toMatch(
			/^Recipient Key \(Random Key\) must be a random key/,
		);
		const error = (() => {
			try {
				validatePixKey('phone', '123');
			} catch (e) {
				return e as PixKeyError;
			}
			return undefined;
		})();
		expect(error?.field).toBe('PIX Key (Phone)');
		expect(error?.name).toBe('PixKeyError');
		expect(messageOf(() => validatePixKey('iban' as PixKeyType, 'x'))).toBe(
			'PIX Key Type must be one of cpf, cnpj, email, phone or random; got "iban"',
		);
		expect(messageOf(() => validatePixKey(undefined as unknown as PixKeyType, 'x'))).toMatch(
			/^PIX Key Type must be .*; got nothing$/,
		);
	});

	it('accepts the examples its own messages and option descriptions give', () => {
		for (const option of PIX_KEY_TYPES) {
			const type = option.value as PixKeyType;
			const texts = [option.description ?? '', messageOf(() => validatePixKey(type, '?'))];
			const examples = texts.flatMap((text) =>
				// an example ends at a bracket, a comma, a semicolon or the sentence's final period
				[...text.matchAll(/e\.g\. ([^\s);,]+(?: [^\s);,]+)*)/g)].map((m) =>
					m[1].replace(/\.$/, ''),
				),
			);
			expect(examples.length).toBeGreaterThanOrEqual(2);
			for (const example of examples) expect(() => validatePixKey(type, example)).not.toThrow();
		}
	});
});

describe('PIX_KEY_TYPES', () => {
	it('lists the five types, sorted by name, each with a description', () => {
		expect(PIX_KEY_TYPES.map((o) => o.value).sort()).toEqual(
			['cnpj', 'cpf', 'email', 'phone', 'random'].sort(),
		);
		const names = PIX_KEY_TYPES.map((o) => o.name);
		expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
		for (const option of PIX_KEY_TYPES) expect(option.description).toBeTruthy();
	});
});
