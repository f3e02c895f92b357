// decideRetry and retryAfterMs: which failures of a GET are sent again, and after how long; a budget's deadline.
import type { IPollFunctions } from 'n8n-workflow';

import type { ApiFailure, Failure } from '../nodes/OneNce/transport/failure';
import { classify, retryAfterMs } from '../nodes/OneNce/transport/failure';
import { bookSend, ORDERS_WINDOW } from '../nodes/OneNce/transport/pacing';
import { resetProcessState } from '../nodes/OneNce/transport/processState';
import { apiRequest } from '../nodes/OneNce/transport/request';
import { AttemptBudgetSpent, DeadlineReached, decideRetry, takeAttempt } from '../nodes/OneNce/transport/retry';
import { packageNow } from '../nodes/OneNce/transport/timing';

const budget = { maxWaitMs: 6 * 60_000 };

function failure(partial: Partial<ApiFailure>): Failure {
	return classify({ headers: {}, body: undefined, ...partial });
}

const delays = (f: Failure, count: number) =>
	Array.from({ length: count }, (_, retries) => decideRetry(f, retries, 0, budget));

describe('retryAfterMs', () => {
	test.each([
		['2', 2000],
		['0', 0],
		['0.5', 500],
		[' 3 ', 3000],
	])('seconds %j', (value, ms) => {
		expect(retryAfterMs({ 'retry-after': value })).toBe(ms);
	});

	test('an HTTP date counts from now, never below zero', () => {
		const now = Date.parse('2025-06-02T09:30:00Z');
		expect(retryAfterMs({ 'retry-after': 'Mon, 02 Jun 2025 09:30:07 GMT' }, now)).toBe(7000);
		expect(retryAfterMs({ 'retry-after': 'Mon, 02 Jun 2025 09:00:00 GMT' }, now)).toBe(0);
	});

	test.each<Record<string, string>>([{}, { 'retry-after': '' }, { 'retry-after': 'soon' }])('absent or unreadable: %j', (headers) => {
		expect(retryAfterMs(headers)).toBeUndefined();
	});
});

describe('decideRetry', () => {
	test('429 honours Retry-After', () => {
		expect(decideRetry(failure({ status: 429, headers: { 'retry-after': '7' } }), 0, 0, budget)).toEqual({ retry: true, delayMs: 7000 });
	});

	test('429 without Retry-After backs off from 2 s, doubling up to a minute', () => {
		expect(delays(failure({ status: 429 }), 7).map((d) => d.retry && d.delayMs)).toEqual([
			2000, 4000, 8000, 16000, 32000, 60000, 60000,
		]);
	});

	test('429 gives up after 30 retries even with Retry-After: 0', () => {
		const f = failure({ status: 429, headers: { 'retry-after': '0' } });
		expect(decideRetry(f, 29, 0, budget)).toEqual({ retry: true, delayMs: 0 });
		expect(decideRetry(f, 30, 0, budget)).toEqual({ retry: false, reason: 'budget' });
	});

	test('a wait that would overrun the budget is not started', () => {
		const f = failure({ status: 429, headers: { 'retry-after': '60' } });
		expect(decideRetry(f, 3, budget.maxWaitMs - 60_000, budget)).toEqual({ retry: true, delayMs: 60_000 });
		expect(decideRetry(f, 3, budget.maxWaitMs - 59_999, budget)).toEqual({ retry: false, reason: 'budget' });
	});

	test('an ambiguous 403 (no structured error body) is tried three more times', () => {
		for (const body of [{ message: 'Forbidden' }, '<html>403 Forbidden</html>', undefined]) {
			const f = failure({ status: 403, body });
			expect(delays(f, 3).every((d) => d.retry)).toBe(true);
			expect(decideRetry(f, 3, 0, budget)).toEqual({ retry: false, reason: 'budget' });
		}
	});

	test('a 403 with 1NCE error fields is a permission problem: not retried', () => {
		for (const body of [
			{ statusCode: 403, errorCode: 'Forbidden', message: 'no' },
			{ error_code: 'X', error_token: 't', message: 'no' },
		]) {
			expect(decideRetry(failure({ status: 403, body }), 0, 0, budget)).toEqual({ retry: false, reason: 'not-retryable' });
		}
	});

	test.each([
		failure({ status: 500 }),
		failure({ status: 502, body: '<html>' }),
		failure({ networkCode: 'ECONNRESET' }),
		failure({ status: 200, malformed: true }),
	])('transient failure %j: 4 retries from 0.5 s, doubling', (f) => {
		expect(delays(f, 4).map((d) => d.retry && d.delayMs)).toEqual([500, 1000, 2000, 4000]);
		expect(decideRetry(f, 4, 0, budget)).toEqual({ retry: false, reason: 'budget' });
	});

	test('503 honours Retry-After', () => {
		expect(decideRetry(failure({ status: 503, headers: { 'retry-after': '0' } }), 0, 0, budget)).toEqual({ retry: true, delayMs: 0 });
	});

	test.each([400, 401, 404, 409, 422])('%i is not retried', (status) => {
		expect(decideRetry(failure({ status }), 0, 0, budget)).toEqual({ retry: false, reason: 'not-retryable' });
	});

	test('a firewall 403 without Retry-After waits out a whole 5-minute window, once within the budget', () => {
		const f = failure({ status: 403, body: { message: 'Forbidden' } });
		expect(decideRetry(f, 0, 0, budget)).toEqual({ retry: true, delayMs: 300_000 });
		expect(decideRetry(f, 1, 300_000, budget)).toEqual({ retry: false, reason: 'budget' });
	});

	test('a timeout is tried twice more, not four times: each try costs a whole timeout', () => {
		const f = failure({ networkCode: 'ECONNABORTED', timedOut: true });
		expect(delays(f, 2).every((d) => d.retry)).toBe(true);
		expect(decideRetry(f, 2, 0, budget)).toEqual({ retry: false, reason: 'budget' });
	});

	test('a login that failed at the token endpoint for a passing reason is retried; a refused password is not', () => {
		expect(decideRetry(failure({ login: { message: '1NCE login failed (HTTP 503)', kind: 'server-error' } }), 0, 0, budget)).toEqual({
			retry: true,
			delayMs: 500,
		});
		expect(decideRetry(failure({ login: { message: '1NCE login failed: Incorrect username or password', kind: 'invalid-input' } }), 0, 0, budget)).toEqual({
			retry: false,
			reason: 'not-retryable',
		});
	});

	test('a failure without status or network code (e.g. a failed login) is not retried', () => {
		expect(decideRetry(failure({ otherMessage: '1NCE login failed: x' }), 0, 0, budget)).toEqual({
			retry: false,
			reason: 'not-retryable',
		});
	});
});

describe('takeAttempt', () => {
	test('counts down a shared attempt budget and refuses at zero', () => {
		const budget = { maxWaitMs: 0, attempts: { remaining: 2 } };
		takeAttempt(budget);
		takeAttempt(budget);
		expect(budget.attempts.remaining).toBe(0);
		expect(() => takeAttempt(budget)).toThrow(AttemptBudgetSpent);
	});

	test('without an attempt budget, never refuses', () => {
		const budget = { maxWaitMs: 0 };
		for (let i = 0; i < 1000; i++) takeAttempt(budget);
	});
});

describe('a budget with a deadline', () => {
	// A stand-in for n8n's context that records what would have been sent; nothing leaves the process.
	const BASE_URL = 'http://127.0.0.1:9/management-api';
	function context(answers: Array<{ statusCode: number; headers?: Record<string, string>; body?: unknown }>) {
		const sent: string[] = [];
		const ctx = {
			getNode: () => ({ name: '1NCE Trigger', type: 'n8n-nodes-1nce.oneNceTrigger', typeVersion: 1, position: [0, 0], parameters: {} }),
			getCredentials: async () => ({ baseUrl: BASE_URL, username: 'u', password: 'p', requestAllowance: 1 }),
			helpers: {
				httpRequestWithAuthentication: async (_type: string, options: { url: string }) => {
					sent.push(options.url);
					const answer = answers.shift() ?? { statusCode: 200, body: [] };
					return { headers: {}, body: [], ...answer };
				},
			},
		} as unknown as IPollFunctions;
		return { ctx, sent };
	}
	const list = { method: 'GET' as const, path: '/v1/orders', expect: 'array' as const };

	beforeEach(() => resetProcessState());
	afterAll(() => resetProcessState());

	test('sends nothing once the deadline has passed, even with attempts left', async () => {
		const { ctx, sent } = context([]);
		const budget = { maxWaitMs: 40_000, attempts: { remaining: 5 }, deadline: packageNow() - 1 };
		await expect(apiRequest.call(ctx, list, budget)).rejects.toBeInstanceOf(DeadlineReached);
		expect(sent).toEqual([]);
		expect(budget.attempts.remaining).toBe(5);
	});

	test('does not begin a rate-limit wait that would end after the deadline', async () => {
		const { ctx, sent } = context([{ statusCode: 429, headers: { 'retry-after': '30' } }]);
		const budget = { maxWaitMs: 40_000, attempts: { remaining: 5 }, deadline: packageNow() + 10_000 };
		const started = Date.now();
		await expect(apiRequest.call(ctx, list, budget)).rejects.toBeInstanceOf(DeadlineReached);
		expect(Date.now() - started).toBeLessThan(5_000);
		expect(sent).toHaveLength(1);
	});

	test('does not wait for a paced turn that comes after the deadline (within its wait budget, it would)', async () => {
		// Allowance 1 per 5 minutes, just used: the next turn is 5 minutes away.
		bookSend({ window: ORDERS_WINDOW, baseUrl: BASE_URL }, 1, 0);
		const { ctx, sent } = context([]);
		const budget = { maxWaitMs: 6 * 60_000, deadline: packageNow() + 60_000 };
		const started = Date.now();
		await expect(apiRequest.call(ctx, list, budget)).rejects.toBeInstanceOf(DeadlineReached);
		expect(Date.now() - started).toBeLessThan(5_000);
		expect(sent).toEqual([]);
		// Refused for the deadline, the turn stays free: a request without one books it.
		expect(bookSend({ window: ORDERS_WINDOW, baseUrl: BASE_URL }, 1, 6 * 60_000)).toMatchObject({ slot: expect.anything() });
	});

	test('a request answered before the deadline is not affected', async () => {
		const { ctx, sent } = context([{ statusCode: 200, body: [{ order_number: 1 }] }]);
		const budget = { maxWaitMs: 40_000, attempts: { remaining: 5 }, deadline: packageNow() + 60_000 };
		await expect(apiRequest.call(ctx, list, budget)).resolves.toMatchObject({ statusCode: 200 });
		expect(sent).toHaveLength(1);
	});
});
