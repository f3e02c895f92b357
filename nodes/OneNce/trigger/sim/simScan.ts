import type { SimPage } from '../../transport/sims';
import type { SimScanProgress } from './simState';
import type { SimTable } from './simTable';

// A scan reads the whole list over polls; SIMs are compared by ICCID, never by position (docs/sim-trigger.md, Scan).

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

/** The scan under way, or a new one that `pages` start; `moved` once they disagree on the list's length. */
export function scanOf(current: SimScanProgress | undefined, pages: SimPage[], startedAt: string): SimScanProgress {
	const { totalCount } = current ?? pages[0];
	const scan: SimScanProgress = current ? { ...current } : { nextPage: 1, startedAt };
	if (totalCount === undefined) return scan;
	if (!current) scan.totalCount = totalCount;
	if (pages.some((page) => page.totalCount !== undefined && page.totalCount !== totalCount)) scan.moved = true;
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
	for (const map of [table.byKey, table.exact]) {
		for (const [key, record] of map) {
			if (record.seen) Object.assign(record, { seen: false, missed: false });
			else if (!still) continue;
			else if (record.missed) {
				map.delete(key);
				dropped++;
			} else record.missed = true;
		}
	}
	return dropped;
}
