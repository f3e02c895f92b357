// The page reader that order and SIM listings share: where a 1NCE list ends, whatever its headers say.
import type { INode, NodeApiError } from 'n8n-workflow';

import { toNodeApiError } from './errors';

/** No listing reads more pages than this, whatever the server's headers or pages say. */
export const MAX_PAGES = 10_000;

/** The error of a listing that reached MAX_PAGES without an end; `held`, when given, says how many entries that was. */
export function tooManyPages(node: INode, listing: string, held?: string): NodeApiError {
	const otherMessage = `1NCE kept sending pages: the ${listing} stopped at ${MAX_PAGES} pages${held ? ` (${held})` : ''} without reaching the end`;
	return toNodeApiError(node, { headers: {}, body: undefined, otherMessage });
}

/** What every page of a 1NCE list tells, whatever it holds. */
export interface ListedPage {
	page: number;
	/** From X-Total-Pages when 1NCE sends it. */
	totalPages?: number;
	/** From X-Total-Count when 1NCE sends it. */
	totalCount?: number;
	/** True when no later page can hold entries. */
	isLast: boolean;
}

/** How one list is read: its page size, one page's request, its entries and what tells them apart. */
export interface PageRules<P extends ListedPage, E> {
	pageSize: number;
	fetch: (page: number) => Promise<P>;
	entries: (page: P) => E[];
	/** A page whose entries have the ids of the previous page's repeats it (what a server may answer past the end). */
	idOf: (entry: E) => unknown;
	/** The error of a listing that reached MAX_PAGES without an end. */
	tooMany: () => Error;
}

function size<P extends ListedPage, E>(rules: PageRules<P, E>, page: P): number {
	return rules.entries(page).length;
}

function repeats<P extends ListedPage, E>(rules: PageRules<P, E>, page: P, previous: P): boolean {
	const [now, before] = [rules.entries(page), rules.entries(previous)];
	return now.length > 0 && now.length === before.length && now.every((entry, i) => rules.idOf(entry) === rules.idOf(before[i]));
}

/** A whole number header value (headers as the transport gives them: lower-case names). */
function headerInt(headers: Record<string, string>, name: string): number | undefined {
	const value = headers[name];
	if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
	return Number(value);
}

/**
 * What page `page` of a list tells from its answer's headers and its number of entries. Without X-Total-Pages,
 * a short page is the last one (documented behaviour of 1NCE list endpoints).
 */
export function listedPage(page: number, headers: Record<string, string>, entries: number, pageSize: number): ListedPage {
	const totalPages = headerInt(headers, 'x-total-pages');
	const totalCount = headerInt(headers, 'x-total-count');
	return { page, totalPages, totalCount, isLast: totalPages !== undefined ? page >= totalPages : entries < pageSize };
}

/** True when nothing can follow `page`: the last page by the headers, or an empty page. */
function endsAt<P extends ListedPage, E>(rules: PageRules<P, E>, page: P): boolean {
	return page.isLast || size(rules, page) === 0;
}

/** The last page worth asking for, from whichever of X-Total-Pages and X-Total-Count is smaller. */
export function lastPageOf(first: ListedPage, pageSize: number): number | undefined {
	const byCount = first.totalCount !== undefined ? Math.max(1, Math.ceil(first.totalCount / pageSize)) : undefined;
	if (first.totalPages === undefined) return byCount;
	return byCount === undefined ? first.totalPages : Math.min(first.totalPages, byCount);
}

/**
 * A `more` for the readers below: another page until the pages read, `first` included, hold `limit` entries that
 * `count` counts (no end without a limit). Each page is counted once, when it first shows in the reader's array.
 */
export function untilCounted<P>(first: P, count: (page: P) => number, limit: number | undefined): (pages: P[]) => boolean {
	let found = count(first);
	let counted = 0;
	return (pages) => {
		for (; counted < pages.length; counted++) found += count(pages[counted]);
		return limit === undefined || found < limit;
	};
}

/**
 * Reads the pages after `first` one by one until the list ends: a short or empty page, the last page by the
 * headers, as many entries as X-Total-Count promised, or a repeated page (not returned). `more` says whether
 * another page is wanted; past MAX_PAGES the listing fails.
 */
export async function readOnward<P extends ListedPage, E>(
	rules: PageRules<P, E>,
	first: P,
	more: (pages: P[]) => boolean,
): Promise<P[]> {
	if (endsAt(rules, first)) return [];
	const pages: P[] = [];
	let previous = first;
	let read = size(rules, first);
	for (let page = first.page + 1; more(pages); page++) {
		if (page > MAX_PAGES) throw rules.tooMany();
		const result = await rules.fetch(page);
		if (repeats(rules, result, previous)) break;
		pages.push(result);
		read += size(rules, result);
		if (endsAt(rules, result)) break;
		const promised = result.totalCount ?? first.totalCount;
		if (promised !== undefined && read >= promised) break;
		previous = result;
	}
	return pages;
}

/**
 * Reads pages 2 to `lastPage` a few at a time, in page order; fails at once past MAX_PAGES. No page is started
 * after a failure (none is left in flight), once `more` says enough, or past a short page or a repeated page,
 * which is dropped with every page after it.
 */
async function readRange<P extends ListedPage, E>(
	rules: PageRules<P, E>,
	first: P,
	lastPage: number,
	concurrency: number,
	more: (pages: P[]) => boolean,
): Promise<P[]> {
	if (lastPage > MAX_PAGES) throw rules.tooMany();
	const byPage = new Map<number, P>([[first.page, first]]);
	const read: P[] = [];
	let next = first.page + 1;
	// The last page to start, and the last page to keep (lower once a page repeats its predecessor).
	let end = lastPage;
	let keep = lastPage;
	let failure: unknown;
	const repeated = (page: number) => {
		end = Math.min(end, page - 1);
		keep = Math.min(keep, page - 1);
	};
	const check = (result: P) => {
		// Pages come back in any order: the repeat shows whichever of the two arrives second.
		const before = byPage.get(result.page - 1);
		const after = byPage.get(result.page + 1);
		if (before && repeats(rules, result, before)) repeated(result.page);
		if (after && repeats(rules, after, result)) repeated(after.page);
		if (size(rules, result) < rules.pageSize) end = Math.min(end, result.page);
	};
	const worker = async () => {
		while (next <= end && failure === undefined && more(read)) {
			const page = next++;
			try {
				const result = await rules.fetch(page);
				byPage.set(page, result);
				read.push(result);
				check(result);
			} catch (error) {
				failure ??= error;
			}
		}
	};
	await Promise.all(Array.from({ length: Math.max(0, Math.min(concurrency, lastPage - first.page)) }, worker));
	if (failure !== undefined) throw failure;
	return read.filter((page) => page.page <= keep).sort((a, b) => a.page - b.page);
}

/**
 * The pages after `first` until the list ends or `more` says enough: a few at a time up to the last page when
 * the headers tell it (and at most to `maxPage`), else one by one.
 */
export async function readAfter<P extends ListedPage, E>(
	rules: PageRules<P, E>,
	first: P,
	concurrency: number,
	more: (pages: P[]) => boolean,
	maxPage = Infinity,
): Promise<P[]> {
	const known = lastPageOf(first, rules.pageSize);
	if (known === undefined) return await readOnward(rules, first, more);
	if (endsAt(rules, first) || !more([])) return [];
	// Past MAX_PAGES the listing fails at once (readRange), unless `maxPage` needs fewer pages.
	return await readRange(rules, first, Math.min(known, maxPage), concurrency, more);
}
