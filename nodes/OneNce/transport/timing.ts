/**
 * The clock of the durations this package chooses itself: request timeouts, the rate-limit window it paces
 * requests by, and the wait after a firewall block. In n8n `speed` is 1 and nothing changes it. Tests and
 * the bench raise it to run those durations faster, matching a simulator whose 5-minute window is
 * compressed by the same factor; waits that 1NCE dictates (Retry-After) are real time and never scaled.
 */
export const packageClock = { speed: 1 };

/** Now, in package time (ms). */
export function packageNow(): number {
	return Date.now() * packageClock.speed;
}

/** Real milliseconds of a package-time duration. */
export function realMs(packageMs: number): number {
	return packageMs / packageClock.speed;
}

/** Longest wait for an answer, per kind of request (package time). */
export const TIMEOUTS = {
	/** The token request. */
	tokenMs: 30_000,
	/** A list page or one order. */
	readMs: 30_000,
	/** Placing an order: slower on 1NCE's side, and a timeout there leaves the outcome unknown. */
	createMs: 60_000,
} as const;

/** "30 s" for a package-time duration, as users would see it without compression. */
export function seconds(packageMs: number): string {
	return `${Math.round(packageMs / 1000)} s`;
}
