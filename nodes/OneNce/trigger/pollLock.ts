import { processMap } from '../transport/processState';
import { TIMEOUTS } from '../transport/timing';

/**
 * The poll lock: one poll at a time per trigger within this n8n process. n8n starts a poll on its schedule
 * without waiting for the previous one, so two can overlap; the later one returns at once. The holds live in
 * processState.ts and only coordinate: a poll of the same trigger in another process (queue mode with several
 * mains) is not seen.
 */

/** One poll's hold: the poll that took it lets go of this very object only. */
export interface Hold {
	since: number;
}

const running = processMap<Hold>('polls');

/**
 * After this long a poll's hold is ignored, so that a poll stuck beyond every bound below cannot stop the
 * trigger for good.
 */
export const POLL_LEASE_MS = 15 * 60_000;

/**
 * How long a poll may take (package time): its requests start no attempt and no wait after it (see
 * pollBudget and apiRequest), and the poll then ends like one whose request budget is spent, the rest of
 * its work carried to the next poll. Without it a poll's own limits allow far longer than the lease: up to
 * 100 attempts of up to 30 s each, plus up to 40 s of waiting per request.
 */
export const POLL_DEADLINE_MS = 10 * 60_000;

/**
 * The longest an attempt sent just before the deadline runs on: the token request n8n may send first (the
 * token had expired) and then the list or order request, each up to its timeout.
 */
export const LONGEST_ATTEMPT_MS = TIMEOUTS.tokenMs + TIMEOUTS.readMs;

/**
 * What is left of the lease after the deadline and the longest attempt (15 - 10 - 1 = 4 minutes; a unit test
 * checks it stays at least a minute), so that a poll has always ended before another poll of the same trigger
 * can take over. It covers a busy event loop and what the poll does after its last request. The lease counts
 * real time and the deadline and timeouts package time: the same in n8n, and a compressed clock (tests, the
 * bench) only shortens the latter.
 */
export const LEASE_SLACK_MS = POLL_LEASE_MS - (POLL_DEADLINE_MS + LONGEST_ATTEMPT_MS);

/** The hold, or undefined while another poll of the same trigger holds it. */
export function tryHold(key: string, now: number): Hold | undefined {
	const current = running.get(key);
	if (current && now - current.since < POLL_LEASE_MS) return undefined;
	const hold = { since: now };
	running.set(key, hold);
	return hold;
}

/** Lets go of the hold, unless a later poll took it over after the lease ran out. */
export function release(key: string, hold: Hold): void {
	if (running.get(key) === hold) running.delete(key);
}

export function pollKey(workflowId: string | undefined, nodeName: string): string {
	return `${workflowId ?? ''}\n${nodeName}`;
}
