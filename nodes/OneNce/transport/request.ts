import type {
	IAdditionalCredentialOptions,
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IPollFunctions,
	NodeApiError,
} from 'n8n-workflow';
import { sleep, sleepWithAbort } from 'n8n-workflow';

import { normalizeBaseUrl } from './baseUrl';
import { toNodeApiError } from './errors';
import type { Failure } from './failure';
import { classify } from './failure';
import type { FailureContext } from './messages';
import type { RetryBudget } from './retry';
import { AttemptBudgetSpent, DeadlineReached, decideRetry, hasAttemptLeft, holdOffMs, msBeforeDeadline, takeAttempt } from './retry';
import { apiMessageOf, describeFailure, lowerCaseHeaders, parseBody } from './thrown';
import type { LaneKey, Slot } from './pacing';
import { bookSend, DEFAULT_ALLOWANCE, holdOff, release, settle, startSend, windowOf } from './pacing';
import { packageMs, realTimeoutMs, seconds, TIMEOUTS } from './timing';

export const CREDENTIAL_TYPE = 'oneNceApi';

export type ApiContext = IExecuteFunctions | IPollFunctions | ILoadOptionsFunctions;

export interface ApiRequest {
	method: 'GET' | 'POST' | 'PUT';
	/** Path below the base URL, e.g. `/v1/orders`. */
	path: string;
	qs?: IDataObject;
	body?: IDataObject;
	/** What a successful answer's body must be; anything else counts as a malformed (transient) answer. */
	expect?: 'array' | 'object';
	failureContext?: FailureContext;
}

export interface ApiResponse<T = unknown> {
	statusCode: number;
	/** Header names in lower case. */
	headers: Record<string, string>;
	body: T;
}

/** Long enough to wait out a full 5-minute rate-limit window. */
export const DEFAULT_RETRY_BUDGET: RetryBudget = { maxWaitMs: 6 * 60_000 };

function fitsExpectation(body: unknown, expect: ApiRequest['expect']): boolean {
	if (expect === 'array') return Array.isArray(body);
	if (expect === 'object') return body !== null && typeof body === 'object' && !Array.isArray(body);
	return true;
}

/** What an answer stands for: undefined for a success of the expected shape, else its failure. */
function failureOf({ statusCode: status, headers, body }: ApiResponse, expect: ApiRequest['expect']): Failure | undefined {
	if (status < 200 || status > 299) return classify({ status, headers, body, apiMessage: apiMessageOf(body) });
	return fitsExpectation(body, expect) ? undefined : classify({ status, headers, body, malformed: true });
}

/** Waits without blocking n8n, ending early when the execution is cancelled. */
export async function wait(context: ApiContext, ms: number): Promise<void> {
	if (ms <= 0) return;
	const signal = 'getExecutionCancelSignal' in context ? context.getExecutionCancelSignal() : undefined;
	// sleepWithAbort only exists in newer n8n-workflow releases; the peer range is "*".
	if (typeof sleepWithAbort === 'function') await sleepWithAbort(ms, signal);
	else await sleep(ms);
}

/**
 * The credential with its token blanked: given to n8n, it makes n8n run preAuthentication (a fresh token,
 * stored with the credential) before sending. Needed because HTTP statuses are not thrown (see apiRequest),
 * so n8n's own refresh-after-401 never sees the 401.
 */
function withFreshToken(context: ApiContext, credentials: ICredentialDataDecryptedObject): IAdditionalCredentialOptions {
	const reference = context.getNode().credentials?.[CREDENTIAL_TYPE];
	return {
		credentialsDecrypted: {
			id: reference?.id ?? '',
			name: reference?.name ?? '',
			type: CREDENTIAL_TYPE,
			data: { ...credentials, accessToken: '' },
		},
	};
}

/** The credential's allowance of order and product requests per 5 minutes; 0 turns pacing off. */
function allowanceOf(raw: unknown): number {
	if (raw === undefined || raw === null || raw === '') return DEFAULT_ALLOWANCE;
	const value = Number(raw);
	if (!Number.isInteger(value) || value < 0) {
		throw new Error(`The request allowance in the 1NCE API credential must be a whole number of at least 0, got "${String(raw)}"`);
	}
	return value;
}

/** Why a request was not sent at all: nothing reached 1NCE. */
type Stop = { stop: NodeApiError | AttemptBudgetSpent };

/**
 * The only function that talks HTTP to 1NCE. Every attempt has a timeout; requests are paced process-wide per
 * base URL in the window of their 1NCE limit (pacing.ts). GET requests wait out rate limits and retry transient
 * failures (timeouts and failed logins included) within `budget`; writes are sent exactly once whatever happens,
 * because 1NCE has no idempotency key and a repeated order is a real, billed order. A budget's deadline throws
 * DeadlineReached rather than start an attempt or a wait that would end after it.
 */
export async function apiRequest<T = unknown>(
	this: ApiContext,
	request: ApiRequest,
	budget: RetryBudget = DEFAULT_RETRY_BUDGET,
): Promise<ApiResponse<T>> {
	const node = this.getNode();
	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	let baseUrl: string;
	let allowance: number;
	try {
		baseUrl = normalizeBaseUrl(credentials.baseUrl);
		allowance = allowanceOf(credentials.requestAllowance);
	} catch (error) {
		throw toNodeApiError(node, { headers: {}, body: undefined, otherMessage: (error as Error).message, notSent: true });
	}
	const idempotent = request.method === 'GET';
	const timeoutMs = idempotent ? TIMEOUTS.readMs : TIMEOUTS.createMs;
	const options: IHttpRequestOptions = {
		method: request.method,
		url: `${baseUrl}${request.path}`,
		qs: request.qs,
		body: request.body,
		headers: { Accept: 'application/json' },
		json: true,
		returnFullResponse: true,
		// Error statuses come back as responses: n8n 1.x wraps a thrown HTTP error in a NodeApiError that
		// drops its status, headers and body, and without them nothing here could tell 429 from 404.
		ignoreHttpStatusErrors: true,
		timeout: realTimeoutMs(timeoutMs),
	};
	const window = windowOf(request.path);
	const paced: LaneKey | undefined = window && { window, baseUrl };
	const failureContext = (): FailureContext => ({
		...request.failureContext,
		rateLimit: window?.name,
		// Every write is sent once; only those that may create an order say so (a SIM write passes false).
		placesOrder: request.failureContext?.placesOrder ?? !idempotent,
		attempts,
		waitedMs,
		timeoutMs,
	});
	let waitedMs = 0;
	let attempts = 0;
	let refreshedToken = false;
	// The end (package time) of the hold this request's own throttled answer set and it has waited out.
	let waitedHold = 0;
	// Each send to a paced path first books its place in the host's allowance, waiting if need be. What
	// stops a request before sending is returned, not thrown, so that only failures of a send are caught.
	const send = async (credentialOptions?: IAdditionalCredentialOptions): Promise<ApiResponse | Stop> => {
		if (!hasAttemptLeft(budget)) return { stop: new AttemptBudgetSpent() };
		const beforeDeadline = msBeforeDeadline(budget);
		if (beforeDeadline <= 0) return { stop: new DeadlineReached() };
		let slot: Slot | undefined;
		if (paced) {
			const allowed = () => budget.maxWaitMs - waitedMs;
			// A turn that comes only after the poll's deadline is not taken either: the allowance stays free for others.
			const refused = (waitMs: number): Stop => {
				if (waitMs <= allowed()) return { stop: new DeadlineReached() };
				const otherMessage = `The 1NCE request allowance of this n8n host is used up for the next ${seconds(packageMs(waitMs))}`;
				return { stop: toNodeApiError(node, { headers: {}, body: undefined, otherMessage, notSent: true }, failureContext()) };
			};
			const booking = bookSend(paced, allowance, Math.min(allowed(), beforeDeadline), waitedHold);
			if ('refused' in booking) return refused(booking.waitMs);
			slot = booking.slot;
			// The slot can move later while this waits (a late answer before it, a new hold): ask again after each
			// wait. A booking left unsent (cancelled during a wait) no longer counts; release ignores a sent slot.
			try {
				for (let waitMs = booking.waitMs; slot; ) {
					if (waitMs > 0) {
						await wait(this, waitMs);
						waitedMs += waitMs;
						// Another request of this budget (a poll's) may have taken its last attempt meanwhile.
						if (!hasAttemptLeft(budget)) return { stop: new AttemptBudgetSpent() };
					}
					const start = startSend(slot, Math.min(allowed(), msBeforeDeadline(budget)));
					if ('refused' in start) return refused(start.waitMs);
					if (start.waitMs <= 0) break;
					waitMs = start.waitMs;
				}
			} finally {
				release(slot);
			}
		}
		takeAttempt(budget);
		attempts++;
		try {
			const response = (await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_TYPE, { ...options }, credentialOptions)) as {
				statusCode: number;
				headers: unknown;
				body: unknown;
			};
			return { statusCode: response.statusCode, headers: lowerCaseHeaders(response.headers), body: parseBody(response.body) };
		} finally {
			settle(slot);
		}
	};
	// A 401 gets one more send with a fresh token: 1NCE rejected the request unprocessed (expired or revoked token).
	const exchange = async (): Promise<ApiResponse | Stop | Failure> => {
		try {
			const outcome = await send();
			if ('stop' in outcome || outcome.statusCode !== 401 || refreshedToken) return outcome;
			refreshedToken = true;
			return await send(withFreshToken(this, credentials));
		} catch (error) {
			return classify(describeFailure(error));
		}
	};
	for (let retries = 0; ; retries++) {
		const outcome = await exchange();
		if ('stop' in outcome) throw outcome.stop;
		const failure = 'kind' in outcome ? outcome : failureOf(outcome, request.expect);
		if (!failure) return outcome as ApiResponse<T>;
		const decision = idempotent ? decideRetry(failure, retries, waitedMs, budget) : undefined;
		waitedHold = 0;
		const holdMs = holdOffMs(failure, decision);
		if (paced && holdMs !== undefined) {
			// The host is throttled whoever asked: every 1NCE node in this process holds off (see holdOffMs).
			const holdEnd = holdOff(paced, holdMs);
			if (decision?.retry) waitedHold = holdEnd;
		}
		if (!decision?.retry) throw toNodeApiError(node, failure, failureContext());
		// A wait that would end at or after the deadline is not begun: the next attempt could not start anyway.
		if (decision.delayMs >= msBeforeDeadline(budget)) throw new DeadlineReached();
		await wait(this, decision.delayMs);
		waitedMs += decision.delayMs;
	}
}
