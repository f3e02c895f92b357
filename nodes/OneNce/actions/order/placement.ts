import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { errorMayHavePlacedOrder, withFailureData } from '../../transport/errors';
import { currentClock, processMap } from '../../transport/processState';

/**
 * What became of one item's order request in one run of the node, so that n8n calling execute() again (Retry On
 * Fail, also after On Error → Continue put an error item first) answers from here: 1NCE has no idempotency key.
 */
type Outcome = { sent: 'answered'; output: INodeExecutionData[] } | { sent: 'failed'; error: NodeApiError | NodeOperationError };

/**
 * Orders this run already accounts for, so that the duplicate guard never skips an item because of another item
 * of the same run: the orders it placed (by number, or by basket when 1NCE sent no number) and the orders its
 * skipped items were matched with.
 */
export interface Claims {
	numbers: Set<unknown>;
	/** Orders placed without a known number, per basket key: that many of the newest equal orders are ours. */
	unnumbered: Map<string, number>;
}

export interface RunRecord {
	at: number;
	items: Map<number, Outcome>;
	claims: Claims;
}

const newRecord = (at: number): RunRecord => ({ at, items: new Map(), claims: { numbers: new Set(), unnumbered: new Map() } });

// Per process (processState.ts): n8n runs a node's retries in the process that runs the execution.
// Bounded by age and count so a long-running n8n never grows it without limit.
const MAX_RUNS = 1000;
const MAX_AGE_MS = 6 * 60 * 60_000;
const runs = processMap<RunRecord>('placements');

function prune(now: number): void {
	for (const [key, record] of runs) {
		if (runs.size <= MAX_RUNS && now - record.at <= MAX_AGE_MS) break;
		runs.delete(key);
	}
}

const RETRY_WITHOUT_EXECUTION_ID =
	"Create cannot run with Retry On Fail here: n8n gave this run no execution id, so the node could not tell n8n's retry from a new run and might place an order twice. Turn off Retry On Fail in the node's settings.";

/** This run's record (execution id, node name, run index: a node in a loop orders anew); without an execution id, this call's alone. */
export function placementsOf(context: IExecuteFunctions): RunRecord {
	const executionId = context.getExecutionId();
	if (typeof executionId !== 'string' || executionId === '') {
		if (context.getNode().retryOnFail === true) throw new NodeOperationError(context.getNode(), RETRY_WITHOUT_EXECUTION_ID);
		return newRecord(currentClock().now());
	}
	const key = JSON.stringify([executionId, context.getNode().name, context.getWorkflowDataProxy(0).$runIndex]);
	const now = currentClock().now();
	let record = runs.get(key);
	if (!record) {
		record = newRecord(now);
		runs.set(key, record);
		prune(now);
	}
	return record;
}

const NOT_SENT_AGAIN =
	'n8n ran the node again (Retry On Fail) after this item had already been sent to 1NCE in this execution, so it was not sent again.';

/** A copy of `error`, with the data it carries, and `before` and `after` around its description; the original stays as it was. */
export function retold(
	context: IExecuteFunctions,
	error: NodeApiError | NodeOperationError,
	itemIndex: number,
	{ before, after }: { before?: string; after?: string },
): NodeApiError | NodeOperationError {
	const description = [before, error.description, after].filter(Boolean).join(' ');
	if (error instanceof NodeOperationError) return new NodeOperationError(context.getNode(), error.message, { description, itemIndex });
	const copy = new NodeApiError(context.getNode(), { message: error.message }, {
		message: error.message,
		description,
		httpCode: error.httpCode ?? undefined,
		itemIndex,
	});
	return withFailureData(error, copy);
}

/**
 * Sends item `itemIndex`'s order through `send` at most once per run of the node: a repeated call returns the
 * earlier output, or throws the earlier failure marked as not sent again. Only a failure whose request may have
 * reached 1NCE is remembered; any other placed nothing, so n8n's Retry On Fail sends the item again.
 */
export async function placeOnce(
	context: IExecuteFunctions,
	placements: RunRecord,
	itemIndex: number,
	send: () => Promise<INodeExecutionData[]>,
	asNodeError: (error: unknown) => NodeApiError | NodeOperationError,
): Promise<INodeExecutionData[]> {
	const earlier = placements.items.get(itemIndex);
	if (earlier?.sent === 'answered') return earlier.output.map((item) => ({ ...item, json: { ...item.json } }));
	if (earlier?.sent === 'failed') throw retold(context, earlier.error, itemIndex, { before: NOT_SENT_AGAIN });
	try {
		const output = await send();
		placements.items.set(itemIndex, { sent: 'answered', output });
		return output;
	} catch (error) {
		const nodeError = asNodeError(error);
		if (errorMayHavePlacedOrder(error)) placements.items.set(itemIndex, { sent: 'failed', error: nodeError });
		throw nodeError;
	}
}

/** For a later item's error: the orders this run placed, and the items the guard skipped, so the user knows what to look up. */
export function describePlaced(results: Array<{ itemIndex: number; json: IDataObject }>): string {
	const number = (json: IDataObject) =>
		json.order_number !== null && json.order_number !== undefined ? `order number ${json.order_number}` : 'no order number returned';
	const placed = results.filter(({ json }) => json.skipped !== true);
	const skipped = results.filter(({ json }) => json.skipped === true);
	const parts: string[] = [];
	if (placed.length) {
		const lines = placed.map(({ itemIndex, json }) => `item ${itemIndex}: 1NCE answered HTTP ${json.status_code} (${number(json)})`);
		parts.push(`Already placed in this run before the failure (${placed.length}): ${lines.join('; ')}. Check them with Get Many before ordering again.`);
	}
	if (skipped.length) {
		const lines = skipped.map(({ itemIndex, json }) => `item ${itemIndex}: same as ${number(json)}`);
		parts.push(`Skipped, nothing ordered, because an equal order was placed recently (${skipped.length}): ${lines.join('; ')}.`);
	}
	return parts.join(' ');
}
