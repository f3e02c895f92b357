import type { IPollFunctions } from 'n8n-workflow';

import { failureKindOf } from '../transport/errors';
import type { Order, OrderPage } from '../transport/orders';
import { fetchOrderPage, getOrder } from '../transport/orders';
import type { RetryBudget } from '../transport/retry';
import { AttemptBudgetSpent } from '../transport/retry';
import { packageNow } from '../transport/timing';
import { POLL_DEADLINE_MS } from './pollLock';

/**
 * Waiting per request (pacing, rate limits, backoff), far below the action node's 6 minutes, so that a poll
 * usually ends before the next is due. A request that gives up fails the poll, which changes nothing.
 */
export const POLL_MAX_WAIT_MS = 40_000;

/**
 * One budget for a whole poll: every HTTP attempt (retries and the resend after a token refresh included)
 * takes one; none is sent once they are used up or POLL_DEADLINE_MS has passed (both: AttemptBudgetSpent).
 */
export function pollBudget(requests: number): RetryBudget {
	return { maxWaitMs: POLL_MAX_WAIT_MS, attempts: { remaining: requests }, deadline: packageNow() + POLL_DEADLINE_MS };
}

/** What a read gives when the poll's request budget ran out before it was sent. */
export const SPENT: unique symbol = Symbol('request budget spent');

/** The answer, or SPENT when the budget ran out; any other failure passes on (the node wraps it for n8n). */
export async function unlessSpent<T>(request: Promise<T>): Promise<T | typeof SPENT> {
	return await request.catch((error: unknown) => {
		if (error instanceof AttemptBudgetSpent) return SPENT;
		throw error;
	});
}

/**
 * How a poll reads 1NCE; the node passes the real transport, unit tests an in-memory list. Both calls throw
 * AttemptBudgetSpent, before sending anything, once the poll's request budget is spent.
 */
export interface TriggerIo {
	fetchPage(page: number): Promise<OrderPage>;
	/** The order, or undefined when 1NCE says it does not exist. */
	fetchOrder(orderNumber: number): Promise<Order | undefined>;
}

export function triggerIo(context: IPollFunctions, budget: RetryBudget): TriggerIo {
	return {
		// Sorted by order number ascending (also 1NCE's default), which the page plan relies on.
		fetchPage: async (page) => await fetchOrderPage.call(context, page, 'order_number', budget),
		// A missing order is an answer; anything else (a spent budget included) passes on.
		fetchOrder: async (orderNumber) =>
			await getOrder.call(context, orderNumber, budget).catch((error: unknown) => {
				if (failureKindOf(error) === 'not-found') return undefined;
				throw error;
			}),
	};
}
