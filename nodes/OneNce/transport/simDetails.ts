import type { IDataObject } from 'n8n-workflow';

import type { ApiContext } from './request';
import { apiRequest } from './request';
import { readSimList } from './simLists';
import { SIM_RATE_LIMIT_HINT } from './sims';

/** What one SIM's reads answer with, below /v1/sims/{iccid}. */
export type SimDetail = 'status' | 'connectivity_info' | 'quota/data' | 'quota/sms' | 'usage';

/** Largest pages the spec allows: events 1000, SMS 100. */
export const EVENTS_PAGE_SIZE = 1000;
export const SMS_PAGE_SIZE = 100;

const simPath = (iccid: string) => `/v1/sims/${encodeURIComponent(iccid)}`;
const notFound = (iccid: string) => ({ notFoundMessage: `SIM ${iccid} was not found`, rateLimitHint: SIM_RATE_LIMIT_HINT });

/** One object about one SIM: its status, connectivity, a quota or its usage. */
export async function getSimDetail(this: ApiContext, iccid: string, detail: SimDetail, qs?: IDataObject): Promise<IDataObject> {
	const response = await apiRequest.call(this, {
		method: 'GET',
		path: `${simPath(iccid)}/${detail}`,
		qs,
		expect: 'object',
		failureContext: notFound(iccid),
	});
	return response.body as IDataObject;
}

const objectsIn = (list: unknown): IDataObject[] | undefined =>
	Array.isArray(list) && list.every((entry) => entry !== null && typeof entry === 'object') ? (list as IDataObject[]) : undefined;

/** A SIM's events (the answer is an EventCollection: the page's events under `events`), newest first if asked. */
export async function listSimEvents(this: ApiContext, iccid: string, limit?: number, newestFirst = false): Promise<IDataObject[]> {
	return await readSimList.call(
		this,
		{
			path: `${simPath(iccid)}/events`,
			pageSize: EVENTS_PAGE_SIZE,
			what: 'event',
			expect: 'object',
			entriesOf: (body) => objectsIn((body as IDataObject).events),
			notFoundMessage: `SIM ${iccid} was not found`,
			// The spec's own example sort; ids break ties between events of one second.
			...(newestFirst ? { qs: { sort: '-timestamp,-id' } } : {}),
		},
		limit,
	);
}

/** SMS sent to and received from a SIM. */
export async function listSimSms(this: ApiContext, iccid: string, limit?: number): Promise<IDataObject[]> {
	return await readSimList.call(
		this,
		{
			path: `${simPath(iccid)}/sms`,
			pageSize: SMS_PAGE_SIZE,
			what: 'SMS',
			expect: 'array',
			entriesOf: objectsIn,
			notFoundMessage: `SIM ${iccid} was not found`,
		},
		limit,
	);
}

export async function getSimSms(this: ApiContext, iccid: string, id: number): Promise<IDataObject> {
	const response = await apiRequest.call(this, {
		method: 'GET',
		path: `${simPath(iccid)}/sms/${id}`,
		expect: 'object',
		failureContext: { ...notFound(iccid), notFoundMessage: `SMS ${id} of SIM ${iccid} was not found` },
	});
	return response.body as IDataObject;
}
