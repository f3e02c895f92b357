import type { IDataObject } from 'n8n-workflow';

import { toNodeApiError } from './errors';
import type { ListedPage, PageRules } from './pages';
import { listedPage, MAX_PAGES, readOnward } from './pages';
import type { ApiContext } from './request';
import { apiRequest } from './request';
import { SIM_RATE_LIMIT_HINT } from './sims';

/** One of a SIM's own lists (events, SMS): where it is, its largest page, and where a page keeps its entries. */
export interface SimListSpec {
	path: string;
	pageSize: number;
	/** What the list holds, for the error of a listing that never ends ("events", "SMS"). */
	what: string;
	expect: 'array' | 'object';
	entriesOf: (body: unknown) => IDataObject[] | undefined;
	notFoundMessage: string;
	/** Further query parameters, e.g. a sort. */
	qs?: IDataObject;
}

interface EntryPage extends ListedPage {
	entries: IDataObject[];
}

/**
 * Up to `limit` entries of a SIM's list (all without a limit), read page by page in order through the page
 * reader (pages.ts), so it ends where SIM and order listings end; no page is started once `limit` are in.
 */
export async function readSimList(this: ApiContext, spec: SimListSpec, limit?: number): Promise<IDataObject[]> {
	const node = this.getNode();
	const fetch = async (page: number): Promise<EntryPage> => {
		const response = await apiRequest.call(this, {
			method: 'GET',
			path: spec.path,
			qs: { ...spec.qs, page, pageSize: spec.pageSize },
			expect: spec.expect,
			failureContext: { notFoundMessage: spec.notFoundMessage, rateLimitHint: SIM_RATE_LIMIT_HINT },
		});
		const entries = spec.entriesOf(response.body);
		if (!entries) throw toNodeApiError(node, { status: response.statusCode, headers: response.headers, body: response.body, malformed: true });
		return { ...listedPage(page, response.headers, entries.length, spec.pageSize), entries };
	};
	const rules: PageRules<EntryPage> = {
		pageSize: spec.pageSize,
		fetch,
		size: (page) => page.entries.length,
		repeats: (page, previous) => page.entries.length > 0 && JSON.stringify(page.entries) === JSON.stringify(previous.entries),
		tooMany: () =>
			toNodeApiError(node, {
				headers: {},
				body: undefined,
				otherMessage: `1NCE kept sending pages: the ${spec.what} listing stopped at ${MAX_PAGES} pages without reaching the end`,
			}),
	};
	const first = await fetch(1);
	const count = (pages: EntryPage[]) => pages.reduce((sum, page) => sum + page.entries.length, first.entries.length);
	const more = (pages: EntryPage[]) => limit === undefined || count(pages) < limit;
	const pages = more([]) ? [first, ...(await readOnward(rules, first, more))] : [first];
	const all = pages.flatMap((page) => page.entries);
	return limit === undefined ? all : all.slice(0, limit);
}
