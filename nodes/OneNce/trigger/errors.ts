import { AttemptBudgetSpent } from '../transport/retry';

/** What a read gives when the poll's request budget ran out before it was sent. */
export const SPENT: unique symbol = Symbol('request budget spent');

/** The answer, or SPENT when the budget ran out; any other failure passes on (the node wraps it for n8n). */
export async function unlessSpent<T>(request: Promise<T>): Promise<T | typeof SPENT> {
	return await request.catch((error: unknown) => {
		if (error instanceof AttemptBudgetSpent) return SPENT;
		throw error;
	});
}
