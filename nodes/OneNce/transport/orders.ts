import type { IDataObject } from 'n8n-workflow';

import { toNodeApiError } from './errors';
import type { ApiContext } from './request';
import { apiRequest } from './request';
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
	this: ApiContext,
	page: number,
	sort: string | undefined,
	budget?: RetryBudget,
): Promise<OrderPage> {
	const qs: IDataObject = { page, pageSize: PAGE_SIZE };
	if (sort) qs.sort = sort;
	const response = await apiRequest.call(this, { method: 'GET', path: '/v1/orders', qs, expect: 'array' }, budget);
	const orders = response.body as Order[];
	const totalPages = headerInt(response.headers, 'x-total-pages');
	const totalCount = headerInt(response.headers, 'x-total-count');
	// Without the header, a short page is the last one (documented behaviour of 1NCE list endpoints).
	const isLast = totalPages !== undefined ? page >= totalPages : orders.length < PAGE_SIZE;
	return { page, orders, totalPages, totalCount, isLast };
}

/** Pages fetched at once once the page count is known: fewer round trips, the same number of requests. */
export const PAGE_CONCURRENCY = 3;

/** No listing reads more pages than this (100,000 orders), whatever the server's headers or pages say. */
export const MAX_PAGES = 10_000;

function sameOrders(a: Order[], b: Order[]): boolean {
	return a.length > 0 && a.length === b.length && a.every((order, i) => order.order_number === b[i].order_number);
}

/**
 * Joins pages in page order, dropping an order number already seen on an earlier page (under a sort by
 * status, an order whose status changes between two page reads moves and shows up twice).
 */
function joinPages(pages: OrderPage[]): Order[] {
	const seen = new Set<unknown>();
	const orders: Order[] = [];
	for (const page of pages.sort((a, b) => a.page - b.page)) {
		for (const order of page.orders) {
			const key = order.order_number;
			if (key !== undefined && key !== null) {
				if (seen.has(key)) continue;
				seen.add(key);
			}
			orders.push(order);
		}
	}
	return orders;
}

/** The last page worth asking for, from whichever of X-Total-Pages and X-Total-Count is smaller. */
function lastPageOf(first: OrderPage): number | undefined {
	const byCount = first.totalCount !== undefined ? Math.max(1, Math.ceil(first.totalCount / PAGE_SIZE)) : undefined;
	if (first.totalPages === undefined) return byCount;
	return byCount === undefined ? first.totalPages : Math.min(first.totalPages, byCount);
}

function tooManyPages(context: ApiContext) {
	return toNodeApiError(context.getNode(), {
		headers: {},
		body: undefined,
		otherMessage: `1NCE kept sending pages: the listing stopped at ${MAX_PAGES} pages (${MAX_PAGES * PAGE_SIZE} orders) without reaching the end`,
	});
}

/**
 * Lists orders, never fetching a page twice and never more pages than `limit` needs, and always ending.
 * Page 1 tells the page count (X-Total-Pages, bounded by X-Total-Count); the remaining pages are then
 * fetched a few at a time. Without those headers pages are read one by one until a short or empty page,
 * a page that repeats the previous one, or as many orders as X-Total-Count promised.
 */
export async function listOrders(
	this: ApiContext,
	options: { sort?: string; limit?: number },
	budget?: RetryBudget,
): Promise<Order[]> {
	const { sort, limit } = options;
	const pagesForLimit = limit === undefined ? Infinity : Math.ceil(limit / PAGE_SIZE);
	const first = await fetchOrderPage.call(this, 1, sort, budget);
	const pages: OrderPage[] = [first];
	const knownLast = lastPageOf(first);
	if (!first.isLast && pagesForLimit > 1 && knownLast !== 1) {
		if (knownLast !== undefined) {
			if (knownLast > MAX_PAGES && pagesForLimit > MAX_PAGES) throw tooManyPages(this);
			const lastPage = Math.min(knownLast, pagesForLimit);
			let next = 2;
			let failure: unknown;
			const worker = async () => {
				// After one failure no worker starts another page: the node fails without requests left in flight.
				while (next <= lastPage && failure === undefined) {
					const page = next++;
					try {
						pages.push(await fetchOrderPage.call(this, page, sort, budget));
					} catch (error) {
						failure ??= error;
					}
				}
			};
			await Promise.all(Array.from({ length: Math.min(PAGE_CONCURRENCY, lastPage - 1) }, worker));
			if (failure !== undefined) throw failure;
		} else {
			let previous = first;
			let read = first.orders.length;
			for (let page = 2; page <= pagesForLimit; page++) {
				if (page > MAX_PAGES) throw tooManyPages(this);
				const result = await fetchOrderPage.call(this, page, sort, budget);
				// A server that repeats its last full page past the end would otherwise be read forever.
				if (sameOrders(result.orders, previous.orders)) break;
				pages.push(result);
				read += result.orders.length;
				if (result.isLast || result.orders.length === 0) break;
				if (result.totalCount !== undefined && read >= result.totalCount) break;
				previous = result;
			}
		}
	}
	const orders = joinPages(pages);
	return limit === undefined ? orders : orders.slice(0, limit);
}

export async function getOrder(this: ApiContext, orderNumber: number, budget?: RetryBudget): Promise<Order> {
	const response = await apiRequest.call(
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

/** Sent exactly once: see apiRequest. */
export async function createOrder(this: ApiContext, order: IDataObject): Promise<CreateOrderResult> {
	const response = await apiRequest.call(this, { method: 'POST', path: '/v1/orders', body: order });
	return { statusCode: response.statusCode, location: response.headers.location, body: response.body };
}
