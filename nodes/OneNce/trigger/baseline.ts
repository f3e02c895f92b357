import { detectChanges } from './changes';
import { PageBook } from './pageBook';
import type { PlanGoal } from './pagePlan';
import { countUpTo, maxProbesFor, observe, readPlanned } from './pollShared';
import { startRecovery } from './recovery';
import { isFinalIn } from './settings';
import type { TriggerState } from './state';
import { isoTime, statusSignature, watchingOf } from './state';
import type { ModeResult, PollInput } from './types';

/**
 * The baseline: a poll without a usable state. Records the orders as they are and emits nothing; the newest
 * pages are read now, the older ones by the full scan over the next polls.
 */
export async function baseline(input: PollInput): Promise<ModeResult> {
	const { settings, io, now, account } = input;
	const state: TriggerState = {
		version: 2,
		account,
		generation: 0,
		orderCount: 0,
		highestOrder: 0,
		watching: {},
		finalStatuses: statusSignature(settings.finals),
		lastFullScan: isoTime(now),
	};
	const goal: PlanGoal = { find: [], end: { hintPage: 1 }, fullScan: { top: 'end', count: settings.fullScanPagesPerPoll } };
	const book = new PageBook();
	const planned = await readPlanned(book, goal, io, maxProbesFor(settings));
	if ('inconsistent' in planned) {
		// Every order already there is adopted while the recovery reads the list from page 1.
		const result = await startRecovery(input, { ...state, baselineIncomplete: true }, planned.inconsistent);
		return { ...result, transitions: [] };
	}
	const unnumbered = book.unnumbered();
	let top = planned.resolution.end;
	if (top === undefined) {
		// The budget ran out before the last page was found: start from the highest page read, adopt
		// the orders above it as the next polls read on.
		top = book.pages().filter((p) => p.range).pop()?.page;
		if (top === undefined) return { transitions: [], state: undefined, budgetSpent: true, unnumbered };
		state.newOrdersBehind = true;
		state.baselineIncomplete = true;
	}
	state.orderCount = countUpTo(book, top);
	state.highestOrder = Math.max(0, ...book.pages().flatMap((p) => p.numbers.filter((n) => !Number.isNaN(n))));
	const diff = detectChanges({ watched: [], last: state.highestOrder, observed: observe(book), gone: new Set(), isFinal: isFinalIn(settings.finals) });
	state.watching = watchingOf(diff.watched);
	const next = (planned.resolution.scanned?.to ?? top + 1) - 1;
	if (next >= 1) state.fullScan = { nextPage: next, startedAt: isoTime(now) };
	return { transitions: [], state, budgetSpent: planned.spent, unnumbered };
}
