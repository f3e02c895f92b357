import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { createOrder, orderNumberInLocation } from '../../transport/orders';
import { cachedProducts } from '../../transport/products';
import { ADDRESS_FIELDS, buildOrderBody } from './orderBody';
import { checkQuantityLimits, productIdField } from './productField';
import type { OrderSession } from './recentDuplicate';
import { checkRecent, claimKey, guardOptions, guardWindowHours, sameOrderAs } from './recentDuplicate';
import { checkToolOrder, toolProperties } from '../toolPolicy';
import { collection, showOnlyFor } from '../fields';

export const description: INodeProperties[] = showOnlyFor('order', 'create', [
	{
		displayName:
			'Creating an order places a real, billed order with 1NCE. It is sent at most once, and skipped when the same order was placed within the last hour (see Options). If the answer is lost, check Get Many before ordering again.',
		name: 'billingNotice',
		type: 'notice',
		default: '',
	},
	...toolProperties,
	{
		displayName: 'Products',
		name: 'products',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		required: true,
		default: {},
		placeholder: 'Add Product',
		description: 'Products to order, each with its 1NCE product ID and a quantity',
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
							{ name: 'Not Specified', value: '' },
							{ name: 'Mr', value: '1' },
							{ name: 'Ms', value: '2' },
						],
						default: '',
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
	collection('Additional Fields', 'additionalFields', 'Add Field', undefined, [
		{
			displayName: 'Customer Reference',
			name: 'customerReference',
			type: 'string',
			default: '',
			description: 'Your own reference for the order, e.g. a purchase order number',
		},
	]),
	guardOptions,
]);

/** One item's order body and guard window, or why its input is wrong: run for every item before any order is sent. */
export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<{ body: IDataObject; hours: number | undefined }> {
	const additionalFields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const { body, rows } = buildOrderBody({
		products: this.getNodeParameter('products', itemIndex, {}),
		deliveryAddress: this.getNodeParameter('deliveryAddress', itemIndex, {}),
		customerReference: additionalFields.customerReference,
	});
	checkToolOrder(this, itemIndex, rows);
	// Products picked from the list are known: their per-order range is checked before anything is ordered.
	if (rows.some((row) => row.picked)) checkQuantityLimits(rows, await cachedProducts.call(this));
	return { body, hours: guardWindowHours(this, itemIndex) };
}

/** A real, billed order: the router sends it at most once per item per run of the node. */
export const placesOrders = true;

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	{ body, hours }: Awaited<ReturnType<typeof prepare>>,
	session: OrderSession,
): Promise<INodeExecutionData[]> {
	const target = sameOrderAs(body);
	const { match, report } = await checkRecent.call(this, session, itemIndex, hours, target);
	if (match) return [{ json: { ...match, ...report } }];
	const result = await createOrder.call(this, body);
	// Report what 1NCE said, never a guessed order number: it is only known if 1NCE sends a Location.
	const json: IDataObject = {
		status_code: result.statusCode,
		order_number: orderNumberInLocation(result.location),
		location: result.location ?? null,
		response: (result.body === '' || result.body === undefined ? null : result.body) as IDataObject | null,
		submitted: body,
		...report,
	};
	claimKey(session.record.claims, target.key, json.order_number);
	return [{ json }];
}
