import type { IDataObject } from 'n8n-workflow';

import type { Sim } from '../../transport/sims';
import type { SimEventType, SimThresholds } from './simSettings';

/** Status: 0 Enabled, 1 Disabled, 2 a value the spec does not list. Quota status: the spec's id. Both: 3 not seen yet. */
const UNKNOWN = 3;
/** Below a threshold: 0 not known (no threshold, or not seen since it was set), 1 at or above, 2 below. */
export const BELOW_UNKNOWN = 0;
const ABOVE = 1;
const BELOW = 2;

/** What the trigger remembers of one SIM: exactly what the next comparison needs, nothing else. */
export interface SimRecord {
	status: number;
	data: number;
	sms: number;
	dataBelow: number;
	smsBelow: number;
	/** Read by the scan in progress. */
	seen: boolean;
	/** Not read by the last completed scan: dropped if the next one does not read it either. */
	missed: boolean;
}

export interface SimEvent extends IDataObject {
	event: SimEventType;
	iccid: string;
	detected_at: string;
	/** The SIM exactly as the list sent it. */
	sim: Sim;
}

const STATUS_WORDS = ['Enabled', 'Disabled'];

function statusCode(value: unknown): number | undefined {
	if (typeof value !== 'string') return undefined;
	const at = STATUS_WORDS.findIndex((word) => word.toLowerCase() === value.trim().toLowerCase());
	return at >= 0 ? at : 2;
}

function quotaCode(value: unknown): number | undefined {
	const id = Number((value as { id?: unknown } | undefined)?.id ?? NaN);
	return id === 0 || id === 1 || id === 2 ? id : undefined;
}

/** A quota amount as sent (a number, or a numeric string); undefined when there is none. */
function amount(value: unknown): number | undefined {
	if (typeof value !== 'number' && typeof value !== 'string') return undefined;
	if (typeof value === 'string' && value.trim() === '') return undefined;
	const number = Number(value);
	return Number.isFinite(number) ? number : undefined;
}

function belowCode(value: unknown, threshold: number | null): number | undefined {
	if (threshold === null) return BELOW_UNKNOWN;
	const left = amount(value);
	return left === undefined ? undefined : left < threshold ? BELOW : ABOVE;
}

const quotaStatus = (value: unknown, previous: number | null) => ({
	previous_quota_status: previous,
	quota_status: quotaCode(value) ?? null,
});

/** Each event's own fields; `previous` is the record's code, null in a sample (not known there). */
const FIELDS: Record<SimEventType, (sim: Sim, thresholds: SimThresholds, previous: number | null) => IDataObject> = {
	simStatusChanged: (sim, _t, previous) => ({
		previous_status: STATUS_WORDS[previous ?? UNKNOWN] ?? null,
		status: sim.status === undefined ? null : String(sim.status),
	}),
	dataQuotaStatusChanged: (sim, _t, previous) => quotaStatus(sim.quota_status, previous),
	smsQuotaStatusChanged: (sim, _t, previous) => quotaStatus(sim.quota_status_SMS, previous),
	dataQuotaBelow: (sim, t) => ({ threshold: t.dataMb, quota: amount(sim.current_quota) ?? null }),
	smsQuotaBelow: (sim, t) => ({ threshold: t.sms, quota: amount(sim.current_quota_SMS) ?? null }),
	newSim: () => ({}),
};

/** The item `event` reports for `sim`; `previous` is the record's code, null where not known (a sample, a new SIM). */
export function simEvent(event: SimEventType, sim: Sim, iccid: string, detectedAt: string, thresholds: SimThresholds, previous: number | null): SimEvent {
	return { event, iccid, detected_at: detectedAt, sim, ...FIELDS[event](sim, thresholds, previous) };
}

/** Whether two records hold the same codes (seen and missed aside). */
export const sameCodes = (a: SimRecord, b: SimRecord): boolean =>
	(['status', 'data', 'sms', 'dataBelow', 'smsBelow'] as const).every((field) => a[field] === b[field]);

/** The ICCID of a list item, trimmed; undefined when it has none (a non-empty string). */
export function iccidOf(sim: Sim): string | undefined {
	return typeof sim?.iccid === 'string' && sim.iccid.trim() !== '' ? sim.iccid.trim() : undefined;
}

/**
 * Compares a SIM as read with its record. A field the SIM does not carry (or carries in a form the spec does
 * not allow) tells nothing: the record keeps what it had. A code first learnt is taken without an event.
 * Below-threshold events fire on the way down only, and again only after the SIM was back at or above it.
 */
export function compareSim(
	record: SimRecord,
	sim: Sim,
	thresholds: SimThresholds,
	detectedAt: string,
): { record: SimRecord; events: SimEvent[] } {
	const events: SimEvent[] = [];
	const next: SimRecord = { ...record, seen: true, missed: false };
	const codes = [
		['status', 'simStatusChanged', statusCode(sim.status)],
		['data', 'dataQuotaStatusChanged', quotaCode(sim.quota_status)],
		['sms', 'smsQuotaStatusChanged', quotaCode(sim.quota_status_SMS)],
		['dataBelow', 'dataQuotaBelow', belowCode(sim.current_quota, thresholds.dataMb)],
		['smsBelow', 'smsQuotaBelow', belowCode(sim.current_quota_SMS, thresholds.sms)],
	] as const;
	for (const [field, event, code] of codes) {
		if (code === undefined) continue;
		const previous = record[field];
		const below = field === 'dataBelow' || field === 'smsBelow';
		if (below ? previous === ABOVE && code === BELOW : previous !== UNKNOWN && code !== previous) {
			events.push(simEvent(event, sim, String(sim.iccid), detectedAt, thresholds, previous));
		}
		next[field] = code;
	}
	return { record: next, events };
}

const UNREAD: SimRecord = {
	status: UNKNOWN,
	data: UNKNOWN,
	sms: UNKNOWN,
	dataBelow: BELOW_UNKNOWN,
	smsBelow: BELOW_UNKNOWN,
	seen: false,
	missed: false,
};

/** The record of a SIM read for the first time: taken as it is (no event fires from an unknown code). */
export const firstRecord = (sim: Sim, thresholds: SimThresholds): SimRecord =>
	compareSim(UNREAD, sim, thresholds, '').record;

/** Where most SIMs come from: quota statuses 0, above the thresholds (status changes have no usual direction). */
const USUAL: SimRecord = { ...UNREAD, data: 0, sms: 0, dataBelow: ABOVE, smsBelow: ABOVE };

/**
 * Fetch Test Event's item: a SIM of the first page shaped as `event` reports it, preferably one for which the
 * event would fire now (from USUAL). Nothing is compared or stored; undefined without SIMs.
 */
export function sampleSimEvent(
	sims: Sim[],
	event: SimEventType,
	thresholds: SimThresholds,
	detectedAt: string,
): SimEvent | undefined {
	const readable = sims.filter((sim) => iccidOf(sim) !== undefined);
	const fires = (sim: Sim) => compareSim(USUAL, sim, thresholds, '').events.some((found) => found.event === event);
	const sim = readable.find(fires) ?? readable[0];
	return sim && simEvent(event, sim, iccidOf(sim)!, detectedAt, thresholds, null);
}
