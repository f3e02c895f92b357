import type { Order } from '../transport/orders';
import { PAGE_SIZE } from '../transport/orders';
import type { Observation, OrderEvent, Transition } from './changes';
import { detectChanges, selectEvents, statusOf, toEvent } from './changes';
import { OrderListError, SPENT, UnnumberedOrdersError, unlessSpent } from './errors';
import type { BookPage } from './pageBook';
import { orderNumberOf, PageBook } from './pageBook';
import type { PlanGoal, PlanReason, Resolution } from './pagePlan';
import { nextStep } from './pagePlan';
import { recover, startRecovery } from './recovery';
import type { TriggerSettings } from './settings';
import { isFinalIn } from './settings';
import type { FullScanProgress, TriggerState, WatchedOrder } from './state';
import { epochOf, isoTime, pageOf, statusSignature, watchedList, watchingOf } from './state';
import type { PollLog, TriggerIo } from './types';
import { nextCursor, rotation, selectWatched, watchPageShare } from './watchPlan';

export type { PollLog, TriggerIo };

export interface PollInput {
	prior: TriggerState | undefined;
	settings: TriggerSettings;
	io: TriggerIo;
	now: number;
	/** accountKey() of the credential: what a new state is bound to. */
	account: string;
}

export interface PollOutcome {
	/** Output items' JSON: the transitions the user asked for. */
	events: OrderEvent[];
	/** Every transition seen, including those filtered out. */
	transitions: Transition[];
	/** The state to store (its generation is the prior one; the caller bumps it). Undefined: nothing to store. */
	state: TriggerState | undefined;
	/** Pages read, in order. */
	pagesRead: number[];
	/** Single orders read because they were missing from the list. */
	ordersRead: number[];
	baseline: boolean;
	/** The request budget ran out: the rest of the work is carried in the state. */
	budgetSpent: boolean;
	/** Why the list could not be trusted, when this poll started a recovery. */
	recoveryStarted?: string;
	/** order_number values of orders skipped because they are not whole numbers. */
	unnumbered: unknown[];
}

export { OrderListError, UnnumberedOrdersError };


export type Planned =
	| { resolution: Resolution; spent: false }
	| { resolution: Resolution; spent: true; spentOn: PlanReason }
	| { inconsistent: string };

/** Reads the pages `goal` needs into `book` until done, the list contradicts itself, or the budget is spent. */
export async function readPlanned(
	book: PageBook,
	goal: PlanGoal,
	io: TriggerIo,
	log: PollLog,
	maxProbes: number,
): Promise<Planned> {
	let probes = 0;
	for (;;) {
		const step = nextStep(book, goal);
		if (step.kind === 'done') return { resolution: step.resolution, spent: false };
		if (step.kind === 'inconsistent') return { inconsistent: step.reason };
		if (step.reason === 'search' && ++probes > maxProbes) {
			return { inconsistent: `an order was not found within ${maxProbes} pages of where it was` };
		}
		const page = await unlessSpent(io.fetchPage(step.page));
		if (page === SPENT) return { resolution: step.resolution, spent: true, spentOn: step.reason };
		log.pagesRead.push(step.page);
		book.add(page);
	}
}

/** Search probes one poll may spend; a search that needs more means the list changed beyond recognition. */
function maxProbesFor(settings: TriggerSettings): number {
	return Math.max(3, settings.requestsPerPoll - 4);
}

function observe(book: PageBook, tail?: { from: number; to: number }): Map<number, Observation> {
	const observed = new Map<number, Observation>();
	for (const page of book.pages()) {
		const inTail = tail !== undefined && page.page >= tail.from && page.page <= tail.to;
		page.numbers.forEach((number, slot) => {
			if (Number.isNaN(number)) return;
			observed.set(number, { order: page.orders[slot], index: (page.page - 1) * PAGE_SIZE + slot, inTail });
		});
	}
	return observed;
}

function countUpTo(book: PageBook, page: number): number {
	return page < 1 ? 0 : (page - 1) * PAGE_SIZE + (book.get(page)?.orders.length ?? 0);
}

function highest(book: PageBook): number {
	let max = 0;
	for (const page of book.pages()) for (const n of page.numbers) if (!Number.isNaN(n)) max = Math.max(max, n);
	return max;
}

function outcome(
	log: PollLog,
	settings: TriggerSettings,
	now: number,
	parts: { transitions: Transition[]; state: TriggerState | undefined; baseline: boolean; budgetSpent: boolean; recoveryStarted?: string },
): PollOutcome {
	return {
		events: selectEvents(parts.transitions, settings.filter, isoTime(now)),
		transitions: parts.transitions,
		state: parts.state,
		pagesRead: log.pagesRead,
		ordersRead: log.ordersRead,
		baseline: parts.baseline,
		budgetSpent: parts.budgetSpent,
		recoveryStarted: parts.recoveryStarted,
		unnumbered: log.unnumbered,
	};
}

/**
 * One poll, within the request budget the io enforces. Reads the pages that can hold watched or
 * new orders (plus a slice of a full scan), compares them with `prior` and returns the events and
 * the state to store. Work that does not fit is carried in the state. Nothing is written here: a poll that
 * throws leaves the stored state as it was.
 */
export async function pollOrders(input: PollInput): Promise<PollOutcome> {
	const { prior, settings, io, now } = input;
	const log: PollLog = { pagesRead: [], ordersRead: [], unnumbered: [] };
	if (!prior) return await baseline(input, log);
	if (prior.recovery) {
		const result = await recover(prior, settings, io, log);
		return outcome(log, settings, now, { ...result, baseline: false });
	}
	return await regularPoll(input, prior, log);
}

async function baseline(input: PollInput, log: PollLog): Promise<PollOutcome> {
	const { settings, io, now, account } = input;
	const isFinal = isFinalIn(settings.finals);
	const fresh: TriggerState = {
		version: 2,
		account,
		generation: 0,
		orderCount: 0,
		highestOrder: 0,
		watching: {},
		finalStatuses: statusSignature(settings.finals),
		lastFullScan: isoTime(now),
	};
	// The newest pages now, older ones by the full scan over the next polls.
	const goal: PlanGoal = { find: [], end: { hintPage: 1 }, fullScan: { top: 'end', count: settings.fullScanPagesPerPoll } };
	const book = new PageBook();
	const planned = await readPlanned(book, goal, io, log, maxProbesFor(settings));
	if ('inconsistent' in planned) {
		// Every order already there is adopted while the recovery reads the list from page 1.
		const started = startRecovery({ ...fresh, baselineIncomplete: true }, planned.inconsistent, now);
		const result = await recover(started, settings, io, log);
		return outcome(log, settings, now, { ...result, transitions: [], baseline: true, recoveryStarted: planned.inconsistent });
	}
	log.unnumbered.push(...book.unnumbered());
	const { resolution } = planned;
	let top = resolution.end;
	const state: TriggerState = { ...fresh };
	if (top === undefined) {
		// The budget ran out before the last page was found: start from the highest page read, adopt
		// the orders above it as the next polls read on.
		top = book.pages().filter((p) => p.range).pop()?.page;
		if (top === undefined) return outcome(log, settings, now, { transitions: [], state: undefined, baseline: true, budgetSpent: true });
		state.newOrdersBehind = true;
		state.baselineIncomplete = true;
	}
	state.orderCount = countUpTo(book, top);
	state.highestOrder = highest(book);
	const diff = detectChanges({ watched: [], last: state.highestOrder, observed: observe(book), gone: new Set(), isFinal });
	state.watching = watchingOf(diff.watched);
	const next = (resolution.scanned?.to ?? top + 1) - 1;
	if (next >= 1) state.fullScan = { nextPage: next, startedAt: isoTime(now) };
	return outcome(log, settings, now, { transitions: [], state, baseline: true, budgetSpent: planned.spent });
}

async function regularPoll(input: PollInput, prior: TriggerState, log: PollLog): Promise<PollOutcome> {
	const { settings, io, now } = input;
	const isFinal = isFinalIn(settings.finals);
	const signature = statusSignature(settings.finals);
	const maxProbes = maxProbesFor(settings);

	// Other final statuses: orders now open again are only found by reading every page, from the top again.
	const finalsChanged = prior.finalStatuses !== signature;
	const runningFullScan = finalsChanged ? undefined : prior.fullScan;
	const due = settings.fullScanIntervalMs > 0 && now - epochOf(prior.lastFullScan) >= settings.fullScanIntervalMs;
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
	const startRecoveryFor = async (reason: string) => {
		const started = startRecovery(prior, reason, now);
		const result = await recover(started, settings, io, log);
		return outcome(log, settings, now, { ...result, baseline: false, recoveryStarted: reason });
	};
	const planned = await readPlanned(book, goal, io, log, maxProbes);
	if ('inconsistent' in planned) return await startRecoveryFor(planned.inconsistent);
	let { resolution, spent } = planned;
	const searchCut = planned.spent && planned.spentOn === 'search';

	// Watched orders the list does not show: read each directly, since a list that shifted while read can hide one.
	const lookups = new Map<number, Order | undefined>();
	const missing = selected.filter(([number]) => {
		const where = resolution.located.get(number);
		return where !== undefined && 'absent' in where;
	});
	for (const [number] of missing) {
		if (spent) break;
		const order = await unlessSpent(io.fetchOrder(number));
		if (order === SPENT) {
			spent = true;
			break;
		}
		log.ordersRead.push(number);
		if (order !== undefined && orderNumberOf(order) !== number) {
			throw new OrderListError(
				`1NCE answered the request for order ${number} with order ${String(order.order_number)}; nothing was stored`,
			);
		}
		lookups.set(number, order);
	}

	// A slice of the full scan, with what the budget has left.
	if (fullScanning && !spent) {
		const top = runningFullScan ? runningFullScan.nextPage : 'belowTail';
		const scanned = await readPlanned(book, { ...goal, fullScan: { top, count: settings.fullScanPagesPerPoll } }, io, log, maxProbes);
		if ('inconsistent' in scanned) return await startRecoveryFor(scanned.inconsistent);
		({ resolution, spent } = scanned);
	}
	log.unnumbered.push(...book.unnumbered());
	const tail = resolution.tail && resolution.tail.to >= resolution.tail.from ? resolution.tail : undefined;
	const observed = observe(book, tail);
	const gone = new Set<number>();
	for (const [number, order] of lookups) {
		const index = prior.watching[String(number)].index;
		if (order) observed.set(number, { order, index, inTail: false });
		else gone.add(number);
	}
	const diff = detectChanges({
		watched,
		last: prior.highestOrder,
		observed,
		gone,
		isFinal,
		adoptNew: prior.baselineIncomplete === true,
	});

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

	const checked = (number: number) => observed.has(number) || gone.has(number);
	const cursor = nextCursor(ordered, checked);
	if (cursor !== undefined && state.watching[String(cursor)]) state.nextWatchCheck = cursor;
	if (!tail?.complete) state.newOrdersBehind = true;
	if (prior.baselineIncomplete && !tail?.complete) state.baselineIncomplete = true;
	if (searchCut) state.searchPending = true;

	return outcome(log, settings, now, { transitions: diff.transitions, state, baseline: false, budgetSpent: spent });
}

/** Pages the sample reads below the newest ones, at most, looking for an order it can sample. */
const SAMPLE_WALK_PAGES = 10;

const hasNumbers = (page: BookPage) => page.numbers.some((number) => !Number.isNaN(number));

/**
 * The sample (n8n's manual run, "Fetch Test Event"): the most recent order as an event, its previous status taken from the
 * state when the order is watched. Reads one or two pages and returns no state: nothing is stored.
 *
 * Orders whose order_number is not a whole number are skipped, as polls skip them, and passed to `skipped`
 * (once, before the sample is returned); when the newest pages hold only such orders, the pages below them
 * are read (a few, within the budget) for one to sample. It fails only when no order it can track was found.
 */
export async function sampleEvent(
	prior: TriggerState | undefined,
	io: TriggerIo,
	now: number,
	skipped?: (unnumbered: unknown[]) => void,
): Promise<OrderEvent | undefined> {
	const goal: PlanGoal = { find: [], end: { hintPage: prior ? pageOf(prior.orderCount - 1) : 1 } };
	const book = new PageBook();
	const planned = await readPlanned(book, goal, io, { pagesRead: [], ordersRead: [], unnumbered: [] }, 20);
	const endPage = 'resolution' in planned && planned.resolution.end !== undefined ? book.get(planned.resolution.end) : undefined;
	// Without a trustworthy last page, the highest number among the pages read will do for a sample.
	let pages = endPage ? [endPage] : book.pages();
	if (book.unnumbered().length > 0 && !(endPage && hasNumbers(endPage))) {
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
			if (hasNumbers(entry)) found = entry;
		}
		pages = found ? [found] : book.pages();
	}
	const unnumbered = book.unnumbered();
	let newest: Order | undefined;
	let newestNumber = -Infinity;
	for (const page of pages) {
		page.numbers.forEach((number, slot) => {
			if (!Number.isNaN(number) && number > newestNumber) {
				newestNumber = number;
				newest = page.orders[slot];
			}
		});
	}
	if (!newest) {
		if (unnumbered.length === 0) return undefined;
		throw new UnnumberedOrdersError(
			`1NCE returned ${unnumbered.length} order(s) whose order_number is not a whole number (e.g. ${JSON.stringify(unnumbered[0]) ?? 'none'}) and no order with one among the newest pages; the trigger cannot track such orders and skips them on every poll`,
		);
	}
	if (unnumbered.length > 0) skipped?.(unnumbered);
	const watched = prior?.watching[String(newestNumber)];
	return toEvent(
		{
			order_number: orderNumberOf(newest),
			previous_status: watched ? watched.status : null,
			order_status: statusOf(newest),
			order: newest,
		},
		isoTime(now),
	);
}

export type { WatchedOrder };
