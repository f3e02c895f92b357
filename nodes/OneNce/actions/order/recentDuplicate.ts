import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ApiContext } from '../../transport/request';
import type { Order } from '../../transport/orders';
import { listNewestOrders, PAGE_SIZE } from '../../transport/orders';
import { ADDRESS_FIELDS } from './orderBody';
import type { Claims, RunRecord } from './placement';
import { retold } from './placement';
import { asNodeError } from '../../nodeError';
import { optionsField } from '../fields';
import { isToolCall } from '../toolPolicy';

/** Default window: long enough for n8n re-running a crashed execution or a hand retry, short enough not to block a real reorder. */
export const DEFAULT_WINDOW_HOURS = 1;

/** Pages the guard reads at most: page 1 (it tells the page count), then back from the newest, 10 pages (91 to 100 orders). */
export const GUARD_MAX_PAGES = 11;

const ORDER_SWITCH = 'Skip If the Same Order Was Placed Recently';

/** The options of an operation that places orders: the guard that makes a re-run, a crash or a retry harmless. */
export function guardOptionsFor(switchName: string, description: string, more: INodeProperties[] = []): INodeProperties {
	return optionsField([
		{ displayName: switchName, name: 'skipIfRecentlyPlaced', type: 'boolean', default: true, description },
		{
			displayName: 'Within Hours',
			name: 'recentHours',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: DEFAULT_WINDOW_HOURS,
			description: `How far back an equal order counts as the same order. The check reads at most ${GUARD_MAX_PAGES} pages of orders (about ${(GUARD_MAX_PAGES - 1) * PAGE_SIZE}) and refuses to order when more than that were placed within the window.`,
		},
		...more,
	]);
}

/** Create's options (shown by create.operation.ts). */
export const guardOptions = guardOptionsFor(
	ORDER_SWITCH,
	'Whether to look at the orders placed within the hours below first (on unless turned off here) and, when one has the same products, quantities and delivery address, output it with "skipped: true" instead of ordering again. Turn off to order the same products again on purpose.',
);

/** The guard's window in hours for one item, or undefined when turned off; never off for an AI agent, which must not order twice by retrying. */
export function guardWindowHours(context: IExecuteFunctions, itemIndex: number): number | undefined {
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	if (options.skipIfRecentlyPlaced === false && !isToolCall(context)) return undefined;
	const hours = Number(options.recentHours ?? DEFAULT_WINDOW_HOURS);
	if (!(hours > 0) || !Number.isFinite(hours)) {
		throw new Error(`Within Hours must be a positive number, got "${String(options.recentHours)}"`);
	}
	return hours;
}

/**
 * What makes two orders the same for the guard: the total quantity per product id (two rows of one product count
 * as their sum), and the delivery address when the item gives one. Without one 1NCE ships to the organisation's
 * default, which the node cannot see, so the address is then not compared.
 */
function orderKey(products: unknown, idName: string, address: unknown, withAddress: boolean): string {
	const totals = new Map<number, number>();
	for (const row of (products ?? []) as IDataObject[]) {
		const id = Number(row[idName]);
		totals.set(id, (totals.get(id) ?? 0) + Number(row.quantity));
	}
	const basket = [...totals]
		.sort(([a], [b]) => a - b)
		.map(([id, quantity]) => `${id}x${quantity}`)
		.join(',');
	if (!withAddress) return basket;
	// The fields 1NCE stores, trimmed and case-folded (salutation left out: 1NCE may default it).
	const fields = (address && typeof address === 'object' ? address : {}) as IDataObject;
	return `${basket}|${JSON.stringify(ADDRESS_FIELDS.map((field) => String(fields[field.name] ?? '').trim().toLowerCase()))}`;
}

/** What one operation's guard looks for: the orders `same` accepts; `key` names this run's orders placed without a number (see Claims). */
export interface GuardTarget {
	key: string;
	same: (order: Order) => boolean;
	/** The guard's switch, named when the guard cannot tell. */
	switchName: string;
}

/** Create's guard: an order with the same basket (and address, when the item gives one) as `body`. */
export function sameOrderAs(body: IDataObject): GuardTarget {
	const withAddress = Boolean(body.delivery_address);
	const key = orderKey(body.products, 'productId', body.delivery_address, withAddress);
	const same = (order: Order) => orderKey(order.products, 'product_id', order.shipping_address, withAddress) === key;
	return { key, same, switchName: ORDER_SWITCH };
}

/**
 * Every order placed within the last `hours`, newest first, in at most GUARD_MAX_PAGES requests. When that is not
 * enough the guard cannot tell, and refuses rather than order blindly.
 */
async function readRecentOrders(this: ApiContext, hours: number, switchName: string): Promise<Order[]> {
	const since = Date.now() - hours * 3_600_000;
	const scan = await listNewestOrders.call(this, { filter: { placedSince: since }, maxPages: GUARD_MAX_PAGES });
	if (scan.complete === false) {
		throw new Error(
			`Nothing was ordered: the duplicate check could not see every order placed within the last ${hours} h in ${GUARD_MAX_PAGES} requests (more than ${scan.orders.length} orders). Shorten Within Hours in Options, or turn ${switchName} off to order without the check.`,
		);
	}
	return scan.orders;
}

/** The newest order within the window that `target` accepts and no other item of this run accounts for (see Claims). */
function findUnclaimed(recent: Order[], target: GuardTarget, claims: Claims): Order | undefined {
	let ours = claims.unnumbered.get(target.key) ?? 0;
	return recent.find((order) => {
		if (!target.same(order) || claims.numbers.has(order.order_number)) return false;
		// An order this run placed without learning its number is among the newest equal ones.
		if (ours === 0) return true;
		ours--;
		return false;
	});
}

/** Marks an order as this run's (placed by one of its items, number known or not, or matched by a skipped one). */
export function claimKey(claims: Claims, key: string, orderNumber: unknown): void {
	if (orderNumber !== null && orderNumber !== undefined) {
		claims.numbers.add(orderNumber);
		return;
	}
	claims.unnumbered.set(key, (claims.unnumbered.get(key) ?? 0) + 1);
}

/** What one run of the node shares between its items: what was placed (see placement.ts) and one read per window. */
export interface OrderSession {
	record: RunRecord;
	recent: Map<number, Promise<Order[]>>;
}

/** The guard's finding for one item (`hours` undefined: off): the order to output instead of placing one, and what to report. */
export async function checkRecent(
	this: IExecuteFunctions,
	session: OrderSession,
	itemIndex: number,
	hours: number | undefined,
	target: GuardTarget,
): Promise<{ match?: Order; report: IDataObject }> {
	if (hours === undefined) return { report: {} };
	// Read once per window per run of the node, whatever the number of items.
	let read = session.recent.get(hours);
	if (!read) {
		read = readRecentOrders.call(this, hours, target.switchName);
		session.recent.set(hours, read);
	}
	let recent: Order[];
	try {
		recent = await read;
	} catch (error) {
		session.recent.delete(hours);
		const after = 'No order was sent: the duplicate check comes first. Sending it again is safe: Retry On Fail does.';
		throw retold(this, asNodeError(this.getNode(), error, itemIndex), itemIndex, { after });
	}
	const summary = { orders_checked: recent.length, complete: true, within_hours: hours };
	const match = findUnclaimed(recent, target, session.record.claims);
	if (match) claimKey(session.record.claims, target.key, match.order_number);
	return { match, report: { skipped: match !== undefined, duplicate_check: summary } };
}
