import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { OrderFilter } from '../../transport/orders';
import { listNewestOrders, listOrders, scanOrders } from '../../transport/orders';
import { collection, limitOf, pagedFields, showOnlyFor, textList } from '../fields';

export const SORT_KEYS = ['order_number', 'order_status', 'order_date'] as const;

export const description: INodeProperties[] = showOnlyFor('order', 'getAll', [
	...pagedFields,
	{
		displayName: 'Sort By',
		name: 'sort',
		type: 'multiOptions',
		options: [
			{ name: 'Order Number', value: 'order_number' },
			{ name: 'Order Status', value: 'order_status' },
			{ name: 'Order Date', value: 'order_date' },
		],
		default: [],
		description:
			'Keys to sort by, in the order chosen. 1NCE sorts by order number when none is chosen. Each page holds 10 orders, so listing N orders costs N/10 requests.',
	},
	{
		displayName: 'Newest First',
		name: 'newestFirst',
		type: 'boolean',
		default: false,
		description:
			'Whether to read the list from its end. 1NCE lists oldest first; reading backwards from the last page, the newest N orders cost N/10 + 1 requests however many orders the account has.',
	},
	collection('Filters', 'filters', 'Add Filter', '1NCE filters nothing itself: the node applies these to the pages it reads, and a Limit counts matching orders', [
		{
			displayName: 'Status',
			name: 'status',
			type: 'string',
			default: '',
			placeholder: 'PENDING, IN_PROGRESS',
			description: 'Order statuses to keep, separated by commas (any text: 1NCE publishes no list of statuses)',
		},
		{
			displayName: 'Order Type',
			name: 'orderType',
			type: 'multiOptions',
			options: [
				{ name: 'Additional Order', value: 'ADDITIONAL_ORDER' },
				{ name: 'Bulk Top-Up', value: 'BULK_TOPUP' },
				{ name: 'First Order', value: 'FIRST_ORDER' },
				{ name: 'Tariff Change', value: 'TARIFF_CHANGE' },
				{ name: 'Top-Up', value: 'TOPUP' },
			],
			default: [],
		},
		{
			displayName: 'Placed Since',
			name: 'placedSince',
			type: 'dateTime',
			default: '',
			description: 'Keep orders placed at or after this time. With Newest First, reading stops at the first page older than it.',
		},
	]),
]);

/** The node's filter parameters as an OrderFilter, or undefined when none is set. */
export function filterParameter(raw: unknown): OrderFilter | undefined {
	const filters = (raw ?? {}) as { status?: unknown; orderType?: unknown; placedSince?: unknown };
	const filter: OrderFilter = {};
	const statuses = textList(filters.status).map((status) => status.toUpperCase());
	if (statuses.length) filter.statuses = statuses;
	const types = Array.isArray(filters.orderType) ? filters.orderType.map(String) : [];
	if (types.length) filter.orderTypes = types;
	const since = filters.placedSince as unknown;
	if (since !== undefined && since !== null && since !== '') {
		// A date from an expression may be a Luxon DateTime or a JS Date rather than text.
		const time =
			typeof (since as { toMillis?: unknown }).toMillis === 'function'
				? (since as { toMillis: () => number }).toMillis()
				: since instanceof Date
					? since.getTime()
					: Date.parse(String(since));
		if (!Number.isFinite(time)) throw new Error(`Placed Since must be a date, got "${String(since)}"`);
		filter.placedSince = time;
	}
	return Object.keys(filter).length ? filter : undefined;
}

export function sortParameter(keys: unknown): string | undefined {
	const cleaned = textList(keys);
	const unknown = cleaned.find((key) => !(SORT_KEYS as readonly string[]).includes(key));
	if (unknown !== undefined) throw new Error(`"${unknown}" is not a sort key; use ${SORT_KEYS.join(', ')}`);
	// A key given twice adds nothing; 1NCE would only see a longer query.
	const unique = [...new Set(cleaned)];
	return unique.length ? unique.join(',') : undefined;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const limit = limitOf(this, itemIndex, true);
	const sort = sortParameter(this.getNodeParameter('sort', itemIndex, []));
	const newestFirst = this.getNodeParameter('newestFirst', itemIndex, false) as boolean;
	const filter = filterParameter(this.getNodeParameter('filters', itemIndex, {}));
	let orders;
	if (newestFirst) orders = (await listNewestOrders.call(this, { sort, limit, filter })).orders;
	else if (filter) orders = (await scanOrders.call(this, { sort, limit, filter })).orders;
	else orders = await listOrders.call(this, { sort, limit });
	return orders.map((order) => ({ json: order }));
}
