import type { IDataObject } from 'n8n-workflow';

import type { ListedPage, PageRules } from './pages';
import { lastPageOf, listedPage, MAX_PAGES, readAfter, readOnward, tooManyPages, untilCounted } from './pages';
import type { ApiContext } from './request';
import { apiRequest } from './request';
import type { RetryBudget } from './retry';

/** The API's maximum; asking for fewer would only cost more requests against a tiny rate limit. */
export const PAGE_SIZE = 10;

export type Order = IDataObject & { order_number?: number; order_status?: string };

export interface OrderPage extends ListedPage {
	orders: Order[];
}

export async function fetchOrderPage(this: ApiContext, page: number, sort: string | undefined, budget?: RetryBudget): Promise<OrderPage> {
	const qs = { page, pageSize: PAGE_SIZE, ...(sort ? { sort } : {}) };
	const response = await apiRequest.call(this, { method: 'GET', path: '/v1/orders', qs, expect: 'array' }, budget);
	const orders = response.body as Order[];
	return { ...listedPage(page, response.headers, orders.length, PAGE_SIZE), orders };
}

/** Pages fetched at once once the page count is known: fewer round trips, the same number of requests. */
export const PAGE_CONCURRENCY = 8;

/**
 * Joins pages in page order, dropping an order number already seen on an earlier page (under a sort by
 * status, an order whose status changes between two page reads moves and shows up twice).
 */
function joinPages(pages: OrderPage[]): Order[] {
	const seen = new Set<unknown>();
	return pages.sort((a, b) => a.page - b.page).flatMap((page) => page.orders.filter((order) => unseen(seen, order)));
}

function tooManyOrderPages(context: ApiContext) {
	return tooManyPages(context.getNode(), 'listing', `${MAX_PAGES * PAGE_SIZE} orders`);
}

/** How order pages are read (see pages.ts): 10 a page, a page that repeats the previous one ends the list. */
function orderPages(context: ApiContext, sort: string | undefined, budget: RetryBudget | undefined): PageRules<OrderPage, Order> {
	return {
		pageSize: PAGE_SIZE,
		fetch: async (page) => await fetchOrderPage.call(context, page, sort, budget),
		entries: (page) => page.orders,
		idOf: (order) => order.order_number,
		tooMany: () => tooManyOrderPages(context),
	};
}

/** Drops an order number seen before (see joinPages), keeping the first. */
function unseen(seen: Set<unknown>, order: Order): boolean {
	const key = order.order_number;
	if (key === undefined || key === null) return true;
	if (seen.has(key)) return false;
	seen.add(key);
	return true;
}

/** Lists orders, never fetching a page twice nor more pages than `limit` needs, and always ending (pages.ts). */
export async function listOrders(this: ApiContext, options: { sort?: string; limit?: number }, budget?: RetryBudget): Promise<Order[]> {
	const { sort, limit } = options;
	const pagesForLimit = limit === undefined ? Infinity : Math.ceil(limit / PAGE_SIZE);
	const first = await fetchOrderPage.call(this, 1, sort, budget);
	const more = (read: OrderPage[]) => read.length + 1 < pagesForLimit;
	const rest = await readAfter(orderPages(this, sort, budget), first, PAGE_CONCURRENCY, more, pagesForLimit);
	const orders = joinPages([first, ...rest]);
	return limit === undefined ? orders : orders.slice(0, limit);
}

export async function getOrder(this: ApiContext, orderNumber: number, budget?: RetryBudget): Promise<Order> {
	const failureContext = { notFoundMessage: `Order ${orderNumber} was not found` };
	const response = await apiRequest.call(this, { method: 'GET', path: `/v1/orders/${orderNumber}`, expect: 'object', failureContext }, budget);
	return response.body as Order;
}

export interface CreateOrderResult {
	statusCode: number;
	location?: string;
	body: unknown;
}

/** The order number in a Location header that names a new order (…/v1/orders/1234), else null: never a guess. */
export function orderNumberInLocation(location: string | undefined): number | null {
	const number = /\/v1\/orders\/(\d+)\/?$/.exec(location ?? '')?.[1];
	return number !== undefined ? Number(number) : null;
}

/** Sent exactly once: see apiRequest. */
export async function createOrder(this: ApiContext, order: IDataObject): Promise<CreateOrderResult> {
	const response = await apiRequest.call(this, { method: 'POST', path: '/v1/orders', body: order });
	return { statusCode: response.statusCode, location: response.headers.location, body: response.body };
}

/** Which orders a caller wants; every part is optional and applied by the package (the API filters nothing). */
export interface OrderFilter {
	/** Upper-case status texts (any text: 1NCE publishes no list). */
	statuses?: string[];
	orderTypes?: string[];
	/** Epoch ms: orders placed at or after it. */
	placedSince?: number;
}

/** 1NCE writes offsets as "+0000" in places; Date.parse wants "+00:00". */
export function orderTime(order: Order): number {
	const raw = typeof order.order_date === 'string' ? order.order_date.trim() : '';
	return Date.parse(raw.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
}

export function orderMatches(order: Order, filter: OrderFilter): boolean {
	if (filter.statuses?.length && !filter.statuses.includes(String(order.order_status ?? '').trim().toUpperCase())) return false;
	if (filter.orderTypes?.length && !filter.orderTypes.includes(String(order.order_type ?? ''))) return false;
	if (filter.placedSince !== undefined && !(orderTime(order) >= filter.placedSince)) return false;
	return true;
}

/** Only when the list runs in date order does an old page mean every earlier page is older still. */
function sortedByDate(sort: string | undefined): boolean {
	return ['', 'order_number', 'order_date'].includes(sort?.split(',')[0] ?? '');
}

export interface OrderScan {
	orders: Order[];
	pagesRead: number;
	/** False when `maxPages` ran out before the scan reached its end (the start of the list, the date or the limit). */
	complete?: boolean;
}

/**
 * Orders from the end of the list backwards (1NCE's default order: newest first): page 1 tells the page count,
 * then the last page, the one before it, and so on, until `limit` orders match or, with `placedSince`, a page
 * holds an older order. The newest N orders thus cost about ⌈N/10⌉ + 1 requests, whatever the account's size.
 * Without the page count the list is read forwards.
 */
export async function listNewestOrders(
	this: ApiContext,
	options: { sort?: string; limit?: number; filter?: OrderFilter; maxPages?: number },
	budget?: RetryBudget,
): Promise<OrderScan> {
	const { sort, limit } = options;
	// A caller's cap ends the scan quietly (complete: false); the listing cap fails it.
	const maxPages = options.maxPages ?? MAX_PAGES;
	const capped = options.maxPages !== undefined;
	const filter = options.filter ?? {};
	const first = await fetchOrderPage.call(this, 1, sort, budget);
	const lastPage = lastPageOf(first, PAGE_SIZE);
	if (first.isLast || lastPage === undefined) {
		let cut = false;
		const onward = await readOnward(orderPages(this, sort, budget), first, (read) => !(cut = 1 + read.length >= maxPages));
		const pagesRead = 1 + onward.length;
		if (cut) return { orders: [], pagesRead, complete: false };
		const orders = joinPages([first, ...onward]).reverse().filter((order) => orderMatches(order, filter));
		return { orders: limit === undefined ? orders : orders.slice(0, limit), pagesRead, complete: true };
	}
	const found: Order[] = [];
	const enough = () => limit !== undefined && found.length >= limit;
	const canStopByDate = filter.placedSince !== undefined && sortedByDate(sort);
	const seen = new Set<unknown>();
	let pagesRead = 1;
	for (let page = lastPage; page >= 1; page--) {
		if (pagesRead >= maxPages && page !== 1) {
			if (capped) return { orders: found, pagesRead, complete: false };
			throw tooManyOrderPages(this);
		}
		const result = page === 1 ? first : await fetchOrderPage.call(this, page, sort, budget);
		if (page !== 1) pagesRead++;
		for (const order of [...result.orders].reverse()) {
			if (!enough() && unseen(seen, order) && orderMatches(order, filter)) found.push(order);
		}
		if (enough()) break;
		if (canStopByDate && result.orders.some((order) => orderTime(order) < (filter.placedSince as number))) break;
	}
	return { orders: found, pagesRead, complete: true };
}

/** Orders in list order that match `filter`, page by page until `limit` of them are found or the list ends. */
export async function scanOrders(
	this: ApiContext,
	options: { sort?: string; limit?: number; filter: OrderFilter },
	budget?: RetryBudget,
): Promise<OrderScan> {
	const { sort, limit, filter } = options;
	if (limit === undefined) {
		const orders = await listOrders.call(this, { sort }, budget);
		return { orders: orders.filter((order) => orderMatches(order, filter)), pagesRead: Math.max(1, Math.ceil(orders.length / PAGE_SIZE)) };
	}
	const seen = new Set<unknown>();
	const newMatches = (page: OrderPage) => page.orders.filter((order) => unseen(seen, order) && orderMatches(order, filter)).length;
	const first = await fetchOrderPage.call(this, 1, sort, budget);
	const onward = await readOnward(orderPages(this, sort, budget), first, untilCounted(first, newMatches, limit));
	const orders = joinPages([first, ...onward]).filter((order) => orderMatches(order, filter));
	return { orders: orders.slice(0, limit), pagesRead: 1 + onward.length };
}
