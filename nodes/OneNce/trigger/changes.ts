import type { IDataObject } from 'n8n-workflow';

import type { Order } from '../transport/orders';
import type { WatchedOrder } from './state';

/** An order as read during this poll. */
export interface Observation {
	order: Order;
	/** Index in the list sorted by order number. */
	index: number;
	/** Read on a page of the complete tail, so a number above the previous highest is a new order. */
	inTail: boolean;
}

export interface Transition {
	order_number: number;
	/** null for an order not seen before. */
	previous_status: string | null;
	order_status: string;
	order: Order;
}

export interface DiffInput {
	watched: WatchedOrder[];
	/** Highest order number seen before this poll. */
	last: number;
	observed: Map<number, Observation>;
	/** Watched orders that no longer exist. */
	gone: Set<number>;
	isFinal: (status: string) => boolean;
	/** New orders are adopted, without an event (a baseline still reading towards the newest page). */
	adoptNew?: boolean;
}

export interface DiffResult {
	transitions: Transition[];
	watched: WatchedOrder[];
	last: number;
}

/** Statuses are free text: whatever 1NCE sends is data, including missing or odd values. */
export function statusOf(order: Order): string {
	const status = order?.order_status as unknown;
	if (typeof status === 'string') return status;
	if (status === undefined || status === null) return '';
	return JSON.stringify(status);
}

/**
 * Compares what this poll read with what the state remembers. Every change of a watched order is a
 * transition; an order above the previous highest number is new; any other order that is not final
 * (re-opened, or not yet seen by the baseline's full scan) is adopted: watched from now on without an event,
 * since its previous status is unknown.
 */
export function detectChanges(input: DiffInput): DiffResult {
	const { observed, gone, isFinal } = input;
	const transitions: Transition[] = [];
	const before = new Map(input.watched.map((entry) => [entry[0], entry]));
	const watched = new Map<number, WatchedOrder>();
	// A watched order not read this poll stays as it was, unless it no longer exists.
	for (const [number, entry] of before) if (!observed.has(number) && !gone.has(number)) watched.set(number, entry);
	let last = input.last;
	for (const [number, seen] of observed) {
		const was = before.get(number);
		if (was && gone.has(number)) continue;
		const current = statusOf(seen.order);
		const change = (previous: string | null) =>
			transitions.push({ order_number: number, previous_status: previous, order_status: current, order: seen.order });
		if (was) {
			if (current !== was[1]) change(was[1]);
		} else if (number > input.last) {
			// Only the complete tail proves that no new order between the old and the new highest was skipped.
			if (!seen.inTail) continue;
			if (!input.adoptNew) change(null);
			last = Math.max(last, number);
		}
		if (!isFinal(current)) watched.set(number, [number, current, seen.index]);
	}
	transitions.sort((a, b) => a.order_number - b.order_number);
	return { transitions, watched: [...watched.values()].sort((a, b) => a[0] - b[0]), last };
}

export interface EventFilter {
	/** Upper-case statuses to fire for; empty: any status. */
	statuses: Set<string>;
	includeNewOrders: boolean;
}

export interface OrderEvent extends IDataObject, Transition {
	detected_at: string;
}

export function toEvent({ order, ...change }: Transition, detectedAt: string): OrderEvent {
	return { ...change, detected_at: detectedAt, order };
}

/** The transitions the user asked for, as output items' JSON. The state records all of them regardless. */
export function selectEvents(transitions: Transition[], filter: EventFilter, detectedAt: string): OrderEvent[] {
	return transitions
		.filter((t) => t.previous_status !== null || filter.includeNewOrders)
		.filter((t) => filter.statuses.size === 0 || filter.statuses.has(t.order_status.trim().toUpperCase()))
		.map((t) => toEvent(t, detectedAt));
}
