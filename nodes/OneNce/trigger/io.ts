import type { IPollFunctions } from 'n8n-workflow';

import { failureKindOf } from '../transport/errors';
import { fetchOrderPage, getOrder } from '../transport/orders';
import type { RetryBudget } from '../transport/retry';
import { packageNow } from '../transport/timing';
import type { TriggerIo } from './types';
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
