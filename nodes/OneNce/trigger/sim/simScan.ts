import type { SimPage } from '../../transport/sims';
import type { SimScanProgress } from './simState';
import type { SimRecord } from './simEvents';
import type { SimTable } from './simTable';

/**
 * A scan reads the whole SIM list from page 1 to its end, a request budget's worth of pages per poll; the next
 * poll carries on at `nextPage`. SIMs are compared by ICCID as each page is read, never by position: the list
 * has no documented order, and pages shift when SIMs come and go. So a page skipped or read twice cannot make
 * a SIM look changed, and only a completed scan decides that a SIM is gone (see completeScan).
 */

/** The pages of one poll in order; throws unless they go on, without a gap, from `from` (a caller's mistake). */
export function orderedPages(pages: SimPage[], from: number): SimPage[] {
	const sorted = [...pages].sort((a, b) => a.page - b.page);
	sorted.forEach((page, i) => {
		if (page.page !== from + i)
			throw new Error(
				`SIM pages must follow on from page ${from} without a gap, got ${sorted.map((p) => p.page).join(', ')}`,
			);
		if (i < sorted.length - 1 && endsList(page))
			throw new Error(`SIM page ${page.page} ends the list, yet later pages were passed`);
	});
	return sorted;
}

/** No SIM can follow this page: the last by the headers, a short page, or an empty one (the list shrank). */
export function endsList(page: SimPage): boolean {
	return page.isLast || !Array.isArray(page.sims) || page.sims.length === 0;
}

/** The scan under way (a new one when `pages` start it), marked `moved` when they disagree on the list's length. */
export function scanOf(current: SimScanProgress | undefined, pages: SimPage[], startedAt: string): SimScanProgress {
	const total = pages[0].totalCount;
	const scan: SimScanProgress = current
		? { ...current }
		: {
				nextPage: 1,
				startedAt,
				...(total === undefined ? {} : { totalCount: total }),
			};
	const { totalCount } = scan;
	if (totalCount !== undefined && pages.some((page) => page.totalCount !== undefined && page.totalCount !== totalCount))
		scan.moved = true;
	return scan;
}

/**
 * Ends a scan. A SIM it did not read may have been passed over: SIMs removed before it mid-scan move it onto a
 * page already read. So it is only marked `missed`, and only by a scan during which the list kept its length
 * (`still`: a removal changes X-Total-Count); one missed by two such scans in a row is dropped, without an
 * event. Returns how many were dropped.
 */
export function completeScan(table: SimTable, still: boolean): number {
	let dropped = 0;
	for (const map of [table.byKey, table.exact] as Array<Map<string, SimRecord>>) {
		for (const [key, record] of map) {
			if (record.seen) map.set(key, { ...record, seen: false, missed: false });
			else if (!still) continue;
			else if (record.missed) {
				map.delete(key);
				dropped++;
			} else map.set(key, { ...record, missed: true });
		}
	}
	return dropped;
}
