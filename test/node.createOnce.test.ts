// Create under n8n's own node settings, run by n8n's engine (WorkflowExecute implements Retry On Fail: it
// calls execute() again with the same items after an error, and after an output whose first item is an
// error item): at most one POST per input item per execution, every item checked before any order is sent.
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

	test('429 on the order: refused unprocessed, and the retry does not send it again', async () => {
		const { sim, run } = harness();
		sim.injectFault({ kind: 429, method: 'POST', path: '/v1/orders', retryAfter: 0 });
		const result = await run(createFromItems, { input: [{ q: 2 }], settings: retry });
		expect(orderPosts(sim)).toHaveLength(1);
		expect(sim.created).toHaveLength(0);
		const error = result.nodeError('1NCE');
		expect(error.message).toBe('1NCE refused the order request: rate limit reached (429)');
		expect(error.description).toMatch(/Nothing was placed/);
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

	test('each execution is its own: the same workflow run twice places two orders', async () => {
		const { sim, run } = harness();
		await run(createFromItems, { input: [{ q: 1 }], settings: retry });
		await run(createFromItems, { input: [{ q: 1 }], settings: retry });
		expect(quantitiesPlaced(sim)).toEqual([1, 1]);
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
