import type { ApiFailure, LoginFailure } from './failure';

/** Plain header object with lower-case names, from axios' AxiosHeaders or a plain object. */
export function lowerCaseHeaders(raw: unknown): Record<string, string> {
	const plain = raw && typeof (raw as { toJSON?: unknown }).toJSON === 'function' ? (raw as { toJSON: () => unknown }).toJSON() : raw;
	const headers: Record<string, string> = {};
	for (const [key, value] of Object.entries(plain && typeof plain === 'object' ? plain : {})) {
		if (value !== undefined && value !== null) headers[key.toLowerCase()] = String(value);
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

// Symbol.for: the credential and the nodes may load this module as separate copies.
const LOGIN_FAILURE = Symbol.for('n8n-nodes-1nce.loginFailure');

/** Marks an error as a failed login, as data that no rewording by n8n can change. */
export function carryLoginFailure<E extends object>(error: E, login: LoginFailure): E {
	Object.defineProperty(error, LOGIN_FAILURE, { value: login, enumerable: false });
	return error;
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
// The texts axios and Node give a timeout or a lost connection without a code (n8n 1.x keeps only the text).
const TIMEOUT_TEXT = /timeout of \d+ms exceeded|timed? ?out/i;
const RESET_TEXT = /socket hang up|network error/i;

/**
 * The facts of whatever n8n or axios threw, however deeply wrapped. The one place that reads foreign error
 * text; the package's own failures are recognised by data (a failed login by carryLoginFailure).
 */
export function describeFailure(error: unknown): ApiFailure {
	let networkCode: string | undefined;
	let otherMessage: string | undefined;
	const texts: string[] = [];
	let current = error as ErrorLike | undefined;
	for (let depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
		const login = (current as Record<symbol, LoginFailure | undefined>)[LOGIN_FAILURE];
		if (login) return { headers: {}, body: undefined, login };
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
	const timedOut = networkCode === 'ETIMEDOUT' || networkCode === 'ESOCKETTIMEDOUT' || allTexts.some((text) => TIMEOUT_TEXT.test(text));
	if (timedOut) networkCode ??= 'ETIMEDOUT';
	if (!networkCode && allTexts.some((text) => RESET_TEXT.test(text))) networkCode = 'ECONNRESET';
	return {
		headers: {},
		body: undefined,
		networkCode,
		...(timedOut ? { timedOut } : {}),
		otherMessage: networkCode ? undefined : otherMessage,
	};
}
