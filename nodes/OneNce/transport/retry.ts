import type { Failure, Remedy } from './failure';
import { remedyOf, retryAfterMs, throttleWaitMs } from './failure';
import { packageNow, realMs } from './timing';

export interface RetryBudget {
	/** Total time (real ms) one request may spend waiting: pacing, rate limits and transient failures. */
	maxWaitMs: number;
	/** HTTP attempts left, shared by every request given this object (a poll's); each attempt takes one. */
	attempts?: { remaining: number };
	/**
	 * Package time by which every request given this budget ends (a poll's deadline): no attempt starts and no
	 * wait ends after it. An attempt already sent runs on until its own timeout.
	 */
	deadline?: number;
}

/** Thrown before sending when the attempt budget is spent: nothing was sent. */
export class AttemptBudgetSpent extends Error {
	constructor(message = 'The request budget is spent') {
		super(message);
		this.name = 'AttemptBudgetSpent';
	}
}

/** Thrown instead of starting an attempt or a wait that would end after the deadline: a kind of spent budget. */
export class DeadlineReached extends AttemptBudgetSpent {
	constructor() {
		super('The deadline of the requests has passed');
		this.name = 'DeadlineReached';
	}
}

/** Real ms left before the budget's deadline: Infinity without one, 0 once it has passed. */
export function msBeforeDeadline(budget: RetryBudget): number {
	if (budget.deadline === undefined) return Infinity;
	return Math.max(0, realMs(budget.deadline - packageNow()));
}

export function hasAttemptLeft(budget: RetryBudget): boolean {
	return !budget.attempts || budget.attempts.remaining > 0;
}

/** Takes one attempt from the budget, or throws when none is left. */
export function takeAttempt(budget: RetryBudget): void {
	if (!budget.attempts) return;
	if (budget.attempts.remaining <= 0) throw new AttemptBudgetSpent();
	budget.attempts.remaining--;
}

const MAX_RETRIES: Record<Exclude<Remedy, 'none'>, number> = {
	// Bounds the loop even when a server keeps answering 429 with "Retry-After: 0".
	'wait-for-limit': 30,
	'wait-out-block': 3,
	// A server that accepted the connection and went silent rarely answers the next try: fewer, as each costs a timeout.
	'retry-seldom': 2,
	retry: 4,
};
const TRANSIENT_BASE_MS = 500;
const THROTTLE_BASE_MS = 2000;
const MAX_BACKOFF_MS = 60_000;

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; reason: 'not-retryable' | 'budget' };

function delayOf(remedy: Exclude<Remedy, 'none'>, failure: Failure, retriesSoFar: number): number {
	// A firewall block says neither how long it lasts nor how much of it is left: wait out a whole window.
	if (remedy === 'wait-out-block') return throttleWaitMs(failure) ?? 0;
	const baseMs = remedy === 'wait-for-limit' ? THROTTLE_BASE_MS : TRANSIENT_BASE_MS;
	const backedOff = Math.min(MAX_BACKOFF_MS, baseMs * 2 ** retriesSoFar);
	return remedy === 'retry-seldom' ? backedOff : (retryAfterMs(failure.headers) ?? backedOff);
}

/**
 * Whether an idempotent request should be sent again after `failure`, and after how long.
 * Only GET requests come here: an order creation is never repeated.
 */
export function decideRetry(failure: Failure, retriesSoFar: number, waitedMs: number, budget: RetryBudget): RetryDecision {
	const remedy = remedyOf(failure);
	if (remedy === 'none') return { retry: false, reason: 'not-retryable' };
	if (retriesSoFar >= MAX_RETRIES[remedy]) return { retry: false, reason: 'budget' };
	const delayMs = delayOf(remedy, failure, retriesSoFar);
	if (waitedMs + delayMs > budget.maxWaitMs) return { retry: false, reason: 'budget' };
	return { retry: true, delayMs };
}

/**
 * How long every request to this host holds off after `failure` (real ms; undefined when not throttled): as
 * long as this request waits before its retry, else as 1NCE said (a whole window for a firewall block).
 */
export function holdOffMs(failure: Failure, decision: RetryDecision | undefined): number | undefined {
	if (failure.kind !== 'throttled') return undefined;
	return decision?.retry ? decision.delayMs : (throttleWaitMs(failure) ?? 0);
}
