import type { Order, OrderPage } from '../transport/orders';
import { PAGE_SIZE } from '../transport/orders';
import type { Observation, OrderEvent, Transition } from './changes';
import { detectChanges, selectEvents, statusOf, toEvent } from './changes';
import { orderNumberOf, PageBook } from './pageBook';
import type { PlanGoal, Resolution } from './pagePlan';
import { nextStep } from './pagePlan';
import type { TriggerSettings } from './settings';
import { isFinalIn } from './settings';
import type { TriggerState, WatchedOrder } from './state';
import { pageOf, statusSignature } from './state';

/** How a poll reads 1NCE; the node passes the real transport, unit tests an in-memory list. */
export interface TriggerIo {
	fetchPage(page: number): Promise<OrderPage>;
	/** The order, or undefined when 1NCE says it does not exist. */
	fetchOrder(orderNumber: number): Promise<Order | undefined>;
}

export interface PollOutcome {
	/** Output items' JSON: the transitions the user asked for. */
	events: OrderEvent[];
	/** Every transition seen, including those filtered out. */
	transitions: Transition[];
	/** The state to store; the caller writes it only because the poll got this far. */
	state: TriggerState;
	/** Pages read, in order. */
	pagesRead: number[];
	/** Single orders read because they were missing from the list. */
	ordersRead: number[];
	baseline: boolean;
	/** Why the pages could not be trusted and every page was read, if that happened. */
	fullScan?: string;
}

/** The order list answered in a way no poll can work with (it is not a 1NCE outage). */
export class OrderListError extends Error {}

/** A search that needs more pages than this means the list changed beyond recognition: read it all. */
const MAX_SEARCH_PROBES = 40;
/** Stops a full scan of an API that ignores `page` and never sends a short page. */
const MAX_FULL_SCAN_PAGES = 20_000;

type Planned = { book: PageBook; resolution: Resolution } | { book: PageBook; inconsistent: string };

async function readPlanned(goal: PlanGoal, io: TriggerIo, pagesRead: number[]): Promise<Planned> {
	const book = new PageBook();
	let probes = 0;
	for (;;) {
		const step = nextStep(book, goal);
		if (step.kind === 'done') return { book, resolution: step.resolution };
		if (step.kind === 'inconsistent') return { book, inconsistent: step.reason };
		if (step.reason === 'search' && ++probes > MAX_SEARCH_PROBES) {
			return { book, inconsistent: `order not found within ${MAX_SEARCH_PROBES} pages of where it was` };
		}
		pagesRead.push(step.page);
		book.add(await io.fetchPage(step.page));
	}
}

/** Every page, from the first to a short one (or the one X-Total-Pages calls last), read afresh. */
async function readAll(io: TriggerIo, pagesRead: number[]): Promise<PageBook> {
	const book = new PageBook();
	let previous = '';
	for (let page = 1; page <= MAX_FULL_SCAN_PAGES; page++) {
		pagesRead.push(page);
		const entry = book.add(await io.fetchPage(page));
		if (entry.last) return book;
		const numbers = entry.numbers.join(',');
		if (numbers === previous) throw new OrderListError(`1NCE returned the same orders for pages ${page - 1} and ${page}`);
		previous = numbers;
	}
	throw new OrderListError(`The order list did not end within ${MAX_FULL_SCAN_PAGES} pages`);
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

function countAll(book: PageBook): number {
	return book.pages().reduce((sum, page) => sum + page.orders.length, 0);
}

function highest(book: PageBook): number {
	let max = 0;
	for (const page of book.pages()) for (const n of page.numbers) if (!Number.isNaN(n)) max = Math.max(max, n);
	return max;
}

/** Watched orders the list no longer shows: read each directly, since a list that shifted while read can hide one. */
async function recheckMissing(
	missing: WatchedOrder[],
	observed: Map<number, Observation>,
	io: TriggerIo,
	ordersRead: number[],
): Promise<Set<number>> {
	const gone = new Set<number>();
	for (const [number, , index] of missing) {
		ordersRead.push(number);
		const order = await io.fetchOrder(number);
		if (order) observed.set(number, { order, index, inTail: false });
		else gone.add(number);
	}
	return gone;
}

/**
 * One production poll. Reads only the pages that can hold watched or new orders (plus a slice of the
 * reconciliation scan when one is running), compares them with `prior` and returns the events and the state
 * to store. Nothing is written here: a poll that throws half-way leaves the stored state as it was.
 */
export async function pollOrders(
	prior: TriggerState | undefined,
	settings: TriggerSettings,
	io: TriggerIo,
	now: number,
): Promise<PollOutcome> {
	const isFinal = isFinalIn(settings.finals);
	const signature = statusSignature(settings.finals);
	const detectedAt = new Date(now).toISOString();
	const pagesRead: number[] = [];
	const ordersRead: number[] = [];

	if (!prior) {
		// Baseline: the newest pages now, older ones by the reconciliation scan over the next polls.
		const goal: PlanGoal = { find: [], end: { hintPage: 1 }, sweep: { top: 'end', count: settings.scanPagesPerPoll } };
		const planned = await readPlanned(goal, io, pagesRead);
		let book = planned.book;
		let fullScan: string | undefined;
		let n: number;
		let s: [number, number] | undefined;
		if ('inconsistent' in planned) {
			fullScan = planned.inconsistent;
			book = await readAll(io, pagesRead);
			n = countAll(book);
		} else {
			const end = planned.resolution.end ?? 0;
			n = countUpTo(book, end);
			const next = (planned.resolution.swept?.to ?? 1) - 1;
			if (next >= 1) s = [next, now];
		}
		const last = highest(book);
		const diff = detectChanges({ watched: [], last, observed: observe(book), gone: new Set(), isFinal });
		const state: TriggerState = { v: 1, n, last, w: diff.watched, f: signature, r: s ? 0 : now };
		if (s) state.s = s;
		return { events: [], transitions: [], state, pagesRead, ordersRead, baseline: true, fullScan };
	}

	// Other final statuses: orders now open again are only found by reading every page, from the top again.
	const finalsChanged = prior.f !== signature;
	let sweep = finalsChanged ? undefined : prior.s;
	const due = settings.scanIntervalMs > 0 && now - prior.r >= settings.scanIntervalMs;
	const startSweep = !sweep && (due || finalsChanged);
	const goal: PlanGoal = {
		boundary: { number: prior.last, hintPage: pageOf(prior.n - 1) },
		find: prior.w.map(([number, , index]) => ({ number, hintPage: pageOf(index) })),
	};
	if (sweep || startSweep) goal.sweep = { top: sweep ? sweep[0] : 'belowTail', count: settings.scanPagesPerPoll };

	const planned = await readPlanned(goal, io, pagesRead);
	let observed: Map<number, Observation>;
	let missing: WatchedOrder[];
	let n: number;
	let r = prior.r;
	let fullScan: string | undefined;
	if ('inconsistent' in planned) {
		// The list no longer looks like what the state describes: read all of it this once.
		fullScan = planned.inconsistent;
		const book = await readAll(io, pagesRead);
		observed = observe(book, { from: 1, to: Number.MAX_SAFE_INTEGER });
		missing = prior.w.filter(([number]) => !observed.has(number));
		n = countAll(book);
		r = now;
		sweep = undefined;
	} else {
		const { book, resolution } = planned;
		const tail = resolution.tail!;
		observed = observe(book, tail);
		missing = prior.w.filter(([number]) => 'absent' in resolution.located.get(number)!);
		n = countUpTo(book, tail.to);
		if (sweep || startSweep) {
			const next = (resolution.swept?.to ?? 1) - 1;
			const startedAt = sweep ? sweep[1] : now;
			if (next >= 1) sweep = [next, startedAt];
			else {
				r = startedAt;
				sweep = undefined;
			}
		}
		// Orders moved or vanished, or the list shrank: not expected of 1NCE, so reconcile everything soon.
		const boundary = resolution.located.get(prior.last)!;
		const moved =
			n < prior.n ||
			missing.length > 0 ||
			(prior.n > 0 && !('index' in boundary && boundary.index === prior.n - 1)) ||
			prior.w.some(([number, , index]) => {
				const where = resolution.located.get(number)!;
				return 'index' in where && where.index !== index;
			});
		if (moved && !sweep && tail.from > 1) sweep = [tail.from - 1, now];
	}

	const gone = await recheckMissing(missing, observed, io, ordersRead);
	const diff = detectChanges({ watched: prior.w, last: prior.last, observed, gone, isFinal });
	const state: TriggerState = { v: 1, n, last: diff.last, w: diff.watched, f: signature, r };
	if (sweep) state.s = sweep;
	return {
		events: selectEvents(diff.transitions, settings.filter, detectedAt),
		transitions: diff.transitions,
		state,
		pagesRead,
		ordersRead,
		baseline: false,
		fullScan,
	};
}

/**
 * The manual "fetch test event" run: the most recent order as an event, its previous status taken from the
 * state when the order is watched. Reads one or two pages and returns no state: nothing is stored.
 */
export async function sampleEvent(
	prior: TriggerState | undefined,
	io: TriggerIo,
	now: number,
): Promise<OrderEvent | undefined> {
	const goal: PlanGoal = { find: [], end: { hintPage: prior ? pageOf(prior.n - 1) : 1 } };
	const planned = await readPlanned(goal, io, []);
	const endPage = 'resolution' in planned ? planned.book.get(planned.resolution.end ?? 0) : undefined;
	// Without a trustworthy last page, the highest number among the pages read will do for a sample.
	const pages = endPage ? [endPage] : planned.book.pages();
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
	if (!newest) return undefined;
	const watched = prior?.w.find(([number]) => number === newestNumber);
	return toEvent(
		{
			order_number: orderNumberOf(newest),
			previous_status: watched ? watched[1] : null,
			order_status: statusOf(newest),
			order: newest,
		},
		new Date(now).toISOString(),
	);
}
