import type { IDataObject } from 'n8n-workflow';

import { toNodeApiError } from './errors';
import type { ListedPage, PageRules } from './pages';
import { listedPage, readOnward, tooManyPages, untilCounted } from './pages';
import type { ApiContext } from './request';
import { apiRequest } from './request';
import { getSimObject, simNotFound, simPath } from './sims';

/** What one SIM's reads answer with, below /v1/sims/{iccid}. */
export type SimDetail = 'status' | 'connectivity_info' | 'quota/data' | 'quota/sms' | 'usage';

/** One object about one SIM: its status, connectivity, a quota or its usage. */
export async function getSimDetail(this: ApiContext, iccid: string, detail: SimDetail, qs?: IDataObject): Promise<IDataObject> {
	return await getSimObject.call(this, iccid, `/${detail}`, qs);
}

export async function getSimSms(this: ApiContext, iccid: string, id: number): Promise<IDataObject> {
	return await getSimObject.call(this, iccid, `/sms/${id}`, undefined, `SMS ${id} of SIM ${iccid} was not found`);
}

/** One of a SIM's own lists: its largest page (the spec's), and where a page keeps its entries. */
interface SimList {
	name: 'events' | 'sms';
	pageSize: number;
	/** What the list holds, for the error of a listing that never ends. */
	what: string;
	expect: 'array' | 'object';
	entriesOf: (body: unknown) => IDataObject[] | undefined;
	qs?: IDataObject;
}

const objectsIn = (list: unknown): IDataObject[] | undefined =>
	Array.isArray(list) && list.every((entry) => entry !== null && typeof entry === 'object') ? (list as IDataObject[]) : undefined;

interface EntryPage extends ListedPage {
	entries: IDataObject[];
}

/** Up to `limit` entries of a SIM's list (all without one), page by page; it ends as every listing does (pages.ts). */
async function readSimList(this: ApiContext, iccid: string, list: SimList, limit?: number): Promise<IDataObject[]> {
	const node = this.getNode();
	const fetch = async (page: number): Promise<EntryPage> => {
		const response = await apiRequest.call(this, {
			method: 'GET',
			path: `${simPath(iccid)}/${list.name}`,
			qs: { ...list.qs, page, pageSize: list.pageSize },
			expect: list.expect,
			failureContext: { notFoundMessage: simNotFound(iccid) },
		});
		const entries = list.entriesOf(response.body);
		if (!entries) throw toNodeApiError(node, { status: response.statusCode, headers: response.headers, body: response.body, malformed: true });
		return { ...listedPage(page, response.headers, entries.length, list.pageSize), entries };
	};
	const rules: PageRules<EntryPage, IDataObject> = {
		pageSize: list.pageSize,
		fetch,
		entries: (page) => page.entries,
		idOf: (entry) => JSON.stringify(entry),
		tooMany: () => tooManyPages(node, `${list.what} listing`),
	};
	const first = await fetch(1);
	const pages = [first, ...(await readOnward(rules, first, untilCounted(first, (page) => page.entries.length, limit)))];
	const all = pages.flatMap((page) => page.entries);
	return limit === undefined ? all : all.slice(0, limit);
}

/** A SIM's events, newest first if asked. */
export async function listSimEvents(this: ApiContext, iccid: string, limit?: number, newestFirst = false): Promise<IDataObject[]> {
	// The answer is an EventCollection: the page's events under `events`.
	const entriesOf = (body: unknown) => objectsIn((body as IDataObject).events);
	// The spec's own example sort; ids break ties between events of one second.
	const qs = newestFirst ? { sort: '-timestamp,-id' } : undefined;
	return await readSimList.call(this, iccid, { name: 'events', pageSize: 1000, what: 'event', expect: 'object', entriesOf, qs }, limit);
}

/** SMS sent to and received from a SIM. */
export async function listSimSms(this: ApiContext, iccid: string, limit?: number): Promise<IDataObject[]> {
	return await readSimList.call(this, iccid, { name: 'sms', pageSize: 100, what: 'SMS', expect: 'array', entriesOf: objectsIn }, limit);
}
