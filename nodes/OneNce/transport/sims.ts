import type { IDataObject } from 'n8n-workflow';

import type { ListedPage, PageRules } from './pages';
import { listedPage, MAX_PAGES, readAfter, tooManyPages, untilCounted } from './pages';
import type { ApiContext } from './request';
import { apiRequest } from './request';
import type { RetryBudget } from './retry';

/** The API's maximum page size: counting N SIMs then costs ⌈N/100⌉ requests. */
export const SIM_PAGE_SIZE = 100;

/** Pages in flight at once: with SIM pacing (pacing.ts), latency rather than the allowance then sets the pace. */
export const SIM_PAGE_CONCURRENCY = 3;

export type Sim = IDataObject & { iccid?: string; status?: string; label?: string };

/** Below /v1/sims, so paced in the SIM window (pacing.ts). */
export const simPath = (iccid: string) => `/v1/sims/${encodeURIComponent(iccid)}`;
export const simNotFound = (iccid: string) => `SIM ${iccid} was not found`;

export interface SimPage extends ListedPage {
	sims: Sim[];
}

export async function fetchSimPage(this: ApiContext, page: number, budget?: RetryBudget): Promise<SimPage> {
	const qs = { page, pageSize: SIM_PAGE_SIZE };
	const response = await apiRequest.call(this, { method: 'GET', path: '/v1/sims', qs, expect: 'array' }, budget);
	const sims = response.body as Sim[];
	return { ...listedPage(page, response.headers, sims.length, SIM_PAGE_SIZE), sims };
}

/**
 * SIMs in the API's order, those `keep` accepts (the API filters nothing a reorder rule needs), up to `limit`:
 * once that many match, no further page is started. It ends as order listings do (pages.ts).
 */
export async function listSims(
	this: ApiContext,
	options: { limit?: number; keep?: (sim: Sim) => boolean } = {},
): Promise<{ sims: Sim[]; pagesRead: number }> {
	const { limit, keep } = options;
	// Every page request counts, a repeated page that is then dropped included.
	let requests = 1;
	const rules: PageRules<SimPage, Sim> = {
		pageSize: SIM_PAGE_SIZE,
		fetch: async (page) => {
			requests++;
			return await fetchSimPage.call(this, page);
		},
		entries: (page) => page.sims,
		idOf: (sim) => sim.iccid,
		tooMany: () => tooManyPages(this.getNode(), 'SIM listing', `${MAX_PAGES * SIM_PAGE_SIZE} SIMs`),
	};
	const first = await fetchSimPage.call(this, 1);
	const more = untilCounted(first, (page) => (keep ? page.sims.filter(keep).length : page.sims.length), limit);
	// Without a filter the limit tells how many pages hold enough SIMs; none is started beyond them.
	const maxPage = keep || limit === undefined ? Infinity : Math.ceil(limit / SIM_PAGE_SIZE);
	const pages = [first, ...(await readAfter(rules, first, SIM_PAGE_CONCURRENCY, more, maxPage))];
	// Pages are started in order, so those read form a prefix of the list whatever order they came back in.
	const all = pages.flatMap((page) => page.sims);
	const kept = keep ? all.filter(keep) : all;
	return { sims: limit === undefined ? kept : kept.slice(0, limit), pagesRead: requests };
}

/** One object below /v1/sims/{iccid} (`below` is e.g. "/status"): the SIM itself when empty. */
export async function getSimObject(
	this: ApiContext,
	iccid: string,
	below = '',
	qs?: IDataObject,
	notFoundMessage = simNotFound(iccid),
): Promise<IDataObject> {
	const path = `${simPath(iccid)}${below}`;
	const response = await apiRequest.call(this, { method: 'GET', path, qs, expect: 'object', failureContext: { notFoundMessage } });
	return response.body as IDataObject;
}

export async function getSim(this: ApiContext, iccid: string): Promise<Sim> {
	return await getSimObject.call(this, iccid);
}
