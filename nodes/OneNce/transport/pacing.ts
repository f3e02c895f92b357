import { processMap } from './processState';
import { packageMs, packageNow, realMs } from './timing';

/**
 * Client-side pacing of the requests 1NCE rate-limits, one window per limit: /v1/orders and /v1/products share
 * 100 per 5 minutes per IP address (the credential's Request Allowance), /v1/sims has 10 per second per
 * customer. Every node and trigger of one n8n process books its send times here, per window and base URL, so
 * workflows on one host share one budget (processState.ts).
 */

export const DEFAULT_ALLOWANCE = 100;
/** 1NCE's window for orders and products (package time). */
export const PACING_WINDOW_MS = 5 * 60_000;

/** One 1NCE limit. */
export interface PacingWindow {
	name: 'orders' | 'sims';
	/** 1NCE's window (package time). */
	spanMs: number;
	/** Added to the window: latency differs per request, and 1NCE's window counts arrivals. */
	marginMs: number;
	/** 1NCE's fixed allowance per window; without it the credential's Request Allowance applies. */
	allowance?: number;
}

export const ORDERS_WINDOW: PacingWindow = { name: 'orders', spanMs: PACING_WINDOW_MS, marginMs: PACING_WINDOW_MS / 100 };
export const SIMS_WINDOW: PacingWindow = { name: 'sims', spanMs: 1000, marginMs: 100, allowance: 10 };

/** The window a path is counted in; undefined for the token endpoint, which has limits of its own. */
export function windowOf(path: string): PacingWindow | undefined {
	if (/^\/v1\/(orders|products)(\/|$)/.test(path)) return ORDERS_WINDOW;
	if (/^\/v1\/sims(\/|$)/.test(path)) return SIMS_WINDOW;
	return undefined;
}

/** The budget a send is booked in: one window of one base URL. */
export interface LaneKey {
	window: PacingWindow;
	baseUrl: string;
}

interface Lane {
	/** No more than `allowance` sends may fall within this span: the window plus its margin. */
	spacingMs: number;
	/** Booked sends, in order of `at`: those sent first, then those still waiting, in booking order. */
	sends: Slot[];
	/** No send before this package time: 1NCE throttled this host. */
	blockedUntil: number;
	/** The allowance of the latest booking (credentials sharing a base URL normally share it too). */
	allowance: number;
}

/**
 * One booked send. Until sent, `at` is when it may go, and only ever moves later (retime); once sent, `at` is now
 * until its answer comes (it may reach 1NCE at any moment until then), then when the answer came.
 */
export interface Slot {
	at: number;
	/** Sent (startSend let it go, or settle saw it done): `at` is no longer re-timed. */
	sent?: boolean;
	/** Answered or failed (settle): `at` no longer moves at all. */
	settled?: boolean;
	/** The hold (its end, package time) the caller had already waited out when booking; see bookSend. */
	waitedHold?: number;
	/** The lane it was booked in. */
	lane: Lane;
}

const lanes = processMap<Lane>('pacing');

function laneOf({ window, baseUrl }: LaneKey): Lane {
	const key = `${window.name} ${baseUrl}`;
	let lane = lanes.get(key);
	if (!lane) {
		lane = { spacingMs: window.spanMs + window.marginMs, sends: [], blockedUntil: 0, allowance: window.allowance ?? DEFAULT_ALLOWANCE };
		lanes.set(key, lane);
	}
	return lane;
}

/** The hold that applies to a send whose caller waited out the hold ending at `waitedHold`: only a longer one. */
function holdFor(lane: Lane, waitedHold = 0): number {
	return lane.blockedUntil > waitedHold ? lane.blockedUntil : 0;
}

/** The earliest a send may go after the sends in `before` (in order of `at`). */
function earliestAfter(lane: Lane, before: Slot[]): number {
	let at = before.length ? before[before.length - 1].at : 0;
	const { allowance } = lane;
	if (before.length >= allowance) at = Math.max(at, before[before.length - allowance].at + lane.spacingMs);
	return at;
}

/**
 * Brings the lane to `now`: a send not answered yet counts as sent now. Then moves waiting sends later where the
 * sends before them moved or a hold began, so that no `allowance` + 1 sends fall within a window plus the margin.
 */
function retime(lane: Lane, now = packageNow()): void {
	for (const slot of lane.sends) if (slot.sent && !slot.settled) slot.at = Math.max(slot.at, now);
	const placed = lane.sends.filter((slot) => slot.sent).sort((a, b) => a.at - b.at);
	for (const slot of lane.sends) {
		if (slot.sent) continue;
		slot.at = Math.max(slot.at, holdFor(lane, slot.waitedHold), earliestAfter(lane, placed));
		placed.push(slot);
	}
	lane.sends = placed;
}

export type Booking = { waitMs: number; slot?: Slot } | { refused: true; waitMs: number };

/**
 * Books the next send in `key`'s lane within its window's allowance (the credential's `allowance` unless 1NCE
 * fixed one; 0 turns pacing off) and returns the real time to wait; the caller then confirms with startSend. A
 * send that would wait longer than `maxWaitMs` (real) is not booked. `waitedHold`: the end (as holdOff returned
 * it) of the hold the caller has just waited out after its own throttled answer, so it does not apply twice.
 */
export function bookSend(key: LaneKey, allowance: number, maxWaitMs: number, waitedHold = 0): Booking {
	const limit = key.window.allowance ?? allowance;
	if (!(limit > 0)) return { waitMs: 0 };
	const now = packageNow();
	const lane = laneOf(key);
	lane.allowance = limit;
	retime(lane, now);
	// Sends older than a window no longer limit anything booked from now on.
	const live = lane.sends.findIndex((slot) => slot.at > now - lane.spacingMs);
	lane.sends.splice(0, live < 0 ? lane.sends.length : live);
	const at = Math.max(now, holdFor(lane, waitedHold), earliestAfter(lane, lane.sends));
	const waitMs = realMs(at - now);
	if (waitMs > maxWaitMs) return { refused: true, waitMs };
	const slot: Slot = { at, waitedHold, lane };
	lane.sends.push(slot);
	return { waitMs, slot };
}

export type Start = { waitMs: number } | { refused: true; waitMs: number };

/**
 * The caller of `slot` has waited: it may send now (waitMs 0; the slot counts as sent from here), or its slot
 * moved later and it must wait `waitMs` (real) more and ask again; longer than `maxWaitMs`, it is `refused`.
 */
export function startSend(slot: Slot, maxWaitMs: number): Start {
	const now = packageNow();
	// Sends still awaiting their answer count from now: this one may have to wait for them.
	retime(slot.lane, now);
	if (slot.sent || slot.at <= now) {
		// It goes now, which may be later than booked (a busy host): the sends behind it move with it.
		slot.at = Math.max(slot.at, now);
		slot.sent = true;
		retime(slot.lane, now);
		return { waitMs: 0 };
	}
	const waitMs = realMs(slot.at - now);
	if (waitMs > maxWaitMs) {
		release(slot);
		return { refused: true, waitMs };
	}
	return { waitMs };
}

/** The booking in `slot` will not be sent (given up before sending): it no longer counts. */
export function release(slot: Slot | undefined): void {
	if (!slot || slot.sent) return;
	const index = slot.lane.sends.indexOf(slot);
	if (index >= 0) slot.lane.sends.splice(index, 1);
}

/**
 * The send in `slot` is done: 1NCE saw it at the latest now. Counting from here rather than from the booking
 * keeps a slow start (a token request first, a busy host) from letting the send one window later arrive inside
 * 1NCE's window; waiting sends behind it move with it.
 */
export function settle(slot: Slot | undefined): void {
	if (!slot) return;
	slot.at = Math.max(slot.at, packageNow());
	slot.sent = true;
	slot.settled = true;
	retime(slot.lane);
}

/**
 * 1NCE throttled this host: nothing is sent in `key`'s lane for `waitMs` (real) by any node of this process,
 * booked sends included. Returns when this hold ends (package time), for the caller's bookSend.
 */
export function holdOff(key: LaneKey, waitMs: number): number {
	const lane = laneOf(key);
	const until = packageNow() + packageMs(waitMs);
	lane.blockedUntil = Math.max(lane.blockedUntil, until);
	retime(lane);
	return until;
}
