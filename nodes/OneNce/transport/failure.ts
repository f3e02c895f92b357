import { PACING_WINDOW_MS } from './pacing';
import { realMs } from './timing';

/** What one exchange with 1NCE ended in, decided once (classify): every decision and message follows from it. */
export type FailureKind =
	/** 401: the token was refused even after a fresh one. */
	| 'unauthorized'
	/** 429, or a 403 without 1NCE's error fields (the per-IP firewall): refused unprocessed. */
	| 'throttled'
	| 'not-found'
	/** 400 and the other 4xx refusals (a permission 403 included). */
	| 'invalid-input'
	/** 5xx. */
	| 'server-error'
	/** Nothing reached 1NCE: the login failed, the allowance was used up, or no connection was made. */
	| 'not-sent'
	/** The request may have reached 1NCE: the connection broke, or a 2xx answer was unreadable. */
	| 'may-have-arrived'
	| 'timed-out'
	/** An error with neither status nor socket code, or a status no other kind covers: shown as it is. */
	| 'unexplained';

/** A failed token request: the kind of its own failure, and the text users see. */
export interface LoginFailure {
	kind: FailureKind;
	message: string;
}

/** What went wrong with one HTTP exchange, stripped of the request config (which holds credentials). */
export interface ApiFailure {
	status?: number;
	headers: Record<string, string>;
	body: unknown;
	apiMessage?: string;
	/** Socket-level failure such as ECONNRESET. */
	networkCode?: string;
	/** A 2xx answer whose body was not the JSON the endpoint promises. */
	malformed?: boolean;
	/** No answer within the request's timeout (networkCode is set too). */
	timedOut?: boolean;
	/** The token request failed, so the request itself was never sent. */
	login?: LoginFailure;
	/** Message of an error that carries neither status nor socket code. */
	otherMessage?: string;
	/** Stopped before sending (the allowance was used up, or a setting is invalid): nothing reached 1NCE. */
	notSent?: boolean;
}

export interface Failure extends ApiFailure {
	kind: FailureKind;
}

// Socket errors raised before any byte reached the server.
const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** A 403 without 1NCE's structured error fields: most likely the per-IP firewall rule, not a permission. */
export function isAmbiguous403(failure: ApiFailure): boolean {
	if (failure.status !== 403) return false;
	const body = failure.body;
	if (body && typeof body === 'object' && !Array.isArray(body)) {
		const fields = body as Record<string, unknown>;
		return !('errorCode' in fields || 'error_code' in fields || 'statusCode' in fields);
	}
	return true;
}

function kindOf(failure: ApiFailure): FailureKind {
	const { status, networkCode } = failure;
	if (failure.login || failure.notSent) return 'not-sent';
	if (failure.malformed) return 'may-have-arrived';
	if (status !== undefined) {
		if (status === 401) return 'unauthorized';
		if (status === 429 || isAmbiguous403(failure)) return 'throttled';
		if (status === 404) return 'not-found';
		if (status >= 400 && status <= 499) return 'invalid-input';
		return status >= 500 ? 'server-error' : 'unexplained';
	}
	if (failure.timedOut) return 'timed-out';
	if (networkCode) return NEVER_CONNECTED.has(networkCode) ? 'not-sent' : 'may-have-arrived';
	return 'unexplained';
}

/** The one classification of a failure; a failure already classified is returned as it is. */
export function classify(failure: ApiFailure | Failure): Failure {
	return 'kind' in failure ? failure : { ...failure, kind: kindOf(failure) };
}

/**
 * What a failure calls for, from its kind (and a failed login's kind): wait for 1NCE's rate limit, wait out a
 * firewall block (a whole window without Retry-After), retry seldom (each try may cost a timeout), or retry.
 */
export type Remedy = 'wait-for-limit' | 'wait-out-block' | 'retry-seldom' | 'retry' | 'none';

function loginRemedy(kind: FailureKind): Remedy {
	if (kind === 'timed-out') return 'retry-seldom';
	// The token endpoint was down, unreachable or throttling: not the password.
	return kind === 'throttled' || kind === 'server-error' || kind === 'not-sent' || kind === 'may-have-arrived' ? 'retry' : 'none';
}

export function remedyOf(failure: Failure): Remedy {
	switch (failure.kind) {
		case 'throttled':
			return failure.status === 403 ? 'wait-out-block' : 'wait-for-limit';
		case 'timed-out':
			return 'retry-seldom';
		case 'server-error':
		case 'may-have-arrived':
			return 'retry';
		case 'not-sent':
			if (failure.login) return loginRemedy(failure.login.kind);
			// A refused connection is worth another try; a used-up allowance or an invalid setting is not.
			return failure.networkCode ? 'retry' : 'none';
		default:
			return 'none';
	}
}

/** Whether a failed login is worth another try. */
export function isTransientLogin(login: LoginFailure): boolean {
	return loginRemedy(login.kind) !== 'none';
}

/** Retry-After as milliseconds (seconds or HTTP date); undefined when absent or unreadable. */
export function retryAfterMs(headers: Record<string, string>, now = Date.now()): number | undefined {
	const raw = headers['retry-after'];
	if (raw === undefined || raw.trim() === '') return undefined;
	if (/^\d+(\.\d+)?$/.test(raw.trim())) return Math.round(Number(raw) * 1000);
	const date = Date.parse(raw);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** How long a throttled failure says to wait (real ms): Retry-After, else a whole window for a firewall block. */
export function throttleWaitMs(failure: Failure): number | undefined {
	if (failure.kind !== 'throttled') return undefined;
	return retryAfterMs(failure.headers) ?? (remedyOf(failure) === 'wait-out-block' ? realMs(PACING_WINDOW_MS) : undefined);
}

/** Whether a failed order request may have placed an order: one that never left or got a 4xx placed nothing. */
export function mayHavePlacedOrder(failure: Failure): boolean {
	const placedNothing: readonly FailureKind[] = ['unauthorized', 'throttled', 'not-found', 'invalid-input', 'not-sent'];
	return !placedNothing.includes(failure.kind);
}
