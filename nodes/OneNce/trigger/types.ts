import type { Order, OrderPage } from '../transport/orders';

/**
 * How a poll reads 1NCE; the node passes the real transport, unit tests an in-memory list. Both calls throw
 * AttemptBudgetSpent, before sending anything, once the poll's request budget is used up.
 */
export interface TriggerIo {
	fetchPage(page: number): Promise<OrderPage>;
	/** The order, or undefined when 1NCE says it does not exist. */
	fetchOrder(orderNumber: number): Promise<Order | undefined>;
}

/** What a poll read, whichever of its modes did the reading. */
export interface PollLog {
	pagesRead: number[];
	ordersRead: number[];
	unnumbered: unknown[];
}
