import { packageNow, realMs } from './timing';

/**
 * Client-side pacing of the requests 1NCE rate-limits per IP address (/v1/orders and /v1/products: 100 per
 * 5 minutes). Every 1NCE node and trigger in one n8n process books its sends here, per base URL, so several
 * workflows on one host share one budget instead of each running into 1NCE's throttle. This is the
 * package's one piece of process-wide state; it holds send times only, never tokens or trigger state.
 */

export const DEFAULT_ALLOWANCE = 100;
/** 1NCE's window (package time). */
export const PACING_WINDOW_MS = 5 * 60_000;
// Sends land a little later than booked (latency differs per request): keep a margin so that 1NCE's own
// window, which counts arrivals, never sees allowance + 1 requests.
const MARGIN_MS = PACING_WINDOW_MS / 100;

/** Paths counted against the allowance; the token endpoint and /v1/sims have their own limits. */
export function isPaced(path: string): boolean {
	return /^\/v1\/(orders|products)(\/|$)/.test(path);
}

/**
 * One booked send. Until it is sent, `at` is when it may go, and it only ever moves later (see retime);
 * once sent, `at` is when it went, then when its answer came (1NCE counted it before that).
 */
export interface Slot {
	at: number;
	/** Sent (startSend let it go, or settle saw it done): `at` is no longer re-timed. */
	sent?: boolean;
	/** The hold (its end, package time) the caller had already waited out when booking; see bookSend. */
	waitedHold?: number;
}

interface Lane {
	/** Booked sends, in order of `at`: those sent first, then those still waiting, in booking order. */
	sends: Slot[];
	/** No send before this package time: 1NCE throttled this host. */
	blockedUntil: number;
	/** The allowance of the latest booking (credentials sharing a base URL normally share it too). */
	allowance: number;
}

const lanes = new Map<string, Lane>();

function laneOf(baseUrl: string): Lane {
	let lane = lanes.get(baseUrl);
	if (!lane) {
		lane = { sends: [], blockedUntil: 0, allowance: DEFAULT_ALLOWANCE };
		lanes.set(baseUrl, lane);
	}
	return lane;
}

/** A window plus the margin: no more than `allowance` sends may fall within this span. */
const SPACING_MS = PACING_WINDOW_MS + MARGIN_MS;

/** The hold that applies to a send whose caller already waited out the hold ending at `waitedHold`. */
function holdFor(lane: Lane, waitedHold = 0): number {
	// Only that very hold is skipped: a longer one, set by any request before or since, still applies.
	return lane.blockedUntil > waitedHold ? lane.blockedUntil : 0;
}

/** The earliest a send may go after the sends in `before` (in order of `at`). */
function earliestAfter(before: Slot[], allowance: number): number {
	let at = before.length ? before[before.length - 1].at : 0;
	if (before.length >= allowance) at = Math.max(at, before[before.length - allowance].at + SPACING_MS);
	return at;
}

/**
 * Moves the sends not sent yet later where the sends before them moved (an answer came late, so that send
 * counts from later) or a hold began, so that no `allowance` + 1 sends fall within a window plus the
 * margin. Waiting sends only ever move later; their callers check their slot again before sending.
 */
function retime(lane: Lane): void {
	const placed = lane.sends.filter((slot) => slot.sent).sort((a, b) => a.at - b.at);
	for (const slot of lane.sends) {
		if (slot.sent) continue;
		slot.at = Math.max(slot.at, holdFor(lane, slot.waitedHold), earliestAfter(placed, lane.allowance));
		placed.push(slot);
	}
	lane.sends = placed;
}

export type Booking = { waitMs: number; slot?: Slot } | { refused: true; waitMs: number };

/**
 * Books the next send to `baseUrl` within `allowance` sends per window and returns the real time to wait
 * before sending; before sending, the caller confirms with startSend, which may ask it to wait longer.
 * A send that would have to wait longer than `maxWaitMs` (real) is not booked. `waitedHold`: the end
 * (package time, as holdOff returned it) of the hold the caller has just waited out after its own
 * throttled answer, so that hold does not apply twice; a longer hold still does. Allowance 0 turns pacing off.
 */
export function bookSend(baseUrl: string, allowance: number, maxWaitMs: number, waitedHold = 0): Booking {
	if (!(allowance > 0)) return { waitMs: 0 };
	const now = packageNow();
	const lane = laneOf(baseUrl);
	lane.allowance = allowance;
	const sends = lane.sends;
	// Sends older than a window no longer limit anything booked from now on.
	let expired = 0;
	while (expired < sends.length && sends[expired].at <= now - SPACING_MS) expired++;
	if (expired) sends.splice(0, expired);
	const at = Math.max(now, holdFor(lane, waitedHold), earliestAfter(sends, allowance));
	const waitMs = realMs(at - now);
	if (waitMs > maxWaitMs) return { refused: true, waitMs };
	const slot: Slot = { at, waitedHold };
	sends.push(slot);
	return { waitMs, slot };
}

export type Start = { waitMs: number } | { refused: true; waitMs: number };

/**
 * The caller of the booking in `slot` has waited: it may send now (waitMs 0; the slot counts as sent from
 * here), or its slot moved later meanwhile and it must wait `waitMs` (real) more and ask again. When that
 * is longer than `maxWaitMs` (real) the booking is given up: `refused`, and nothing may be sent.
 */
export function startSend(baseUrl: string, slot: Slot, maxWaitMs: number): Start {
	const now = packageNow();
	if (slot.sent || slot.at <= now) {
		// It goes now, which may be later than booked (a busy host): the sends behind it move with it.
		slot.at = Math.max(slot.at, now);
		slot.sent = true;
		retime(laneOf(baseUrl));
		return { waitMs: 0 };
	}
	const waitMs = realMs(slot.at - now);
	if (waitMs > maxWaitMs) {
		release(baseUrl, slot);
		return { refused: true, waitMs };
	}
	return { waitMs };
}

/** The booking in `slot` will not be sent (given up before sending): it no longer counts. */
export function release(baseUrl: string, slot: Slot | undefined): void {
	const lane = lanes.get(baseUrl);
	if (!slot || slot.sent || !lane) return;
	const index = lane.sends.indexOf(slot);
	if (index >= 0) lane.sends.splice(index, 1);
}

/**
 * The send in `slot` is done (answered or failed): 1NCE saw it at the latest now. Counting from here rather
 * than from the booking keeps a slow start (a token request first, a busy host) from letting the send one
 * window later arrive inside 1NCE's window; the sends booked behind it and not sent yet move with it.
 */
export function settle(baseUrl: string, slot: Slot | undefined): void {
	if (!slot) return;
	slot.at = Math.max(slot.at, packageNow());
	slot.sent = true;
	const lane = lanes.get(baseUrl);
	if (lane) retime(lane);
}

/**
 * 1NCE throttled this host: nothing is sent to `baseUrl` for `packageWaitMs`, by any node in this process,
 * sends already booked included. Returns when this hold ends (package time), for the caller's bookSend.
 */
export function holdOff(baseUrl: string, packageWaitMs: number): number {
	const lane = laneOf(baseUrl);
	const until = packageNow() + packageWaitMs;
	lane.blockedUntil = Math.max(lane.blockedUntil, until);
	retime(lane);
	return until;
}

/** Forgets every booking (tests and the bench only). */
export function resetPacing(): void {
	lanes.clear();
}
