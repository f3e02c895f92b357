import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

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
	/** Message of an error that carries neither status nor socket code (e.g. a failed login). */
	otherMessage?: string;
}

export interface FailureContext {
	/** Replaces the generic 404 text, e.g. "Order 123 was not found". */
	notFoundMessage?: string;
	/** Set for requests that must never be re-sent (order creation). */
	notResent?: boolean;
	/** How long rate limiting was waited out before giving up. */
	waitedMs?: number;
	itemIndex?: number;
}

const RATE_LIMIT_HINT =
	'1NCE allows 100 order requests per 5 minutes per IP address, shared by every workflow on this n8n host.';

const NOT_RESENT_HINT =
	'The order request was not sent again, so no order was placed twice. It may or may not have been placed: check the order list (Get Many) before trying again.';

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
	if (!networkCode && [otherMessage, ...texts].some((text) => text && /socket hang up|network error/i.test(text))) {
		networkCode = 'ECONNRESET';
	}
	return { headers: {}, body: undefined, networkCode, otherMessage: networkCode ? undefined : otherMessage };
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

function summarize(failure: ApiFailure, context: FailureContext): { message: string; description: string } {
	const { status, apiMessage } = failure;
	const said = apiMessage ? `: ${apiMessage}` : '';
	const waited = context.waitedMs ? ` (waited ${Math.round(context.waitedMs / 1000)} s)` : '';
	if (failure.malformed) {
		return {
			message: '1NCE answered with data that is not the expected JSON',
			description: 'The response body could not be read as an order list or order.',
		};
	}
	if (status === undefined) {
		if (failure.networkCode) {
			// The code stays out of the message: NodeApiError swaps a message naming ECONNRESET & co. for its
			// own generic text ("You can retry the request immediately"), wrong advice after an order request.
			return {
				message: 'Could not reach 1NCE',
				description: `The connection failed or was closed before 1NCE answered (${failure.networkCode}).`,
			};
		}
		return { message: failure.otherMessage ?? 'The request to 1NCE failed', description: '' };
	}
	if (status === 400) {
		return { message: `1NCE rejected the request${said}`, description: 'Check the values of the node parameters.' };
	}
	if (status === 401) {
		return {
			message: `1NCE did not accept the login${said}`,
			description: 'Check the user name and password in the 1NCE API credential; a fresh token was already tried.',
		};
	}
	if (status === 403 && isAmbiguous403(failure)) {
		return {
			message: `1NCE kept blocking requests (403)${waited}: most likely its rate limit, not a permission problem`,
			description: `${RATE_LIMIT_HINT} If it persists when nothing else is calling 1NCE, check the API user's permissions.`,
		};
	}
	if (status === 403) {
		return {
			message: `1NCE refused access (403 Forbidden)${said}`,
			description:
				'The API user lacks permission for this call. Only the 1NCE Portal Owner and "API User" accounts may use the API.',
		};
	}
	if (status === 404) {
		return { message: context.notFoundMessage ?? `1NCE answered 404 Not Found${said}`, description: '' };
	}
	if (status === 429) {
		return {
			message: `1NCE rate limit reached (429) and it did not clear in time${waited}`,
			description: RATE_LIMIT_HINT,
		};
	}
	if (status >= 500) {
		return {
			message: `1NCE service error (${status})${said}`,
			description: 'The 1NCE API failed to process the request; retried GET requests failed as well.',
		};
	}
	return { message: `1NCE answered HTTP ${status}${said}`, description: '' };
}

/** The one place that turns a failed exchange into the error users see. */
export function toNodeApiError(node: INode, failure: ApiFailure, context: FailureContext = {}): NodeApiError {
	const { message, description } = summarize(failure, context);
	const fullDescription = context.notResent ? [description, NOT_RESENT_HINT].filter(Boolean).join(' ') : description;
	const response: JsonObject = { message };
	if (failure.status !== undefined) response.httpCode = String(failure.status);
	if (failure.apiMessage) response.apiMessage = failure.apiMessage;
	return new NodeApiError(node, response, {
		message,
		description: fullDescription,
		httpCode: failure.status !== undefined ? String(failure.status) : undefined,
		itemIndex: context.itemIndex,
	});
}

/** Text for a failed token request; never includes the credential values. */
export function loginFailureMessage(error: unknown): string {
	const failure = describeFailure(error);
	if (failure.status === 400 || failure.status === 401) {
		return `1NCE login failed: ${failure.apiMessage ?? 'user name or password not accepted'}`;
	}
	if (failure.status !== undefined) {
		return `1NCE login failed (HTTP ${failure.status})${failure.apiMessage ? `: ${failure.apiMessage}` : ''}`;
	}
	if (failure.networkCode) return `1NCE login failed: could not reach the token endpoint (${failure.networkCode})`;
	return `1NCE login failed: ${failure.otherMessage ?? 'unknown error'}`;
}
