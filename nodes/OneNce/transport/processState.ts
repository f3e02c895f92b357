/**
 * Everything this package keeps in memory between executions. n8n loads a community package once per process,
 * so each piece is shared by every workflow of that process and nothing else; in queue mode each process has its
 * own copy (what that means is said per piece). No secrets, no trigger state; a restart costs a few requests.
 */

/** Where time comes from: the real clock in n8n; tests and the bench replace it with setClock. */
export interface Clock {
	/** Real time (ms since the epoch). */
	now: () => number;
	/** How much faster the durations the package chooses itself run (timing.ts); 1 in n8n. */
	speed: number;
	/**
	 * How much faster request timeouts run (default `speed`). The bench keeps them real: a timeout compressed to
	 * 100 ms would make a busy host re-read pages that were answered.
	 */
	timeoutSpeed?: number;
}

// Date.now is looked up on every call, so Jest's fake timers reach it.
const REAL_CLOCK: Clock = { now: () => Date.now(), speed: 1 };
let clock: Clock = REAL_CLOCK;

export function currentClock(): Readonly<Clock> {
	return clock;
}

/** Replaces the clock (tests and the bench only); what is not given is the real clock's. No argument: the real clock. */
export function setClock(replacement: Partial<Clock> = {}): void {
	clock = { ...REAL_CLOCK, ...replacement };
}

const PIECES = {
	/**
	 * pacing.ts: the sends booked per 1NCE limit and base URL, and holds. Per process because 1NCE counts per IP
	 * address or customer, not per workflow. In queue mode each process paces only its own requests, so together
	 * they can exceed the limit: the README says how to split the allowance.
	 */
	pacing: new Map<string, unknown>(),
	/**
	 * trigger/pollLock.ts: which trigger has a poll running, so that a poll n8n starts early skips. Per process
	 * because n8n polls in the process that activated the workflow (the main process in queue mode); a trigger
	 * active in two processes at once would have two locks.
	 */
	polls: new Map<string, unknown>(),
	/**
	 * actions/order/placement.ts: what each run of Create already sent, so that Retry On Fail answers from here
	 * instead of ordering twice. Per process because n8n retries a node in the process (worker) that runs it.
	 */
	placements: new Map<string, unknown>(),
	/** products.ts: each credential's product list for a few minutes. Only a cache: each process fetches its own. */
	products: new Map<string, unknown>(),
};

/** The map of one piece; the module named in its comment owns what goes in it. */
export function processMap<V>(piece: keyof typeof PIECES): Map<string, V> {
	return PIECES[piece] as Map<string, V>;
}

/** Forgets every piece (tests and the bench only); the clock stays as set. */
export function resetProcessState(): void {
	for (const map of Object.values(PIECES)) map.clear();
}
