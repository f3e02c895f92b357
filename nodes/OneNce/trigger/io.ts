import type { IPollFunctions } from 'n8n-workflow';

import { failureKindOf } from '../transport/errors';
import { fetchOrderPage, getOrder } from '../transport/orders';
import type { RetryBudget } from '../transport/retry';
import { packageNow } from '../transport/timing';
import type { TriggerIo } from './types';
import { POLL_DEADLINE_MS } from './pollLock';

/**
 * Waiting per request (pacing, rate limits, backoff), far below the 6 minutes of the action node: a poll
 * should usually end before the next one is due. A request that gives up fails the poll, which changes
 * nothing; the next one catches up. The whole poll is bounded by POLL_DEADLINE_MS.
 */
export const POLL_MAX_WAIT_MS = 40_000;

/**
 * One budget for a whole poll, shared by all its requests: every HTTP attempt (retries and the resend after a
 * token refresh included) takes one, and none is sent once they are used up or POLL_DEADLINE_MS has passed
 * since the budget was made (both end the poll the same way: AttemptBudgetSpent).
 */
export function pollBudget(requests: number): RetryBudget {
	return { maxWaitMs: POLL_MAX_WAIT_MS, attempts: { remaining: requests }, deadline: packageNow() + POLL_DEADLINE_MS };
}

/** Sorted by order number ascending (also 1NCE's default), which the page plan relies on. */
const SORT = 'order_number';

export function triggerIo(context: IPollFunctions, budget: RetryBudget): TriggerIo {
	return {
		fetchPage: async (page) => await fetchOrderPage.call(context, page, SORT, budget),
		// A missing order is an answer; anything else (a spent budget included) passes on, and the node turns it
		// into the error n8n shows.
		fetchOrder: async (orderNumber) =>
			await getOrder.call(context, orderNumber, budget).catch((error: unknown) => {
				if (failureKindOf(error) === 'not-found') return undefined;
				throw error;
			}),
	};
}
