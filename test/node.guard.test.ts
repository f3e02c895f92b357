// Create's "skip if the same order was placed recently": at most 2 list requests, skips a repeat (outputting
// the matching order with skipped: true), never blocks a different order.
import { bestLastPage } from '../nodes/OneNce/actions/order/recentDuplicate';
import { listedPages, useHarness } from './support/fixtures';

const harness = useHarness();

const order = (rows: Array<[number, number]>, hours?: number) => ({
	operation: 'create',
	products: { product: rows.map(([productId, quantity]) => ({ productId, quantity })) },
	options: { skipIfRecentlyPlaced: true, ...(hours ? { recentHours: hours } : {}) },
});

const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();

describe('the guard skips a repeat', () => {
	test('the same products and quantities again: no order, the earlier one is output with skipped: true', async () => {
		const { sim, run } = harness();
		sim.seedOrders(45);
		sim.setCreateResponse('location201');
		const first = await run(order([[1001, 10]]));
		expect(first.json('1NCE')[0]).toMatchObject({ status_code: 201, skipped: false, order_number: 2000000046 });
		sim.resetCounts();
		const again = await run(order([[1001, 10]]));
		expect(again.nodeError('1NCE')).toBeUndefined();
		const [out] = again.json('1NCE');
		expect(out).toMatchObject({ order_number: 2000000046, skipped: true, products: [{ product_id: 1001, quantity: 10 }] });
		expect(out.duplicate_check).toEqual({ orders_checked: expect.any(Number), complete: true, within_hours: 24 });
		expect(again.items('1NCE')[0].pairedItem).toEqual({ item: 0 });
		expect(sim.created).toHaveLength(1);
		expect(sim.counts).toMatchObject({ list: 2, create: 0 });
	});

	test('rows in another order, or one product split over two rows, are the same order', async () => {
		const { sim, run } = harness();
		sim.addOrder({ order_date: hoursAgo(1), products: [{ product_id: 1001, quantity: 10 }, { product_id: 2001, quantity: 2 }] });
		const result = await run(order([[2001, 2], [1001, 4], [1001, 6]]));
		expect(result.json('1NCE')[0].skipped).toBe(true);
		expect(sim.created).toEqual([]);
	});

	test('10,000 orders: at most 2 list requests find a repeat among the newest', async () => {
		const { sim, run } = harness();
		sim.seedOrders(10_000);
		const repeat = sim.addOrder({ order_date: hoursAgo(2), products: [{ product_id: 1002, quantity: 25 }] });
		sim.addOrder({ order_date: hoursAgo(1), products: [{ product_id: 1001, quantity: 1 }] });
		const result = await run(order([[1002, 25]]));
		expect(result.json('1NCE')[0]).toMatchObject({ order_number: repeat.order_number, skipped: true });
		expect(sim.counts.list).toBeLessThanOrEqual(2);
		expect(sim.created).toEqual([]);
	});

	test('one input item per order: the second of two equal items is skipped', async () => {
		const { sim, run } = harness();
		const result = await run(
			{ ...order([[1001, 1]]), products: { product: [{ productId: 1001, quantity: '={{ $json.q }}' }] } },
			{ input: [{ q: 5 }, { q: 5 }, { q: 6 }] },
		);
		expect(result.json('1NCE').map((item) => item.skipped)).toEqual([false, true, false]);
		expect(sim.created.map((body) => body.products[0].quantity)).toEqual([5, 6]);
	});
});

describe('the guard never blocks a different order', () => {
	test.each([
		['another quantity', [[1001, 11]]],
		['another product', [[1002, 10]]],
		['one product more', [[1001, 10], [2001, 1]]],
	] as Array<[string, Array<[number, number]>]>)('%s is ordered', async (_name, rows) => {
		const { sim, run } = harness();
		sim.seedOrders(45);
		sim.addOrder({ order_date: hoursAgo(1), products: [{ product_id: 1001, quantity: 10 }] });
		const result = await run(order(rows));
		expect(result.json('1NCE')[0].skipped).toBe(false);
		expect(sim.created).toHaveLength(1);
		expect(sim.counts.list).toBeLessThanOrEqual(2);
	});

	test('an equal order older than the window is ordered again', async () => {
		const { sim, run } = harness();
		sim.addOrder({ order_date: hoursAgo(30), products: [{ product_id: 1001, quantity: 10 }] });
		expect((await run(order([[1001, 10]]))).json('1NCE')[0].skipped).toBe(false);
		sim.addOrder({ order_date: hoursAgo(30), products: [{ product_id: 1001, quantity: 10 }] });
		expect((await run(order([[1001, 10]], 48))).json('1NCE')[0].skipped).toBe(true);
		expect(sim.created).toHaveLength(1);
	});

	test('without the option nothing is listed', async () => {
		const { sim, run } = harness();
		sim.addOrder({ order_date: hoursAgo(1), products: [{ product_id: 1001, quantity: 10 }] });
		const result = await run({ operation: 'create', products: { product: [{ productId: 1001, quantity: 10 }] } });
		expect(result.json('1NCE')[0]).not.toHaveProperty('skipped');
		expect(sim.counts).toMatchObject({ list: 0, create: 1 });
	});
});

describe('what the two requests can see', () => {
	test('the second page size is the one whose last page holds the most of the newest orders', () => {
		expect(bestLastPage(10_000)).toEqual({ pageSize: 10, page: 1000, newest: 10 });
		expect(bestLastPage(10_001)).toEqual({ pageSize: 7, page: 1429, newest: 5 });
		expect(bestLastPage(2_521)).toEqual({ pageSize: 10, page: 253, newest: 1 });
	});

	test('10,001 orders: page 1, then the newest 5 on page 1429 of 7', async () => {
		const { sim, run } = harness();
		sim.seedOrders(10_000);
		sim.addOrder({ order_date: hoursAgo(1), products: [{ product_id: 1001, quantity: 3 }] });
		const result = await run(order([[1001, 3]]));
		expect(result.json('1NCE')[0].skipped).toBe(true);
		expect(listedPages(sim)).toEqual([1, 1429]);
		expect(sim.requests.filter((r) => r.path === '/v1/orders').map((r) => r.query.pageSize)).toEqual(['10', '7']);
	});

	test('when the newest page does not reach back past the window, the output says the check was not complete', async () => {
		const { sim, run } = harness();
		sim.seedOrders(40);
		for (let i = 0; i < 10; i++) sim.addOrder({ order_date: hoursAgo(1), products: [{ product_id: 2001, quantity: 1 }] });
		const result = await run(order([[1001, 10]]));
		expect(result.json('1NCE')[0]).toMatchObject({ skipped: false, duplicate_check: { complete: false, orders_checked: 20 } });
	});

	test('a Within Hours that is not positive is refused before any request', async () => {
		const { sim, runError } = harness();
		const error = await runError(order([[1001, 1]], -3));
		expect(error.message).toMatch(/Within Hours must be a positive number/);
		expect(sim.counts.total).toBe(0);
	});
});
