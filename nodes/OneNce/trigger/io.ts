import type { IPollFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { fetchOrderPage, getOrder } from '../transport/orders';
import type { RetryBudget } from '../transport/retry';
import type { TriggerIo } from './poll';

/**
 * Per request. A poll must finish well within n8n's shortest poll interval (one minute); a poll that gives up
 * changes nothing and the next one catches up.
 */
export const POLL_RETRY_BUDGET: RetryBudget = { maxWaitMs: 40_000 };

/** Sorted by order number ascending (also 1NCE's default), which the page plan relies on. */
const SORT = 'order_number';

export function triggerIo(context: IPollFunctions): TriggerIo {
	return {
		fetchPage: async (page) => await fetchOrderPage.call(context, page, SORT, POLL_RETRY_BUDGET),
		fetchOrder: async (orderNumber) => {
			try {
				return await getOrder.call(context, orderNumber, POLL_RETRY_BUDGET);
			} catch (error) {
				if (error instanceof NodeApiError && error.httpCode === '404') return undefined;
				const nodeError = error instanceof NodeApiError ? error : new NodeOperationError(context.getNode(), error as Error);
				throw nodeError;
			}
		},
	};
}
