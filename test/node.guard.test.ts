// Create's duplicate guard, on by default: it reads every order of its window (newest first, at most 11 list
// requests), skips a repeat of the same products, quantities and address (outputting the earlier order with
// skipped: true), refuses when it cannot see the whole window, and never skips an item because of another item of
// the same run.
import { resetProcessState } from '../nodes/OneNce/transport/processState';
import { GUARD_MAX_PAGES } from '../nodes/OneNce/actions/order/recentDuplicate';
import { listedPages, orderPosts, useHarness } from './support/fixtures';

const harness = useHarness();

const rows = (list: Array<[number, number]>) => ({ product: list.map(([productId, quantity]) => ({ productId, quantity })) });

/** Create with the node's default settings (no Options). */
const order = (list: Array<[number, number]>, extra: Record<string, unknown> = {}) => ({ operation: 'create', products: rows(list), ...extra });

const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();
const minutesAgo = (minutes: number) => hoursAgo(minutes / 60);

const address = (street: string) => ({ address: { street, house_number: '1', zip: '80331', city: 'Munich', country: 'DE' } });

describe('on by default: a repeat within the hour is skipped', () => {
	test('the same products and quantities again, no Options set: no order, the earlier one is output with skipped: true', async () => {
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
		expect(out.duplicate_check).toEqual({ orders_checked: 1, complete: true, within_hours: 1 });
		expect(again.items('1NCE')[0].pairedItem).toEqual({ item: 0 });
		expect(sim.created).toHaveLength(1);
		// Page 1 (it tells the page count), then the newest page, which reaches back past the hour.
		expect(sim.counts).toMatchObject({ list: 2, create: 0 });
	});

	test('rows in another order, or one product split over two rows, are the same order', async () => {
		const { sim, run } = harness();
		sim.addOrder({ order_date: minutesAgo(30), products: [{ product_id: 1001, quantity: 10 }, { product_id: 2001, quantity: 2 }] });
		const result = await run(order([[2001, 2], [1001, 4], [1001, 6]]));
		expect(result.json('1NCE')[0].skipped).toBe(true);
		expect(sim.created).toEqual([]);
	});

	test('turned off: nothing is listed and the same order is placed again', async () => {
		const { sim, run } = harness();
		sim.addOrder({ order_date: minutesAgo(5), products: [{ product_id: 1001, quantity: 10 }] });
		const result = await run(order([[1001, 10]], { options: { skipIfRecentlyPlaced: false } }));
		expect(result.json('1NCE')[0]).not.toHaveProperty('skipped');
		expect(sim.counts).toMatchObject({ list: 0, create: 1 });
	});

	test('an equal order older than the window is ordered again; a longer window finds it', async () => {
		const { sim, run } = harness();
		sim.addOrder({ order_date: hoursAgo(2), products: [{ product_id: 1001, quantity: 10 }] });
		expect((await run(order([[1001, 10]]))).json('1NCE')[0].skipped).toBe(false);
		sim.addOrder({ order_date: hoursAgo(30), products: [{ product_id: 1002, quantity: 10 }] });
		expect((await run(order([[1002, 10]], { options: { recentHours: 48 } }))).json('1NCE')[0].skipped).toBe(true);
		expect(sim.created).toHaveLength(1);
	});

	test('a Within Hours that is not positive is refused before any request', async () => {
		const { sim, runError } = harness();
		const error = await runError(order([[1001, 1]], { options: { recentHours: -3 } }));
		expect(error.message).toMatch(/Within Hours must be a positive number/);
		expect(sim.counts.total).toBe(0);
	});
});

describe('the delivery address is part of the order', () => {
	test('the same basket to another address is another order; to the same address it is a repeat', async () => {
		const { sim, run } = harness();
		sim.addOrder({ order_date: minutesAgo(10), products: [{ product_id: 1001, quantity: 3 }], shipping_address: address('Elm Street').address });
		const other = await run(order([[1001, 3]], { deliveryAddress: address('Oak Street') }));
		expect(other.json('1NCE')[0].skipped).toBe(false);
		const same = await run(order([[1001, 3]], { deliveryAddress: { address: { ...address('ELM STREET ').address, city: 'munich' } } }));
		expect(same.json('1NCE')[0]).toMatchObject({ skipped: true });
		expect(sim.created.map((body) => body.delivery_address.street)).toEqual(['Oak Street']);
	});

	test('two items of one run that differ only in address are both placed', async () => {
		const { sim, run } = harness();
		const result = await run(
			order([[1001, 3]], { deliveryAddress: { address: { ...address('x').address, street: '={{ $json.street }}' } } }),
			{ input: [{ street: 'Elm Street' }, { street: 'Oak Street' }] },
		);
		expect(result.json('1NCE').map((item) => item.skipped)).toEqual([false, false]);
		expect(sim.created.map((body) => body.delivery_address.street)).toEqual(['Elm Street', 'Oak Street']);
	});
});

describe('items of one run never skip each other', () => {
	const fromItems = order([[1001, 1]], { products: { product: [{ productId: 1001, quantity: '={{ $json.q }}' }] } });

	test('equal items of one execution are each placed; the window is read once for all of them', async () => {
		const { sim, run } = harness();
		sim.seedOrders(30);
		const result = await run(fromItems, { input: [{ q: 5 }, { q: 5 }, { q: 6 }, { q: 5 }] });
		expect(result.json('1NCE').map((item) => item.skipped)).toEqual([false, false, false, false]);
		expect(sim.created.map((body) => body.products[0].quantity)).toEqual([5, 5, 6, 5]);
		expect(sim.counts.list).toBe(2);
	});

	test('an equal order from before the run is matched by one item only; the next equal item is placed', async () => {
		const { sim, run } = harness();
		const earlier = sim.addOrder({ order_date: minutesAgo(20), products: [{ product_id: 1001, quantity: 5 }] });
		const result = await run(fromItems, { input: [{ q: 5 }, { q: 5 }] });
		expect(result.json('1NCE').map((item) => [item.skipped, item.order_number])).toEqual([
			[true, earlier.order_number],
			[false, null],
		]);
		expect(sim.created).toHaveLength(1);
	});

	test('n8n re-running the whole execution elsewhere (a crashed queue-mode worker): every equal item finds its own order', async () => {
		const { sim, run } = harness();
		sim.setCreateResponse('location201');
		await run(fromItems, { input: [{ q: 5 }, { q: 5 }, { q: 7 }] });
		// Another process has none of this one's memory of the run.
		resetProcessState();
		const rerun = await run(fromItems, { input: [{ q: 5 }, { q: 5 }, { q: 7 }] });
		expect(rerun.json('1NCE').map((item) => item.skipped)).toEqual([true, true, true]);
		expect(new Set(rerun.json('1NCE').map((item) => item.order_number)).size).toBe(3);
		expect(sim.created).toHaveLength(3);
	});

	test('Retry On Fail after a later item failed: the earlier item keeps its order, the failed one is placed, not skipped', async () => {
		const { sim, run, proxy, addCredential } = harness();
		let posts = 0;
		const url = await proxy(undefined, (request) =>
			request.method === 'POST' && request.path === '/v1/orders' && ++posts === 2 ? { status: 429, headers: { 'retry-after': '0' }, body: { message: 'Too Many Requests' } } : undefined,
		);
		const result = await run(fromItems, {
			input: [{ q: 5 }, { q: 5 }],
			settings: { retryOnFail: true, maxTries: 3, waitBetweenTries: 1 },
			credentials: addCredential({ baseUrl: url }),
		});
		expect(result.nodeError('1NCE')).toBeUndefined();
		expect(result.json('1NCE').map((item) => item.skipped)).toEqual([false, false]);
		expect(sim.created.map((body) => body.products[0].quantity)).toEqual([5, 5]);
		expect(posts).toBe(3);
	});
});

describe('the whole window, or a refusal', () => {
	test.each([100, 2_521, 10_000])('%i orders: an equal order 25 back within the window is found', async (count) => {
		const { sim, run } = harness();
		sim.seedOrders(count);
		const repeat = sim.addOrder({ order_date: minutesAgo(50), products: [{ product_id: 1002, quantity: 25 }] });
		for (let i = 0; i < 24; i++) sim.addOrder({ order_date: minutesAgo(45 - i), products: [{ product_id: 1001, quantity: 1 + i }] });
		const result = await run(order([[1002, 25]]));
		expect(result.json('1NCE')[0]).toMatchObject({ order_number: repeat.order_number, skipped: true });
		expect(sim.created).toEqual([]);
		// Page 1, then back from the newest page to the first one holding an order older than the hour.
		const pages = listedPages(sim);
		expect(pages[0]).toBe(1);
		expect(pages.length).toBeLessThanOrEqual(1 + Math.ceil(25 / 10) + 1);
	});

	test('more orders within the window than the check can read: refused, nothing ordered', async () => {
		const { sim, run } = harness();
		sim.seedOrders(40);
		for (let i = 0; i < 120; i++) sim.addOrder({ order_date: minutesAgo(50 - i * 0.1), products: [{ product_id: 2001, quantity: 1 }] });
		const result = await run(order([[1001, 10]]));
		const error = result.nodeError('1NCE');
		expect(error.message).toMatch(/^Nothing was ordered: the duplicate check could not see every order placed within the last 1 h/);
		expect(orderPosts(sim)).toHaveLength(0);
		expect(sim.counts.list).toBe(GUARD_MAX_PAGES);
	});

	test('orders placed hours before the window cost no page more: 2 requests', async () => {
		const { sim, run } = harness();
		sim.seedOrders(40);
		for (let i = 0; i < 120; i++) sim.addOrder({ order_date: hoursAgo(5 - i * 0.01), products: [{ product_id: 2001, quantity: 1 }] });
		const result = await run(order([[1001, 10]]));
		expect(result.json('1NCE')[0]).toMatchObject({ skipped: false });
		expect(sim.counts.list).toBe(2);
	});
});
