import type { INode } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { LoginFailure } from './failure';
import { classify } from './failure';
import { loginFailureMessage, NO_ACCESS_TOKEN } from './messages';
import { carryLoginFailure, describeFailure } from './thrown';

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
