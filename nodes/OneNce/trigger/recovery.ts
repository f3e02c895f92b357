import { PAGE_SIZE } from '../transport/orders';
import type { Observation, Transition } from './changes';
import { detectChanges } from './changes';
import { PageBook } from './pageBook';
import { OrderListError, SPENT, unlessSpent } from './errors';
import type { PollLog, TriggerIo } from './types';
import type { TriggerSettings } from './settings';
import { isFinalIn } from './settings';
import type { TriggerState } from './state';
import { isoTime, watchedList, watchingOf } from './state';

/** Stops a recovery of an API that ignores `page` and never sends a short page. */
const MAX_RECOVERY_PAGES = 20_000;

/**
 * The state with a recovery begun: the page positions it holds can no longer be trusted, so every page
 * is read again from page 1, a budget's worth per poll. A running full scan is superseded.
 */
export function startRecovery(state: TriggerState, reason: string, now: number): TriggerState {
	const started: TriggerState = {
		...state,
		recovery: { reason, nextPage: 1, startedAt: isoTime(now), highestSeen: state.highestOrder, reportedNew: [] },
	};
	delete started.fullScan;
	delete started.searchPending;
	delete started.nextWatchCheck;
	return started;
}

export interface RecoveryResult {
	transitions: Transition[];
	state: TriggerState;
	budgetSpent: boolean;
}

/**
 * One poll of a recovery: pages from `recovery.nextPage` upwards until the last page or the budget. Watched
 * orders found are compared as usual; an order above highestOrder is reported as new once (its number is
 * kept until the recovery ends, since the pages are not trusted to stay put); other open orders are watched
 * from then on without an event. At the last page, highestOrder and orderCount are set from what was read.
 */
export async function recover(
	state: TriggerState,
	settings: TriggerSettings,
	io: TriggerIo,
	log: PollLog,
): Promise<RecoveryResult> {
	const progress = state.recovery!;
	const book = new PageBook();
	let page = progress.nextPage;
	let count: number | undefined;
	let spent = false;
	let previous = '';
	for (;;) {
		if (page > MAX_RECOVERY_PAGES) throw new OrderListError(`The order list did not end within ${MAX_RECOVERY_PAGES} pages`);
		const result = await unlessSpent(io.fetchPage(page));
		if (result === SPENT) {
			spent = true;
			break;
		}
		const entry = book.add(result);
		if (entry.last) {
			count = (page - 1) * PAGE_SIZE + entry.orders.length;
			break;
		}
		const numbers = entry.numbers.join(',');
		if (numbers === previous) throw new OrderListError(`1NCE returned the same orders for pages ${page - 1} and ${page}`);
		previous = numbers;
		page++;
	}
	log.unnumbered.push(...book.unnumbered());

	const watched = watchedList(state);
	const known = new Set(watched.map(([number]) => number));
	const reported = new Set(progress.reportedNew);
	const observed = new Map<number, Observation>();
	let highestSeen = progress.highestSeen;
	for (const entry of book.pages()) {
		entry.numbers.forEach((number, slot) => {
			if (Number.isNaN(number)) return;
			highestSeen = Math.max(highestSeen, number);
			if (reported.has(number) && !known.has(number)) return;
			observed.set(number, { order: entry.orders[slot], index: (entry.page - 1) * PAGE_SIZE + slot, inTail: true });
		});
	}
	const diff = detectChanges({
		watched,
		last: state.highestOrder,
		observed,
		gone: new Set(),
		isFinal: isFinalIn(settings.finals),
		adoptNew: state.baselineIncomplete === true,
	});
	const next: TriggerState = { ...state, watching: watchingOf(diff.watched) };
	if (count === undefined) {
		const found = diff.transitions.filter((t) => t.previous_status === null).map((t) => t.order_number);
		next.recovery = { ...progress, nextPage: page, highestSeen, reportedNew: [...progress.reportedNew, ...found] };
	} else {
		delete next.recovery;
		delete next.newOrdersBehind;
		delete next.baselineIncomplete;
		next.highestOrder = Math.max(state.highestOrder, highestSeen);
		next.orderCount = count;
		next.lastFullScan = progress.startedAt;
	}
	return { transitions: diff.transitions, state: next, budgetSpent: spent };
}
