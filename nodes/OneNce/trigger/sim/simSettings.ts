/** The SIM trigger's events, as the node's Event picker names them. */
export const SIM_EVENTS = {
	simStatusChanged: 'SIM Status Changed',
	dataQuotaStatusChanged: 'Data Quota Status Changed',
	smsQuotaStatusChanged: 'SMS Quota Status Changed',
	dataQuotaBelow: 'Data Quota Below',
	smsQuotaBelow: 'SMS Quota Below',
	newSim: 'New SIM',
} as const;

export type SimEventType = keyof typeof SIM_EVENTS;

export interface SimThresholds {
	/** Data Quota Below fires when `current_quota` (MB, per the spec) drops under this; null: not watched. */
	dataMb: number | null;
	/** SMS Quota Below fires when `current_quota_SMS` drops under this; null: not watched. */
	sms: number | null;
}

export interface SimTriggerSettings {
	/** The events to emit; the state records every change regardless, so a left-out one is never reported later. */
	events: Set<SimEventType>;
	thresholds: SimThresholds;
}

export interface RawSimTriggerSettings {
	events?: unknown;
	dataQuotaBelowMb?: unknown;
	smsQuotaBelow?: unknown;
}

function threshold(value: unknown, name: string, needed: boolean): number | null {
	if (value === undefined || value === null || value === '') {
		if (needed) throw new Error(`${name} needs a threshold`);
		return null;
	}
	const number = Number(value);
	if (!Number.isFinite(number) || number < 0)
		throw new Error(`${name} must be 0 or a positive number, got "${String(value)}"`);
	return number;
}

/** Validated settings; throws a plain-language Error for values that make no sense (before any request). */
export function buildSimSettings(raw: RawSimTriggerSettings): SimTriggerSettings {
	const picked = raw.events === undefined ? [] : Array.isArray(raw.events) ? raw.events : [raw.events];
	const events = new Set<SimEventType>();
	for (const event of picked) {
		if (typeof event !== 'string' || !(event in SIM_EVENTS)) throw new Error(`Unknown SIM event "${String(event)}"`);
		events.add(event as SimEventType);
	}
	return {
		events,
		thresholds: {
			dataMb: threshold(raw.dataQuotaBelowMb, SIM_EVENTS.dataQuotaBelow, events.has('dataQuotaBelow')),
			sms: threshold(raw.smsQuotaBelow, SIM_EVENTS.smsQuotaBelow, events.has('smsQuotaBelow')),
		},
	};
}
