// API failures as readable NodeApiErrors, retries of GET requests, and no secret in any error.
import { PAGE_CONCURRENCY } from '../nodes/OneNce/transport/orders';
import { errorText, listedPages, useHarness } from './support/fixtures';

const harness = useHarness();

const listAll = { operation: 'getAll', returnAll: true };

/** The node's error, checked for secrets: neither the password nor any token may appear. */
async function failing(parameters: Record<string, unknown>, options?: { credentials?: object }) {
	const { runError, secrets } = harness();
	const error = await runError(parameters, options);
	expect(error.name).toBe('NodeApiError');
	const text = errorText(error);
	for (const secret of secrets()) expect(text).not.toContain(secret);
	return error;
}

describe('errors users see', () => {
	test('400: the API message is shown', async () => {
		const { sim, proxy, addCredential } = harness();
		sim.seedOrders(1);
		const url = await proxy((request) =>
			request.path === '/v1/orders'
				? { status: 400, body: { statusCode: 400, errorCode: 'QueryValidationError', message: 'pageSize must be at most 10' } }
				: undefined,
		);
		const error = await failing(listAll, { credentials: addCredential({ baseUrl: url }) });
		expect(error.message).toBe('1NCE rejected the request: pageSize must be at most 10');
		expect(error.httpCode).toBe('400');
		expect(sim.counts.list).toBe(1);
	});

	test('bad password: the login fails with 1NCE’s message, no order request is sent', async () => {
		const { sim, addCredential } = harness();
		const credentials = addCredential({ password: 'not-the-password-123' });
		const error = await failing(listAll, { credentials });
		expect(error.message).toBe('1NCE login failed: Incorrect username or password');
		expect(errorText(error)).not.toContain('not-the-password-123');
		expect(sim.counts).toMatchObject({ token: 1, list: 0 });
	});

	test('unknown user: the login fails with 1NCE’s message', async () => {
		const { sim, addCredential } = harness();
		const error = await failing(listAll, { credentials: addCredential({ username: 'nobody' }) });
		expect(error.message).toMatch(/^1NCE login failed: /);
		expect(errorText(error)).not.toContain(sim.password);
	});

	test('401 that a fresh token does not cure: login not accepted, one token refresh only', async () => {
		const { sim } = harness();
		sim.seedOrders(1);
		sim.injectFault({ kind: 401, path: '/v1/orders', times: 5 });
		const error = await failing(listAll);
		expect(error.message).toMatch(/^1NCE did not accept the login/);
		expect(error.httpCode).toBe('401');
		expect(sim.counts).toMatchObject({ token: 2, list: 2 });
	});

	test('403 permission: says access was refused, not retried', async () => {
		const { sim } = harness();
		sim.seedOrders(1);
		sim.injectFault({ kind: 403, path: '/v1/orders' });
		const error = await failing(listAll);
		expect(error.message).toMatch(/^1NCE refused access \(403 Forbidden\): The user does not have permission/);
		expect(error.message).not.toMatch(/rate limit/);
		expect(error.description).toMatch(/API User/);
		expect(sim.counts.list).toBe(1);
	});

	test.each(['json', 'html'] as const)('403 throttle (%s body) that persists: says rate limit, after a few tries', async (body) => {
		const { sim } = harness();
		sim.seedOrders(1);
		sim.injectFault({ kind: '403throttle', path: '/v1/orders', retryAfter: 0, times: 10, body });
		const error = await failing(listAll);
		expect(error.message).toMatch(/rate limit/);
		expect(error.message).toMatch(/403/);
		expect(error.description).toMatch(/100 order requests per 5 minutes/);
		expect(sim.counts.list).toBe(4);
	});

	test('429 that does not clear: rate-limit error once the retries are spent', async () => {
		const { sim } = harness();
		sim.seedOrders(1);
		sim.injectFault({ kind: 429, path: '/v1/orders', retryAfter: 0, times: 100 });
		const error = await failing(listAll);
		expect(error.message).toMatch(/^1NCE rate limit reached \(429\)/);
		expect(error.httpCode).toBe('429');
		expect(sim.counts.list).toBe(31);
	});

	test('5xx that persists on GET: service error after the retries', async () => {
		const { sim } = harness();
		sim.seedOrders(1);
		sim.injectFault({ kind: 503, path: '/v1/orders/{n}', retryAfter: 0, times: 10 });
		const error = await failing({ operation: 'get', orderNumber: '2000000001' });
		expect(error.message).toBe('1NCE service error (503): Service Unavailable');
		expect(sim.counts.get).toBe(5);
	});

	test('an answer that is never valid JSON: says so after the retries', async () => {
		const { sim } = harness();
		sim.seedOrders(1);
		// Retry-After: 0 skips the backoff waits (the retry count is what matters here).
		const url = await harness().proxy((request) =>
			request.path === '/v1/orders' ? { status: 200, headers: { 'Retry-After': '0' }, body: 'not json at all' } : undefined,
		);
		const error = await failing(listAll, { credentials: harness().addCredential({ baseUrl: url }) });
		expect(error.message).toBe('1NCE answered with data that is not the expected JSON');
		expect(sim.counts.list).toBe(5);
	});
});

describe('GET requests wait out throttling and retry transient failures', () => {
	test('429 with Retry-After 1 once: success, page 1 asked twice', async () => {
		const { sim, run } = harness();
		sim.seedOrders(15);
		sim.injectFault({ kind: 429, path: '/v1/orders', retryAfter: 1 });
		const result = await run(listAll);
		expect(result.nodeError('1NCE')).toBeUndefined();
		expect(result.json('1NCE')).toHaveLength(15);
		expect(listedPages(sim)).toEqual([1, 1, 2]);
		expect(sim.requests.filter((r) => r.path === '/v1/orders').map((r) => r.status)).toEqual([429, 200, 200]);
	});

	test('403 throttle once: waited out', async () => {
		const { sim, run } = harness();
		sim.seedOrders(3);
		sim.injectFault({ kind: '403throttle', path: '/v1/orders', retryAfter: 0 });
		const result = await run(listAll);
		expect(result.json('1NCE')).toHaveLength(3);
		expect(sim.counts.list).toBe(2);
	});

	test.each([500, 502, 503, 'reset', 'malformed'] as const)('%s once on a list page: retried, success', async (kind) => {
		const { sim, run } = harness();
		sim.seedOrders(25);
		sim.injectFault({ kind, path: '/v1/orders', retryAfter: 0 });
		const result = await run(listAll);
		expect(result.nodeError('1NCE')).toBeUndefined();
		expect(result.json('1NCE').map((order) => order.order_number)).toEqual(sim.orders.map((o) => o.order_number));
		expect(sim.counts.list).toBe(4);
		// The one failed attempt is the only page asked twice.
		const succeeded = sim.requests.filter((r) => r.path === '/v1/orders' && !r.fault).map((r) => Number(r.query.page));
		expect(succeeded.sort()).toEqual([1, 2, 3]);
	});

	test('500 once on Get: retried, success', async () => {
		const { sim, run } = harness();
		sim.seedOrders(1);
		sim.injectFault({ kind: 500, path: '/v1/orders/{n}' });
		const result = await run({ operation: 'get', orderNumber: '2000000001' });
		expect(result.json('1NCE')).toEqual([sim.orders[0]]);
		expect(sim.counts.get).toBe(2);
	});

	test('a rate limit of the simulator itself is waited out across a listing', async () => {
		const { sim, run } = harness();
		sim.seedOrders(60);
		sim.setRateLimit({ limit: 4, windowMs: 1000, retryAfter: true });
		const result = await run(listAll);
		expect(result.nodeError('1NCE')).toBeUndefined();
		expect(result.json('1NCE')).toHaveLength(60);
		const succeeded = sim.requests.filter((r) => r.path === '/v1/orders' && r.status === 200).map((r) => Number(r.query.page));
		expect(succeeded.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
	});

	test('random transient faults over a 100-order listing: every order once, every page answered once', async () => {
		const { sim, run } = harness();
		sim.seedOrders(100);
		sim.setRandomFaults({ rate: 0.2, kinds: [503, 'malformed', 'reset'], paths: ['/v1/orders'] });
		const result = await run(listAll);
		expect(result.nodeError('1NCE')).toBeUndefined();
		expect(result.json('1NCE').map((order) => order.order_number)).toEqual(sim.orders.map((o) => o.order_number));
		const faulted = sim.requests.filter((r) => r.fault !== undefined);
		expect(faulted.length).toBeGreaterThan(0);
		const answered = sim.requests.filter((r) => r.path === '/v1/orders' && r.fault === undefined).map((r) => Number(r.query.page));
		expect(answered.sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
		expect(sim.counts.list).toBe(10 + faulted.length);
	});
});

describe('a failure half-way through a listing', () => {
	test('a page refused for good stops the listing: no further pages are started', async () => {
		const { sim, run, proxy, addCredential } = harness();
		sim.seedOrders(1000);
		const permission = { statusCode: 403, errorCode: 'Forbidden', message: 'no access to page 5' };
		const url = await proxy(undefined, (request) =>
			request.path === '/v1/orders' && request.query.get('page') === '5' ? { status: 403, body: permission } : undefined,
		);
		const result = await run(listAll, { credentials: addCredential({ baseUrl: url }) });
		const error = result.nodeError('1NCE');
		expect(error.message).toBe('1NCE refused access (403 Forbidden): no access to page 5');
		// Page 5 never reached the simulator; with PAGE_CONCURRENCY pages in flight, at most that many pages past
		// page 4 were asked for (3 in flight: pages up to 7), and none after the refusal.
		const pages = listedPages(sim);
		expect(pages).not.toContain(5);
		expect(Math.max(...pages)).toBeLessThanOrEqual(4 + PAGE_CONCURRENCY);
		expect(pages.length).toBeLessThan(100);
		expect(new Set(pages).size).toBe(pages.length);
	});
});
