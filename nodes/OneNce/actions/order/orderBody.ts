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

/** What an address needs once any of it is given; house number and the rest stay optional. */
export const REQUIRED_ADDRESS_FIELDS = ['street', 'zip', 'city', 'country'];

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

/** What a value is, for a message that says why it was refused. */
export function kindOf(value: unknown): string {
	if (value === null || value === undefined) return 'nothing';
	if (Array.isArray(value)) return 'a list';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function blank(value: unknown): boolean {
	if (value && typeof value === 'object' && '__rl' in value) return blank((value as { value?: unknown }).value);
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** Refuses a row that is no row at all (null, a number, a list) or has neither a product nor a quantity. */
export function checkProductRow(row: unknown, index: number): asserts row is IDataObject {
	const empty = `Product ${index + 1}: the row is empty; give a product ID and a quantity`;
	if (row === undefined || row === null) throw new Error(empty);
	if (typeof row !== 'object' || Array.isArray(row)) {
		throw new Error(`Product ${index + 1}: the row must have a product ID and a quantity, got ${kindOf(row)}`);
	}
	const { productId, quantity } = row as IDataObject;
	if (blank(productId) && blank(quantity)) throw new Error(empty);
}

/** One product row of an order, as read from the Products parameter. */
export interface OrderRow {
	productId: number;
	quantity: number;
	/** Picked from 1NCE's product list rather than given as an id: its quantity limits are known. */
	picked: boolean;
}

/** A resource locator's value, or the plain id older workflows and expressions give. */
function unwrap(value: unknown): { id: unknown; picked: boolean } {
	if (value && typeof value === 'object' && '__rl' in value) {
		const locator = value as { mode?: string; value?: unknown };
		return { id: locator.value, picked: locator.mode === 'list' };
	}
	return { id: value, picked: false };
}

/**
 * The Products parameter, read once: every row is checked to be a row before any row's numbers are. Anything but
 * rows an expression hands over is refused by the field's name, not as a fault of the node.
 */
export function orderRows(parameter: unknown): OrderRow[] {
	const isRecord = parameter !== null && typeof parameter === 'object' && !Array.isArray(parameter);
	const rows = isRecord ? (parameter as { product?: unknown }).product : parameter;
	if (rows !== undefined && rows !== null && (!isRecord || !Array.isArray(rows))) {
		throw new Error(`Products must be a list of products, each with a product ID and a quantity, got ${kindOf(rows)}`);
	}
	if (!Array.isArray(rows) || rows.length === 0) throw new Error('Add at least one product to order');
	rows.forEach((row, index) => checkProductRow(row, index));
	return (rows as IDataObject[]).map((row, index) => {
		const { id, picked } = unwrap(row.productId);
		return {
			productId: wholeNumber(typeof id === 'string' ? id.trim() : id, `Product ${index + 1}: product ID`, MAX_PRODUCT_ID),
			quantity: wholeNumber(row.quantity, `Product ${index + 1}: quantity`, MAX_QUANTITY),
			picked,
		};
	});
}

/** Text for a text field: numbers become text; objects, arrays and booleans are refused by name. */
export function textField(value: unknown, what: string): string | undefined {
	if (value === undefined || value === null) return undefined;
	let text: string;
	if (typeof value === 'string') text = value;
	else if (typeof value === 'number' && Number.isFinite(value)) text = String(value);
	else throw new Error(`${what} must be text, got ${kindOf(value)}`);
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
	// The spec marks no field required and is silent on a partial address; a parcel needs street, ZIP code, city
	// and country, so a partial one is refused before a billed order rather than left for 1NCE to reject or guess.
	const missing = ADDRESS_FIELDS.filter((field) => REQUIRED_ADDRESS_FIELDS.includes(field.name) && delivery[field.name] === undefined);
	if (missing.length > 0) {
		throw new Error(`Delivery address is incomplete: add ${missing.map((field) => field.displayName).join(', ')}`);
	}
	return salutation !== undefined ? { salutation, ...delivery } : delivery;
}

/** The spec's Additional_Order body from the node's parameters (or what is wrong with them), and its rows as read. */
export function buildOrderBody(parameters: {
	products: unknown;
	deliveryAddress: unknown;
	customerReference: unknown;
}): { body: IDataObject; rows: OrderRow[] } {
	const rows = orderRows(parameters.products);
	const body: IDataObject = { products: rows.map(({ productId, quantity }) => ({ productId, quantity })) };

	const address = (parameters.deliveryAddress as { address?: unknown } | undefined)?.address;
	if (address !== undefined && address !== null) {
		if (typeof address !== 'object' || Array.isArray(address)) throw new Error('Delivery address must be an object');
		const delivery = deliveryAddress(address as IDataObject);
		if (delivery) body.delivery_address = delivery;
	}

	const reference = textField(parameters.customerReference, 'Customer Reference');
	if (reference !== undefined) body.customer_reference = reference;
	return { body, rows };
}
