import { currentClock } from './processState';

/**
 * Package time: the clock of the durations this package chooses itself (request timeouts, pacing windows, the
 * wait after a firewall block). It runs `speed` times faster than the injected clock (processState.ts), so tests
 * and the bench match a simulator compressed alike. Waits 1NCE dictates (Retry-After) are real and never scaled.
 */

/** Now, in package time (ms). */
export function packageNow(): number {
	const clock = currentClock();
	return clock.now() * clock.speed;
}

/** Real milliseconds of a package-time duration. */
export function realMs(packageMs: number): number {
	return packageMs / currentClock().speed;
}

/** Package milliseconds of a real duration. */
export function packageMs(realMs: number): number {
	return realMs * currentClock().speed;
}

/** Real milliseconds a request may wait for its answer, for a package-time timeout (at least 1). */
export function realTimeoutMs(packageMs: number): number {
	const clock = currentClock();
	return Math.max(1, Math.round(packageMs / (clock.timeoutSpeed ?? clock.speed)));
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
