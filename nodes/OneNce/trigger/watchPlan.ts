import type { WatchedOrder } from './state';
import { pageOf } from './state';

/**
 * How many pages of watched orders one poll reads. Normally all but two requests of the budget (the newest
 * page and one more for new orders); while new orders are behind, a quarter, so the backlog shrinks fast
 * and every watched order is still checked every few polls.
 */
export function watchPageShare(budget: number, newOrdersBehind: boolean, narrow: boolean): number {
	return narrow ? 1 : Math.max(1, newOrdersBehind ? Math.ceil(budget / 4) : budget - 2);
}

/** The watch list in checking order: from `cursor` (an order number) upwards, then from the lowest number. */
export function rotation(watched: WatchedOrder[], cursor: number | undefined): WatchedOrder[] {
	if (cursor === undefined) return watched;
	const at = watched.findIndex(([number]) => number >= cursor);
	return at <= 0 ? watched : [...watched.slice(at), ...watched.slice(0, at)];
}

/**
 * The watched orders this poll looks for: the longest prefix of `ordered` whose pages, not counting
 * `freePage` (read anyway for new orders), number at most `pages`.
 */
export function selectWatched(ordered: WatchedOrder[], pages: number, freePage: number): WatchedOrder[] {
	const chosen = new Set<number>();
	const selected: WatchedOrder[] = [];
	for (const entry of ordered) {
		const page = pageOf(entry[2]);
		if (page !== freePage && !chosen.has(page)) {
			if (chosen.size >= pages) break;
			chosen.add(page);
		}
		selected.push(entry);
	}
	return selected;
}

