import { detectChanges } from './changes';
import { SPENT, unlessSpent } from './io';
import { PageBook } from './pageBook';
import { countUpTo, observe } from './pollShared';
import { isFinalIn } from './settings';
import type { TriggerState } from './state';
import { isoTime, watchedList, watchingOf } from './state';
import type { ModeResult, PollInput } from './types';

/** Stops a recovery of an API that ignores `page` and never sends a short page. */
const MAX_RECOVERY_PAGES = 20_000;

/**
 * Begins a recovery and runs its first poll: the page positions the state holds can no longer be trusted, so
 * every page is read again from page 1, a budget's worth per poll. A running full scan is superseded.
 */
export async function startRecovery(input: PollInput, state: TriggerState, reason: string): Promise<ModeResult> {
	const started: TriggerState = {
		...state,
		recovery: { reason, nextPage: 1, startedAt: isoTime(input.now), highestSeen: state.highestOrder, reportedNew: [] },
	};
	delete started.fullScan;
	delete started.searchPending;
	delete started.nextWatchCheck;
	return { ...(await recover(input, started)), recoveryStarted: reason };
}

/**
 * One poll of a recovery: pages from `recovery.nextPage` upwards until the last page or the budget. Watched
 * orders found are compared as usual; an order above highestOrder is reported as new once (its number is
 * kept until the recovery ends, since the pages are not trusted to stay put); other open orders are watched
 * from then on without an event. At the last page, highestOrder and orderCount are set from what was read.
 */
export async function recover({ settings, io }: PollInput, state: TriggerState): Promise<ModeResult> {
	const progress = state.recovery!;
	const book = new PageBook();
	let page = progress.nextPage;
	let previous = '';
	for (;;) {
		if (page > MAX_RECOVERY_PAGES) throw new Error(`The order list did not end within ${MAX_RECOVERY_PAGES} pages`);
		const result = await unlessSpent(io.fetchPage(page));
		if (result === SPENT) break;
		const entry = book.add(result);
		if (entry.last) break;
		const numbers = entry.numbers.join(',');
		if (numbers === previous) throw new Error(`1NCE returned the same orders for pages ${page - 1} and ${page}`);
		previous = numbers;
		page++;
	}
	// Stopped on the last page, or on the page the budget did not reach.
	const spent = !book.has(page);

	const watched = watchedList(state);
	const known = new Set(watched.map(([number]) => number));
	const reported = new Set(progress.reportedNew);
	const observed = observe(book, { from: 1, to: Infinity });
	let highestSeen = progress.highestSeen;
	for (const number of observed.keys()) {
		highestSeen = Math.max(highestSeen, number);
		if (reported.has(number) && !known.has(number)) observed.delete(number);
	}
	const isFinal = isFinalIn(settings.finals);
	const diff = detectChanges({ watched, last: state.highestOrder, observed, gone: new Set(), isFinal, adoptNew: state.baselineIncomplete === true });
	const next: TriggerState = { ...state, watching: watchingOf(diff.watched) };
	if (spent) {
		const found = diff.transitions.filter((t) => t.previous_status === null).map((t) => t.order_number);
		next.recovery = { ...progress, nextPage: page, highestSeen, reportedNew: [...progress.reportedNew, ...found] };
	} else {
		delete next.recovery;
		delete next.newOrdersBehind;
		delete next.baselineIncomplete;
		next.highestOrder = Math.max(state.highestOrder, highestSeen);
		next.orderCount = countUpTo(book, page);
		next.lastFullScan = progress.startedAt;
	}
	return { transitions: diff.transitions, state: next, budgetSpent: spent, unnumbered: book.unnumbered() };
}
