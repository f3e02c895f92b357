import type { IDataObject } from 'n8n-workflow';

import type { Sim } from '../../transport/sims';
import type { SimEvent } from './simEvents';
import { amount, quotaCode } from './simEvents';
import type { SimEventType, SimThresholds } from './simSettings';

/** The event's own fields for a SIM as it is now; what it was before is not known to a sample (null). */
const FIELDS: Record<SimEventType, (sim: Sim, thresholds: SimThresholds) => IDataObject> = {
	simStatusChanged: (sim) => ({ previous_status: null, status: sim.status === undefined ? null : String(sim.status) }),
	dataQuotaStatusChanged: (sim) => ({ previous_quota_status: null, quota_status: quotaCode(sim.quota_status) ?? null }),
	smsQuotaStatusChanged: (sim) => ({ previous_quota_status: null, quota_status: quotaCode(sim.quota_status_SMS) ?? null }),
	dataQuotaBelow: (sim, t) => ({ threshold: t.dataMb, quota: amount(sim.current_quota) ?? null }),
	smsQuotaBelow: (sim, t) => ({ threshold: t.sms, quota: amount(sim.current_quota_SMS) ?? null }),
	newSim: () => ({}),
};

/** A SIM for which the event would fire if it had just got there, so that the sample looks like the real thing. */
const FITS: Partial<Record<SimEventType, (sim: Sim, thresholds: SimThresholds) => boolean>> = {
	dataQuotaStatusChanged: (sim) => (quotaCode(sim.quota_status) ?? 0) > 0,
	smsQuotaStatusChanged: (sim) => (quotaCode(sim.quota_status_SMS) ?? 0) > 0,
	dataQuotaBelow: (sim, t) => t.dataMb !== null && (amount(sim.current_quota) ?? Infinity) < t.dataMb,
	smsQuotaBelow: (sim, t) => t.sms !== null && (amount(sim.current_quota_SMS) ?? Infinity) < t.sms,
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
	const readable = sims.filter((sim) => typeof sim?.iccid === 'string' && sim.iccid.trim() !== '');
	const fits = FITS[event];
	const sim = (fits && readable.find((candidate) => fits(candidate, thresholds))) ?? readable[0];
	if (!sim) return undefined;
	return { event, iccid: String(sim.iccid).trim(), detected_at: detectedAt, sim, ...FIELDS[event](sim, thresholds) };
}
