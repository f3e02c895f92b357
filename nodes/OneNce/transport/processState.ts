/**
 * Everything this package keeps in memory between executions, in one place. n8n loads a community package once
 * per process, so each piece below is shared by every workflow that one process runs and by nothing else. In
 * queue mode (a main process and workers) every process has its own copy of each piece and none of them talks to
 * another: what that means is said per piece. Nothing here is a secret or a trigger's state (n8n keeps those),
 * and a restart, which forgets all of it, costs at most a few requests.
 */

/** Where time comes from: the real clock in n8n; tests and the bench replace it with setClock. */
export interface Clock {
	/** Real time (ms since the epoch). */
	now: () => number;
	/**
	 * How much faster the durations the package chooses itself run (timeouts, its pacing windows, the wait after
	 * a firewall block), to match a simulator whose windows are compressed alike; see timing.ts. 1 in n8n.
	 */
	speed: number;
	/**
	 * How much faster request timeouts run; `speed` when not given. The bench keeps them real (1): its simulator
	 * always answers, and a timeout compressed to 100 ms would make a busy host re-read pages that were answered.
	 */
	timeoutSpeed?: number;
}

// Date.now is looked up on every call, so Jest's fake timers reach it.
const REAL_CLOCK: Clock = { now: () => Date.now(), speed: 1 };
let clock: Clock = REAL_CLOCK;

/** The clock. */
export function currentClock(): Readonly<Clock> {
	return clock;
}

/** Replaces the clock (tests and the bench only); what is not given is the real clock's. No argument: the real clock. */
export function setClock(replacement: Partial<Clock> = {}): void {
	clock = { ...REAL_CLOCK, ...replacement };
}

const PIECES = {
	/**
	 * pacing.ts: the sends booked per 1NCE limit and base URL, and how long 1NCE said to hold off. Per process
	 * because 1NCE counts requests per IP address (orders, products) or per customer (SIMs), not per workflow:
	 * every workflow of the process shares one budget. In queue mode each process paces only its own requests,
	 * so together they can exceed the limit: the README says how to split the allowance (100 / processes).
	 */
	pacing: new Map<string, unknown>(),
	/**
	 * trigger/pollLock.ts: which trigger has a poll running, so that n8n starting the next poll early skips it.
	 * Per process because n8n runs a workflow's polls in the process that activated it (the main process in
	 * queue mode); a trigger active in two processes at once would have two locks.
	 */
	polls: new Map<string, unknown>(),
	/**
	 * actions/order/placement.ts: what each run of Create already sent, so that n8n's Retry On Fail answers from
	 * here instead of ordering twice. Per process because n8n retries a node inside the execution, in the process
	 * (worker in queue mode) that runs it; no other process ever needs it.
	 */
	placements: new Map<string, unknown>(),
	/**
	 * products.ts: each credential's product list for a few minutes, so the editor's picker costs one request.
	 * Per process because it is only a cache: in queue mode each process fetches its own, a request per process.
	 */
	products: new Map<string, unknown>(),
};

export type Piece = keyof typeof PIECES;

/** The map of one piece; the module named in its comment owns what goes in it. */
export function processMap<V>(piece: Piece): Map<string, V> {
	return PIECES[piece] as Map<string, V>;
}

/** Forgets every piece (tests and the bench only); the clock stays as set. */
export function resetProcessState(): void {
	for (const map of Object.values(PIECES)) map.clear();
}
