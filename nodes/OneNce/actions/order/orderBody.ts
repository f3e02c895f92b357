import type { IDataObject } from 'n8n-workflow';

/** Fields of a delivery address, in the order the node shows them. */
export const ADDRESS_FIELDS: Array<{ displayName: string; name: string; placeholder?: string }> = [
	{ displayName: 'First Name', name: 'first_name' },
	{ displayName: 'Last Name', name: 'last_name' },
	{ displayName: 'Company', name: 'company' },
	{ displayName: 'Street', name: 'street' },
	{ displayName: 'House Number', name: 'house_number' },
	{ displayName: 'Address Line 2', name: 'address_line2' },
	{ displayName: 'ZIP Code', name: 'zip' },
	{ displayName: 'City', name: 'city' },
	{ displayName: 'Country Code', name: 'country', placeholder: 'DE' },
	{ displayName: 'Phone', name: 'phone', placeholder: '+49 89 1234567' },
];

// Generous for any real order, small enough that a stray extra digit is caught before it is billed.
export const MAX_QUANTITY = 100_000;
// The spec types product ids as integer; 1NCE's are four digits today.
export const MAX_PRODUCT_ID = 2_147_483_647;
// Order numbers are ten digits today (2000000001); twelve leaves room without accepting garbage.
export const MAX_ORDER_NUMBER = 999_999_999_999;

/**
 * A positive whole number from a JSON number or a text of decimal digits only. Hex, binary, exponents,
 * signs and fractions are refused: Number() would turn "0x10" into 16 and "1e3" into 1000 silently.
 */
export function wholeNumber(value: unknown, what: string, max: number): number {
	let number: number | undefined;
	if (typeof value === 'number') number = value;
	else if (typeof value === 'string' && /^\d+$/.test(value.trim())) number = Number(value.trim());
	const shown = typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value ?? '');
	if (number === undefined || !Number.isSafeInteger(number) || number < 1) {
		throw new Error(`${what} must be a positive whole number, got "${shown}"`);
	}
	if (number > max) throw new Error(`${what} must be at most ${max}, got "${shown}"`);
	return number;
}

/** Text for a text field: numbers become text; objects, arrays and booleans are refused by name. */
export function textField(value: unknown, what: string): string | undefined {
	if (value === undefined || value === null) return undefined;
	let text: string;
	if (typeof value === 'string') text = value;
	else if (typeof value === 'number' && Number.isFinite(value)) text = String(value);
	else {
		const kind = Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
		throw new Error(`${what} must be text, got ${kind}`);
	}
	const trimmed = text.trim();
	return trimmed === '' ? undefined : trimmed;
}

function deliveryAddress(address: IDataObject): IDataObject | undefined {
	const delivery: IDataObject = {};
	for (const field of ADDRESS_FIELDS) {
		const text = textField(address[field.name], `Delivery address: ${field.displayName}`);
		if (text !== undefined) delivery[field.name] = text;
	}
	if (delivery.country !== undefined) {
		const country = String(delivery.country);
		// ASCII only: upper-casing "ß" or "ı" first would let non-codes through.
		if (!/^[A-Za-z]{2}$/.test(country)) {
			throw new Error(`Country code must be two letters (ISO 3166-1 alpha-2, e.g. DE), got "${country}"`);
		}
		delivery.country = country.toUpperCase();
	}
	const salutation = textField(address.salutation, 'Delivery address: Salutation');
	if (salutation !== undefined && salutation !== '1' && salutation !== '2') {
		throw new Error('Salutation must be Mr or Ms');
	}
	// An address added but left empty says nothing: without one 1NCE uses the default address.
	if (Object.keys(delivery).length === 0) return undefined;
	return salutation !== undefined ? { salutation, ...delivery } : delivery;
}

/** Turns the node's parameters into the spec's Additional_Order body, or explains what is wrong. */
export function buildOrderBody(parameters: {
	products: unknown;
	deliveryAddress: unknown;
	customerReference: unknown;
}): IDataObject {
	const rows = (parameters.products as { product?: unknown } | undefined)?.product ?? [];
	if (!Array.isArray(rows) || rows.length === 0) throw new Error('Add at least one product to order');
	const products = (rows as IDataObject[]).map((row, index) => ({
		productId: wholeNumber(row?.productId, `Product ${index + 1}: product ID`, MAX_PRODUCT_ID),
		quantity: wholeNumber(row?.quantity, `Product ${index + 1}: quantity`, MAX_QUANTITY),
	}));
	const body: IDataObject = { products };

	const address = (parameters.deliveryAddress as { address?: unknown } | undefined)?.address;
	if (address !== undefined && address !== null) {
		if (typeof address !== 'object' || Array.isArray(address)) throw new Error('Delivery address must be an object');
		const delivery = deliveryAddress(address as IDataObject);
		if (delivery) body.delivery_address = delivery;
	}

	const reference = textField(parameters.customerReference, 'Customer Reference');
	if (reference !== undefined) body.customer_reference = reference;
	return body;
}
