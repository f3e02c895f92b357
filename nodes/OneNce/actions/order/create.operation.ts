import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { createOrder } from '../../transport/orders';
import { cachedProducts } from '../../transport/products';
import { checkQuantityLimits, productIdField, productRows } from './productField';
import { findRecentDuplicate, guardOptions } from './recentDuplicate';

const showFor = { resource: ['order'], operation: ['create'] };

const ADDRESS_FIELDS: Array<{ displayName: string; name: string; placeholder?: string }> = [
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

export const description: INodeProperties[] = [
	{
		displayName:
			'Creating an order places a real, billed order with 1NCE. It is sent exactly once: if the answer is lost, check Get Many before ordering again.',
		name: 'billingNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Products',
		name: 'products',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		required: true,
		default: {},
		placeholder: 'Add Product',
		description: 'Products to order, each with its 1NCE product ID and a quantity',
		displayOptions: { show: showFor },
		options: [
			{
				displayName: 'Product',
				name: 'product',
				values: [
					productIdField,
					{
						displayName: 'Quantity',
						name: 'quantity',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: 1,
						required: true,
					},
				],
			},
		],
	},
	{
		displayName: 'Delivery Address',
		name: 'deliveryAddress',
		type: 'fixedCollection',
		default: {},
		placeholder: 'Add Delivery Address',
		description:
			"Where to ship the order. Without one, 1NCE uses the organisation's single default address (and refuses the order if several are configured).",
		displayOptions: { show: showFor },
		options: [
			{
				displayName: 'Address',
				name: 'address',
				values: [
					{
						displayName: 'Salutation',
						name: 'salutation',
						type: 'options',
						options: [
							{ name: 'Mr', value: '1' },
							{ name: 'Ms', value: '2' },
						],
						default: '1',
					},
					...ADDRESS_FIELDS.map(
						(field): INodeProperties => ({
							displayName: field.displayName,
							name: field.name,
							type: 'string',
							default: '',
							...(field.placeholder ? { placeholder: field.placeholder } : {}),
						}),
					),
				],
			},
		],
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show: showFor },
		options: [
			{
				displayName: 'Customer Reference',
				name: 'customerReference',
				type: 'string',
				default: '',
				description: 'Your own reference for the order, e.g. a purchase order number',
			},
		],
	},
	guardOptions,
];

function positiveInteger(value: unknown, what: string): number {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < 1) {
		throw new Error(`${what} must be a positive whole number, got "${String(value ?? '')}"`);
	}
	return number;
}

/** Turns the node's parameters into the spec's Additional_Order body, or explains what is wrong. */
export function buildOrderBody(parameters: {
	products: unknown;
	deliveryAddress: unknown;
	customerReference: unknown;
}): IDataObject {
	const rows = ((parameters.products as { product?: unknown })?.product ?? []) as IDataObject[];
	if (!Array.isArray(rows) || rows.length === 0) throw new Error('Add at least one product to order');
	const products = rows.map((row, index) => ({
		productId: positiveInteger(row.productId, `Product ${index + 1}: product ID`),
		quantity: positiveInteger(row.quantity, `Product ${index + 1}: quantity`),
	}));
	const body: IDataObject = { products };

	const address = (parameters.deliveryAddress as { address?: IDataObject })?.address;
	if (address && typeof address === 'object') {
		const delivery: IDataObject = {};
		const salutation = String(address.salutation ?? '1');
		if (salutation !== '1' && salutation !== '2') throw new Error('Salutation must be Mr or Ms');
		delivery.salutation = salutation;
		for (const field of ADDRESS_FIELDS) {
			const value = address[field.name];
			if (value !== undefined && value !== null && String(value).trim() !== '') {
				delivery[field.name] = String(value).trim();
			}
		}
		if (delivery.country !== undefined) {
			const country = String(delivery.country).toUpperCase();
			if (!/^[A-Z]{2}$/.test(country)) {
				throw new Error(`Country code must be two letters (ISO 3166-1 alpha-2, e.g. DE), got "${delivery.country}"`);
			}
			delivery.country = country;
		}
		body.delivery_address = delivery;
	}

	const reference = parameters.customerReference;
	if (typeof reference === 'string' && reference.trim() !== '') body.customer_reference = reference.trim();
	return body;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const additionalFields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const { rows, picked } = productRows(this.getNodeParameter('products', itemIndex, {}));
	const body = buildOrderBody({
		products: { product: rows },
		deliveryAddress: this.getNodeParameter('deliveryAddress', itemIndex, {}),
		customerReference: additionalFields.customerReference,
	});
	const ordered = body.products as Array<{ productId: number; quantity: number }>;
	// Products picked from the list are known: their per-order range is checked before anything is ordered.
	if (picked.some((row) => row.picked)) {
		const limits = ordered.map((row, index) => ({ ...row, check: picked[index]?.picked === true }));
		checkQuantityLimits(limits, await cachedProducts.call(this));
	}
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const guard: IDataObject = {};
	if (options.skipIfRecentlyPlaced === true) {
		const hours = Number(options.recentHours ?? 24);
		if (!(hours > 0)) throw new Error(`Within Hours must be a positive number, got "${String(options.recentHours)}"`);
		const check = await findRecentDuplicate.call(this, ordered, hours);
		const summary = { orders_checked: check.checked, complete: check.complete, within_hours: hours };
		if (check.match) return [{ json: { ...check.match, skipped: true, duplicate_check: summary } }];
		Object.assign(guard, { skipped: false, duplicate_check: summary });
	}
	const result = await createOrder.call(this, body);
	// Report what 1NCE said, never a guessed order number: it is only known if 1NCE sends a Location.
	const orderNumber = /\/v1\/orders\/(\d+)\/?$/.exec(result.location ?? '')?.[1];
	const json: IDataObject = {
		status_code: result.statusCode,
		order_number: orderNumber !== undefined ? Number(orderNumber) : null,
		location: result.location ?? null,
		response: (result.body === '' || result.body === undefined ? null : result.body) as IDataObject | null,
		submitted: body,
		...guard,
	};
	return [{ json }];
}
