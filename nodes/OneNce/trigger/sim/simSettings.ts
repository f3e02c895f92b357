import { wholeNumber } from '../settings';

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

export const isSimEvent = (value: string): value is SimEventType => Object.hasOwn(SIM_EVENTS, value);

/** A whole scan of 10,000 SIMs (100 pages) in one poll, with room for retries: about 12 s at 10 requests a second. */
export const DEFAULT_SIM_REQUESTS_PER_POLL = 120;
export const MIN_SIM_REQUESTS_PER_POLL = 2;
/** Ten minutes at 10 a second: the poll's deadline (pollLock.ts) would stop it before more could be sent. */
export const MAX_SIM_REQUESTS_PER_POLL = 6000;

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
	/** SIM requests (HTTP attempts, retries included) one poll may send at most. */
	requestsPerPoll: number;
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

type RawSettings = Partial<Record<'events' | 'dataQuotaBelowMb' | 'smsQuotaBelow' | 'requestsPerPoll', unknown>>;

/** Validated settings; throws a plain-language Error for values that make no sense (before any request). */
export function buildSimSettings(raw: RawSettings): SimTriggerSettings {
	const picked = raw.events === undefined ? [] : Array.isArray(raw.events) ? raw.events : [raw.events];
	const events = new Set<SimEventType>();
	for (const event of picked) {
		if (typeof event !== 'string' || !isSimEvent(event)) throw new Error(`Unknown SIM event "${String(event)}"`);
		events.add(event);
	}
	return {
		events,
		thresholds: {
			dataMb: threshold(raw.dataQuotaBelowMb, SIM_EVENTS.dataQuotaBelow, events.has('dataQuotaBelow')),
			sms: threshold(raw.smsQuotaBelow, SIM_EVENTS.smsQuotaBelow, events.has('smsQuotaBelow')),
		},
		requestsPerPoll: wholeNumber(raw.requestsPerPoll, DEFAULT_SIM_REQUESTS_PER_POLL, MIN_SIM_REQUESTS_PER_POLL, MAX_SIM_REQUESTS_PER_POLL, 'Requests per Poll'),
	};
}
