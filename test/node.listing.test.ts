// Return All always ends, whatever the server's pages and headers say, and never returns an order twice.
import { listedPages, useHarness } from './support/fixtures';

const harness = useHarness();

const listAll = { operation: 'getAll', returnAll: true };

describe('listing always ends', () => {
	test('no page headers, and every page past the end repeats the last full page: stops at the first repeat', async () => {
		const { sim, run, proxy, addCredential } = harness();
		sim.seedOrders(30);
		const asked: number[] = [];
		// The proxy answers every page itself, without page headers: pages 1-3, then page 3 again and again.
		const pagesUrl = await proxy(undefined, (request) => {
			if (request.path !== '/v1/orders') return undefined;
			const page = Number(request.query.get('page'));
			asked.push(page);
			const start = Math.min(page - 1, 2) * 10;
			return { status: 200, body: sim.orders.slice(start, start + 10) };
		});
		const result = await run(listAll, { credentials: addCredential({ baseUrl: pagesUrl }) });
		expect(result.nodeError('1NCE')).toBeUndefined();
		expect(result.json('1NCE').map((order) => order.order_number)).toEqual(sim.orders.map((o) => o.order_number));
		expect(asked).toEqual([1, 2, 3, 4]);
	});

	test('more pages than X-Total-Count allows: only the pages the count needs are read', async () => {
		const { sim, run, proxy, addCredential } = harness();
		sim.seedOrders(50);
		const url = await proxy((request, upstream) => {
			if (request.path !== '/v1/orders' || upstream.status !== 200) return undefined;
			return { status: 200, headers: { 'X-Total-Pages': '1000000', 'X-Total-Count': '25' }, body: upstream.body.toString('utf8') };
		});
		const result = await run(listAll, { credentials: addCredential({ baseUrl: url }) });
		expect(result.nodeError('1NCE')).toBeUndefined();
		expect(result.json('1NCE')).toHaveLength(30);
		expect(listedPages(sim).sort((a, b) => a - b)).toEqual([1, 2, 3]);
	});

	test('a page count past the hard cap fails at once with a clear error', async () => {
		const { sim, runError, proxy, addCredential } = harness();
		sim.seedOrders(20);
		const url = await proxy((request, upstream) => {
			if (request.path !== '/v1/orders' || upstream.status !== 200) return undefined;
			return { status: 200, headers: { 'X-Total-Pages': '1000000' }, body: upstream.body.toString('utf8') };
		});
		const error = await runError(listAll, { credentials: addCredential({ baseUrl: url }) });
		expect(error.message).toBe('1NCE kept sending pages: the listing stopped at 10000 pages (100000 orders) without reaching the end');
		expect(sim.counts.list).toBe(1);
	});
});

describe('no order twice', () => {
	test('an order that moved to a later page between two page reads is returned once', async () => {
		const { sim, run, proxy, addCredential } = harness();
		sim.seedOrders(25);
		// Page 2 shows the last order of page 1 again, as a sort by status does when its status changed.
		const url = await proxy((request, upstream) => {
			if (request.path !== '/v1/orders' || request.query.get('page') !== '2' || upstream.status !== 200) return undefined;
			const orders = JSON.parse(upstream.body.toString('utf8'));
			return {
				status: 200,
				headers: { 'X-Total-Pages': String(upstream.headers['x-total-pages']) },
				body: [sim.orders[9], ...orders.slice(1)],
			};
		});
		const result = await run({ ...listAll, sort: ['order_status'] }, { credentials: addCredential({ baseUrl: url }) });
		const numbers = result.json('1NCE').map((order) => order.order_number);
		expect(new Set(numbers).size).toBe(numbers.length);
		expect(numbers).toHaveLength(24);
		expect(sim.counts.list).toBe(3);
	});
});
