// Every request has a timeout: a server that accepts the connection and never answers ('hang') no longer
// hangs the node. Reads retry a timeout within their budget; Create never does; a token endpoint that hangs
// or drops the connection reads as a login problem and is retried by reads.
import { orderPosts, useHarness, usePackageSpeed } from './support/fixtures';

const harness = useHarness();
// The package's timeouts (30 s for reads and the token, 60 s for an order) run 30 times faster: 1 s and 2 s.
usePackageSpeed(30);

const create = { operation: 'create', products: { product: [{ productId: 1001, quantity: 1 }] } };

describe('reads', () => {
	test('Get: one hang, then the answer on the retry', async () => {
		const { sim, run } = harness();
		sim.seedOrders(1);
		sim.injectFault({ kind: 'hang', path: '/v1/orders/{n}' });
		const result = await run({ operation: 'get', orderNumber: '2000000001' });
		expect(result.nodeError('1NCE')).toBeUndefined();
		expect(result.json('1NCE')[0].order_number).toBe(2000000001);
		expect(sim.requests.filter((r) => r.path === '/v1/orders/2000000001').map((r) => r.status)).toEqual([null, 200]);
	});

	test('Get Many against a server that never answers: a timeout error after three tries', async () => {
		const { sim, runError } = harness();
		sim.injectFault({ kind: 'hang', path: '/v1/orders', times: Infinity });
		const error = await runError({ operation: 'getAll', returnAll: true });
		expect(error.message).toBe('1NCE did not answer within 30 s');
		expect(error.description).toBe('No answer arrived before the timeout. It was tried 3 times.');
		expect(sim.counts.list).toBe(3);
	});
});

describe('Create', () => {
	test('a hang on the order: one POST, and the error says it may or may not have been placed', async () => {
		const { sim, runError } = harness();
		sim.injectFault({ kind: 'hang', method: 'POST', path: '/v1/orders' });
		const error = await runError(create);
		expect(orderPosts(sim)).toHaveLength(1);
		expect(error.message).toBe('1NCE did not answer the order request within 60 s');
		expect(error.description).toMatch(/may or may not have been placed.*not sent again/);
	});
});

describe('the token endpoint', () => {
	test('hangs once: the read logs in on the retry', async () => {
		const { sim, run } = harness();
		sim.seedOrders(2);
		sim.injectFault({ kind: 'hang', path: '/oauth/token' });
		const result = await run({ operation: 'getAll', returnAll: true });
		expect(result.nodeError('1NCE')).toBeUndefined();
		expect(result.json('1NCE')).toHaveLength(2);
		expect(sim.counts.token).toBe(2);
	});

	test('drops the connection once: a read retries the login and succeeds', async () => {
		const { sim, run } = harness();
		sim.seedOrders(1);
		sim.injectFault({ kind: 'reset', path: '/oauth/token' });
		const result = await run({ operation: 'get', orderNumber: '2000000001' });
		expect(result.nodeError('1NCE')).toBeUndefined();
		expect(sim.counts).toMatchObject({ token: 2, get: 1 });
	});

	test('keeps dropping the connection: a login error in plain words, not n8n’s generic text', async () => {
		const { sim, runError } = harness();
		sim.injectFault({ kind: 'reset', path: '/oauth/token', times: Infinity });
		const error = await runError({ operation: 'get', orderNumber: '2000000001' });
		expect(error.message).toBe('1NCE login failed: could not reach the token endpoint (connection closed before an answer)');
		expect(error.description).toMatch(/It was tried 5 times/);
		expect(sim.counts.get).toBe(0);
	});

	test('never answers: the login error names the timeout', async () => {
		const { sim, runError } = harness();
		sim.injectFault({ kind: 'hang', path: '/oauth/token', times: Infinity });
		const error = await runError({ operation: 'get', orderNumber: '2000000001' });
		expect(error.message).toBe('1NCE login failed: the token endpoint did not answer within 30 s');
		expect(sim.counts.get).toBe(0);
	});

	test('a failed login before an order: no order was sent, and Create does not try again', async () => {
		const { sim, runError } = harness();
		sim.injectFault({ kind: 'reset', path: '/oauth/token', times: Infinity });
		// Without the duplicate check: its list request would log in (and retry the login) first.
		const error = await runError({ ...create, options: { skipIfRecentlyPlaced: false } });
		expect(sim.counts.token).toBe(1);
		expect(orderPosts(sim)).toHaveLength(0);
		expect(error.message).toMatch(/^1NCE login failed/);
		expect(error.description).toMatch(/No order was sent: the login comes first/);
	});
});
