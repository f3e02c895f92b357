import type { Failure } from './failure';
import { isTransientLogin } from './failure';
import type { PacingWindow } from './pacing';

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
	/** Which 1NCE limit the request counts against (request.ts sets it from the path). */
	rateLimit?: PacingWindow['name'];
	/** Said when a write that places no order (a SIM change) may have taken effect: it is never sent again. */
	unsureWriteHint?: string;
	itemIndex?: number;
}

const RATE_LIMIT_HINTS = {
	orders: '1NCE allows 100 order requests per 5 minutes per IP address, shared by every workflow on this n8n host.',
	sims: '1NCE allows 10 SIM requests per second per customer (apart from the orders allowance); this node paces its own within it.',
};
const NOT_RESENT_HINT =
	'The order may or may not have been placed. The order request was not sent again, so no order was placed twice: check the order list (Get Many) before trying again.';
// Said of every order request that certainly placed nothing: n8n's Retry On Fail sends those again.
const SAFE_TO_RETRY = 'Sending it again is safe: Retry On Fail does.';
const REFUSED_UNPROCESSED = 'Nothing was placed: 1NCE refuses a throttled request without processing it.';
const LOGIN_FAILED = '1NCE login failed';

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

// The code stays out of the message: NodeApiError swaps a message naming ECONNRESET & co. for its own
// generic text ("You can retry the request immediately"), wrong advice after an order request.
function connectionFailed(code: string): string {
	return `The connection failed or was closed before 1NCE answered (${networkWords(code)}, ${code}).`;
}

function waitedText(context: FailureContext): string {
	return context.waitedMs ? ` after waiting ${Math.round(context.waitedMs / 1000)} s` : '';
}

function triedText(context: FailureContext): string {
	return (context.attempts ?? 1) > 1 ? ` It was tried ${context.attempts} times.` : '';
}

type Summary = { message: string; description: string };

function notSent(failure: Failure, context: FailureContext, order: boolean): Summary {
	if (failure.login) {
		const advice = isTransientLogin(failure.login)
			? `The token endpoint did not give a token.${triedText(context)}`
			: 'Check the user name and password in the 1NCE API credential.';
		return { message: failure.login.message, description: `${advice}${order ? ` No order was sent: the login comes first. ${SAFE_TO_RETRY}` : ''}` };
	}
	if (failure.networkCode) {
		const what = connectionFailed(failure.networkCode);
		return {
			message: 'Could not reach 1NCE',
			description: order ? `${what} The order request never reached 1NCE: nothing was placed. ${SAFE_TO_RETRY}` : `${what}${triedText(context)}`,
		};
	}
	const message = failure.otherMessage ?? 'The request to 1NCE failed';
	return { message, description: order ? `The order request was not sent: nothing was placed. ${SAFE_TO_RETRY}` : '' };
}

function mayHaveArrived(failure: Failure, context: FailureContext, order: boolean): Summary {
	if (failure.malformed) {
		return {
			message: '1NCE answered with data that is not the expected JSON',
			description: `The response body could not be read as an order list or order.${triedText(context)}`,
		};
	}
	const what = connectionFailed(failure.networkCode ?? '');
	return { message: 'Could not reach 1NCE', description: order ? `${what} ${NOT_RESENT_HINT}` : `${what}${triedText(context)}` };
}

function throttled(failure: Failure, context: FailureContext, order: boolean): Summary {
	const limitHint = RATE_LIMIT_HINTS[context.rateLimit ?? 'orders'];
	const firewall = failure.status === 403;
	if (order) {
		return {
			message: firewall
				? "1NCE's firewall refused the order request (403): most likely its rate limit, not a permission problem"
				: '1NCE refused the order request: rate limit reached (429)',
			description: `${REFUSED_UNPROCESSED} ${SAFE_TO_RETRY} ${limitHint}`,
		};
	}
	if (firewall) {
		return {
			message: `1NCE is blocking requests (403)${waitedText(context)}: most likely its rate limit, not a permission problem`,
			description: `${limitHint} If it persists when nothing else is calling 1NCE, check the API user's permissions.`,
		};
	}
	return {
		message: context.waitedMs ? `1NCE rate limit reached (429) and still reached${waitedText(context)}` : '1NCE rate limit reached (429)',
		description: limitHint,
	};
}

function invalidInput(failure: Failure, said: string, order: boolean): Summary {
	const nothingPlaced = order ? ' Nothing was placed.' : '';
	if (failure.status === 400) {
		return { message: `1NCE rejected the request${said}`, description: `Check the values of the node parameters.${nothingPlaced}` };
	}
	if (failure.status === 403) {
		return {
			message: `1NCE refused access (403 Forbidden)${said}`,
			description: `The API user lacks permission for this call. Only the 1NCE Portal Owner and "API User" accounts may use the API.${nothingPlaced}`,
		};
	}
	return { message: `1NCE answered HTTP ${failure.status}${said}`, description: '' };
}

/** The message and description users see for a classified failure. */
export function summarize(failure: Failure, context: FailureContext): Summary {
	const summary = summaryOf(failure, context);
	const unsure = failure.kind === 'may-have-arrived' || failure.kind === 'timed-out' || failure.kind === 'server-error';
	if (!unsure || !context.unsureWriteHint || context.placesOrder) return summary;
	return { ...summary, description: `${summary.description} ${context.unsureWriteHint}`.trim() };
}

function summaryOf(failure: Failure, context: FailureContext): Summary {
	const order = context.placesOrder === true;
	const said = failure.apiMessage ? `: ${failure.apiMessage}` : '';
	switch (failure.kind) {
		case 'not-sent':
			return notSent(failure, context, order);
		case 'may-have-arrived':
			return mayHaveArrived(failure, context, order);
		case 'timed-out': {
			const within = context.timeoutMs ? ` within ${Math.round(context.timeoutMs / 1000)} s` : ' in time';
			return order
				? { message: `1NCE did not answer the order request${within}`, description: NOT_RESENT_HINT }
				: { message: `1NCE did not answer${within}`, description: `No answer arrived before the timeout.${triedText(context)}` };
		}
		case 'throttled':
			return throttled(failure, context, order);
		case 'unauthorized':
			return {
				message: `1NCE did not accept the login${said}`,
				description: `Check the user name and password in the 1NCE API credential; a fresh token was already tried.${order ? ' Nothing was placed.' : ''}`,
			};
		case 'not-found':
			return { message: context.notFoundMessage ?? `1NCE answered 404 Not Found${said}`, description: order ? 'Nothing was placed.' : '' };
		case 'invalid-input':
			return invalidInput(failure, said, order);
		case 'server-error':
			return {
				message: `1NCE service error (${failure.status})${said}`,
				description: order ? NOT_RESENT_HINT : `The 1NCE API failed to process the request.${triedText(context)}`,
			};
		case 'unexplained':
			if (failure.status !== undefined) return { message: `1NCE answered HTTP ${failure.status}${said}`, description: '' };
			return { message: failure.otherMessage ?? 'The request to 1NCE failed', description: '' };
	}
}

/** Text for a failed token request; never includes the credential values, nor a socket code n8n would reword. */
export function loginFailureMessage(failure: Failure, timeoutMs?: number): string {
	if (failure.status === 400 || failure.status === 401) {
		return `${LOGIN_FAILED}: ${failure.apiMessage ?? 'user name or password not accepted'}`;
	}
	if (failure.status !== undefined) {
		return `${LOGIN_FAILED} (HTTP ${failure.status})${failure.apiMessage ? `: ${failure.apiMessage}` : ''}`;
	}
	if (failure.kind === 'timed-out') {
		return `${LOGIN_FAILED}: the token endpoint did not answer ${timeoutMs ? `within ${Math.round(timeoutMs / 1000)} s` : 'in time'}`;
	}
	if (failure.networkCode) return `${LOGIN_FAILED}: could not reach the token endpoint (${networkWords(failure.networkCode)})`;
	return `${LOGIN_FAILED}: ${failure.otherMessage ?? 'unknown error'}`;
}

export const NO_ACCESS_TOKEN = `${LOGIN_FAILED}: the token endpoint answered without an access token`;
