import type { SimPage } from '../../transport/sims';
import { SPENT, unlessSpent } from '../errors';
import { endsList } from './simScan';

/**
 * The pages of one poll: from `from` on, one after the other, until the list ends or the poll's request
 * budget is spent (`spent`; the scan goes on from the next page at the next poll). Read in order so that they
 * form the gapless run simPollStep needs; at 1NCE's 10 SIM requests a second the pacing, not latency, sets
 * the pace. Any other failure passes on: the poll then fails and stores nothing.
 */
export async function readSimPages(
	fetchPage: (page: number) => Promise<SimPage>,
	from: number,
): Promise<{ pages: SimPage[]; spent: boolean }> {
	const pages: SimPage[] = [];
	for (let page = from; ; page++) {
		const read = await unlessSpent(fetchPage(page));
		if (read === SPENT) return { pages, spent: true };
		pages.push(read);
		if (endsList(read)) return { pages, spent: false };
	}
}
