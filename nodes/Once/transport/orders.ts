import type { IDataObject } from 'n8n-workflow';

import type { OnceContext } from './request';
import { onceRequest } from './request';
import type { RetryBudget } from './retry';

/** The API's maximum; asking for fewer would only cost more requests against a tiny rate limit. */
export const PAGE_SIZE = 10;

export type Order = IDataObject & { order_number?: number; order_status?: string };

export interface OrderPage {
	page: number;
	orders: Order[];
	/** From X-Total-Pages when 1NCE sends it. */
	totalPages?: number;
	totalCount?: number;
	/** True when no later page can hold orders. */
	isLast: boolean;
}

function headerInt(headers: Record<string, string>, name: string): number | undefined {
	const value = headers[name];
	if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
	return Number(value);
}

export async function fetchOrderPage(
	this: OnceContext,
	page: number,
	sort: string | undefined,
	budget?: RetryBudget,
): Promise<OrderPage> {
	const qs: IDataObject = { page, pageSize: PAGE_SIZE };
	if (sort) qs.sort = sort;
	const response = await onceRequest.call(this, { method: 'GET', path: '/v1/orders', qs, expect: 'array' }, budget);
	const orders = response.body as Order[];
	const totalPages = headerInt(response.headers, 'x-total-pages');
	const totalCount = headerInt(response.headers, 'x-total-count');
	// Without the header, a short page is the last one (documented behaviour of 1NCE list endpoints).
	const isLast = totalPages !== undefined ? page >= totalPages : orders.length < PAGE_SIZE;
	return { page, orders, totalPages, totalCount, isLast };
}

/**
 * Lists orders page by page, never fetching a page twice and never more pages than `limit` needs.
 */
export async function listOrders(
	this: OnceContext,
	options: { sort?: string; limit?: number },
	budget?: RetryBudget,
): Promise<Order[]> {
	const { sort, limit } = options;
	const collected: Order[] = [];
	for (let page = 1; ; page++) {
		const result = await fetchOrderPage.call(this, page, sort, budget);
		collected.push(...result.orders);
		if (limit !== undefined && collected.length >= limit) return collected.slice(0, limit);
		if (result.isLast || result.orders.length === 0) return collected;
	}
}

export async function getOrder(this: OnceContext, orderNumber: number, budget?: RetryBudget): Promise<Order> {
	const response = await onceRequest.call(
		this,
		{
			method: 'GET',
			path: `/v1/orders/${orderNumber}`,
			expect: 'object',
			failureContext: { notFoundMessage: `Order ${orderNumber} was not found` },
		},
		budget,
	);
	return response.body as Order;
}

export interface CreateOrderResult {
	statusCode: number;
	location?: string;
	body: unknown;
}

/** Sent exactly once: see onceRequest. */
export async function createOrder(this: OnceContext, order: IDataObject): Promise<CreateOrderResult> {
	const response = await onceRequest.call(this, { method: 'POST', path: '/v1/orders', body: order });
	return { statusCode: response.statusCode, location: response.headers.location, body: response.body };
}
