import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { listOrders } from '../../transport/orders';

const showFor = { resource: ['order'], operation: ['getAll'] };

export const SORT_KEYS = ['order_number', 'order_status', 'order_date'] as const;

export const description: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { ...showFor, returnAll: [false] } },
	},
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
		displayOptions: { show: showFor },
	},
];

export function sortParameter(keys: unknown): string | undefined {
	if (keys === undefined || keys === null || keys === '') return undefined;
	const list = Array.isArray(keys) ? keys : String(keys).split(',');
	const cleaned = list.map((key) => String(key).trim()).filter((key) => key !== '');
	for (const key of cleaned) {
		if (!(SORT_KEYS as readonly string[]).includes(key)) {
			throw new Error(`"${key}" is not a sort key; use ${SORT_KEYS.join(', ')}`);
		}
	}
	// A key given twice adds nothing; 1NCE would only see a longer query.
	const unique = [...new Set(cleaned)];
	return unique.length ? unique.join(',') : undefined;
}

export function limitParameter(returnAll: boolean, limit: unknown): number | undefined {
	if (returnAll) return undefined;
	const value = Number(limit);
	if (!Number.isInteger(value) || value < 1) throw new Error(`Limit must be a whole number of at least 1, got "${limit}"`);
	return value;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = limitParameter(returnAll, this.getNodeParameter('limit', itemIndex, 50));
	const sort = sortParameter(this.getNodeParameter('sort', itemIndex, []));
	const orders = await listOrders.call(this, { sort, limit });
	return orders.map((order) => ({ json: order }));
}
