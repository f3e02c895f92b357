// The access token: fetched once, kept with the credential across executions, refreshed once when 1NCE
// answers 401.
import { errorText, listedPages, useHarness } from './support/fixtures';

const harness = useHarness();

const listAll = { operation: 'getAll', returnAll: true };

function storedToken(credentials: object): string {
	const { id } = (credentials as { oneNceApi: { id: string } }).oneNceApi;
	return harness().engine.store.get(id).data.accessToken;
}

test('two executions share one token request', async () => {
	const { sim, run, credentials } = harness();
	sim.seedOrders(12);
	await run(listAll);
	const token = storedToken(credentials);
	expect(token).toMatch(/^ey/);
	await run({ operation: 'get', orderNumber: '2000000001' });
	expect(sim.counts).toMatchObject({ token: 1, list: 2, get: 1 });
	expect(storedToken(credentials)).toBe(token);
});

test('one execution with several items and operations uses one token', async () => {
	const { sim, run } = harness();
	sim.seedOrders(3);
	await run({ operation: 'get', orderNumber: '={{ $json.n }}' }, { input: [{ n: 2000000001 }, { n: 2000000002 }, { n: 2000000003 }] });
	expect(sim.counts).toMatchObject({ token: 1, get: 3 });
});

test('a token that expired between executions: exactly one extra token request, then success', async () => {
	const { sim, run, credentials } = harness();
	sim.seedOrders(25);
	await run(listAll);
	const first = storedToken(credentials);
	sim.expireTokens();
	sim.resetCounts();
	const result = await run(listAll);
	expect(result.nodeError('1NCE')).toBeUndefined();
	expect(result.json('1NCE')).toHaveLength(25);
	expect(sim.counts).toMatchObject({ token: 1, list: 4 });
	// Only the rejected first attempt is repeated.
	expect(sim.requests.filter((r) => r.path === '/v1/orders').map((r) => [Number(r.query.page), r.status])).toEqual(
		expect.arrayContaining([
			[1, 401],
			[1, 200],
			[2, 200],
			[3, 200],
		]),
	);
	expect(storedToken(credentials)).not.toBe(first);
	// And the new token is kept for the next execution.
	sim.resetCounts();
	await run(listAll);
	expect(sim.counts.token).toBe(0);
});

test('401 during a 1,000-order listing: one extra token request, no page fetched twice beyond the rejected one', async () => {
	const { sim, run, addCredential } = harness();
	sim.seedOrders(1000);
	sim.injectFault({ kind: 401, path: '/v1/orders' });
	// 101 list requests: one more than the default allowance of 5 minutes would let through at once.
	const result = await run(listAll, { credentials: addCredential({ requestAllowance: 200 }) });
	expect(result.nodeError('1NCE')).toBeUndefined();
	expect(result.json('1NCE')).toHaveLength(1000);
	expect(sim.counts).toMatchObject({ token: 2, list: 101 });
	const rejected = sim.requests.filter((r) => r.status === 401);
	expect(rejected).toHaveLength(1);
	const pages = listedPages(sim);
	const answered = sim.requests.filter((r) => r.path === '/v1/orders' && r.status === 200).map((r) => Number(r.query.page));
	expect(new Set(answered).size).toBe(100);
	expect(pages.filter((page) => page === Number(rejected[0].query.page))).toHaveLength(2);
});

test('401 on an order request: one token refresh, the order placed once', async () => {
	const { sim, run } = harness();
	sim.injectFault({ kind: 401, method: 'POST', path: '/v1/orders' });
	const result = await run({ operation: 'create', products: { product: [{ productId: 1001, quantity: 1 }] } });
	expect(result.nodeError('1NCE')).toBeUndefined();
	expect(sim.counts).toMatchObject({ token: 2, create: 2 });
	expect(sim.created).toHaveLength(1);
});

test('a token refresh that fails (password changed since) shows the login failure, without the password', async () => {
	const { sim, run, runError, credentials, engine } = harness();
	sim.seedOrders(2);
	await run(listAll);
	const { id } = (credentials as { oneNceApi: { id: string } }).oneNceApi;
	engine.store.get(id).data.password = 'changed-password-77';
	sim.expireTokens();
	sim.resetCounts();
	const error = await runError(listAll);
	expect(error.message).toBe('1NCE login failed: Incorrect username or password');
	expect(errorText(error)).not.toContain('changed-password-77');
	expect(sim.counts).toMatchObject({ token: 1, list: 1 });
});

// Whether a failed login is tried again follows from what the token endpoint answered (its status), carried as
// data through n8n-core's own request helper, never from the words of the message.
describe('a failed login, through n8n-core', () => {
	async function failingLogin(status: number, message: string) {
		const { proxy, runError, addCredential } = harness();
		let tokenRequests = 0;
		const baseUrl = await proxy(undefined, (request) => {
			if (request.path !== '/oauth/token') return undefined;
			tokenRequests++;
			return { status, body: { statusCode: status, errorCode: 'Refused', message } };
		});
		const error = await runError(listAll, { credentials: addCredential({ baseUrl }) });
		return { error, tokenRequests };
	}

	test("a refused login is final even when 1NCE's message reads like an outage: one token request", async () => {
		const message = 'could not reach the token endpoint, it did not answer (HTTP 503)';
		const { error, tokenRequests } = await failingLogin(401, message);
		expect(error.message).toBe(`1NCE login failed: ${message}`);
		expect(error.description).toBe('Check the user name and password in the 1NCE API credential.');
		expect(tokenRequests).toBe(1);
	});

	test('a token endpoint that is down is tried again, whatever its message says', async () => {
		const { error, tokenRequests } = await failingLogin(503, 'Incorrect username or password');
		expect(error.message).toBe('1NCE login failed (HTTP 503): Incorrect username or password');
		expect(error.description).toBe('The token endpoint did not give a token. It was tried 5 times.');
		expect(tokenRequests).toBe(5);
	});
});
