import type { IPollFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { fetchOrderPage, getOrder } from '../transport/orders';
import type { RetryBudget } from '../transport/retry';
import { AttemptBudgetSpent } from '../transport/retry';
import type { TriggerIo } from './poll';

/**
 * Waiting per request. A poll must finish well within n8n's shortest poll interval (one minute); a poll that
 * gives up changes nothing and the next one catches up.
 */
export const POLL_MAX_WAIT_MS = 40_000;

/**
 * One budget for a whole poll, shared by all its requests: every HTTP attempt (retries and the resend after a
 * token refresh included) takes one, and none is sent once they are used up.
 */
export function pollBudget(requests: number): RetryBudget {
	return { maxWaitMs: POLL_MAX_WAIT_MS, attempts: { remaining: requests } };
}

/** Sorted by order number ascending (also 1NCE's default), which the page plan relies on. */
const SORT = 'order_number';

export function triggerIo(context: IPollFunctions, budget: RetryBudget): TriggerIo {
	return {
		fetchPage: async (page) => await fetchOrderPage.call(context, page, SORT, budget),
		fetchOrder: async (orderNumber) => {
			try {
				return await getOrder.call(context, orderNumber, budget);
			} catch (error) {
				if (error instanceof NodeApiError && error.httpCode === '404') return undefined;
				// A spent budget passes on as it is: the poll stops there and keeps what it has.
				const passOn =
					error instanceof NodeApiError || error instanceof AttemptBudgetSpent
						? error
						: new NodeOperationError(context.getNode(), error as Error);
				throw passOn;
			}
		},
	};
}
