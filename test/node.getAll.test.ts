// Get Many, run in n8n's engine against the simulator: request counts, limits, sorting, paging.
import type { SimOrder } from '../dev/simulator';
import { listedPages, useHarness } from './support/fixtures';

const harness = useHarness();

async function getMany(parameters: Record<string, unknown>) {
	const result = await harness().run({ operation: 'getAll', ...parameters });
	expect(result.nodeError('1NCE')).toBeUndefined();
	return result;
}

/** The order the API promises: by each key in turn, ties by order number. */
function sortedNumbers(orders: SimOrder[], keys: string[]): number[] {
	const value = (order: SimOrder, key: string) =>
		key === 'order_date' ? Date.parse(order.order_date) : key === 'order_number' ? order.order_number : String(order[key]);
	return [...orders]
		.sort((a, b) => {
			for (const key of keys) {
				const x = value(a, key);
				const y = value(b, key);
				if (x !== y) return x < y ? -1 : 1;
			}
			return a.order_number - b.order_number;
		})
		.map((order) => order.order_number);
}

function withNumber(keys: string[]): string {
	return (keys.includes('order_number') ? keys : [...keys, 'order_number']).join();
}

function expectUniquePages(pages: number[]) {
	expect(new Set(pages).size).toBe(pages.length);
}

describe('Get Many with Return All', () => {
	test.each([
		[0, 1],
		[1, 1],
		[10, 1],
		[11, 2],
		[20, 2],
		[25, 3],
	])('%i orders: all returned with %i list request(s), no page past the last', async (count, requests) => {
		const { sim } = harness();
		sim.seedOrders(count);
		const result = await getMany({ returnAll: true });
		expect(result.json('1NCE').map((order) => order.order_number)).toEqual(sim.orders.map((o) => o.order_number));
		expect(sim.counts.list).toBe(requests);
		expect(sim.counts.token).toBe(1);
		expect(listedPages(sim).sort((a, b) => a - b)).toEqual(Array.from({ length: requests }, (_, i) => i + 1));
		for (const request of sim.requests.filter((r) => r.path === '/v1/orders')) expect(request.query.pageSize).toBe('10');
	});

	test('1,000 orders: exactly 100 list requests and 1 token request, each page once, items in order', async () => {
		const { sim } = harness();
		sim.seedOrders(1000);
		const result = await getMany({ returnAll: true });
		const numbers = result.json('1NCE').map((order) => order.order_number);
		expect(numbers).toEqual(sim.orders.map((o) => o.order_number));
		expect(sim.counts).toMatchObject({ token: 1, list: 100, get: 0, create: 0, total: 101 });
		const pages = listedPages(sim);
		expectUniquePages(pages);
		expect([...pages].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
	});

	test('every output item is paired with the input item', async () => {
		const { sim } = harness();
		sim.seedOrders(12);
		const result = await getMany({ returnAll: true });
		const items = result.items('1NCE');
		expect(items).toHaveLength(12);
		for (const item of items) expect(item.pairedItem).toEqual({ item: 0 });
	});
});

describe('Get Many with a Limit', () => {
	test.each([
		[5, 30, 1, 5],
		[10, 30, 1, 10],
		[11, 30, 2, 11],
		[25, 1000, 3, 25],
		[50, 1000, 5, 50],
		[50, 7, 1, 7],
		[15, 10, 1, 10],
	])('limit %i with %i orders: %i list request(s), %i items', async (limit, count, requests, items) => {
		const { sim } = harness();
		sim.seedOrders(count);
		const result = await getMany({ returnAll: false, limit });
		expect(result.json('1NCE').map((order) => order.order_number)).toEqual(
			sim.orders.slice(0, items).map((o) => o.order_number),
		);
		expect(sim.counts.list).toBe(requests);
		expectUniquePages(listedPages(sim));
	});

	test('the default limit is 50', async () => {
		const { sim } = harness();
		sim.seedOrders(80);
		const result = await harness().run({ operation: 'getAll' });
		expect(result.json('1NCE')).toHaveLength(50);
		expect(sim.counts.list).toBe(5);
	});
});

describe('Get Many sorting', () => {
	test.each([
		[[], undefined],
		[['order_number'], 'order_number'],
		[['order_status'], 'order_status'],
		[['order_date'], 'order_date'],
		[['order_status', 'order_date'], 'order_status,order_date'],
		[['order_date', 'order_status'], 'order_date,order_status'],
		[['order_status', 'order_number'], 'order_status,order_number'],
	])('sort %j is sent as %s and the output follows it across pages', async (keys, query) => {
		const { sim } = harness();
		sim.seedOrders(35);
		// Equal statuses and equal dates whose order disagrees with the order numbers, so that every
		// key and every key order gives a different sequence.
		const later = (days: number) => new Date(Date.parse(sim.orders[34].order_date) + days * 86_400_000).toISOString();
		sim.orders[5].order_date = later(1);
		sim.orders[2].order_date = later(2);
		sim.orders[8].order_date = sim.orders[29].order_date;
		sim.setOrderStatus(sim.orders[2].order_number, 'AAA_FIRST');
		sim.setOrderStatus(sim.orders[29].order_number, 'AAA_FIRST');
		sim.setOrderStatus(sim.orders[8].order_number, 'ZZZ_LAST');
		const effective = keys.length ? keys : ['order_number'];
		const expected = sortedNumbers(sim.orders, effective);
		const others = [['order_number'], ['order_status'], ['order_date'], ['order_status', 'order_date'], ['order_date', 'order_status'], ['order_status', 'order_number']]
			// Ties fall back to the order number, so ['order_status'] and ['order_status', 'order_number'] agree.
			.filter((other) => withNumber(other) !== withNumber(effective))
			.map((other) => sortedNumbers(sim.orders, other));
		for (const other of others) expect(other).not.toEqual(expected);

		const result = await getMany({ returnAll: true, sort: keys });
		expect(result.json('1NCE').map((order) => order.order_number)).toEqual(expected);
		for (const request of sim.requests.filter((r) => r.path === '/v1/orders')) expect(request.query.sort).toBe(query);
		expect(sim.counts.list).toBe(4);
	});

	test('a key chosen twice is sent once', async () => {
		const { sim } = harness();
		sim.seedOrders(3);
		await getMany({ returnAll: true, sort: ['order_date', 'order_date', 'order_status'] });
		expect(sim.requests.find((r) => r.path === '/v1/orders')?.query.sort).toBe('order_date,order_status');
	});

	test('sort with a limit takes the first orders of the sorted list', async () => {
		const { sim } = harness();
		sim.seedOrders(40);
		const result = await getMany({ returnAll: false, limit: 13, sort: ['order_status'] });
		expect(result.json('1NCE').map((order) => order.order_number)).toEqual(
			sortedNumbers(sim.orders, ['order_status']).slice(0, 13),
		);
		expect(sim.counts.list).toBe(2);
	});
});

describe('Get Many without page headers', () => {
	// A proxy strips X-Total-Pages and friends: the node must then stop at the first short page.
	const stripPageHeaders = async () => {
		const { proxy, addCredential } = harness();
		const url = await proxy((request, upstream) => {
			if (request.path !== '/v1/orders' || upstream.status !== 200) return undefined;
			return { status: 200, body: upstream.body.toString('utf8') };
		});
		return addCredential({ baseUrl: url });
	};

	test.each([
		[25, 3],
		[9, 1],
		[20, 3],
		[0, 1],
	])('%i orders: %i list request(s), pages read one by one until a short page', async (count, requests) => {
		const { sim, run } = harness();
		sim.seedOrders(count);
		const credentials = await stripPageHeaders();
		const result = await run({ operation: 'getAll', returnAll: true }, { credentials });
		expect(result.nodeError('1NCE')).toBeUndefined();
		expect(result.json('1NCE')).toHaveLength(count);
		expect(listedPages(sim)).toEqual(Array.from({ length: requests }, (_, i) => i + 1));
	});

	test('a limit still stops early', async () => {
		const { sim, run } = harness();
		sim.seedOrders(100);
		const credentials = await stripPageHeaders();
		const result = await run({ operation: 'getAll', returnAll: false, limit: 21 }, { credentials });
		expect(result.json('1NCE')).toHaveLength(21);
		expect(listedPages(sim)).toEqual([1, 2, 3]);
	});
});
