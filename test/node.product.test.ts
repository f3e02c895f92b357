// Products: Get Many, the product picker of Create (one request for many loads, per credential), and the
// quantity limits of a product picked from the list, checked before any order request.
import { useHarness } from './support/fixtures';
import { searchList } from './support/loadOptions';

const harness = useHarness();

const picked = (id: number | string, quantity: unknown) => ({
	products: { product: [{ productId: { __rl: true, mode: 'list', value: String(id) }, quantity }] },
});

describe('Get Many products', () => {
	test('one item per product, one request, paired with the input item', async () => {
		const { sim, run } = harness();
		const result = await run({ resource: 'product', operation: 'getAll' });
		expect(result.nodeError('1NCE')).toBeUndefined();
		expect(result.json('1NCE')).toEqual(sim.products);
		expect(result.items('1NCE').every((item) => item.pairedItem?.item === 0)).toBe(true);
		expect(sim.resourceCounts.products).toBe(1);
		expect(sim.counts).toMatchObject({ token: 1, list: 0, total: 2 });
	});

	test('its list also serves the product picker, which then asks nothing', async () => {
		const { sim, run, engine, credentials } = harness();
		await run({ resource: 'product', operation: 'getAll' });
		sim.resetCounts();
		const { results } = await searchList(engine, credentials, 'searchProducts');
		expect(results).toHaveLength(sim.products.length);
		expect(sim.counts.total).toBe(0);
	});
});

describe('the product picker', () => {
	test('offers every product by name with its ID and package size, sorted, and filters by text', async () => {
		const { sim, engine, credentials } = harness();
		const { results } = await searchList(engine, credentials, 'searchProducts');
		expect(results).toContainEqual({ name: '1NCE IoT FlexSIM - Standard (ID 1001, package of 1)', value: '1001' });
		expect(results.map((r: any) => r.value).sort()).toEqual(sim.products.map((p) => String(p.id)).sort());
		expect(results.map((r: any) => r.name)).toEqual([...results.map((r: any) => r.name)].sort((a, b) => a.localeCompare(b)));
		const chip = await searchList(engine, credentials, 'searchProducts', 'chip');
		expect(chip.results).toEqual([{ name: '1NCE IoT FlexSIM - Chip (MFF2) (ID 1003, package of 10)', value: '1003' }]);
	});

	test('the list is fetched once for many loads, even concurrent ones', async () => {
		const { sim, engine, credentials } = harness();
		await Promise.all([1, 2, 3].map(() => searchList(engine, credentials, 'searchProducts')));
		for (let i = 0; i < 10; i++) await searchList(engine, credentials, 'searchProducts', i % 2 ? 'flex' : undefined);
		expect(sim.resourceCounts.products).toBe(1);
		expect(sim.counts).toMatchObject({ token: 1, total: 2 });
	});

	test('each credential has its own list', async () => {
		const { sim, engine, credentials, addCredential } = harness();
		await searchList(engine, credentials, 'searchProducts');
		await searchList(engine, addCredential({}), 'searchProducts');
		await searchList(engine, credentials, 'searchProducts');
		expect(sim.resourceCounts.products).toBe(2);
	});

	test('a failed load is not cached: the next one asks again', async () => {
		const { sim, engine, credentials } = harness();
		sim.injectFault({ kind: 403, path: '/v1/products' });
		await expect(searchList(engine, credentials, 'searchProducts')).rejects.toThrow(/refused access/);
		const { results } = await searchList(engine, credentials, 'searchProducts');
		expect(results.length).toBeGreaterThan(0);
		expect(sim.resourceCounts.products).toBe(2);
	});
});

describe('Create with a product picked from the list', () => {
	test('orders it by its id', async () => {
		const { sim, run } = harness();
		const result = await run({ operation: 'create', ...picked(1003, 20) });
		expect(result.nodeError('1NCE')).toBeUndefined();
		expect(sim.created).toEqual([{ products: [{ productId: 1003, quantity: 20 }] }]);
	});

	test.each([
		[1003, 5, /Product 1: 1NCE IoT FlexSIM - Chip \(MFF2\) takes 10 to 1000 per order, got 5/],
		[1001, 1001, /takes 1 to 1000 per order, got 1001/],
	])('product %i, quantity %i: refused before any request once the list is known', async (id, quantity, message) => {
		const { sim, run, engine, credentials } = harness();
		await searchList(engine, credentials, 'searchProducts');
		sim.resetCounts();
		const result = await run({ operation: 'create', ...picked(id, quantity), options: { skipIfRecentlyPlaced: true } });
		expect(result.nodeError('1NCE').name).toBe('NodeOperationError');
		expect(result.nodeError('1NCE').message).toMatch(message);
		expect(sim.counts.total).toBe(0);
		expect(sim.created).toEqual([]);
	});

	test('with no list in the process yet: one product request, then refused, nothing ordered or listed', async () => {
		const { sim, run } = harness();
		const result = await run({ operation: 'create', ...picked(1002, 501) });
		expect(result.nodeError('1NCE').message).toMatch(/takes 1 to 500 per order, got 501/);
		expect(sim.resourceCounts.products).toBe(1);
		expect(sim.counts).toMatchObject({ list: 0, create: 0 });
	});

	test('the second row is named, and a row given by ID is not checked', async () => {
		const { sim, run } = harness();
		const products = {
			product: [
				{ productId: { __rl: true, mode: 'id', value: '1003' }, quantity: 1 },
				{ productId: { __rl: true, mode: 'list', value: '1003' }, quantity: 1 },
			],
		};
		const result = await run({ operation: 'create', products });
		expect(result.nodeError('1NCE').message).toMatch(/^Product 2: /);
		expect(sim.counts.create).toBe(0);
	});

	test('an ID typed or from an expression is sent as given, without a product request', async () => {
		const { sim, run } = harness();
		const result = await run(
			{ operation: 'create', products: { product: [{ productId: { __rl: true, mode: 'id', value: '={{ $json.id }}' }, quantity: 3 }] } },
			{ input: [{ id: 1002 }] },
		);
		expect(result.nodeError('1NCE')).toBeUndefined();
		expect(sim.created).toEqual([{ products: [{ productId: 1002, quantity: 3 }] }]);
		expect(sim.resourceCounts.products).toBe(0);
	});

	test('a product missing from the list is not checked (1NCE decides)', async () => {
		const { sim, run } = harness();
		const result = await run({ operation: 'create', ...picked(4711, 99999) });
		expect(result.nodeError('1NCE')).toBeUndefined();
		expect(sim.created).toEqual([{ products: [{ productId: 4711, quantity: 99999 }] }]);
	});
});

describe('per-order limits that cannot be meant are not checked (the documents do not say what they mean)', () => {
	const standard = { id: 1001, product: '1NCE IoT FlexSIM - Standard', package_size: 1 };

	test.each([
		['maxQuantity 0', { minQuantity: 1, maxQuantity: 0 }, 5],
		['a negative maxQuantity', { maxQuantity: -1 }, 5],
		['minQuantity above maxQuantity', { minQuantity: 100, maxQuantity: 10 }, 50],
		['minQuantity 0 and maxQuantity 0', { minQuantity: 0, maxQuantity: 0 }, 1],
	])('%s: the picked product is ordered', async (_name, limits, quantity) => {
		const { sim, run } = harness();
		sim.setProducts([{ ...standard, ...limits }]);
		const result = await run({ operation: 'create', ...picked(1001, quantity) });
		expect(result.nodeError('1NCE')).toBeUndefined();
		expect(sim.created).toEqual([{ products: [{ productId: 1001, quantity }] }]);
	});

	test('a usable minimum still holds when the maximum is 0', async () => {
		const { sim, run } = harness();
		sim.setProducts([{ ...standard, minQuantity: 10, maxQuantity: 0 }]);
		const result = await run({ operation: 'create', ...picked(1001, 5) });
		expect(result.nodeError('1NCE').message).toMatch(/Product 1: 1NCE IoT FlexSIM - Standard takes at least 10 per order, got 5/);
		expect(sim.counts.create).toBe(0);
	});

	test('limits that are not numbers, and list entries that are not products, break neither the picker nor Create', async () => {
		const { sim, run, engine, proxy, addCredential } = harness();
		// Outside the spec (it types the limits integer), so the list is served through the proxy.
		const url = await proxy((request, upstream) => {
			if (request.path !== '/v1/products' || upstream.status !== 200) return undefined;
			return {
				status: 200,
				body: [null, 7, { id: 1001, product: 'Standard', package_size: '1', minQuantity: '5', maxQuantity: null }],
			};
		});
		const credentials = addCredential({ baseUrl: url });
		const { results } = await searchList(engine, credentials, 'searchProducts');
		expect(results).toEqual([{ name: 'Standard (ID 1001)', value: '1001' }]);
		const result = await run({ operation: 'create', ...picked(1001, 3) }, { credentials });
		expect(result.nodeError('1NCE')).toBeUndefined();
		expect(sim.created).toEqual([{ products: [{ productId: 1001, quantity: 3 }] }]);
	});
});
