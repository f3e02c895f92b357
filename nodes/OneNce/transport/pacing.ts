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

/** One booked send; `at` moves to when its answer came once it is known (1NCE counted it before that). */
export interface Slot {
	at: number;
}

interface Lane {
	/** Booked sends, in order of `at`. */
	sends: Slot[];
	/** No send before this package time: 1NCE throttled this host. */
	blockedUntil: number;
}

const lanes = new Map<string, Lane>();

function laneOf(baseUrl: string): Lane {
	let lane = lanes.get(baseUrl);
	if (!lane) {
		lane = { sends: [], blockedUntil: 0 };
		lanes.set(baseUrl, lane);
	}
	return lane;
}

export type Booking = { waitMs: number; slot?: Slot } | { refused: true; waitMs: number };

/**
 * Books the next send to `baseUrl` within `allowance` sends per window and returns the real time to wait
 * before sending. A send that would have to wait longer than `maxWaitMs` (real) is not booked. `holdWaited`:
 * the caller has just waited out the hold its own throttled answer set, so that hold does not apply twice.
 * Allowance 0 turns pacing off.
 */
export function bookSend(baseUrl: string, allowance: number, maxWaitMs: number, holdWaited = false): Booking {
	if (!(allowance > 0)) return { waitMs: 0 };
	const now = packageNow();
	const lane = laneOf(baseUrl);
	const sends = lane.sends;
	// Sends older than a window no longer limit anything booked from now on.
	let expired = 0;
	while (expired < sends.length && sends[expired].at <= now - PACING_WINDOW_MS - MARGIN_MS) expired++;
	if (expired) sends.splice(0, expired);
	let at = Math.max(now, holdWaited ? 0 : lane.blockedUntil, sends.length ? sends[sends.length - 1].at : 0);
	if (sends.length >= allowance) at = Math.max(at, sends[sends.length - allowance].at + PACING_WINDOW_MS + MARGIN_MS);
	const waitMs = realMs(at - now);
	if (waitMs > maxWaitMs) return { refused: true, waitMs };
	const slot = { at };
	sends.push(slot);
	return { waitMs, slot };
}

/**
 * The send in `slot` is done (answered or failed): 1NCE saw it at the latest now. Counting from here rather
 * than from the booking keeps a slow start (a token request first, a busy host) from letting the send one
 * window later arrive inside 1NCE's window.
 */
export function settle(baseUrl: string, slot: Slot | undefined): void {
	if (!slot) return;
	slot.at = Math.max(slot.at, packageNow());
	lanes.get(baseUrl)?.sends.sort((a, b) => a.at - b.at);
}

/** 1NCE throttled this host: nothing is sent to `baseUrl` for `packageWaitMs`, by any node in this process. */
export function holdOff(baseUrl: string, packageWaitMs: number): void {
	const lane = laneOf(baseUrl);
	lane.blockedUntil = Math.max(lane.blockedUntil, packageNow() + packageWaitMs);
}

/** Forgets every booking (tests and the bench only). */
export function resetPacing(): void {
	lanes.clear();
}
