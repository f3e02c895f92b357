import { accountKey } from '../transport/baseUrl';
import { PAGE_SIZE } from '../transport/orders';

/** [order_number, last seen order_status, index in the list sorted by order number]: the poll's working form. */
export type WatchedOrder = [number, string, number];

/** One watched order as stored: readable in the workflow's static data. */
export interface WatchEntry {
	status: string;
	/** 0-based place in the list sorted by order number when last seen (its page is index / 10 + 1). */
	index: number;
}

/** A full scan in progress, read from `nextPage` down towards page 1. */
export interface FullScanProgress {
	nextPage: number;
	startedAt: string;
}

/** A recovery in progress (recovery.ts), read from `nextPage` upwards. */
export interface RecoveryProgress {
	reason: string;
	nextPage: number;
	startedAt: string;
	/** Highest order number seen by this recovery so far. */
	highestSeen: number;
	/** New orders (above highestOrder) already reported by this recovery: a page read twice never reports one twice. */
	reportedNew: number[];
}

/**
 * What the trigger keeps in the workflow's static data between polls, in names a person can read: only orders
 * that can still change, and where to find them and the new orders again (under 2 KB with 30 open orders).
 */
export interface TriggerState {
	version: 2;
	/** StateAccount.key of the credential the state was built for (no secret in it). */
	account: string;
	/** Incremented on every write; a poll that finds it changed since it started does not write. */
	generation: number;
	/** Number of orders up to and including highestOrder (it sat at index orderCount - 1). */
	orderCount: number;
	/** Highest order number seen; every order above it is new. 0 when the account had no orders. */
	highestOrder: number;
	/** Orders not in a final status, by order number. */
	watching: Record<string, WatchEntry>;
	/** Signature of the final statuses the watch list was built with. */
	finalStatuses: string;
	/** Start of the last completed full scan (ISO time). */
	lastFullScan: string;
	fullScan?: FullScanProgress;
	/** The request budget did not reach every watched order: the next poll starts checking at this number. */
	nextWatchCheck?: number;
	/** The request budget ran out before the newest page: the next poll reads on from highestOrder. */
	newOrdersBehind?: true;
	/** The baseline did not reach the newest page: orders found above highestOrder are adopted, not reported. */
	baselineIncomplete?: true;
	/** A search for a moved order ran out of budget: the next poll checks one page of watched orders only. */
	searchPending?: true;
	recovery?: RecoveryProgress;
}

/** Key of the state inside the node's static data. */
export const STATE_KEY = 'orderWatch';

// Checks of stored values, for the order and SIM states alike.
export const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;
export const isTime = (value: unknown): value is string => typeof value === 'string' && !Number.isNaN(Date.parse(value));
export const isRecord = (value: unknown): value is Record<string, unknown> =>
	!!value && typeof value === 'object' && !Array.isArray(value);

export const isoTime = (epochMs: number): string => new Date(epochMs).toISOString();

/** The watch list in working form, ascending by order number. */
export function watchedList(state: TriggerState): WatchedOrder[] {
	return Object.entries(state.watching)
		.map(([number, entry]): WatchedOrder => [Number(number), entry.status, entry.index])
		.sort((a, b) => a[0] - b[0]);
}

export function watchingOf(list: WatchedOrder[]): Record<string, WatchEntry> {
	const watching: Record<string, WatchEntry> = {};
	for (const [number, status, index] of [...list].sort((a, b) => a[0] - b[0])) watching[String(number)] = { status, index };
	return watching;
}

/** The stored generation, or 0 when nothing readable is stored. */
export function generationOf(raw: unknown): number {
	const generation = (raw as { generation?: unknown } | undefined)?.generation;
	return isCount(generation) ? generation : 0;
}

/** A copy of the known fields, or undefined when one is missing or malformed. */
function parseV2(state: Record<string, unknown>): TriggerState | undefined {
	const { account, generation, orderCount, highestOrder, watching, finalStatuses, lastFullScan, fullScan, recovery } = state;
	if (typeof account !== 'string' || typeof finalStatuses !== 'string' || !isTime(lastFullScan) || !isRecord(watching)) return undefined;
	if (!isCount(generation) || !isCount(orderCount) || !isCount(highestOrder)) return undefined;
	const parsed: TriggerState = { version: 2, account, generation, orderCount, highestOrder, watching: {}, finalStatuses, lastFullScan };
	for (const [key, entry] of Object.entries(watching)) {
		if (!/^\d+$/.test(key) || !isCount(Number(key)) || !isRecord(entry)) return undefined;
		if (typeof entry.status !== 'string' || !isCount(entry.index)) return undefined;
		parsed.watching[key] = { status: entry.status, index: entry.index };
	}
	if (fullScan !== undefined) {
		if (!isRecord(fullScan) || !isCount(fullScan.nextPage) || !isTime(fullScan.startedAt)) return undefined;
		parsed.fullScan = { nextPage: fullScan.nextPage, startedAt: fullScan.startedAt };
	}
	if (state.nextWatchCheck !== undefined) {
		if (!isCount(state.nextWatchCheck)) return undefined;
		parsed.nextWatchCheck = state.nextWatchCheck;
	}
	for (const flag of ['newOrdersBehind', 'baselineIncomplete', 'searchPending'] as const) if (state[flag] === true) parsed[flag] = true;
	if (recovery !== undefined) {
		const { reason, nextPage, startedAt, highestSeen, reportedNew } = isRecord(recovery) ? recovery : ({} as Record<string, unknown>);
		if (typeof reason !== 'string' || !isCount(nextPage) || nextPage < 1 || !isTime(startedAt) || !isCount(highestSeen)) return undefined;
		if (!Array.isArray(reportedNew) || !reportedNew.every(isCount)) return undefined;
		parsed.recovery = { reason, nextPage, startedAt, highestSeen, reportedNew: [...reportedNew] };
	}
	return parsed;
}

/**
 * The stored state if it belongs to `account`; undefined (a new baseline) when there is none, it is unreadable
 * (edited by hand, another version such as 0.1.0's `{v: 1}`) or another account's. Always a copy: n8n hands out
 * its own observable objects, which the poll never changes in place.
 */
export function parseState(raw: unknown, account: StateAccount): TriggerState | undefined {
	const parsed = isRecord(raw) && raw.version === 2 ? parseV2(raw) : undefined;
	if (parsed?.account === account.key) return parsed;
	// Bound before the trigger used the one account key: the same account, so the baseline holds; rebound.
	if (parsed?.account === account.formerKey) return { ...parsed, account: account.key };
	return undefined;
}

/** Why a stored state (order or SIM) is not used, for the log; undefined when it is `used` or there is none. */
export function ignoredReason(raw: unknown, readable: boolean, used: boolean): string | undefined {
	if (raw === undefined || raw === null || used) return undefined;
	return readable ? 'it was built for another account (Base URL or user changed)' : 'it is unreadable';
}

export function ignoredStateReason(raw: unknown, account: StateAccount): string | undefined {
	return ignoredReason(raw, isRecord(raw) && raw.version === 2 && !!parseV2(raw), !!parseState(raw, account));
}

/** 1-based page that holds the 0-based list index. */
export function pageOf(index: number): number {
	return Math.floor(Math.max(0, index) / PAGE_SIZE) + 1;
}

/** 32-bit FNV-1a of `text` from `seed`: short, stable signatures (not secrets). */
export function fnv1a(text: string, seed: number): number {
	let hash = seed;
	for (let i = 0; i < text.length; i++) {
		hash ^= text.charCodeAt(i);
		hash = Math.imul(hash, 0x01000193);
	}
	return hash >>> 0;
}

/** Short, stable signature of a set of statuses (order and case do not matter). */
export function statusSignature(statuses: Iterable<string>): string {
	const text = [...new Set([...statuses].map((s) => s.trim().toUpperCase()))].sort().join('\n');
	return fnv1a(text, 0x811c9dc5).toString(36);
}

function shortHash(text: string): string {
	return fnv1a(text, 0x811c9dc5).toString(36) + fnv1a(text, 0x050c5d1f).toString(36);
}

/** Which account a state belongs to, in the form stored with it. */
export interface StateAccount {
	/** A short hash of accountKey (baseUrl.ts), the key the transport uses too. */
	key: string;
	/** The key of older states (the base URL as typed, and the user), still taken so that no baseline is lost. */
	formerKey: string;
}

export function stateAccount(credentials: { baseUrl?: unknown; username?: unknown }): StateAccount {
	const formerUrl = String(credentials.baseUrl ?? '').trim().replace(/\/+$/, '').toLowerCase();
	return {
		key: shortHash(accountKey(credentials)),
		formerKey: shortHash(`${formerUrl}\n${String(credentials.username ?? '').trim()}`),
	};
}

/** Whether two states say the same, generation aside (the generation only changes when something else does). */
export function sameState(a: TriggerState | undefined, b: TriggerState | undefined): boolean {
	if (!a || !b) return a === b;
	// Keys sorted, so that the order fields were set in does not matter.
	const json = (state: TriggerState) =>
		JSON.stringify({ ...state, generation: 0 }, (_key, value: unknown) =>
			isRecord(value) ? Object.fromEntries(Object.keys(value).sort().map((key) => [key, value[key]])) : value,
		);
	return json(a) === json(b);
}

/** Size in bytes of the JSON n8n stores for this node's static data (what the benchmark reports). */
export function stateBytes(staticData: unknown): number {
	return new TextEncoder().encode(JSON.stringify(staticData ?? {})).length;
}
