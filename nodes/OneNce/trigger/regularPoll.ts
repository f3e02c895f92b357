import type { Order } from '../transport/orders';
import { detectChanges } from './changes';
import { SPENT, unlessSpent } from './io';
import { orderNumberOf, PageBook } from './pageBook';
import type { PlanGoal } from './pagePlan';
import { countUpTo, maxProbesFor, observe, readPlanned } from './pollShared';
import { startRecovery } from './recovery';
import { isFinalIn } from './settings';
import type { FullScanProgress, TriggerState } from './state';
import { isoTime, pageOf, statusSignature, watchedList, watchingOf } from './state';
import type { ModeResult, PollInput } from './types';
import { rotation, selectWatched, watchPageShare } from './watchPlan';

/**
 * A regular poll: reads the pages that can hold watched or new orders (plus a slice of the full scan while one
 * runs), compares them with `prior` and returns the events and the state to store. Work that does not fit the
 * request budget is carried in the state.
 */
export async function regularPoll(input: PollInput, prior: TriggerState): Promise<ModeResult> {
	const { settings, io, now } = input;
	const signature = statusSignature(settings.finals);
	const maxProbes = maxProbesFor(settings);

	// Other final statuses: orders now open again are only found by reading every page, from the top again.
	const finalsChanged = prior.finalStatuses !== signature;
	const runningFullScan = finalsChanged ? undefined : prior.fullScan;
	const due = settings.fullScanIntervalMs > 0 && now - Date.parse(prior.lastFullScan) >= settings.fullScanIntervalMs;
	const fullScanning = runningFullScan !== undefined || due || finalsChanged;

	const watched = watchedList(prior);
	const boundaryPage = pageOf(prior.orderCount - 1);
	const ordered = rotation(watched, prior.nextWatchCheck);
	const share = watchPageShare(settings.requestsPerPoll, prior.newOrdersBehind === true, prior.searchPending === true);
	const selected = selectWatched(ordered, share, boundaryPage);
	const goal: PlanGoal = {
		boundary: { number: prior.highestOrder, hintPage: boundaryPage },
		find: selected.map(([number, , index]) => ({ number, hintPage: pageOf(index) })),
	};

	const book = new PageBook();
	const planned = await readPlanned(book, goal, io, maxProbes);
	if ('inconsistent' in planned) return await startRecovery(input, prior, planned.inconsistent);
	let { resolution, spent } = planned;
	const searchCut = planned.spent && planned.spentOn === 'search';

	// Watched orders the list does not show: read each directly, since a list that shifted while read can hide one.
	const lookups = new Map<number, Order | undefined>();
	const missing = selected.filter(([number]) => 'absent' in (resolution.located.get(number) ?? {}));
	for (const [number] of missing) {
		if (spent) break;
		const order = await unlessSpent(io.fetchOrder(number));
		if (order === SPENT) {
			spent = true;
			break;
		}
		if (order !== undefined && orderNumberOf(order) !== number) {
			throw new Error(`1NCE answered the request for order ${number} with order ${String(order.order_number)}; nothing was stored`);
		}
		lookups.set(number, order);
	}

	// A slice of the full scan, with what the budget has left.
	if (fullScanning && !spent) {
		const top = runningFullScan ? runningFullScan.nextPage : 'belowTail';
		const scanned = await readPlanned(book, { ...goal, fullScan: { top, count: settings.fullScanPagesPerPoll } }, io, maxProbes);
		if ('inconsistent' in scanned) return await startRecovery(input, prior, scanned.inconsistent);
		({ resolution, spent } = scanned);
	}
	const tail = resolution.tail && resolution.tail.to >= resolution.tail.from ? resolution.tail : undefined;
	const observed = observe(book, tail);
	const gone = new Set<number>();
	for (const [number, order] of lookups) {
		const index = prior.watching[String(number)].index;
		if (order) observed.set(number, { order, index, inTail: false });
		else gone.add(number);
	}
	const isFinal = isFinalIn(settings.finals);
	const diff = detectChanges({ watched, last: prior.highestOrder, observed, gone, isFinal, adoptNew: prior.baselineIncomplete === true });

	const state: TriggerState = {
		version: 2,
		account: prior.account,
		generation: prior.generation,
		orderCount: tail ? countUpTo(book, tail.to) : prior.orderCount,
		highestOrder: diff.last,
		watching: watchingOf(diff.watched),
		finalStatuses: signature,
		lastFullScan: prior.lastFullScan,
	};

	let fullScan: FullScanProgress | undefined = runningFullScan;
	if (fullScanning) {
		const startedAt = runningFullScan?.startedAt ?? isoTime(now);
		const nothingBelow = tail !== undefined && tail.from <= 1;
		if (resolution.scanned || nothingBelow) {
			const next = resolution.scanned ? resolution.scanned.to - 1 : 0;
			fullScan = next >= 1 ? { nextPage: next, startedAt } : undefined;
			if (!fullScan) state.lastFullScan = startedAt;
		} else {
			// Started but not reached within the budget: it begins just below the newest page next time.
			fullScan = { nextPage: runningFullScan?.nextPage ?? Math.max(1, (tail?.from ?? boundaryPage) - 1), startedAt };
		}
	}
	// Orders moved or vanished, or the list shrank: not expected of 1NCE, so a full scan starts.
	const boundary = resolution.located.get(prior.highestOrder);
	const moved =
		(tail !== undefined && state.orderCount < prior.orderCount) ||
		missing.length > 0 ||
		(prior.orderCount > 0 && boundary !== undefined && !('index' in boundary && boundary.index === prior.orderCount - 1)) ||
		selected.some(([number, , index]) => {
			const where = resolution.located.get(number);
			return where !== undefined && 'index' in where && where.index !== index;
		});
	if (moved && !fullScan && tail && tail.from > 1) fullScan = { nextPage: tail.from - 1, startedAt: isoTime(now) };
	if (fullScan) state.fullScan = fullScan;

	// The next poll starts checking at the first order, in checking order, this one did not check.
	const cursor = ordered.find(([number]) => !observed.has(number) && !gone.has(number))?.[0];
	if (cursor !== undefined && state.watching[String(cursor)]) state.nextWatchCheck = cursor;
	if (!tail?.complete) state.newOrdersBehind = true;
	if (prior.baselineIncomplete && !tail?.complete) state.baselineIncomplete = true;
	if (searchCut) state.searchPending = true;

	return { transitions: diff.transitions, state, budgetSpent: spent, unnumbered: book.unnumbered() };
}
