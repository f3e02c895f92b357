// Bad input is refused before any request (not even the token request), and continueOnFail turns
// each failed item into an error item paired with it.
import { errorText, useHarness } from './support/fixtures';

const harness = useHarness();

const product = (productId: unknown, quantity: unknown) => ({ products: { product: [{ productId, quantity }] } });

async function expectRefused(parameters: Record<string, unknown>, message: RegExp, credentials?: object) {
	const { sim, runError, secrets } = harness();
	const error = await runError(parameters, credentials ? { credentials } : {});
	expect(error.message).toMatch(message);
	expect(sim.counts.total).toBe(0);
	for (const secret of secrets()) expect(errorText(error)).not.toContain(secret);
	return error;
}

describe('refused before any request', () => {
	test.each(['abc', '-1', '0', '1.5', '={{ "" }}', '   ', '2e9', '99999999999999999999', '0x10'])('order number %j', async (orderNumber) => {
		const error = await expectRefused({ operation: 'get', orderNumber }, /^Order number must be a positive whole number/);
		expect(error.name).toBe('NodeOperationError');
	});

	test('an empty order number is refused by n8n itself (a required parameter), so nothing is sent', async () => {
		const { sim, run } = harness();
		await expect(run({ operation: 'get', orderNumber: '' })).rejects.toThrow(/workflow has issues/);
		expect(sim.counts.total).toBe(0);
	});

	test('create without products', async () => {
		await expectRefused({ operation: 'create', products: {} }, /at least one product/);
		await expectRefused({ operation: 'create', products: { product: [] } }, /at least one product/);
	});

	test.each([
		[product(1001, 0), /Product 1: quantity must be a positive whole number, got "0"/],
		[product(1001, -2), /quantity/],
		[product(1001, 1.5), /quantity/],
		[product(0, 1), /Product 1: product ID must be a positive whole number, got "0"/],
		[product('x', 1), /product ID must be a positive whole number, got "x"/],
		[product('', 1), /product ID/],
	])('create with %j', async (products, message) => {
		await expectRefused({ operation: 'create', ...products }, message);
	});

	test('the second of several products is named', async () => {
		await expectRefused(
			{ operation: 'create', products: { product: [{ productId: 1001, quantity: 1 }, { productId: 1002, quantity: 0 }] } },
			/^Product 2: quantity/,
		);
	});

	test.each(['Germany', 'D', 'D1', 'DEU'])('create with country %j', async (country) => {
		await expectRefused(
			{ operation: 'create', ...product(1001, 1), deliveryAddress: { address: { salutation: '1', country } } },
			/Country code must be two letters/,
		);
	});

	test('create with an unknown salutation', async () => {
		await expectRefused(
			{ operation: 'create', ...product(1001, 1), deliveryAddress: { address: { salutation: '3' } } },
			/Salutation must be Mr or Ms/,
		);
	});

	test.each([0, -5, 2.5, 'ten'])('Get Many with limit %j', async (limit) => {
		await expectRefused({ operation: 'getAll', returnAll: false, limit }, /Limit must be a whole number of at least 1/);
	});

	test('Get Many with an unknown sort key', async () => {
		await expectRefused({ operation: 'getAll', returnAll: true, sort: ['-order_date'] }, /"-order_date" is not a sort key/);
	});

	test.each(['http://example.invalid', 'http://10.0.0.8/management-api', 'ftp://127.0.0.1'])(
		'base URL %s: refused without a request, and the password is not in the error',
		async (baseUrl) => {
			const credentials = harness().addCredential({ baseUrl });
			for (const operation of ['getAll', 'get', 'create']) {
				const error = await expectRefused(
					{ operation, returnAll: true, orderNumber: '2000000001', ...product(1001, 1) },
					/must use https \(plain http is only accepted for localhost\)/,
					credentials,
				);
				expect(error.message).not.toContain(harness().sim.password);
			}
		},
	);

	test('a base URL carrying a user name and password is refused without echoing them', async () => {
		const credentials = harness().addCredential({ baseUrl: 'https://someone:hunter2@example.invalid' });
		const error = await expectRefused({ operation: 'getAll', returnAll: true }, /must not contain a user name or password/, credentials);
		expect(errorText(error)).not.toContain('hunter2');
	});

	test('a base URL that is not a URL', async () => {
		const credentials = harness().addCredential({ baseUrl: 'not a url' });
		await expectRefused({ operation: 'getAll', returnAll: true }, /is not a valid URL/, credentials);
	});
});

describe('accepted base URLs', () => {
	test('trailing slashes are ignored', async () => {
		const { sim, run, addCredential } = harness();
		sim.seedOrders(2);
		const result = await run({ operation: 'getAll', returnAll: true }, { credentials: addCredential({ baseUrl: `${sim.url}//` }) });
		expect(result.json('1NCE')).toHaveLength(2);
		expect(sim.requests.map((r) => r.path)).toEqual(['/oauth/token', '/v1/orders']);
	});

	test('localhost by name is loopback too', async () => {
		const { sim, run, addCredential } = harness();
		sim.seedOrders(1);
		const result = await run(
			{ operation: 'getAll', returnAll: true },
			{ credentials: addCredential({ baseUrl: `http://localhost:${sim.port}` }) },
		);
		expect(result.nodeError('1NCE')).toBeUndefined();
		expect(result.json('1NCE')).toHaveLength(1);
	});
});

describe('continueOnFail', () => {
	test('a bad item becomes an error item; the good ones still run; every item keeps its pairing', async () => {
		const { sim, run } = harness();
		sim.seedOrders(3);
		const result = await run(
			{ operation: 'get', orderNumber: '={{ $json.n }}' },
			{ input: [{ n: '2000000001' }, { n: 'abc' }, { n: '2000000003' }], continueOnFail: true },
		);
		expect(result.error).toBeUndefined();
		const items = result.items('1NCE');
		expect(items).toHaveLength(3);
		expect(items[0]).toMatchObject({ json: { order_number: 2000000001 }, pairedItem: { item: 0 } });
		expect(items[1]).toEqual({
			json: { error: 'Order number must be a positive whole number, got "abc"' },
			pairedItem: { item: 1 },
		});
		expect(items[2]).toMatchObject({ json: { order_number: 2000000003 }, pairedItem: { item: 2 } });
		expect(sim.counts).toMatchObject({ token: 1, get: 2 });
	});

	test('an API error on one item becomes its error item', async () => {
		const { sim, run, secrets } = harness();
		sim.seedOrders(2);
		const result = await run(
			{ operation: 'get', orderNumber: '={{ $json.n }}' },
			{ input: [{ n: 2000000404 }, { n: 2000000002 }], continueOnFail: true },
		);
		const items = result.items('1NCE');
		expect(items[0]).toEqual({ json: { error: 'Order 2000000404 was not found' }, pairedItem: { item: 0 } });
		expect(items[1]).toMatchObject({ json: { order_number: 2000000002 }, pairedItem: { item: 1 } });
		for (const secret of secrets()) expect(JSON.stringify(items)).not.toContain(secret);
	});

	test('Get Many: the failing item gives one error item, the others all their orders', async () => {
		const { sim, run } = harness();
		sim.seedOrders(12);
		const result = await run(
			{ operation: 'getAll', returnAll: false, limit: '={{ $json.limit }}' },
			{ input: [{ limit: 2 }, { limit: 0 }, { limit: 11 }], continueOnFail: true },
		);
		const items = result.items('1NCE');
		expect(items.map((item) => item.pairedItem.item)).toEqual([0, 0, 1, ...Array(11).fill(2)]);
		expect(items[2].json.error).toMatch(/Limit must be a whole number/);
		expect(sim.counts.list).toBe(1 + 2);
	});

	test('without continueOnFail the node fails on the bad item, naming it', async () => {
		const { sim, run } = harness();
		sim.seedOrders(1);
		const result = await run(
			{ operation: 'get', orderNumber: '={{ $json.n }}' },
			{ input: [{ n: '2000000001' }, { n: '0' }] },
		);
		const error = result.nodeError('1NCE');
		expect(error.message).toMatch(/^Order number must be/);
		expect(error.context.itemIndex).toBe(1);
		expect(sim.counts.get).toBe(1);
	});
});

describe('strict, lossless Create input (through n8n’s expressions)', () => {
	const fromItem = (products: unknown, extra: Record<string, unknown> = {}) => ({ operation: 'create', products: { product: [products] }, ...extra });

	test.each(['0x10', '0b11', '1e3'])('quantity and product id %j from an expression are refused before any request', async (raw) => {
		await expectRefused(fromItem({ productId: 1001, quantity: `={{ ${JSON.stringify(raw)} }}` }), /^Product 1: quantity must be a positive whole number/);
		await expectRefused(fromItem({ productId: `={{ ${JSON.stringify(raw)} }}`, quantity: 1 }), /^Product 1: product ID must be a positive whole number/);
	});

	test('a Customer Reference expression that yields a number is sent as text', async () => {
		const { sim, run } = harness();
		const result = await run(fromItem({ productId: 1001, quantity: 1 }, { additionalFields: { customerReference: '={{ 4711 }}' } }));
		expect(result.nodeError('1NCE')).toBeUndefined();
		expect(sim.created[0].customer_reference).toBe('4711');
	});

	test('an object in an address field is refused by name, not sent as "[object Object]"', async () => {
		await expectRefused(
			fromItem({ productId: 1001, quantity: 1 }, { deliveryAddress: { address: { street: '={{ { name: "Main" } }}' } } }),
			/^Delivery address: Street must be text, got an object$/,
		);
	});

	test.each(['ß', 'ıt', 'ſe'])('country %j is refused even though it upper-cases to two letters', async (country) => {
		await expectRefused(fromItem({ productId: 1001, quantity: 1 }, { deliveryAddress: { address: { country } } }), /^Country code must be two letters/);
	});

	test('an added but empty Delivery Address sends no address (and no salutation)', async () => {
		const { sim, run } = harness();
		await run(fromItem({ productId: 1001, quantity: 1 }, { deliveryAddress: { address: { salutation: '1', city: '' } } }));
		expect(sim.created).toEqual([{ products: [{ productId: 1001, quantity: 1 }] }]);
	});

	test('salutation is sent only when chosen', async () => {
		const { sim, run } = harness();
		await run(fromItem({ productId: 1001, quantity: 1 }, { deliveryAddress: { address: fullAddress } }));
		expect(sim.created[0].delivery_address).toEqual({ ...fullAddress, country: 'DE' });
	});
});

const fullAddress = { street: 'Sapporobogen', zip: '80637', city: 'Munich', country: 'de' };
const oneProduct = { productId: 1001, quantity: 1 };

describe('empty product rows are refused by their number, not reported as a fault of the node', () => {
	// n8n turns a null row into an empty one before the node runs; either way the row is named.
	test.each([
		[[null], /^Product 1: the row is empty; give a product ID and a quantity$/],
		[[oneProduct, null], /^Product 2: the row is empty; give a product ID and a quantity$/],
		[[oneProduct, { productId: '={{ null }}', quantity: '={{ null }}' }], /^Product 2: the row is empty; give a product ID and a quantity$/],
	])('rows %j', async (rows, message) => {
		const error = await expectRefused({ operation: 'create', products: { product: rows } }, message);
		expect(error.name).toBe('NodeOperationError');
		expect(error.description ?? '').not.toMatch(/fault in the node/);
	});

	test('an item whose row is empty stops the run before any item is ordered', async () => {
		const { sim, run } = harness();
		const result = await run(
			{ operation: 'create', products: { product: [{ productId: '={{ $json.id }}', quantity: '={{ $json.quantity }}' }] } },
			{ input: [{ id: 1001, quantity: 1 }, {}] },
		);
		const error = result.nodeError('1NCE');
		expect(error.message).toBe('Product 1: the row is empty; give a product ID and a quantity');
		expect(error.context.itemIndex).toBe(1);
		expect(sim.counts.total).toBe(0);
		expect(sim.created).toEqual([]);
	});
});

describe('a delivery address is complete or empty', () => {
	test.each([
		[{ company: 'IoT Fleet GmbH' }, 'Delivery address is incomplete: add Street, ZIP Code, City, Country Code'],
		[{ salutation: '2', first_name: 'Ada', street: 'Sapporobogen', country: 'DE' }, 'Delivery address is incomplete: add ZIP Code, City'],
		[{ ...fullAddress, city: '  ' }, 'Delivery address is incomplete: add City'],
		[{ phone: '+49 89 1234567' }, 'Delivery address is incomplete: add Street, ZIP Code, City, Country Code'],
	])('%j is refused before any request', async (address, message) => {
		const error = await expectRefused(
			{ operation: 'create', products: { product: [oneProduct] }, deliveryAddress: { address } },
			new RegExp(`^${message}$`),
		);
		expect(error.name).toBe('NodeOperationError');
	});

	test('a complete address without house number, name or company is sent', async () => {
		const { sim, run } = harness();
		const result = await run({ operation: 'create', products: { product: [oneProduct] }, deliveryAddress: { address: fullAddress } });
		expect(result.nodeError('1NCE')).toBeUndefined();
		expect(sim.created[0].delivery_address).toEqual({ ...fullAddress, country: 'DE' });
	});

	const perItem = {
		operation: 'create',
		products: { product: [oneProduct] },
		deliveryAddress: {
			address: {
				company: '={{ $json.company }}',
				street: '={{ $json.street }}',
				zip: '={{ $json.zip }}',
				city: '={{ $json.city }}',
				country: '={{ $json.country }}',
			},
		},
	};
	const items = [{ ...fullAddress, company: 'IoT Fleet GmbH' }, { company: 'IoT Fleet GmbH' }];

	test('with several items, an incomplete address on the second places nothing at all', async () => {
		const { sim, run } = harness();
		const result = await run(perItem, { input: items });
		const error = result.nodeError('1NCE');
		expect(error.message).toBe('Delivery address is incomplete: add Street, ZIP Code, City, Country Code');
		expect(error.context.itemIndex).toBe(1);
		expect(sim.counts.total).toBe(0);
		expect(sim.created).toEqual([]);
	});

	test('under continueOnFail the incomplete item is an error item paired with it; the complete one is ordered', async () => {
		const { sim, run } = harness();
		const result = await run(perItem, { input: items, continueOnFail: true });
		expect(result.error).toBeUndefined();
		const output = result.items('1NCE');
		expect(output).toHaveLength(2);
		expect(output[0]).toMatchObject({ json: { status_code: 200 }, pairedItem: { item: 0 } });
		expect(output[1]).toEqual({
			json: { error: 'Delivery address is incomplete: add Street, ZIP Code, City, Country Code' },
			pairedItem: { item: 1 },
		});
		expect(sim.created).toEqual([{ products: [oneProduct], delivery_address: { ...fullAddress, company: 'IoT Fleet GmbH', country: 'DE' } }]);
		expect(sim.counts.create).toBe(1);
	});
});
