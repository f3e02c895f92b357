import { textList } from '../actions/fields';
import type { EventFilter } from './changes';

/** 1NCE documents only COMPLETED; a cancelled order does not move on either. */
export const DEFAULT_FINAL_STATUSES = ['COMPLETED', 'CANCELLED'];
export const DEFAULT_FULL_SCAN_INTERVAL_HOURS = 24;
export const DEFAULT_FULL_SCAN_PAGES_PER_POLL = 10;
export const MAX_FULL_SCAN_PAGES_PER_POLL = 100;
/** A fifth of 1NCE's 100 order requests per 5 minutes: a trigger polling every minute stays within the host's allowance. */
export const DEFAULT_REQUESTS_PER_POLL = 20;
export const MIN_REQUESTS_PER_POLL = 5;
export const MAX_REQUESTS_PER_POLL = 100;

export interface TriggerSettings {
	filter: EventFilter;
	/** Upper-case final statuses: an order in one of them is no longer watched. */
	finals: Set<string>;
	/** 0: no periodic full scan. */
	fullScanIntervalMs: number;
	fullScanPagesPerPoll: number;
	/** Order requests (HTTP attempts, retries included) one poll may send at most. */
	requestsPerPoll: number;
}

/** The node's parameters as n8n hands them over, unchecked. */
export type RawTriggerSettings = Partial<
	Record<'statuses' | 'otherStatuses' | 'includeNewOrders' | 'finalStatuses' | 'fullScanIntervalHours' | 'fullScanPagesPerPoll' | 'requestsPerPoll', unknown>
>;

/** Statuses from a list or a comma-separated text, trimmed and upper-cased (statuses are matched case-insensitively). */
export function parseStatusList(value: unknown): string[] {
	return [...new Set(textList(value).map((status) => status.toUpperCase()))];
}

/** A whole number setting from min to max; absent: the default. */
export function wholeNumber(raw: unknown, fallback: number, min: number, max: number, label: string): number {
	const value = raw === undefined ? fallback : Number(raw);
	if (!Number.isInteger(value) || value < min || value > max) {
		throw new Error(`${label} must be a whole number from ${min} to ${max}, got "${String(raw)}"`);
	}
	return value;
}

/** Validated settings; throws a plain-language Error for values that make no sense (before any request). */
export function buildSettings(raw: RawTriggerSettings): TriggerSettings {
	const hours = raw.fullScanIntervalHours === undefined ? DEFAULT_FULL_SCAN_INTERVAL_HOURS : Number(raw.fullScanIntervalHours);
	if (!Number.isFinite(hours) || hours < 0) {
		throw new Error(`Full Scan Interval must be 0 or a positive number of hours, got "${String(raw.fullScanIntervalHours)}"`);
	}
	const finals = parseStatusList(raw.finalStatuses);
	return {
		filter: {
			statuses: new Set([...parseStatusList(raw.statuses), ...parseStatusList(raw.otherStatuses)]),
			includeNewOrders: raw.includeNewOrders === true,
		},
		// Without final statuses every order ever seen would be watched forever: fall back to the default.
		finals: new Set(finals.length ? finals : DEFAULT_FINAL_STATUSES),
		fullScanIntervalMs: Math.round(hours * 3_600_000),
		fullScanPagesPerPoll: wholeNumber(raw.fullScanPagesPerPoll, DEFAULT_FULL_SCAN_PAGES_PER_POLL, 1, MAX_FULL_SCAN_PAGES_PER_POLL, 'Full Scan Pages per Poll'),
		requestsPerPoll: wholeNumber(raw.requestsPerPoll, DEFAULT_REQUESTS_PER_POLL, MIN_REQUESTS_PER_POLL, MAX_REQUESTS_PER_POLL, 'Requests per Poll'),
	};
}

export function isFinalIn(finals: Set<string>): (status: string) => boolean {
	return (status) => finals.has(status.trim().toUpperCase());
}
