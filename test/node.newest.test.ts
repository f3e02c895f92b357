// Order Get Many, Newest First and Filters: the newest N orders cost ⌈N/10⌉ + 1 requests whatever the
// account's size, read from the last page backwards; filters are applied by the node and a Limit counts matches.
import { listedPages, useHarness } from './support/fixtures';

const harness = useHarness();

async function getMany(parameters: Record<string, unknown>) {
	const result = await harness().run({ operation: 'getAll', ...parameters });
	expect(result.nodeError('1NCE')).toBeUndefined();
	return result.json('1NCE');
}

const numbers = (orders: Array<{ order_number: number }>) => orders.map((order) => order.order_number);
const newest = (count: number) => numbers([...harness().sim.orders].reverse().slice(0, count));

describe('Newest First with a Limit', () => {
	test('the newest 20 of 10,000 orders cost 3 requests: page 1, then pages 1000 and 999', async () => {
		const { sim } = harness();
		sim.seedOrders(10_000);
		const orders = await getMany({ newestFirst: true, limit: 20 });
		expect(numbers(orders)).toEqual(newest(20));
		expect(orders[0].order_number).toBe(2000010000);
		expect(sim.counts).toMatchObject({ token: 1, list: 3 });
		expect(listedPages(sim)).toEqual([1, 1000, 999]);
	});

	test.each([
		// orders, limit, requests
		[1_000, 20, 3],
		[1_000, 1, 2],
		[1_000, 10, 2],
		[1_000, 11, 3],
		[1_005, 20, 4], // the last page holds 5: one page more
		[7, 5, 1],
		[15, 20, 2],
		[0, 20, 1],
	])('%i orders, limit %i: %i requests, newest first', async (count, limit, requests) => {
		const { sim } = harness();
		sim.seedOrders(count);
		const orders = await getMany({ newestFirst: true, limit });
		expect(numbers(orders)).toEqual(newest(Math.min(limit, count)));
		expect(sim.counts.list).toBe(requests);
		expect(new Set(listedPages(sim)).size).toBe(requests);
	});

	test('Return All reads each page once and returns every order, newest first', async () => {
		const { sim } = harness();
		sim.seedOrders(95);
		const orders = await getMany({ newestFirst: true, returnAll: true });
		expect(numbers(orders)).toEqual(newest(95));
		expect(listedPages(sim)).toEqual([1, 10, 9, 8, 7, 6, 5, 4, 3, 2]);
	});

	test('without a page count from 1NCE the list is read forwards, and still returned newest first', async () => {
		const { sim, run, proxy, addCredential } = harness();
		sim.seedOrders(35);
		const url = await proxy((request, upstream) =>
			request.path === '/v1/orders' ? { status: upstream.status, body: upstream.body.toString('utf8') } : undefined,
		);
		const result = await run({ operation: 'getAll', newestFirst: true, limit: 5 }, { credentials: addCredential({ baseUrl: url }) });
		expect(numbers(result.json('1NCE'))).toEqual(newest(5));
		expect(listedPages(sim)).toEqual([1, 2, 3, 4]);
	});
});

describe('filters', () => {
	test('status (any text, any case, several) and order type; a Limit counts matching orders', async () => {
		const { sim } = harness();
		sim.seedOrders(200);
		const wanted = sim.orders.filter((o) => ['PENDING', 'SHIPPED'].includes(o.order_status) && o.order_type === 'ADDITIONAL_ORDER');
		expect(wanted.length).toBeGreaterThan(2);
		const orders = await getMany({
			newestFirst: true,
			limit: 2,
			filters: { status: ' pending,Shipped ', orderType: ['ADDITIONAL_ORDER'] },
		});
		expect(numbers(orders)).toEqual(numbers([...wanted].reverse().slice(0, 2)));
	});

	test('a status nobody documented is an ordinary value', async () => {
		const { sim } = harness();
		sim.seedOrders(30);
		sim.setOrderStatus(2000000004, 'ON_HOLD_CUSTOMS');
		const orders = await getMany({ returnAll: true, filters: { status: 'on_hold_customs' } });
		expect(numbers(orders)).toEqual([2000000004]);
		expect(sim.counts.list).toBe(3);
	});

	test('placed since, newest first: reading stops at the first page older than it', async () => {
		const { sim } = harness();
		sim.seedOrders(1_000);
		const since = sim.orders[955].order_date; // on page 96
		const orders = await getMany({ newestFirst: true, returnAll: true, filters: { placedSince: since } });
		expect(numbers(orders)).toEqual(newest(1_000 - 955));
		expect(listedPages(sim)).toEqual([1, 100, 99, 98, 97, 96]);
	});

	test('placed since, oldest first with a Limit: pages read until the Limit is met', async () => {
		const { sim } = harness();
		sim.seedOrders(100);
		const since = sim.orders[40].order_date;
		const orders = await getMany({ limit: 15, filters: { placedSince: since } });
		expect(numbers(orders)).toEqual(numbers(sim.orders.slice(40, 55)));
		expect(listedPages(sim)).toEqual([1, 2, 3, 4, 5, 6]);
	});

	test('a Placed Since that is not a date is refused before any request', async () => {
		const { sim, runError } = harness();
		const error = await runError({ operation: 'getAll', filters: { placedSince: 'last tuesday' } });
		expect(error.message).toMatch(/Placed Since must be a date/);
		expect(sim.counts.total).toBe(0);
	});
});
