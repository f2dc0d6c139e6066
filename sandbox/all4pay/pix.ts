/**
 * A plausible PIX copy-and-paste code (EMV "BR Code", dynamic, CRC16-CCITT) and a QR placeholder.
 * Nothing here is a payable code: the merchant and location are the sandbox's.
 */

/** A 1x1 PNG, base64: the `qr_code` placeholder (All4Pay's real image is not published). */
export const QR_CODE_PLACEHOLDER =
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

const tlv = (tag: string, value: string): string =>
	`${tag}${String(value.length).padStart(2, '0')}${value}`;

/** CRC16-CCITT-FALSE (poly 0x1021, init 0xFFFF) as 4 upper-case hex digits, as BR Codes use. */
export function crc16(text: string): string {
	let crc = 0xffff;
	for (const byte of Buffer.from(text, 'utf8')) {
		crc ^= byte << 8;
		for (let bit = 0; bit < 8; bit++)
			crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
	}
	return crc.toString(16).toUpperCase().padStart(4, '0');
}

/** `location`: host and path of the charge (here the sandbox's /pix/{id} page), no scheme. */
export function pixCode(id: string, amount: string, location: string): string {
	const payload =
		tlv('00', '01') +
		tlv('01', '12') +
		tlv('26', tlv('00', 'br.gov.bcb.pix') + tlv('25', location.slice(0, 77))) +
		tlv('52', '0000') +
		tlv('53', '986') +
		tlv('54', amount) +
		tlv('58', 'BR') +
		tlv('59', 'ALL4PAY SANDBOX') +
		tlv('60', 'SAO PAULO') +
		tlv('62', tlv('05', id.replace(/[^A-Za-z0-9]/g, '').slice(0, 25))) +
		'6304';
	return payload + crc16(payload);
}
