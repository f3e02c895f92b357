import { processMap } from '../transport/processState';
import { TIMEOUTS } from '../transport/timing';

/**
 * The poll lock: one poll at a time per trigger in this n8n process, since n8n starts a poll on schedule
 * without waiting for the previous one (the later one returns at once). A poll in another process (queue mode
 * with several mains) is not seen.
 */

/** One poll's hold: the poll that took it lets go of this very object only. */
export interface Hold {
	since: number;
}

const running = processMap<Hold>('polls');

/** After this long a hold is ignored, so that a poll stuck beyond every bound below cannot stop the trigger for good. */
export const POLL_LEASE_MS = 15 * 60_000;

/**
 * How long a poll may take (package time): no attempt or wait starts after it (pollBudget, apiRequest), and the
 * poll ends as if its request budget were spent. Its other limits alone allow far longer than the lease: 100
 * attempts of up to 30 s each, plus up to 40 s of waiting per request.
 */
export const POLL_DEADLINE_MS = 10 * 60_000;

/** The longest an attempt sent just before the deadline runs: a token request, then the read, each to its timeout. */
export const LONGEST_ATTEMPT_MS = TIMEOUTS.tokenMs + TIMEOUTS.readMs;

/**
 * What the lease leaves after the deadline and the longest attempt (4 minutes; a unit test keeps it at least
 * one), so a poll has always ended before another can take over. The lease counts real time, the rest package
 * time: the same in n8n, and a compressed clock (tests, the bench) only shortens the latter.
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
