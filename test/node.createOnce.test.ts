// Create under n8n's own node settings, run by n8n's engine (WorkflowExecute implements Retry On Fail: it
// calls execute() again with the same items after an error, and after an output whose first item is an
// error item): at most one POST per input item per execution, every item checked before any order is sent.
import net from 'node:net';

import { NodeOperationError } from 'n8n-workflow';

import { asNodeError } from '../nodes/OneNce/nodeError';
import { errorText, orderPosts, useHarness, type NodeSettings } from './support/fixtures';

const harness = useHarness();

// waitBetweenTries 1: n8n reads 0 as its default of a second.
const retry: NodeSettings = { retryOnFail: true, maxTries: 3, waitBetweenTries: 1 };
const retryAndContinue: NodeSettings = { ...retry, onError: 'continueRegularOutput' };

const createFromItems = {
	operation: 'create',
	products: { product: [{ productId: 1001, quantity: '={{ $json.q }}' }] },
};

const quantitiesPlaced = (sim: ReturnType<typeof harness>['sim']) => sim.created.map((body) => body.products[0].quantity);

describe('Retry On Fail never places an order twice', () => {
	test('connection dropped after 1NCE placed the order: one POST, one order, the node fails saying so', async () => {
		const { sim, run } = harness();
		sim.injectFault({ kind: 'resetAfterProcessing', method: 'POST', path: '/v1/orders' });
		const result = await run(createFromItems, { input: [{ q: 5 }], settings: retry });
		expect(orderPosts(sim)).toHaveLength(1);
		expect(quantitiesPlaced(sim)).toEqual([5]);
		const error = result.nodeError('1NCE');
		expect(error.message).toBe('Could not reach 1NCE');
		expect(error.description).toMatch(/n8n ran the node again \(Retry On Fail\).*not sent again/);
		expect(error.description).toMatch(/may or may not have been placed/);
	});

	test('quantities 5 and 0: nothing is placed, the bad item is named, however often n8n retries', async () => {
		const { sim, run } = harness();
		const result = await run(createFromItems, { input: [{ q: 5 }, { q: 0 }], settings: { ...retry, maxTries: 5 } });
		expect(orderPosts(sim)).toHaveLength(0);
		expect(sim.counts.total).toBe(0);
		const error = result.nodeError('1NCE');
		expect(error.message).toBe('Product 1: quantity must be a positive whole number, got "0"');
		expect(error.context.itemIndex).toBe(1);
	});

	test('quantities 0, 5, 7 with On Error → Continue: one order each for 5 and 7, an error item for 0', async () => {
		const { sim, run } = harness();
		const result = await run(createFromItems, { input: [{ q: 0 }, { q: 5 }, { q: 7 }], settings: retryAndContinue });
		expect(quantitiesPlaced(sim)).toEqual([5, 7]);
		expect(orderPosts(sim)).toHaveLength(2);
		const items = result.items('1NCE');
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items[0].json.error).toMatch(/quantity must be a positive whole number, got "0"/);
		expect(items.slice(1).map((item) => item.json.submitted.products[0].quantity)).toEqual([5, 7]);
	});

	test('a failed first item under On Error → Continue: n8n re-runs the node, nothing is sent again', async () => {
		const { sim, run } = harness();
		sim.injectFault({ kind: 500, method: 'POST', path: '/v1/orders' });
		const result = await run(createFromItems, { input: [{ q: 3 }, { q: 4 }], settings: retryAndContinue });
		// Item 0 got the 500 (it may have been placed), item 1 was placed; neither was sent again.
		expect(orderPosts(sim).map((r) => r.status)).toEqual([500, 200]);
		const items = result.items('1NCE');
		expect(items[0].json.error).toBe('1NCE service error (500): Internal server error');
		expect(items[0].json.details).toMatch(/not sent again/);
		expect(items[1].json.status_code).toBe(200);
	});

	test('429 on the order: refused unprocessed, so Retry On Fail sends it again and it is placed once', async () => {
		const { sim, run } = harness();
		sim.injectFault({ kind: 429, method: 'POST', path: '/v1/orders', retryAfter: 0 });
		const result = await run(createFromItems, { input: [{ q: 2 }], settings: retry });
		expect(result.nodeError('1NCE')).toBeUndefined();
		expect(orderPosts(sim).map((r) => r.status)).toEqual([429, 200]);
		expect(quantitiesPlaced(sim)).toEqual([2]);
	});

	test('429 on the order without Retry On Fail: the message says nothing was placed and sending again is safe', async () => {
		const { sim, run } = harness();
		sim.injectFault({ kind: 429, method: 'POST', path: '/v1/orders', retryAfter: 0 });
		const error = (await run(createFromItems, { input: [{ q: 2 }] })).nodeError('1NCE');
		expect(error.message).toBe('1NCE refused the order request: rate limit reached (429)');
		expect(error.description).toMatch(/^Nothing was placed: .*Sending it again is safe: Retry On Fail does\./);
		expect(sim.created).toHaveLength(0);
	});

	test('a success is not repeated either: the second item fails, n8n retries, the first keeps its one order', async () => {
		const { sim, run, proxy, addCredential } = harness();
		let posts = 0;
		const url = await proxy(undefined, (request) =>
			request.method === 'POST' && request.path === '/v1/orders' && ++posts === 2 ? { status: 503, body: { message: 'Service Unavailable' } } : undefined,
		);
		const result = await run(createFromItems, { input: [{ q: 1 }, { q: 2 }], settings: retry, credentials: addCredential({ baseUrl: url }) });
		expect(posts).toBe(2);
		expect(quantitiesPlaced(sim)).toEqual([1]);
		const error = result.nodeError('1NCE');
		expect(error.message).toBe('1NCE service error (503): Service Unavailable');
		expect(error.description).toMatch(/Already placed in this run before the failure \(1\): item 0: 1NCE answered HTTP 200/);
	});

	test('each execution is its own: with the duplicate check off, the same workflow run twice places two orders', async () => {
		const { sim, run } = harness();
		const again = { ...createFromItems, options: { skipIfRecentlyPlaced: false } };
		await run(again, { input: [{ q: 1 }], settings: retry });
		await run(again, { input: [{ q: 1 }], settings: retry });
		expect(quantitiesPlaced(sim)).toEqual([1, 1]);
	});

	test('with default settings the second run within the hour outputs the first order, skipped', async () => {
		const { sim, run } = harness();
		await run(createFromItems, { input: [{ q: 1 }], settings: retry });
		const second = await run(createFromItems, { input: [{ q: 1 }], settings: retry });
		expect(second.json('1NCE')[0]).toMatchObject({ skipped: true });
		expect(quantitiesPlaced(sim)).toEqual([1]);
	});
});

// Only a failure whose order request may have reached 1NCE is remembered as sent; every other failure is left to
// n8n's Retry On Fail, which then places the order on the try that works (3 tries here).
describe('a failure before the order reached 1NCE is retried by Retry On Fail', () => {
	const guardOff = { ...createFromItems, options: { skipIfRecentlyPlaced: false } };

	test('a 500 on the token: no order sent, the next try logs in and places it once', async () => {
		const { sim, run } = harness();
		sim.injectFault({ kind: 500, path: '/oauth/token' });
		const result = await run(guardOff, { input: [{ q: 4 }], settings: retry });
		expect(result.nodeError('1NCE')).toBeUndefined();
		expect(sim.counts.token).toBe(2);
		expect(orderPosts(sim).map((r) => r.status)).toEqual([200]);
		expect(quantitiesPlaced(sim)).toEqual([4]);
	});

	test("a 429 on the duplicate check's read (default settings): no order sent, the next try checks again and places it once", async () => {
		const { sim, run, addCredential } = harness();
		// 1NCE asks for a wait longer than a request may wait, so the read fails; pacing off, so the next try goes out.
		sim.injectFault({ kind: 429, method: 'GET', path: '/v1/orders', retryAfter: 400 });
		const result = await run(createFromItems, { input: [{ q: 4 }], settings: retry, credentials: addCredential({ requestAllowance: 0 }) });
		expect(result.nodeError('1NCE')).toBeUndefined();
		expect(sim.requests.filter((r) => r.method === 'GET' && r.path === '/v1/orders').map((r) => r.status)).toEqual([429, 200]);
		expect(quantitiesPlaced(sim)).toEqual([4]);
		expect(result.json('1NCE')[0]).toMatchObject({ skipped: false });
	});

	test("the duplicate check's failure says no order was sent", async () => {
		const { sim, run, addCredential } = harness();
		sim.injectFault({ kind: 429, method: 'GET', path: '/v1/orders', retryAfter: 400 });
		const error = (await run(createFromItems, { input: [{ q: 4 }], credentials: addCredential({ requestAllowance: 0 }) })).nodeError('1NCE');
		expect(error.description).toMatch(/No order was sent: the duplicate check comes first\. Sending it again is safe/);
		expect(orderPosts(sim)).toHaveLength(0);
	});

	test('a refused connection on the order: nothing placed, the next try places it once', async () => {
		const { sim, run, engine, addCredential } = harness();
		// A port nobody listens on until just after the first try was refused; n8n waits a second before the next.
		const gate = net.createServer();
		await new Promise<void>((resolve) => gate.listen(0, '127.0.0.1', () => resolve()));
		const { port } = gate.address() as net.AddressInfo;
		await new Promise<void>((resolve) => gate.close(() => resolve()));
		let firstConnection = 0;
		const relay = net.createServer((client) => {
			firstConnection ||= Date.now();
			const upstream = net.connect(Number(new URL(sim.url).port), '127.0.0.1');
			client.pipe(upstream).pipe(client);
			upstream.on('error', () => client.destroy());
			client.on('error', () => upstream.destroy());
		});
		const getDecrypted = engine.credentialsHelper.getDecrypted.bind(engine.credentialsHelper);
		let firstTry = 0;
		engine.credentialsHelper.getDecrypted = async (...args: unknown[]) => {
			if (!firstTry) {
				firstTry = Date.now();
				setTimeout(() => relay.listen(port, '127.0.0.1'), 300);
			}
			return await getDecrypted(...args);
		};
		try {
			const credentials = addCredential({ baseUrl: `http://127.0.0.1:${port}`, accessToken: 'stale-token' });
			const result = await run(guardOff, { input: [{ q: 6 }], settings: { ...retry, waitBetweenTries: 1000 }, credentials });
			expect(result.nodeError('1NCE')).toBeUndefined();
			// Nothing got through before n8n's next try, a second later.
			expect(firstConnection - firstTry).toBeGreaterThanOrEqual(900);
			// The stale token is refused unprocessed (401) and replaced; then the one order.
			expect(orderPosts(sim).map((r) => r.status)).toEqual([401, 200]);
			expect(quantitiesPlaced(sim)).toEqual([6]);
		} finally {
			engine.credentialsHelper.getDecrypted = getDecrypted;
			await new Promise<void>((resolve) => relay.close(() => resolve()));
		}
	});
});

describe('every item is checked before any order is sent', () => {
	test('quantities 5 and 0 without retry: no order placed, item 1 named', async () => {
		const { sim, runError } = harness();
		const error = await runError(createFromItems, { input: [{ q: 5 }, { q: 0 }] });
		expect(sim.counts.total).toBe(0);
		expect(error.message).toMatch(/^Product 1: quantity/);
		expect(error.context.itemIndex).toBe(1);
	});

	test('a failure part-way names the orders already placed and what 1NCE answered for each', async () => {
		const { sim, run, proxy, addCredential } = harness();
		sim.seedOrders(2);
		sim.setCreateResponse('location201');
		let posts = 0;
		const url = await proxy(undefined, (request) =>
			request.method === 'POST' && request.path === '/v1/orders' && ++posts === 3 ? { status: 500, body: { message: 'boom' } } : undefined,
		);
		const result = await run(createFromItems, { input: [{ q: 1 }, { q: 2 }, { q: 3 }], credentials: addCredential({ baseUrl: url }) });
		const error = result.nodeError('1NCE');
		expect(error.message).toBe('1NCE service error (500): boom');
		expect(error.context.itemIndex).toBe(2);
		expect(error.description).toMatch(/may or may not have been placed/);
		expect(error.description).toContain(
			'Already placed in this run before the failure (2): item 0: 1NCE answered HTTP 201 (order number 2000000003); item 1: 1NCE answered HTTP 201 (order number 2000000004).',
		);
		expect(quantitiesPlaced(sim)).toEqual([1, 2]);
		expect(errorText(error)).not.toContain(sim.password);
	});
});

describe('a skipped item is not a placed order', () => {
	test('skipped, placed, then a failure: the message lists the placed order and, apart, the skipped item', async () => {
		const { sim, run, proxy, addCredential } = harness();
		sim.setCreateResponse('location201');
		const earlier = sim.addOrder({ order_date: new Date(Date.now() - 600_000).toISOString(), products: [{ product_id: 1001, quantity: 5 }] });
		let posts = 0;
		const url = await proxy(undefined, (request) =>
			request.method === 'POST' && request.path === '/v1/orders' && ++posts === 2 ? { status: 500, body: { message: 'boom' } } : undefined,
		);
		const result = await run(createFromItems, { input: [{ q: 5 }, { q: 6 }, { q: 7 }], credentials: addCredential({ baseUrl: url }) });
		const error = result.nodeError('1NCE');
		expect(error.context.itemIndex).toBe(2);
		expect(error.description).toContain(
			`Already placed in this run before the failure (1): item 1: 1NCE answered HTTP 201 (order number ${earlier.order_number + 1}).`,
		);
		expect(error.description).toContain(
			`Skipped, nothing ordered, because an equal order was placed recently (1): item 0: same as order number ${earlier.order_number}.`,
		);
		expect(error.description).not.toMatch(/HTTP undefined/);
		expect(quantitiesPlaced(sim)).toEqual([6]);
	});
});

describe('bugs are not blamed on the input', () => {
	const node = { id: 'n', name: '1NCE', type: 'n8n-nodes-1nce.oneNce', typeVersion: 1, position: [0, 0] as [number, number], parameters: {} };

	test.each([new TypeError("Cannot read properties of undefined (reading 'x')"), new RangeError('Invalid array length')])(
		'%s is an internal error, not bad input',
		(bug) => {
			const error = asNodeError(node, bug, 2);
			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toBe(`Internal error in the 1NCE node: ${bug.message}`);
			expect(error.description).toMatch(/not in your input/);
			expect(error.context.itemIndex).toBe(2);
		},
	);

	test('an input check keeps its message', () => {
		const error = asNodeError(node, new Error('Add at least one product to order'), 0);
		expect(error.message).toBe('Add at least one product to order');
		expect(error.description ?? '').not.toMatch(/internal/i);
	});
});
