import { PAGE_SIZE } from '../transport/orders';
import type { BookPage, PageBook } from './pageBook';

/**
 * Which page to read next, decided from the pages read so far. The list is sorted by order number and new
 * orders are appended, so an order's page follows from its index; when it is not there (the list shifted),
 * the order is searched for, since pages bound where it can be.
 */
export interface PlanGoal {
	/** Highest order number seen before: the tail (every page from the one that holds it) is read. */
	boundary?: { number: number; hintPage: number };
	/** Orders to find, with the page each was on. */
	find: Array<{ number: number; hintPage: number }>;
	/** Find the last page (baseline and sample), trying `hintPage` first. */
	end?: { hintPage: number };
	/** A slice of the full scan: `count` pages from `top` down ('end': the last page; 'belowTail': just below the tail). */
	fullScan?: { top: number | 'end' | 'belowTail'; count: number };
}

/** Where an order is: on `page` at list `index`, or absent, `page` being where it would be. */
export type Located = { page: number; index: number } | { absent: true; page: number };

export interface Resolution {
	located: Map<number, Located>;
	/**
	 * Pages read from the one holding the boundary upwards without a gap (`to` < `from` when none yet);
	 * `complete` once the last of them is the list's last page.
	 */
	tail?: { from: number; to: number; complete: boolean };
	/** Last page with orders; 0 when there are none. */
	end?: number;
	/** Pages read for the full scan, from `from` down to `to` without a gap; undefined when none was read. */
	scanned?: { from: number; to: number };
}

export type PlanReason = 'hint' | 'search' | 'tail' | 'fullScan' | 'end';

export type PlanStep =
	| { kind: 'fetch'; page: number; reason: PlanReason; resolution: Resolution }
	| { kind: 'done'; resolution: Resolution }
	| { kind: 'inconsistent'; reason: string };

type LocateStep = { located: Located } | { probe: number };

const clampPage = (page: number): number => Math.max(1, Math.floor(page));

/** Where `x` is given the pages read so far, or the next page to look at (galloping, then halving). */
export function locate(book: PageBook, x: number, hintPage: number): LocateStep {
	// The pages read are consistent (nextStep checks first): ranges ascend with the page number and empty
	// pages come last, so the pages starting at or below x come first.
	const pages = book.pages();
	const after = pages.findIndex((page) => !page.range || page.range.min > x);
	const a = after < 0 ? pages.length : after;
	const candidate: BookPage | undefined = a > 0 ? pages[a - 1] : undefined;
	if (candidate && candidate.range!.max >= x) {
		const slot = candidate.numbers.indexOf(x);
		const index = (candidate.page - 1) * PAGE_SIZE + slot;
		return { located: slot >= 0 ? { page: candidate.page, index } : { absent: true, page: candidate.page } };
	}
	const lo = candidate; // highest page whose orders are all below x
	const hi: BookPage | undefined = pages[a]; // lowest page whose orders are all above x, or empty
	if (lo && lo.last && (!hi || hi.page > lo.page)) return { located: { absent: true, page: lo.page } };
	if (hi && hi.page === 1) return { located: { absent: true, page: 1 } };
	if (lo && hi && hi.page === lo.page + 1) return { located: { absent: true, page: hi.page } };
	const total = book.totalPages();
	const above = lo?.page ?? 0;
	const below = hi?.page ?? Infinity;
	// Where the order was is the best guess while it lies between what is known; then gallop, then halve.
	let hint = clampPage(hintPage);
	if (!hi && total !== undefined && hint > total && total > above) hint = total;
	if (hint > above && hint < below && !book.has(hint)) return { probe: hint };
	if (lo && hi) return { probe: Math.floor((lo.page + hi.page) / 2) };
	if (lo) {
		let probe = lo.page + Math.max(1, lo.page - hint);
		if (total !== undefined && total > lo.page) probe = Math.min(probe, total);
		return { probe };
	}
	return { probe: clampPage(hi!.page - Math.max(1, hint - hi!.page)) };
}

type EndStep = { end: number } | { probe: number };

/** The last page with orders (0 when there are none), or the next page to look at. */
export function findEnd(book: PageBook, hintPage: number): EndStep {
	const pages = book.pages();
	const lastPage = pages.find((p) => p.last);
	if (lastPage) {
		if (lastPage.orders.length > 0) return { end: lastPage.page };
		if (lastPage.page === 1) return { end: 0 };
		const below = book.get(lastPage.page - 1);
		if (below && below.orders.length > 0) return { end: below.page };
		// Halve between the highest full page below and the empty one.
		const full = pages.filter((p) => p.page < lastPage.page && p.orders.length > 0).pop();
		return { probe: Math.floor(((full?.page ?? 0) + lastPage.page) / 2) || 1 };
	}
	if (!book.has(clampPage(hintPage))) return { probe: clampPage(hintPage) };
	const total = book.totalPages();
	const highest = pages[pages.length - 1].page;
	if (total !== undefined && total > highest) return { probe: total };
	// No X-Total-Pages: gallop forward until a short or empty page.
	return { probe: highest * 2 };
}

/**
 * The next page to read for `goal`, together with everything the pages read so far already settle (so a
 * poll whose request budget runs out can keep what it learned). Pages are wanted in this order: the pages
 * the orders were on, search probes, the tail, the end, the full scan.
 */
export function nextStep(book: PageBook, goal: PlanGoal): PlanStep {
	const problem = book.inconsistency();
	if (problem) return { kind: 'inconsistent', reason: problem };
	let wanted: { page: number; reason: PlanReason } | undefined;
	const want = (page: number, reason: PlanReason) => {
		wanted ??= { page, reason };
	};

	// First the pages the orders were on: in a regular poll with nothing new, nothing else is needed.
	const targets = [...(goal.boundary ? [goal.boundary] : []), ...goal.find];
	for (const target of targets) {
		const hint = clampPage(target.hintPage);
		if (!book.has(hint)) want(hint, 'hint');
	}
	const located = new Map<number, Located>();
	for (const target of targets) {
		const step = locate(book, target.number, target.hintPage);
		if ('probe' in step) want(step.probe, 'search');
		else located.set(target.number, step.located);
	}

	const resolution: Resolution = { located };
	const boundary = goal.boundary ? located.get(goal.boundary.number) : undefined;
	if (boundary) {
		let page = boundary.page;
		while (book.get(page)?.last === false) page++;
		const complete = book.has(page);
		if (!complete) want(page, 'tail');
		resolution.tail = { from: boundary.page, to: complete ? page : page - 1, complete };
	}

	if (goal.end) {
		const step = findEnd(book, goal.end.hintPage);
		if ('probe' in step) want(step.probe, 'end');
		else resolution.end = step.end;
	}

	if (goal.fullScan && goal.fullScan.count > 0) {
		let top: number | undefined;
		if (goal.fullScan.top === 'end') top = resolution.end;
		else if (resolution.tail) {
			const belowTail = resolution.tail.from - 1;
			top = goal.fullScan.top === 'belowTail' ? belowTail : Math.min(goal.fullScan.top, belowTail);
		} else if (goal.fullScan.top !== 'belowTail' && !goal.boundary) top = goal.fullScan.top;
		if (top !== undefined && top >= 1) {
			const bottom = Math.max(1, top - goal.fullScan.count + 1);
			let page = top;
			while (page >= bottom && book.has(page)) page--;
			if (page >= bottom) want(page, 'fullScan');
			if (page < top) resolution.scanned = { from: top, to: page + 1 };
		}
	}
	if (!wanted) return { kind: 'done', resolution };
	if (book.has(wanted.page)) {
		return { kind: 'inconsistent', reason: `page ${wanted.page} was already read but ${wanted.reason} needs it again` };
	}
	return { kind: 'fetch', page: wanted.page, reason: wanted.reason, resolution };
}
