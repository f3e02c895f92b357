import type { INode, JsonObject } from 'n8n-workflow';
import * as n8nWorkflow from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { PACING_WINDOW_MS } from './pacing';
import { realMs } from './timing';

/** What went wrong with one HTTP exchange, stripped of the request config (which holds credentials). */
export interface ApiFailure {
	status?: number;
	headers: Record<string, string>;
	body: unknown;
	apiMessage?: string;
	/** Socket-level failure such as ECONNRESET: the request may or may not have reached 1NCE. */
	networkCode?: string;
	/** A 2xx answer whose body was not the JSON the endpoint promises. */
	malformed?: boolean;
	/** No answer within the request's timeout (networkCode is set too). */
	timedOut?: boolean;
	/** The token request failed, so the request itself was never sent. */
	login?: { message: string; transient: boolean };
	/** Message of an error that carries neither status nor socket code. */
	otherMessage?: string;
	/** Stopped before sending (the allowance was used up): nothing reached 1NCE. */
	notSent?: boolean;
}

export interface FailureContext {
	/** Replaces the generic 404 text, e.g. "Order 123 was not found". */
	notFoundMessage?: string;
	/** An order request: sent once, so every message says whether an order may have been placed. */
	placesOrder?: boolean;
	/** HTTP attempts made, retries included. */
	attempts?: number;
	/** Time spent waiting (rate limits, back-off, pacing) before giving up. */
	waitedMs?: number;
	/** The timeout of one attempt, as shown to users. */
	timeoutMs?: number;
	/** Which 1NCE limit applies, when not the orders allowance (the SIM API has its own). */
	rateLimitHint?: string;
	itemIndex?: number;
}

const RATE_LIMIT_HINT =
	'1NCE allows 100 order requests per 5 minutes per IP address, shared by every workflow on this n8n host.';

const NOT_RESENT_HINT =
	'The order may or may not have been placed. The order request was not sent again, so no order was placed twice: check the order list (Get Many) before trying again.';

// Said of every order request that certainly placed nothing: n8n's Retry On Fail sends those again.
const SAFE_TO_RETRY = 'Sending it again is safe: Retry On Fail does.';

const REFUSED_UNPROCESSED = 'Nothing was placed: 1NCE refuses a throttled request without processing it.';

// Socket errors raised before any byte reached the server: an order request failing so was certainly not placed.
const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * Whether a failed order request may have placed an order, decided from the failure's facts alone: a request
 * that never left (login, allowance, refused connection) or that 1NCE answered with a 4xx placed nothing; a 5xx,
 * a lost connection, a timeout or an unreadable success may have.
 */
export function mayHavePlacedOrder(failure: ApiFailure): boolean {
	if (failure.login || failure.notSent) return false;
	if (failure.status !== undefined) return !(failure.status >= 400 && failure.status <= 499);
	if (failure.networkCode) return !NEVER_CONNECTED.has(failure.networkCode);
	return true;
}

const MAY_HAVE_PLACED = Symbol('oneNce.mayHavePlacedOrder');

/** True only for an order request's error whose request may have reached 1NCE (see mayHavePlacedOrder). */
export function errorMayHavePlacedOrder(error: unknown): boolean {
	return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[MAY_HAVE_PLACED] === true;
}

/** Plain words for the socket errors n8n would otherwise replace with its own generic advice. */
const NETWORK_WORDS: Record<string, string> = {
	ECONNREFUSED: 'connection refused',
	ECONNRESET: 'connection closed before an answer',
	ECONNABORTED: 'connection aborted',
	ETIMEDOUT: 'connection timed out',
	ENOTFOUND: 'host name not found',
	EAI_AGAIN: 'host name lookup failed',
	EHOSTUNREACH: 'host unreachable',
	ENETUNREACH: 'network unreachable',
	EPIPE: 'connection closed while sending',
};

function networkWords(code: string): string {
	return NETWORK_WORDS[code] ?? 'network error';
}

/** Plain header object with lower-case names, from axios' AxiosHeaders or a plain object. */
export function lowerCaseHeaders(raw: unknown): Record<string, string> {
	const plain =
		raw && typeof (raw as { toJSON?: unknown }).toJSON === 'function'
			? (raw as { toJSON: () => unknown }).toJSON()
			: raw;
	const headers: Record<string, string> = {};
	if (plain && typeof plain === 'object') {
		for (const [key, value] of Object.entries(plain as Record<string, unknown>)) {
			if (value !== undefined && value !== null) headers[key.toLowerCase()] = String(value);
		}
	}
	return headers;
}

export function parseBody(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	try {
		return JSON.parse(body);
	} catch {
		return body;
	}
}

/** The shared `message` field of 1NCE's several error body shapes. */
export function apiMessageOf(body: unknown): string | undefined {
	const parsed = parseBody(body);
	if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
		const message = (parsed as Record<string, unknown>).message;
		if (typeof message === 'string' && message.trim() !== '') return message.trim();
	}
	return undefined;
}

type ErrorLike = {
	message?: unknown;
	code?: unknown;
	/** n8n 1.x's NodeApiError keeps a socket error's code here (and drops the cause). */
	httpCode?: unknown;
	/** ...and the original error's message here. */
	messages?: unknown;
	cause?: unknown;
	response?: { status?: unknown; headers?: unknown; data?: unknown };
};

const NETWORK_CODE = /^E[A-Z_]+$/;

const LOGIN_FAILED = '1NCE login failed';
// Login failures worth another try: the endpoint was down, unreachable, slow or throttling, not the password.
const TRANSIENT_LOGIN = /could not reach the token endpoint|did not answer|\(HTTP (5\d\d|429|403)\)/;

/** Finds status, headers and body in whatever n8n or axios threw, however deeply wrapped. */
export function describeFailure(error: unknown): ApiFailure {
	let networkCode: string | undefined;
	let otherMessage: string | undefined;
	const texts: string[] = [];
	let current = error as ErrorLike | undefined;
	for (let depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
		if (current.response && typeof current.response.status === 'number') {
			const body = parseBody(current.response.data);
			return {
				status: current.response.status,
				headers: lowerCaseHeaders(current.response.headers),
				body,
				apiMessage: apiMessageOf(body),
			};
		}
		for (const code of [current.code, current.httpCode]) {
			if (!networkCode && typeof code === 'string' && NETWORK_CODE.test(code)) networkCode = code;
		}
		if (typeof current.message === 'string' && current.message !== '') otherMessage = current.message;
		if (Array.isArray(current.messages)) texts.push(...current.messages.filter((m) => typeof m === 'string'));
		current = current.cause as ErrorLike | undefined;
	}
	const allTexts = [otherMessage, ...texts].filter((text): text is string => typeof text === 'string');
	const loginText = allTexts.find((text) => text.startsWith(LOGIN_FAILED));
	if (loginText) {
		const login = { message: loginText, transient: TRANSIENT_LOGIN.test(loginText) };
		// A silent token endpoint is retried like any silent server: each try costs a whole timeout.
		return { headers: {}, body: undefined, login, ...(/did not answer/.test(loginText) ? { timedOut: true } : {}) };
	}
	const timedOut =
		networkCode === 'ETIMEDOUT' ||
		networkCode === 'ESOCKETTIMEDOUT' ||
		allTexts.some((text) => /timeout of \d+ms exceeded|timed? ?out/i.test(text));
	if (timedOut) networkCode ??= 'ETIMEDOUT';
	if (!networkCode && allTexts.some((text) => /socket hang up|network error/i.test(text))) {
		networkCode = 'ECONNRESET';
	}
	return {
		headers: {},
		body: undefined,
		networkCode,
		...(timedOut ? { timedOut } : {}),
		otherMessage: networkCode ? undefined : otherMessage,
	};
}

/** Retry-After as milliseconds (seconds or HTTP date); undefined when absent or unreadable. */
export function retryAfterMs(headers: Record<string, string>, now = Date.now()): number | undefined {
	const raw = headers['retry-after'];
	if (raw === undefined || raw.trim() === '') return undefined;
	if (/^\d+(\.\d+)?$/.test(raw.trim())) return Math.round(Number(raw) * 1000);
	const date = Date.parse(raw);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** n8n's failure causes a wait can help with, from the running n8n-workflow; undefined where it has none (1.x). */
function timedCauses(): readonly string[] | undefined {
	const causes = (n8nWorkflow as Record<string, unknown>).TIMED_CAUSES;
	return Array.isArray(causes) ? causes : undefined;
}

/**
 * The failure cause n8n 2.x reads off a node error to back off (a poll waits the time given before the next), or
 * undefined when the running n8n has no such cause or the failure is none of them. `supported` is for tests.
 */
export function failureCause(
	failure: ApiFailure,
	supported: readonly string[] | undefined = timedCauses(),
): { cause: string; retryAfterMs?: number } | undefined {
	let cause: { cause: string; retryAfterMs?: number } | undefined;
	if (failure.status === 429 || (failure.status === 403 && isAmbiguous403(failure))) {
		// A firewall block says nothing of its length: a whole window, as the transport itself waits.
		const wait = retryAfterMs(failure.headers) ?? (failure.status === 403 ? realMs(PACING_WINDOW_MS) : undefined);
		cause = { cause: 'rate-limited', ...(wait !== undefined ? { retryAfterMs: wait } : {}) };
	} else if ((failure.status !== undefined && failure.status >= 500) || failure.timedOut || failure.networkCode) {
		cause = { cause: 'temporarily-unavailable' };
	}
	return cause && supported?.includes(cause.cause) ? cause : undefined;
}

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

function waitedText(context: FailureContext): string {
	return context.waitedMs ? ` after waiting ${Math.round(context.waitedMs / 1000)} s` : '';
}

function triedText(context: FailureContext): string {
	return (context.attempts ?? 1) > 1 ? ` It was tried ${context.attempts} times.` : '';
}

function summarize(failure: ApiFailure, context: FailureContext): { message: string; description: string } {
	const limitHint = context.rateLimitHint ?? RATE_LIMIT_HINT;
	const { status, apiMessage } = failure;
	const order = context.placesOrder === true;
	const said = apiMessage ? `: ${apiMessage}` : '';
	if (failure.login) {
		const advice = failure.login.transient
			? `The token endpoint did not give a token.${triedText(context)}`
			: 'Check the user name and password in the 1NCE API credential.';
		return { message: failure.login.message, description: `${advice}${order ? ` No order was sent: the login comes first. ${SAFE_TO_RETRY}` : ''}` };
	}
	if (failure.malformed) {
		return {
			message: '1NCE answered with data that is not the expected JSON',
			description: `The response body could not be read as an order list or order.${triedText(context)}`,
		};
	}
	if (status === undefined) {
		if (failure.timedOut) {
			const within = context.timeoutMs ? ` within ${Math.round(context.timeoutMs / 1000)} s` : ' in time';
			return order
				? { message: `1NCE did not answer the order request${within}`, description: NOT_RESENT_HINT }
				: { message: `1NCE did not answer${within}`, description: `No answer arrived before the timeout.${triedText(context)}` };
		}
		if (failure.networkCode) {
			// The code stays out of the message: NodeApiError swaps a message naming ECONNRESET & co. for its
			// own generic text ("You can retry the request immediately"), wrong advice after an order request.
			const what = `The connection failed or was closed before 1NCE answered (${networkWords(failure.networkCode)}, ${failure.networkCode}).`;
			if (order && NEVER_CONNECTED.has(failure.networkCode)) {
				return {
					message: 'Could not reach 1NCE',
					description: `${what} The order request never reached 1NCE: nothing was placed. ${SAFE_TO_RETRY}`,
				};
			}
			return { message: 'Could not reach 1NCE', description: order ? `${what} ${NOT_RESENT_HINT}` : `${what}${triedText(context)}` };
		}
		const message = failure.otherMessage ?? 'The request to 1NCE failed';
		if (order && failure.notSent) return { message, description: `The order request was not sent: nothing was placed. ${SAFE_TO_RETRY}` };
		return { message, description: '' };
	}
	if (status === 400) {
		return {
			message: `1NCE rejected the request${said}`,
			description: `Check the values of the node parameters.${order ? ' Nothing was placed.' : ''}`,
		};
	}
	if (status === 401) {
		return {
			message: `1NCE did not accept the login${said}`,
			description: `Check the user name and password in the 1NCE API credential; a fresh token was already tried.${order ? ' Nothing was placed.' : ''}`,
		};
	}
	if (status === 403 && isAmbiguous403(failure)) {
		if (order) {
			return {
				message: "1NCE's firewall refused the order request (403): most likely its rate limit, not a permission problem",
				description: `${REFUSED_UNPROCESSED} ${SAFE_TO_RETRY} ${limitHint}`,
			};
		}
		return {
			message: `1NCE is blocking requests (403)${waitedText(context)}: most likely its rate limit, not a permission problem`,
			description: `${limitHint} If it persists when nothing else is calling 1NCE, check the API user's permissions.`,
		};
	}
	if (status === 403) {
		return {
			message: `1NCE refused access (403 Forbidden)${said}`,
			description: `The API user lacks permission for this call. Only the 1NCE Portal Owner and "API User" accounts may use the API.${order ? ' Nothing was placed.' : ''}`,
		};
	}
	if (status === 404) {
		return { message: context.notFoundMessage ?? `1NCE answered 404 Not Found${said}`, description: order ? 'Nothing was placed.' : '' };
	}
	if (status === 429) {
		if (order) {
			return {
				message: '1NCE refused the order request: rate limit reached (429)',
				description: `${REFUSED_UNPROCESSED} ${SAFE_TO_RETRY} ${limitHint}`,
			};
		}
		return {
			message: context.waitedMs ? `1NCE rate limit reached (429) and still reached${waitedText(context)}` : '1NCE rate limit reached (429)',
			description: limitHint,
		};
	}
	if (status >= 500) {
		return {
			message: `1NCE service error (${status})${said}`,
			description: order ? NOT_RESENT_HINT : `The 1NCE API failed to process the request.${triedText(context)}`,
		};
	}
	return { message: `1NCE answered HTTP ${status}${said}`, description: '' };
}

/** The one place that turns a failed exchange into the error users see. */
export function toNodeApiError(node: INode, failure: ApiFailure, context: FailureContext = {}): NodeApiError {
	const { message, description: fullDescription } = summarize(failure, context);
	const response: JsonObject = { message };
	if (failure.status !== undefined) response.httpCode = String(failure.status);
	if (failure.apiMessage) response.apiMessage = failure.apiMessage;
	const error = new NodeApiError(node, response, {
		message,
		description: fullDescription,
		httpCode: failure.status !== undefined ? String(failure.status) : undefined,
		itemIndex: context.itemIndex,
	});
	const cause = failureCause(failure);
	if (cause) Object.assign(error, { failure: cause });
	if (context.placesOrder === true && mayHavePlacedOrder(failure)) {
		Object.defineProperty(error, MAY_HAVE_PLACED, { value: true, enumerable: false });
	}
	return error;
}

/** Text for a failed token request; never includes the credential values, nor a socket code n8n would reword. */
export function loginFailureMessage(error: unknown, timeoutMs?: number): string {
	const failure = describeFailure(error);
	if (failure.login) return failure.login.message;
	if (failure.status === 400 || failure.status === 401) {
		return `${LOGIN_FAILED}: ${failure.apiMessage ?? 'user name or password not accepted'}`;
	}
	if (failure.status !== undefined) {
		return `${LOGIN_FAILED} (HTTP ${failure.status})${failure.apiMessage ? `: ${failure.apiMessage}` : ''}`;
	}
	if (failure.timedOut) {
		return `${LOGIN_FAILED}: the token endpoint did not answer ${timeoutMs ? `within ${Math.round(timeoutMs / 1000)} s` : 'in time'}`;
	}
	if (failure.networkCode) return `${LOGIN_FAILED}: could not reach the token endpoint (${networkWords(failure.networkCode)})`;
	return `${LOGIN_FAILED}: ${failure.otherMessage ?? 'unknown error'}`;
}
