import { PAGE_SIZE } from '../transport/orders';

/** [order_number, last seen order_status, index in the list sorted by order number]. */
export type WatchedOrder = [number, string, number];

/**
 * What the trigger keeps in the workflow's static data between polls. Only orders that can still change
 * are remembered (not one entry per historic order), plus enough position information to find them and
 * the new orders again: JSON of about 1 KB with 30 open orders.
 */
export interface TriggerState {
	v: 1;
	/** Number of orders at the last poll; the order numbered `last` sat at index n - 1. */
	n: number;
	/** Highest order number seen; every order above it is new. 0 when the account had no orders. */
	last: number;
	/** Orders not in a final status, ascending by number. */
	w: WatchedOrder[];
	/** Signature of the final statuses the watch list was built with. */
	f: string;
	/** Start time (epoch ms) of the last completed reconciliation scan. */
	r: number;
	/** Reconciliation scan in progress: [next page to read, going down towards page 1; start time in epoch ms]. */
	s?: [number, number];
}

/** Key of the state inside the node's static data. */
export const STATE_KEY = 'orderWatch';

const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

function isWatched(value: unknown): value is WatchedOrder {
	return (
		Array.isArray(value) &&
		value.length === 3 &&
		isCount(value[0]) &&
		typeof value[1] === 'string' &&
		isCount(value[2])
	);
}

/**
 * The stored state, or undefined when there is none or it is unreadable (another version, edited by hand):
 * the poll then records a new baseline instead of guessing.
 */
export function parseState(raw: unknown): TriggerState | undefined {
	if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
	const state = raw as Record<string, unknown>;
	if (state.v !== 1 || !isCount(state.n) || !isCount(state.last) || typeof state.f !== 'string') return undefined;
	if (!isCount(state.r) || !Array.isArray(state.w) || !state.w.every(isWatched)) return undefined;
	const sweep = state.s;
	if (sweep !== undefined && !(Array.isArray(sweep) && sweep.length === 2 && isCount(sweep[0]) && isCount(sweep[1]))) {
		return undefined;
	}
	// A copy: n8n hands out its own (observable) objects, and the poll must never change them in place.
	const parsed: TriggerState = {
		v: 1,
		n: state.n,
		last: state.last,
		w: (state.w as WatchedOrder[]).map(([number, status, index]) => [number, status, index]),
		f: state.f,
		r: state.r,
	};
	if (sweep) parsed.s = [(sweep as number[])[0], (sweep as number[])[1]];
	return parsed;
}

/** 1-based page that holds the 0-based list index. */
export function pageOf(index: number): number {
	return Math.floor(Math.max(0, index) / PAGE_SIZE) + 1;
}

/** Short, stable signature of a set of statuses (order and case do not matter). */
export function statusSignature(statuses: Iterable<string>): string {
	const text = [...new Set([...statuses].map((s) => s.trim().toUpperCase()))].sort().join('\n');
	let hash = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		hash ^= text.charCodeAt(i);
		hash = Math.imul(hash, 0x01000193);
	}
	return (hash >>> 0).toString(36);
}

/** Size in bytes of the JSON n8n stores for this node's static data (what the benchmark reports). */
export function stateBytes(staticData: unknown): number {
	return new TextEncoder().encode(JSON.stringify(staticData ?? {})).length;
}
