// Create, run in n8n's engine against the simulator: the body sent, the output for each kind of
// answer 1NCE may give, and that an order request is never sent twice.
import { errorText, useHarness } from './support/fixtures';

const harness = useHarness();

const address = {
	salutation: '2',
	first_name: ' Ada ',
	last_name: 'Lovelace',
	company: 'IoT Fleet GmbH',
	street: 'Sapporobogen',
	house_number: '6-8',
	address_line2: '',
	zip: '80637',
	city: 'Munich',
	country: 'de',
	phone: '+49 89 1234567',
};

const parameters = {
	operation: 'create',
	products: { product: [{ productId: 1001, quantity: 5 }, { productId: 2001, quantity: 1 }] },
	deliveryAddress: { address },
	additionalFields: { customerReference: ' PO-2026-0042 ' },
};

const expectedBody = {
	products: [
		{ productId: 1001, quantity: 5 },
		{ productId: 2001, quantity: 1 },
	],
	delivery_address: {
		salutation: '2',
		first_name: 'Ada',
		last_name: 'Lovelace',
		company: 'IoT Fleet GmbH',
		street: 'Sapporobogen',
		house_number: '6-8',
		zip: '80637',
		city: 'Munich',
		country: 'DE',
		phone: '+49 89 1234567',
	},
	customer_reference: 'PO-2026-0042',
};

describe('the body sent validates against Additional_Order', () => {
	test('products, address (Ms → "2", country upper-cased, blanks dropped) and customer reference', async () => {
		const { sim, run } = harness();
		const result = await run(parameters);
		expect(result.nodeError('1NCE')).toBeUndefined();
		expect(sim.created).toEqual([expectedBody]);
		// The duplicate check's one list request (the account has no orders), then the order.
		expect(sim.counts).toMatchObject({ token: 1, list: 1, create: 1, total: 3 });
	});

	test('Mr is sent as "1"', async () => {
		const { sim, run } = harness();
		await run({ ...parameters, deliveryAddress: { address: { ...address, salutation: '1' } } });
		expect(sim.created[0].delivery_address.salutation).toBe('1');
	});

	test('without address and reference only the products are sent', async () => {
		const { sim, run } = harness();
		const result = await run({ operation: 'create', products: { product: [{ productId: '1002', quantity: '3' }] } });
		expect(result.nodeError('1NCE')).toBeUndefined();
		expect(sim.created).toEqual([{ products: [{ productId: 1002, quantity: 3 }] }]);
	});

	test('a blank customer reference is left out', async () => {
		const { sim, run } = harness();
		await run({ ...parameters, additionalFields: { customerReference: '   ' } });
		expect(sim.created[0]).not.toHaveProperty('customer_reference');
	});
});

describe('output for each kind of answer', () => {
	test('echo200: status 200, the echoed order as response, no order number or location', async () => {
		const { run } = harness();
		const result = await run(parameters);
		expect(result.items('1NCE')).toEqual([
			{
				json: { status_code: 200, order_number: null, location: null, response: expectedBody, submitted: expectedBody, skipped: false, duplicate_check: { orders_checked: 0, complete: true, within_hours: 1 } },
				pairedItem: { item: 0 },
			},
		]);
	});

	test('created201: status 201 and no body, nothing guessed', async () => {
		const { sim, run } = harness();
		sim.setCreateResponse('created201');
		const result = await run(parameters);
		expect(result.json('1NCE')).toEqual([
			{ status_code: 201, order_number: null, location: null, response: null, submitted: expectedBody, skipped: false, duplicate_check: { orders_checked: 0, complete: true, within_hours: 1 } },
		]);
	});

	test('location201: the order number comes from the Location header', async () => {
		const { sim, run } = harness();
		sim.seedOrders(3);
		sim.setCreateResponse('location201');
		const result = await run(parameters);
		const placed = sim.orders[sim.orders.length - 1];
		expect(placed.order_number).toBe(2000000004);
		expect(result.json('1NCE')).toEqual([
			{
				status_code: 201,
				order_number: 2000000004,
				location: `${sim.url}/v1/orders/2000000004`,
				response: null,
				submitted: expectedBody,
				skipped: false,
				duplicate_check: { orders_checked: 0, complete: true, within_hours: 1 },
			},
		]);
	});

	test('a Location that is not an order URL gives no order number', async () => {
		const { sim, run, proxy, addCredential } = harness();
		const url = await proxy((request) =>
			request.method === 'POST' && request.path === '/v1/orders' ? { status: 201, headers: { Location: `${sim.url}/v1/jobs/77` } } : undefined,
		);
		const result = await run(parameters, { credentials: addCredential({ baseUrl: url }) });
		expect(result.json('1NCE')[0]).toMatchObject({ status_code: 201, order_number: null, location: `${sim.url}/v1/jobs/77` });
	});

	test('one order per input item, each paired with its item', async () => {
		const { sim, run } = harness();
		const result = await run(
			{ operation: 'create', products: { product: [{ productId: 1001, quantity: '={{ $json.q }}' }] } },
			{ input: [{ q: 1 }, { q: 7 }] },
		);
		expect(sim.created.map((body) => body.products[0].quantity)).toEqual([1, 7]);
		expect(result.items('1NCE').map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(sim.counts).toMatchObject({ token: 1, create: 2 });
	});
});

describe('an order request is sent exactly once', () => {
	const posts = (sim: ReturnType<typeof harness>['sim']) => sim.requests.filter((r) => r.method === 'POST' && r.path === '/v1/orders');

	test('500: error, not re-sent', async () => {
		const { sim, runError, secrets } = harness();
		sim.injectFault({ kind: 500, method: 'POST', path: '/v1/orders' });
		const error = await runError(parameters);
		expect(sim.counts.create).toBe(1);
		expect(sim.created).toHaveLength(0);
		expect(error.message).toContain('1NCE service error (500)');
		expect(error.description).toMatch(/not sent again/);
		expect(error.description).toMatch(/may or may not have been placed/);
		for (const secret of secrets()) expect(errorText(error)).not.toContain(secret);
	});

	test('connection dropped after 1NCE took the order: error says it was not re-sent and may have been placed', async () => {
		const { sim, runError } = harness();
		sim.injectFault({ kind: 'resetAfterProcessing', method: 'POST', path: '/v1/orders' });
		const error = await runError(parameters);
		expect(posts(sim)).toHaveLength(1);
		expect(sim.created).toEqual([expectedBody]);
		expect(error.message).toBe('Could not reach 1NCE');
		expect(error.description).toMatch(/not sent again/);
		expect(error.description).toMatch(/may or may not have been placed/);
	});

	test('connection dropped before 1NCE answered: exactly one POST', async () => {
		const { sim, runError } = harness();
		sim.injectFault({ kind: 'reset', method: 'POST', path: '/v1/orders' });
		const error = await runError(parameters);
		expect(posts(sim)).toHaveLength(1);
		expect(sim.created).toHaveLength(0);
		expect(error.message).toBe('Could not reach 1NCE');
		expect(error.description).toMatch(/ECONNRESET/);
		expect(error.description).toMatch(/not sent again/);
		// n8n's generic advice for a dropped connection would be wrong here.
		expect(errorText(error)).not.toMatch(/retry the request immediately/);
	});

	test.each([429, '403throttle', 502, 503, 'malformed'] as const)('%s: exactly one POST', async (kind) => {
		const { sim, run } = harness();
		sim.injectFault({ kind, method: 'POST', path: '/v1/orders', retryAfter: 0 });
		await run(parameters);
		expect(posts(sim)).toHaveLength(1);
	});

	test('400: the API message is shown, nothing re-sent', async () => {
		const { sim, runError, proxy, addCredential } = harness();
		let seen = 0;
		const url = await proxy(undefined, (request) =>
			request.method === 'POST' && request.path === '/v1/orders' && ++seen
				? { status: 400, body: { statusCode: 400, errorCode: 'BodyValidationError', message: 'Product 1001 is not orderable' } }
				: undefined,
		);
		const error = await runError(parameters, { credentials: addCredential({ baseUrl: url }) });
		expect(error.message).toBe('1NCE rejected the request: Product 1001 is not orderable');
		expect(error.httpCode).toBe('400');
		expect(error.description).not.toMatch(/may or may not have been placed/);
		expect(seen).toBe(1);
		expect(sim.created).toHaveLength(0);
	});

	test('5xx: the message claims no retry, since none happened', async () => {
		const { sim, runError } = harness();
		sim.injectFault({ kind: 502, method: 'POST', path: '/v1/orders' });
		const error = await runError(parameters);
		expect(error.message).toBe('1NCE service error (502)');
		expect(error.description).not.toMatch(/retried|GET/);
		expect(error.description).toMatch(/may or may not have been placed/);
	});

	test('429: says 1NCE refused the order unprocessed, with no claim of waiting', async () => {
		const { sim, runError } = harness();
		sim.injectFault({ kind: 429, method: 'POST', path: '/v1/orders', retryAfter: 30 });
		const error = await runError(parameters);
		expect(error.message).toBe('1NCE refused the order request: rate limit reached (429)');
		expect(error.description).toMatch(/^Nothing was placed/);
		expect(`${error.message} ${error.description}`).not.toMatch(/did not clear|waited|may or may not/);
	});

	test('connection refused: the order never reached 1NCE, so nothing was placed', async () => {
		const { runError, addCredential } = harness();
		// Without the duplicate check, whose list request would meet the refusal first.
		const error = await runError(
			{ ...parameters, options: { skipIfRecentlyPlaced: false } },
			{ credentials: addCredential({ baseUrl: 'http://127.0.0.1:9', accessToken: 'x' }) },
		);
		expect(error.message).toBe('Could not reach 1NCE');
		expect(error.description).toMatch(/never reached 1NCE: nothing was placed/);
	});
});
