// Failures: reading whatever n8n or axios threw (thrown.ts), one kind per failure (failure.ts), every decision
// from that kind, and the NodeApiError users see (errors.ts, messages.ts).
import type { IExecuteFunctions, INode } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { errorMayHavePlacedOrder, failureCause, failureKindOf, loginError, loginFailure, toNodeApiError } from '../nodes/OneNce/transport/errors';
import { retold } from '../nodes/OneNce/actions/order/placement';
import type { ApiFailure, Failure, FailureKind } from '../nodes/OneNce/transport/failure';
import { classify, isAmbiguous403, isTransientLogin, mayHavePlacedOrder } from '../nodes/OneNce/transport/failure';
import { decideRetry, holdOffMs } from '../nodes/OneNce/transport/retry';
import { apiMessageOf, describeFailure } from '../nodes/OneNce/transport/thrown';
import { errorText } from './support/fixtures';

const node: INode = {
	id: 'n1',
	name: '1NCE',
	type: 'n8n-nodes-1nce.oneNce',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

function failure(partial: Partial<ApiFailure>): Failure {
	return classify({ headers: {}, body: undefined, ...partial });
}

/** The shape axios throws: the request config (with the Authorization header) rides along. */
function axiosError(status: number, data: unknown, headers: Record<string, string> = {}) {
	return Object.assign(new Error(`Request failed with status code ${status}`), {
		config: { headers: { Authorization: 'Bearer SECRET-TOKEN' }, auth: { password: 'SECRET-PASSWORD' } },
		response: { status, headers: { toJSON: () => headers }, data },
	});
}

function socketError(code: string, message: string) {
	return Object.assign(new Error(message), { code, config: { auth: { password: 'SECRET-PASSWORD' } } });
}

describe('apiMessageOf', () => {
	test.each([
		[{ message: 'Order not found' }, 'Order not found'],
		[{ statusCode: 400, errorCode: 'X', message: ' padded ' }, 'padded'],
		[{ error_code: 'E', error_token: 't', message: 'third shape' }, 'third shape'],
		['{"message":"from text"}', 'from text'],
	])('%j → %j', (body, message) => {
		expect(apiMessageOf(body)).toBe(message);
	});

	test.each([undefined, '', 'plain text', '<html>', [{ message: 'x' }], { message: '' }, { message: 3 }, { error: 'x' }])(
		'%j has none',
		(body) => {
			expect(apiMessageOf(body)).toBeUndefined();
		},
	);
});

describe('describeFailure', () => {
	test('an axios error: status, lower-case headers, parsed body, API message', () => {
		const error = axiosError(429, '{"message":"slow down"}', { 'Retry-After': '3', 'X-Thing': 'y' });
		expect(describeFailure(error)).toEqual({
			status: 429,
			headers: { 'retry-after': '3', 'x-thing': 'y' },
			body: { message: 'slow down' },
			apiMessage: 'slow down',
		});
	});

	test('found through a chain of causes (n8n 2.x keeps the axios error as cause)', () => {
		const wrapped = { message: 'outer', cause: { message: 'middle', cause: axiosError(404, { message: 'gone' }) } };
		expect(describeFailure(wrapped)).toMatchObject({ status: 404, apiMessage: 'gone' });
	});

	test('a socket error code', () => {
		expect(describeFailure(socketError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:9'))).toEqual({
			headers: {},
			body: undefined,
			networkCode: 'ECONNREFUSED',
			otherMessage: undefined,
		});
	});

	test('"socket hang up" without a code is a reset', () => {
		expect(describeFailure(new Error('socket hang up')).networkCode).toBe('ECONNRESET');
	});

	test.each([
		['ECONNRESET', 'socket hang up'],
		['ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:9'],
		['ETIMEDOUT', 'timeout'],
	])('n8n 1.x NodeApiError around a %s socket error (it drops the cause)', (code, message) => {
		const wrapped = new NodeApiError(node, socketError(code, message) as never);
		expect(wrapped.cause).toBeUndefined();
		expect(describeFailure(wrapped).networkCode).toBe(code);
	});

	test('a plain error keeps its message', () => {
		expect(describeFailure(new Error('Something odd'))).toEqual({
			headers: {},
			body: undefined,
			networkCode: undefined,
			otherMessage: 'Something odd',
		});
	});

	test('a login failure is told apart by the data it carries: a wrong password is final', () => {
		const login = loginFailure(axiosError(400, { statusCode: 400, errorCode: 'BadCredentials', message: 'Incorrect username or password' }));
		expect(describeFailure(loginError(login))).toEqual({
			headers: {},
			body: undefined,
			login: { kind: 'invalid-input', message: '1NCE login failed: Incorrect username or password' },
		});
		expect(isTransientLogin(login)).toBe(false);
	});

	test.each([
		[socketError('ECONNRESET', 'socket hang up'), '1NCE login failed: could not reach the token endpoint (connection closed before an answer)'],
		[socketError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:9'), '1NCE login failed: could not reach the token endpoint (connection refused)'],
		[socketError('ECONNABORTED', 'timeout of 30000ms exceeded'), '1NCE login failed: the token endpoint did not answer within 30 s'],
		[axiosError(503, { message: 'down' }), '1NCE login failed (HTTP 503): down'],
		[axiosError(429, ''), '1NCE login failed (HTTP 429)'],
		[axiosError(403, '<html>blocked</html>'), '1NCE login failed (HTTP 403)'],
	])('a login failure worth another try: %#, %s', (error, message) => {
		const login = loginFailure(error, 30_000);
		expect(login.message).toBe(message);
		expect(isTransientLogin(describeFailure(loginError(login)).login!)).toBe(true);
	});

	test("the login failure survives n8n's wrapping: 1.x hands a NodeApiError back as it is, 2.x keeps the cause", () => {
		const login = loginFailure(socketError('ECONNRESET', 'socket hang up'));
		const thrown = loginError(login);
		expect(new NodeApiError(node, thrown as never)).toBe(thrown);
		expect(describeFailure(new NodeApiError(node, thrown as never)).login).toEqual(login);
		expect(describeFailure({ message: 'outer', cause: thrown }).login).toEqual(login);
		// Data, not wording: a foreign error saying the same words is no login failure.
		expect(describeFailure(new Error(login.message)).login).toBeUndefined();
	});

	test('an axios timeout is a timeout', () => {
		const failure = describeFailure(socketError('ECONNABORTED', 'timeout of 1000ms exceeded'));
		expect(failure).toMatchObject({ networkCode: 'ECONNABORTED', timedOut: true });
	});

	test('no secret from the request config ends up in the failure', () => {
		const text = JSON.stringify([describeFailure(axiosError(500, { message: 'x' })), describeFailure(socketError('ECONNRESET', 'x'))]);
		expect(text).not.toMatch(/SECRET/);
	});
});

describe('isAmbiguous403', () => {
	test.each([
		[{ message: 'Forbidden' }, true],
		['<html>403</html>', true],
		[undefined, true],
		[{ statusCode: 403, errorCode: 'Forbidden', message: 'no permission' }, false],
		[{ error_code: 'X', message: 'no' }, false],
	])('403 with %j → %s', (body, ambiguous) => {
		expect(isAmbiguous403(failure({ status: 403, body }))).toBe(ambiguous);
	});

	test('only 403 can be ambiguous', () => {
		expect(isAmbiguous403(failure({ status: 429, body: { message: 'Forbidden' } }))).toBe(false);
	});
});

describe('toNodeApiError', () => {
	test.each([
		[failure({ status: 400, apiMessage: 'bad pageSize' }), '1NCE rejected the request: bad pageSize', '400'],
		[failure({ status: 401, apiMessage: 'expired' }), '1NCE did not accept the login: expired', '401'],
		[
			failure({ status: 403, body: { statusCode: 403, errorCode: 'F' }, apiMessage: 'no permission' }),
			'1NCE refused access (403 Forbidden): no permission',
			'403',
		],
		[failure({ status: 404, apiMessage: 'Order 5 not found' }), '1NCE answered 404 Not Found: Order 5 not found', '404'],
		[failure({ status: 429 }), '1NCE rate limit reached (429)', '429'],
		[failure({ status: 500, apiMessage: 'boom' }), '1NCE service error (500): boom', '500'],
		[failure({ status: 502 }), '1NCE service error (502)', '502'],
		[failure({ status: 418 }), '1NCE answered HTTP 418', '418'],
		[failure({ status: 200, malformed: true }), '1NCE answered with data that is not the expected JSON', '200'],
	])('%j → %s (never n8n’s generic text)', (f, message, httpCode) => {
		const error = toNodeApiError(node, f);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(message);
		expect(error.httpCode).toBe(httpCode);
	});

	test('an ambiguous 403 says rate limit, with the wait', () => {
		const error = toNodeApiError(node, failure({ status: 403, body: { message: 'Forbidden' } }), { waitedMs: 14_000 });
		expect(error.message).toBe('1NCE is blocking requests (403) after waiting 14 s: most likely its rate limit, not a permission problem');
		expect(error.description).toMatch(/100 order requests per 5 minutes/);
	});

	test('404 with a not-found text', () => {
		expect(toNodeApiError(node, failure({ status: 404 }), { notFoundMessage: 'Order 7 was not found' }).message).toBe(
			'Order 7 was not found',
		);
	});

	test.each(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EAI_AGAIN'])('network %s: the message stays 1NCE’s own', (code) => {
		const error = toNodeApiError(node, failure({ networkCode: code }));
		expect(error.message).toBe('Could not reach 1NCE');
		expect(error.description).toContain(code);
	});

	test('a failure that may have reached 1NCE on a create says it was not re-sent', () => {
		const error = toNodeApiError(node, failure({ networkCode: 'ECONNRESET' }), { placesOrder: true });
		expect(error.description).toMatch(/^The connection failed.*\. The order request was not sent again/);
		expect(error.description).toMatch(/check the order list \(Get Many\)/);
	});

	test('the item index is kept', () => {
		expect(toNodeApiError(node, failure({ status: 500 }), { itemIndex: 3 }).context.itemIndex).toBe(3);
	});

	test('an other message is shown as it is', () => {
		expect(toNodeApiError(node, failure({ otherMessage: 'The 1NCE base URL must use https' })).message).toBe(
			'The 1NCE base URL must use https',
		);
	});

	test('an error built from an axios error carries no secret', () => {
		const error = toNodeApiError(node, describeFailure(axiosError(500, { message: 'x' })), { placesOrder: true });
		expect(errorText(error)).not.toMatch(/SECRET/);
	});
});

describe('loginFailure', () => {
	test.each([
		[axiosError(400, { statusCode: 400, errorCode: 'BadCredentials', message: 'User does not exist.' }), '1NCE login failed: User does not exist.'],
		[axiosError(401, ''), '1NCE login failed: user name or password not accepted'],
		[axiosError(503, { message: 'down' }), '1NCE login failed (HTTP 503): down'],
		[axiosError(502, '<html>'), '1NCE login failed (HTTP 502)'],
		[socketError('ECONNREFUSED', 'connect ECONNREFUSED'), '1NCE login failed: could not reach the token endpoint (connection refused)'],
		[new Error('odd'), '1NCE login failed: odd'],
		[undefined, '1NCE login failed: unknown error'],
	])('%#: %s', (error, message) => {
		expect(loginFailure(error).message).toBe(message);
	});
});

// n8n 2.x reads a declared `failure` off a node error to back a poll off (rate-limited: at least Retry-After);
// without it a firewall 403 reads as permanent. 1.x has no such causes, so nothing is declared there.
describe("n8n's failure cause, where the running n8n has it", () => {
	const timed = ['rate-limited', 'quota-exhausted', 'temporarily-unavailable'];

	test.each([
		['429 with Retry-After', failure({ status: 429, headers: { 'retry-after': '120' } }), { cause: 'rate-limited', retryAfterMs: 120_000 }],
		['429 without it', failure({ status: 429 }), { cause: 'rate-limited' }],
		['a firewall 403: a whole 5-minute window', failure({ status: 403, body: '<html>blocked</html>' }), { cause: 'rate-limited', retryAfterMs: 300_000 }],
		['503', failure({ status: 503 }), { cause: 'temporarily-unavailable' }],
		['a timeout', failure({ networkCode: 'ETIMEDOUT', timedOut: true }), { cause: 'temporarily-unavailable' }],
	])('%s', (_name, input, expected) => {
		expect(failureCause(input, timed)).toEqual(expected);
	});

	test.each([
		['a permission 403', failure({ status: 403, body: { statusCode: 403, errorCode: 'Forbidden', message: 'no' } })],
		['400', failure({ status: 400 })],
		['404', failure({ status: 404 })],
	])('%s declares nothing', (_name, input) => {
		expect(failureCause(input, timed)).toBeUndefined();
	});

	test('an n8n without failure causes (the 1.x this package is developed against) gets none on its errors', () => {
		expect(failureCause(failure({ status: 429 }))).toBeUndefined();
		expect(toNodeApiError(node, failure({ status: 429 }))).not.toHaveProperty('failure');
		expect(failureCause(failure({ status: 429 }), ['quota-exhausted'])).toBeUndefined();
	});
});

describe('whether a failed order request may have placed an order', () => {
	test.each([
		['a failed login', failure({ login: { message: '1NCE login failed', kind: 'server-error' } }), false],
		['stopped by the allowance', failure({ otherMessage: 'used up', notSent: true }), false],
		['connection refused', failure({ networkCode: 'ECONNREFUSED' }), false],
		['429', failure({ status: 429 }), false],
		['400', failure({ status: 400 }), false],
		['500', failure({ status: 500 }), true],
		['a connection reset', failure({ networkCode: 'ECONNRESET' }), true],
		['a timeout', failure({ networkCode: 'ETIMEDOUT', timedOut: true }), true],
		['an unreadable 200', failure({ status: 200, malformed: true }), true],
	])('%s: %s', (_name, input, expected) => {
		expect(mayHavePlacedOrder(input)).toBe(expected);
		expect(errorMayHavePlacedOrder(toNodeApiError(node, input, { placesOrder: true }))).toBe(expected);
		// A read never places anything.
		expect(errorMayHavePlacedOrder(toNodeApiError(node, input))).toBe(false);
	});
});

// Each failure is classified once; the retry, the hold-off, whether an order may have been placed and n8n's
// failure cause all follow from that one kind (and, for a failed login, from the login's own kind).
describe('one kind per failure, every decision from it', () => {
	const timed = ['rate-limited', 'temporarily-unavailable'];
	const budget = { maxWaitMs: 6 * 60_000 };
	const login = (kind: FailureKind) => ({ message: '1NCE login failed', kind });
	const rows: Array<[string, Partial<ApiFailure>, FailureKind, number | 'no', boolean, string | undefined, number | undefined]> = [
		// name, facts, kind, first retry's delay, may have placed an order, n8n failure cause, hold-off of the host
		['401', { status: 401 }, 'unauthorized', 'no', false, undefined, undefined],
		['429 with Retry-After', { status: 429, headers: { 'retry-after': '7' } }, 'throttled', 7000, false, 'rate-limited', 7000],
		['429 without it', { status: 429 }, 'throttled', 2000, false, 'rate-limited', 0],
		['a firewall 403', { status: 403, body: '<html>blocked</html>' }, 'throttled', 300_000, false, 'rate-limited', 300_000],
		['a permission 403', { status: 403, body: { statusCode: 403, errorCode: 'F' } }, 'invalid-input', 'no', false, undefined, undefined],
		['404', { status: 404 }, 'not-found', 'no', false, undefined, undefined],
		['400', { status: 400 }, 'invalid-input', 'no', false, undefined, undefined],
		['409', { status: 409 }, 'invalid-input', 'no', false, undefined, undefined],
		['502', { status: 502 }, 'server-error', 500, true, 'temporarily-unavailable', undefined],
		['a login refused', { login: login('invalid-input') }, 'not-sent', 'no', false, undefined, undefined],
		['a login answered 401', { login: login('unauthorized') }, 'not-sent', 'no', false, undefined, undefined],
		['a login at a down endpoint', { login: login('server-error') }, 'not-sent', 500, false, 'temporarily-unavailable', undefined],
		['a login at a throttling endpoint', { login: login('throttled') }, 'not-sent', 500, false, 'temporarily-unavailable', undefined],
		['a login that timed out', { login: login('timed-out') }, 'not-sent', 500, false, 'temporarily-unavailable', undefined],
		['a login answered without a token', { login: login('unexplained') }, 'not-sent', 'no', false, undefined, undefined],
		['the allowance used up', { otherMessage: 'used up', notSent: true }, 'not-sent', 'no', false, undefined, undefined],
		['connection refused', { networkCode: 'ECONNREFUSED' }, 'not-sent', 500, false, 'temporarily-unavailable', undefined],
		['host not found', { networkCode: 'ENOTFOUND' }, 'not-sent', 500, false, 'temporarily-unavailable', undefined],
		['a connection reset', { networkCode: 'ECONNRESET' }, 'may-have-arrived', 500, true, 'temporarily-unavailable', undefined],
		['an unreadable 200', { status: 200, malformed: true }, 'may-have-arrived', 500, true, 'temporarily-unavailable', undefined],
		['a timeout', { networkCode: 'ETIMEDOUT', timedOut: true }, 'timed-out', 500, true, 'temporarily-unavailable', undefined],
		['an error without status or code', { otherMessage: 'odd' }, 'unexplained', 'no', true, undefined, undefined],
		['a 302', { status: 302 }, 'unexplained', 'no', true, undefined, undefined],
	];

	test.each(rows)('%s', (_name, facts, kind, delay, placed, cause, hold) => {
		const f = failure(facts);
		expect(f.kind).toBe(kind);
		const decision = decideRetry(f, 0, 0, budget);
		expect(decision.retry ? decision.delayMs : 'no').toBe(delay);
		expect(mayHavePlacedOrder(f)).toBe(placed);
		expect(failureCause(f, timed)?.cause).toBe(cause);
		// What the host holds off for when this request gives up (a POST, or a GET out of retries).
		expect(holdOffMs(f, undefined)).toBe(hold);
	});

	test('a timed-out login is tried twice more, like any silent server; another passing failure four times', () => {
		const tries = (f: Failure) => Array.from({ length: 5 }, (_, n) => decideRetry(f, n, 0, budget).retry).filter(Boolean).length;
		expect(tries(failure({ login: login('timed-out') }))).toBe(2);
		expect(tries(failure({ login: login('server-error') }))).toBe(4);
	});

	// The wording used to decide: a refusal whose 1NCE message happened to contain "did not answer", "could not
	// reach the token endpoint" or "(HTTP 503)" was retried as an outage, and shown with the outage's advice.
	test.each([
		axiosError(401, { message: 'could not reach the token endpoint' }),
		axiosError(400, { statusCode: 400, errorCode: 'BadCredentials', message: 'the user did not answer the activation mail' }),
		axiosError(400, { statusCode: 400, errorCode: 'X', message: 'locked (HTTP 503) by an administrator' }),
	])("a refused login is final whatever 1NCE's message says (%#)", (tokenError) => {
		const f = classify(describeFailure(loginError(loginFailure(tokenError))));
		expect(decideRetry(f, 0, 0, budget)).toEqual({ retry: false, reason: 'not-retryable' });
		expect(failureCause(f, timed)).toBeUndefined();
		expect(toNodeApiError(node, f).description).toBe('Check the user name and password in the 1NCE API credential.');
	});
});

describe('a re-told error keeps the data its original carries', () => {
	const context = { getNode: () => node } as unknown as IExecuteFunctions;

	it('keeps the kind, may-have-placed and the failure cause through retold', () => {
		const original = toNodeApiError(node, failure({ status: 500 }), { placesOrder: true });
		Object.assign(original, { failure: { cause: 'temporarily-unavailable' } });
		const copy = retold(context, original, 0, { before: 'Before.', after: 'After.' });
		expect(copy.description).toContain('Before.');
		expect(failureKindOf(copy)).toBe('server-error');
		expect(errorMayHavePlacedOrder(copy)).toBe(true);
		expect((copy as unknown as { failure?: unknown }).failure).toEqual({ cause: 'temporarily-unavailable' });
	});

	it('does not invent data an error did not carry', () => {
		const copy = retold(context, toNodeApiError(node, failure({ status: 429 })), 0, { after: 'x' });
		expect(failureKindOf(copy)).toBe('throttled');
		expect(errorMayHavePlacedOrder(copy)).toBe(false);
	});
});
