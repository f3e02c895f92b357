import type { INode, JsonObject } from 'n8n-workflow';
import * as n8nWorkflow from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { ApiFailure, Failure, FailureKind, LoginFailure } from './failure';
import { classify, mayHavePlacedOrder, remedyOf, throttleWaitMs } from './failure';
import type { FailureContext } from './messages';
import { loginFailureMessage, NO_ACCESS_TOKEN, summarize } from './messages';
import { carryLoginFailure, describeFailure } from './thrown';

const MAY_HAVE_PLACED = Symbol('oneNce.mayHavePlacedOrder');
const KIND = Symbol('oneNce.failureKind');

/** The kind of failure an error from toNodeApiError stands for; undefined for any other error. */
export function failureKindOf(error: unknown): FailureKind | undefined {
	return typeof error === 'object' && error !== null ? (error as Record<symbol, FailureKind | undefined>)[KIND] : undefined;
}

/** True only for an order request's error whose request may have reached 1NCE (see mayHavePlacedOrder). */
export function errorMayHavePlacedOrder(error: unknown): boolean {
	return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[MAY_HAVE_PLACED] === true;
}

/** n8n's failure causes a wait can help with, from the running n8n-workflow; undefined where it has none (1.x). */
function timedCauses(): readonly string[] | undefined {
	const causes = (n8nWorkflow as Record<string, unknown>).TIMED_CAUSES;
	return Array.isArray(causes) ? causes : undefined;
}

/**
 * The failure cause n8n 2.x reads off a node error to back off (a poll waits the time given before the next), or
 * undefined when the running n8n has no such cause or a wait cannot help. `supported` is for tests.
 */
export function failureCause(
	failure: Failure,
	supported: readonly string[] | undefined = timedCauses(),
): { cause: string; retryAfterMs?: number } | undefined {
	if (remedyOf(failure) === 'none') return undefined;
	// Only a throttled failure has a wait.
	const wait = throttleWaitMs(failure);
	const cause =
		failure.kind === 'throttled'
			? { cause: 'rate-limited', ...(wait !== undefined ? { retryAfterMs: wait } : {}) }
			: { cause: 'temporarily-unavailable' };
	return supported?.includes(cause.cause) ? cause : undefined;
}

/**
 * `to`, a re-worded copy of the node error `from`, with the data `from` carries: its failure kind, whether an
 * order may have been placed, and n8n's failure cause. Without them a re-told error would be handled as unexplained.
 */
export function withFailureData<E extends object>(from: unknown, to: E): E {
	if (typeof from !== 'object' || from === null) return to;
	for (const key of [KIND, MAY_HAVE_PLACED]) {
		const value = (from as Record<symbol, unknown>)[key];
		if (value !== undefined) Object.defineProperty(to, key, { value, enumerable: false });
	}
	const cause = (from as { failure?: unknown }).failure;
	if (cause !== undefined) Object.assign(to, { failure: cause });
	return to;
}

/** The one place that turns a failed exchange into the error users see, with the decisions it carries. */
export function toNodeApiError(node: INode, facts: ApiFailure | Failure, context: FailureContext = {}): NodeApiError {
	const failure = classify(facts);
	const { message, description } = summarize(failure, context);
	const response: JsonObject = { message };
	if (failure.status !== undefined) response.httpCode = String(failure.status);
	if (failure.apiMessage) response.apiMessage = failure.apiMessage;
	const error = new NodeApiError(node, response, {
		message,
		description,
		httpCode: failure.status !== undefined ? String(failure.status) : undefined,
		itemIndex: context.itemIndex,
	});
	Object.defineProperty(error, KIND, { value: failure.kind, enumerable: false });
	const cause = failureCause(failure);
	if (cause) Object.assign(error, { failure: cause });
	if (context.placesOrder === true && mayHavePlacedOrder(failure)) {
		Object.defineProperty(error, MAY_HAVE_PLACED, { value: true, enumerable: false });
	}
	return error;
}

/** A failed token request, classified like any request: its kind decides whether logging in again can help. */
export function loginFailure(error: unknown, timeoutMs?: number): LoginFailure {
	const failure = classify(describeFailure(error));
	return { kind: failure.kind, message: loginFailureMessage(failure, timeoutMs) };
}

/** A 2xx token answer without a token: nothing says another try would get one. */
export const NO_TOKEN: LoginFailure = { kind: 'unexplained', message: NO_ACCESS_TOKEN };

// preAuthentication is given no node; n8n shows this one only where it calls preAuthentication itself (the
// credential test). A node's request turns the login failure into an error of its own node (see apiRequest).
const CREDENTIAL: INode = { id: '', name: '1NCE API credential', type: 'oneNceApi', typeVersion: 1, position: [0, 0], parameters: {} };

/**
 * The error preAuthentication throws: a fresh one, since the original carries the request config (the Basic
 * auth header). A NodeApiError, because n8n passes one through as it is: around any other error n8n 1.x builds
 * a NodeApiError that drops the original, and with it the LoginFailure it carries.
 */
export function loginError(login: LoginFailure): NodeApiError {
	return carryLoginFailure(new NodeApiError(CREDENTIAL, { message: login.message }, { message: login.message }), login);
}
