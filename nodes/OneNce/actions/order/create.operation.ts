import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { createOrder } from '../../transport/orders';
import { cachedProducts } from '../../transport/products';
import { ADDRESS_FIELDS, buildOrderBody } from './orderBody';
import { checkQuantityLimits, productIdField } from './productField';
import type { RunRecord } from './placement';
import { retold } from './placement';
import type { RecentOrders } from './recentDuplicate';
import { claim, findDuplicate, guardOptions, guardWindowHours, readRecentOrders } from './recentDuplicate';
import { checkToolOrder, isToolCall, toolProperties } from './toolPolicy';
import { showOnlyFor } from '../displayOptions';
import { asNodeError } from '../../nodeError';

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
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
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
]);

/**
 * The order body of one item, or why its input is wrong (quantity limits of products picked from the list
 * included). The router runs it for every item before any order is sent.
 */
export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const additionalFields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const { body, rows } = buildOrderBody({
		products: this.getNodeParameter('products', itemIndex, {}),
		deliveryAddress: this.getNodeParameter('deliveryAddress', itemIndex, {}),
		customerReference: additionalFields.customerReference,
	});
	checkToolOrder(this, itemIndex, rows);
	// Products picked from the list are known: their per-order range is checked before anything is ordered.
	if (rows.some((row) => row.picked)) checkQuantityLimits(rows, await cachedProducts.call(this));
	guardWindowHours(this.getNodeParameter('options', itemIndex, {}) as IDataObject, isToolCall(this));
	return body;
}

/** What one run of the node shares between its items: what was placed (see placement.ts) and one read per window. */
export interface CreateSession {
	record: RunRecord;
	recent: Map<number, Promise<RecentOrders>>;
}

const GUARD_FIRST = 'No order was sent: the duplicate check comes first. Sending it again is safe: Retry On Fail does.';

/** The orders of the item's window, read once per run of the node whatever the number of items. */
async function recentOrders(this: IExecuteFunctions, session: CreateSession, hours: number, itemIndex: number) {
	let read = session.recent.get(hours);
	if (!read) {
		read = readRecentOrders.call(this, hours);
		session.recent.set(hours, read);
	}
	try {
		return await read;
	} catch (error) {
		session.recent.delete(hours);
		throw retold(this, asNodeError(this.getNode(), error, itemIndex), itemIndex, { after: GUARD_FIRST });
	}
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	prepared: IDataObject | undefined,
	session: CreateSession,
): Promise<INodeExecutionData[]> {
	const body = prepared ?? (await prepare.call(this, itemIndex));
	const hours = guardWindowHours(this.getNodeParameter('options', itemIndex, {}) as IDataObject, isToolCall(this));
	const guard: IDataObject = {};
	if (hours !== undefined) {
		const recent = await recentOrders.call(this, session, hours, itemIndex);
		const summary = { orders_checked: recent.orders.length, complete: true, within_hours: hours };
		const match = findDuplicate(recent, body, session.record.claims);
		if (match) {
			claim(session.record.claims, body, match.order_number);
			return [{ json: { ...match, skipped: true, duplicate_check: summary } }];
		}
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
	claim(session.record.claims, body, json.order_number);
	return [{ json }];
}
