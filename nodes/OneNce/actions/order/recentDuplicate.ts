import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { ApiContext } from '../../transport/request';
import type { Order } from '../../transport/orders';
import { fetchOrderPage, fetchOrderPageSized, orderTime, PAGE_SIZE } from '../../transport/orders';

/** Create's options (shown by create.operation.ts): the guard that makes a re-run or a hand retry of a reorder workflow harmless. */
export const guardOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Skip If the Same Order Was Placed Recently',
			name: 'skipIfRecentlyPlaced',
			type: 'boolean',
			default: false,
			description:
				'Whether to look at the newest orders first (at most 2 requests) and, when one with the same products and quantities was placed within the hours below, output it with "skipped: true" instead of ordering again',
		},
		{
			displayName: 'Within Hours',
			name: 'recentHours',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 24,
			description: 'How far back an equal order counts as the same order',
		},
	],
};

/** Total quantity per product id: two rows of the same product count as one of their sum. */
function basket(rows: Array<{ id: unknown; quantity: unknown }>): Map<number, number> {
	const totals = new Map<number, number>();
	for (const row of rows) {
		const id = Number(row.id);
		totals.set(id, (totals.get(id) ?? 0) + Number(row.quantity));
	}
	return totals;
}

function sameBasket(a: Map<number, number>, b: Map<number, number>): boolean {
	return a.size === b.size && [...a].every(([id, quantity]) => b.get(id) === quantity);
}

/** The page size (10 down to 1) whose last page holds the most orders, i.e. the most of the newest ones. */
export function bestLastPage(totalCount: number): { pageSize: number; page: number; newest: number } {
	let best = { pageSize: PAGE_SIZE, page: Math.ceil(totalCount / PAGE_SIZE), newest: totalCount % PAGE_SIZE || PAGE_SIZE };
	for (let pageSize = PAGE_SIZE - 1; pageSize >= 1; pageSize--) {
		const newest = totalCount % pageSize || pageSize;
		if (newest > best.newest) best = { pageSize, page: Math.ceil(totalCount / pageSize), newest };
	}
	return best;
}

export interface DuplicateCheck {
	match?: Order;
	/** Orders looked at. */
	checked: number;
	/** True when every order placed within the window was among them. */
	complete: boolean;
	requests: number;
}

/**
 * Looks for an order with the same products and quantities placed within `hours`, in at most 2 list requests:
 * page 1 gives the order count, then one page that ends at the newest order. With more than 20 orders that
 * page holds between 1 and 10 of the newest ones; `complete` tells whether it reached back past the window.
 */
export async function findRecentDuplicate(
	this: ApiContext,
	products: Array<{ productId: unknown; quantity: unknown }>,
	hours: number,
	now = Date.now(),
): Promise<DuplicateCheck> {
	const since = now - hours * 3_600_000;
	const wanted = basket(products.map((row) => ({ id: row.productId, quantity: row.quantity })));
	const first = await fetchOrderPage.call(this, 1, undefined);
	let candidates = first.orders;
	let requests = 1;
	let complete = first.isLast;
	if (!first.isLast) {
		let newestPage: Order[] = [];
		// 1-based position in the list of the first order the second request returns.
		let startsAt = Infinity;
		if (first.totalCount !== undefined) {
			const { pageSize, page } = bestLastPage(first.totalCount);
			newestPage = await fetchOrderPageSized.call(this, page, pageSize);
			startsAt = (page - 1) * pageSize + 1;
			requests++;
		} else if (first.totalPages !== undefined) {
			newestPage = (await fetchOrderPage.call(this, first.totalPages, undefined)).orders;
			startsAt = (first.totalPages - 1) * PAGE_SIZE + 1;
			requests++;
		}
		// Reaching back past the window, or joining up with page 1, leaves no order of the window unseen.
		const oldestSeen = newestPage.length ? orderTime(newestPage[0]) : NaN;
		complete = oldestSeen < since || startsAt <= first.orders.length + 1;
		candidates = [...first.orders, ...newestPage];
	}
	const unique = new Map<unknown, Order>();
	for (const order of candidates) unique.set(order.order_number ?? unique.size, order);
	const match = [...unique.values()]
		.reverse()
		.find(
			(order) =>
				orderTime(order) >= since &&
				sameBasket(
					wanted,
					basket(((order.products ?? []) as IDataObject[]).map((row) => ({ id: row.product_id, quantity: row.quantity }))),
				),
		);
	return { match, checked: unique.size, complete, requests };
}
