/** Brazilian tax ids and PIX keys, checked the way the sandbox checks them. */

/** CPF: 11 digits, not all equal, both mod-11 check digits right. */
export function isValidCpf(text: string): boolean {
	if (!/^\d{11}$/.test(text) || /^(\d)\1{10}$/.test(text)) return false;
	const digits = [...text].map(Number);
	for (const length of [9, 10]) {
		let sum = 0;
		for (let index = 0; index < length; index++) sum += digits[index] * (length + 1 - index);
		const check = ((sum * 10) % 11) % 10;
		if (check !== digits[length]) return false;
	}
	return true;
}

/** CNPJ: 14 digits, not all equal, both mod-11 check digits right. */
export function isValidCnpj(text: string): boolean {
	if (!/^\d{14}$/.test(text) || /^(\d)\1{13}$/.test(text)) return false;
	const digits = [...text].map(Number);
	for (const length of [12, 13]) {
		let sum = 0;
		let weight = length - 7;
		for (let index = 0; index < length; index++) {
			sum += digits[index] * weight;
			weight = weight === 2 ? 9 : weight - 1;
		}
		const rest = sum % 11;
		if ((rest < 2 ? 0 : 11 - rest) !== digits[length]) return false;
	}
	return true;
}

export const PIX_KEY_TYPES = ['cpf', 'cnpj', 'email', 'phone', 'random'] as const;
export type PixKeyType = (typeof PIX_KEY_TYPES)[number];

export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Why a PIX key does not fit its type, or undefined when it does. */
export function pixKeyProblem(type: PixKeyType, key: string): string | undefined {
	switch (type) {
		case 'cpf':
			return isValidCpf(key) ? undefined : 'a CPF key must be 11 digits with valid check digits';
		case 'cnpj':
			return isValidCnpj(key) ? undefined : 'a CNPJ key must be 14 digits with valid check digits';
		case 'email':
			return EMAIL.test(key) && key.length <= 77 ? undefined : 'not an e-mail address';
		case 'phone':
			return /^\+55\d{10,11}$/.test(key) ? undefined : 'a phone key is +55 and 10 or 11 digits';
		case 'random':
			return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(key)
				? undefined
				: 'a random key is a UUID';
	}
}
