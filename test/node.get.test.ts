// Get, run in n8n's engine against the simulator.
import { errorText, useHarness } from './support/fixtures';

const harness = useHarness();

test('returns the order as 1NCE sends it, with one token and one get request', async () => {
	const { sim, run } = harness();
	sim.seedOrders(5);
	const result = await run({ operation: 'get', orderNumber: '2000000003' });
	expect(result.nodeError('1NCE')).toBeUndefined();
	expect(result.json('1NCE')).toEqual([sim.orders[2]]);
	expect(result.items('1NCE')[0].pairedItem).toEqual({ item: 0 });
	expect(sim.counts).toMatchObject({ token: 1, get: 1, list: 0, total: 2 });
	expect(sim.requests[1]).toMatchObject({ method: 'GET', path: '/v1/orders/2000000003' });
});

test('accepts a number and surrounding spaces', async () => {
	const { sim, run } = harness();
	sim.seedOrders(2);
	const asNumber = await run({ operation: 'get', orderNumber: 2000000002 });
	expect(asNumber.json('1NCE')[0].order_number).toBe(2000000002);
	const padded = await run({ operation: 'get', orderNumber: ' 2000000001 ' });
	expect(padded.json('1NCE')[0].order_number).toBe(2000000001);
});

test('takes the order number from each input item through an expression', async () => {
	const { sim, run } = harness();
	sim.seedOrders(4);
	const result = await run(
		{ operation: 'get', orderNumber: '={{ $json.n }}' },
		{ input: [{ n: 2000000004 }, { n: 2000000001 }] },
	);
	expect(result.items('1NCE').map((item) => [item.json.order_number, item.pairedItem])).toEqual([
		[2000000004, { item: 0 }],
		[2000000001, { item: 1 }],
	]);
	expect(sim.counts).toMatchObject({ token: 1, get: 2 });
});

test('an unknown order is a readable 404: "Order N was not found"', async () => {
	const { sim, runError, secrets } = harness();
	sim.seedOrders(1);
	const error = await runError({ operation: 'get', orderNumber: '2000000099' });
	expect(error.message).toBe('Order 2000000099 was not found');
	expect(error.name).toBe('NodeApiError');
	expect(error.httpCode).toBe('404');
	expect(sim.counts.get).toBe(1);
	for (const secret of secrets()) expect(errorText(error)).not.toContain(secret);
});

test('a malformed answer is retried, then the order is returned', async () => {
	const { sim, run } = harness();
	sim.seedOrders(1);
	sim.injectFault({ kind: 'malformed', path: '/v1/orders/{n}' });
	const result = await run({ operation: 'get', orderNumber: '2000000001' });
	expect(result.json('1NCE')).toEqual([sim.orders[0]]);
	expect(sim.counts.get).toBe(2);
});
