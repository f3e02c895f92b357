import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { getSimDetail } from '../../transport/simDetails';
import { showOnlyFor } from '../fields';
import { iccidField, iccidOf } from './fields';

/** 1NCE keeps usage for the last 6 months; a range longer than this many days (inclusive) is refused. */
export const MAX_USAGE_DAYS = 184;
const DAY_MS = 86_400_000;

export const description: INodeProperties[] = showOnlyFor('sim', 'getUsage', [
	iccidField(),
	{
		displayName: 'Start Date',
		name: 'startDate',
		type: 'dateTime',
		required: true,
		default: '',
		description: 'First day of the range (YYYY-MM-DD; a time of day is ignored)',
	},
	{
		displayName: 'End Date',
		name: 'endDate',
		type: 'dateTime',
		required: true,
		default: '',
		description: `Last day of the range, included. 1NCE keeps usage for 6 months: at most ${MAX_USAGE_DAYS} days.`,
	},
]);

/** A calendar day as 1NCE's start_dt / end_dt want it (YYYY-MM-DD), from a date or a date-time. */
export function parseDay(raw: unknown, name: string): string {
	const text = String(raw ?? '').trim();
	const day = /^(\d{4}-\d{2}-\d{2})(?:$|[T ])/.exec(text)?.[1];
	// Date.parse accepts 2025-02-30 by rolling over; the round trip refuses it.
	if (!day || new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) !== day) {
		throw new Error(`${name} must be a date as YYYY-MM-DD, got "${text}"`);
	}
	return day;
}

export function usageRange(start: unknown, end: unknown): { start_dt: string; end_dt: string } {
	const from = parseDay(start, 'Start Date');
	const to = parseDay(end, 'End Date');
	const days = (Date.parse(to) - Date.parse(from)) / DAY_MS + 1;
	if (days < 1) throw new Error(`Start Date (${from}) is after End Date (${to})`);
	if (days > MAX_USAGE_DAYS) throw new Error(`The range covers ${days} days; 1NCE gives usage for at most ${MAX_USAGE_DAYS} days (6 months)`);
	return { start_dt: from, end_dt: to };
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const iccid = iccidOf(this, itemIndex);
	const range = usageRange(this.getNodeParameter('startDate', itemIndex), this.getNodeParameter('endDate', itemIndex));
	return [{ json: { iccid, ...range, ...(await getSimDetail.call(this, iccid, 'usage', range)) } }];
}
