import type { IDataObject } from 'n8n-workflow';

import type { Sim } from '../../transport/sims';
import type { SimEventType, SimThresholds } from './simSettings';

/** `status`: 0 Enabled, 1 Disabled, 2 a value the spec does not list, 3 not seen yet. */
export const STATUS_UNKNOWN = 3;
/** Quota status: the spec's id (0 more than 20 % left, 1 less than 20 %, 2 none left); 3 not seen yet. */
export const QUOTA_UNKNOWN = 3;
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

/** Whether two records hold the same codes (seen and missed aside). */
export const sameCodes = (a: SimRecord, b: SimRecord): boolean =>
	(['status', 'data', 'sms', 'dataBelow', 'smsBelow'] as const).every((field) => a[field] === b[field]);

/** The ICCID of a list item, trimmed; undefined when it has none (a non-empty string). */
export function iccidOf(sim: Sim): string | undefined {
	return typeof sim?.iccid === 'string' && sim.iccid.trim() !== '' ? sim.iccid.trim() : undefined;
}

/** The record of a SIM read for the first time: taken as it is, without change events. */
export function firstRecord(sim: Sim, thresholds: SimThresholds): SimRecord {
	return {
		status: statusCode(sim.status) ?? STATUS_UNKNOWN,
		data: quotaCode(sim.quota_status) ?? QUOTA_UNKNOWN,
		sms: quotaCode(sim.quota_status_SMS) ?? QUOTA_UNKNOWN,
		dataBelow: belowCode(sim.current_quota, thresholds.dataMb) ?? BELOW_UNKNOWN,
		smsBelow: belowCode(sim.current_quota_SMS, thresholds.sms) ?? BELOW_UNKNOWN,
		seen: true,
		missed: false,
	};
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
	const iccid = String(sim.iccid);
	const base = { iccid, detected_at: detectedAt, sim };
	const events: SimEvent[] = [];
	const next: SimRecord = { ...record, seen: true, missed: false };

	const status = statusCode(sim.status);
	if (status !== undefined) {
		if (record.status !== STATUS_UNKNOWN && status !== record.status) {
			events.push({
				event: 'simStatusChanged',
				...base,
				previous_status: STATUS_WORDS[record.status] ?? null,
				status: String(sim.status),
			});
		}
		next.status = status;
	}
	const quotas = [
		['data', 'dataQuotaStatusChanged', sim.quota_status],
		['sms', 'smsQuotaStatusChanged', sim.quota_status_SMS],
	] as const;
	for (const [field, event, value] of quotas) {
		const code = quotaCode(value);
		if (code === undefined) continue;
		if (record[field] !== QUOTA_UNKNOWN && code !== record[field]) {
			events.push({ event, ...base, previous_quota_status: record[field], quota_status: code });
		}
		next[field] = code;
	}
	const levels = [
		['dataBelow', 'dataQuotaBelow', sim.current_quota, thresholds.dataMb],
		['smsBelow', 'smsQuotaBelow', sim.current_quota_SMS, thresholds.sms],
	] as const;
	for (const [field, event, value, threshold] of levels) {
		const code = belowCode(value, threshold);
		if (code === undefined) continue;
		if (record[field] === ABOVE && code === BELOW) {
			events.push({ event, ...base, threshold, quota: amount(value) ?? null });
		}
		next[field] = code;
	}
	return { record: next, events };
}

/** The event of a SIM that appeared in the account. */
export function newSimEvent(sim: Sim, detectedAt: string): SimEvent {
	return { event: 'newSim', iccid: String(sim.iccid), detected_at: detectedAt, sim };
}

/** The event's own fields for a SIM as it is now; what it was before is not known to a sample (null). */
const FIELDS: Record<SimEventType, (sim: Sim, thresholds: SimThresholds) => IDataObject> = {
	simStatusChanged: (sim) => ({ previous_status: null, status: sim.status === undefined ? null : String(sim.status) }),
	dataQuotaStatusChanged: (sim) => ({ previous_quota_status: null, quota_status: quotaCode(sim.quota_status) ?? null }),
	smsQuotaStatusChanged: (sim) => ({
		previous_quota_status: null,
		quota_status: quotaCode(sim.quota_status_SMS) ?? null,
	}),
	dataQuotaBelow: (sim, t) => ({ threshold: t.dataMb, quota: amount(sim.current_quota) ?? null }),
	smsQuotaBelow: (sim, t) => ({ threshold: t.sms, quota: amount(sim.current_quota_SMS) ?? null }),
	newSim: () => ({}),
};

/** A SIM for which the event would fire if it had just got there, so that the sample looks like the real thing. */
const FITS: Partial<Record<SimEventType, (sim: Sim, thresholds: SimThresholds) => boolean>> = {
	dataQuotaStatusChanged: (sim) => (quotaCode(sim.quota_status) ?? 0) > 0,
	smsQuotaStatusChanged: (sim) => (quotaCode(sim.quota_status_SMS) ?? 0) > 0,
	dataQuotaBelow: (sim, t) => belowCode(sim.current_quota, t.dataMb) === BELOW,
	smsQuotaBelow: (sim, t) => belowCode(sim.current_quota_SMS, t.sms) === BELOW,
};

/**
 * The sample (n8n's manual run, "Fetch Test Event"): a SIM of the first page shaped as `event` reports it,
 * preferably one for which the event would fire now. Nothing is compared or stored; undefined without SIMs.
 */
export function sampleSimEvent(
	sims: Sim[],
	event: SimEventType,
	thresholds: SimThresholds,
	detectedAt: string,
): SimEvent | undefined {
	const readable = sims.filter((sim) => iccidOf(sim) !== undefined);
	const fits = FITS[event];
	const sim = (fits && readable.find((candidate) => fits(candidate, thresholds))) ?? readable[0];
	return sim && { event, iccid: iccidOf(sim)!, detected_at: detectedAt, sim, ...FIELDS[event](sim, thresholds) };
}
