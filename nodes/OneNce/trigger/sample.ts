import type { Order } from '../transport/orders';
import type { OrderEvent } from './changes';
import { statusOf, toEvent } from './changes';
import { SPENT, unlessSpent } from './io';
import type { BookPage } from './pageBook';
import { PageBook } from './pageBook';
import type { PlanGoal } from './pagePlan';
import { readPlanned } from './pollShared';
import type { TriggerState } from './state';
import { isoTime, pageOf } from './state';
import type { TriggerIo } from './io';

/** Pages the sample reads below the newest ones, at most, looking for an order it can sample. */
const SAMPLE_WALK_PAGES = 10;

/**
 * The sample (n8n's manual run, "Fetch Test Event"): the most recent order as an event, its previous status
 * from the state when the order is watched; nothing is stored. Unnumbered orders are skipped, as polls skip
 * them, and passed to `skipped`; when the newest pages hold only such orders, a few pages below are read for
 * one to sample. It fails only when no order it can track was found.
 */
export async function sampleEvent(
	prior: TriggerState | undefined,
	io: TriggerIo,
	now: number,
	skipped?: (unnumbered: unknown[]) => void,
): Promise<OrderEvent | undefined> {
	const goal: PlanGoal = { find: [], end: { hintPage: prior ? pageOf(prior.orderCount - 1) : 1 } };
	const book = new PageBook();
	const planned = await readPlanned(book, goal, io, 20);
	const endPage = 'resolution' in planned && planned.resolution.end !== undefined ? book.get(planned.resolution.end) : undefined;
	// Without a trustworthy last page, the highest number among the pages read will do for a sample.
	let pages = endPage ? [endPage] : book.pages();
	if (book.unnumbered().length > 0 && !endPage?.range) {
		// The newest orders cannot be tracked (a page of them leaves the end unresolved): the newest page below
		// them that holds one that can is sampled, else the pages read.
		const top = Math.max(0, ...book.pages().filter((page) => page.orders.length > 0).map((page) => page.page));
		let found: BookPage | undefined;
		for (let page = top, fetched = 0; page >= 1 && !found; page--) {
			let entry = book.get(page);
			if (!entry) {
				if (fetched++ >= SAMPLE_WALK_PAGES) break;
				const result = await unlessSpent(io.fetchPage(page));
				if (result === SPENT) break;
				entry = book.add(result);
			}
			if (entry.range) found = entry;
		}
		pages = found ? [found] : book.pages();
	}
	const unnumbered = book.unnumbered();
	let newest: { number: number; order: Order } | undefined;
	for (const page of pages) {
		// NaN (an unnumbered order) is never greater.
		page.numbers.forEach((number, slot) => {
			if (number > (newest?.number ?? -Infinity)) newest = { number, order: page.orders[slot] };
		});
	}
	if (!newest) {
		if (unnumbered.length === 0) return undefined;
		throw new Error(
			`1NCE returned ${unnumbered.length} order(s) whose order_number is not a whole number (e.g. ${JSON.stringify(unnumbered[0]) ?? 'none'}) and no order with one among the newest pages; the trigger cannot track such orders and skips them on every poll`,
		);
	}
	if (unnumbered.length > 0) skipped?.(unnumbered);
	const { number, order } = newest;
	const previous = prior?.watching[String(number)]?.status ?? null;
	return toEvent({ order_number: number, previous_status: previous, order_status: statusOf(order), order }, isoTime(now));
}
