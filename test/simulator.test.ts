/**
 * Tests of the 1NCE simulator (dev/simulator.js): a real HTTP server on 127.0.0.1,
 * exercised over the wire with undici.
 */
import net from 'node:net';
import path from 'node:path';
import { Agent, request } from 'undici';
import {
	loadSpecDocument,
	resolveSpecPath,
	simRateLimitOf,
	startSimulator,
	type SimOrder,
	type Simulator,
	type SimulatorOptions,
} from '../dev/simulator';

const agent = new Agent({ keepAliveTimeout: 2000 });
afterAll(async () => {
	await agent.close();
});

interface CallOptions {
	token?: string;
	headers?: Record<string, string>;
	body?: unknown;
	rawBody?: string;
	signal?: AbortSignal;
}

interface CallResult {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	text: string;
	json: () => any;
}

async function call(sim: Simulator, method: string, path: string, opts: CallOptions = {}): Promise<CallResult> {
	const headers: Record<string, string> = { ...(opts.headers ?? {}) };
	if (opts.token) headers.authorization = `Bearer ${opts.token}`;
	let body: string | undefined = opts.rawBody;
	if (opts.body !== undefined) {
		body = JSON.stringify(opts.body);
		headers['content-type'] ??= 'application/json';
	}
	const res = await request(`${sim.url}${path}`, {
		method: method as 'GET',
		headers,
		body,
		dispatcher: agent,
		signal: opts.signal,
	});
	const text = await res.body.text();
	return { status: res.statusCode, headers: res.headers, text, json: () => JSON.parse(text) };
}

function basic(username: string, password: string): string {
	return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

async function fetchToken(sim: Simulator, username = 'api-user', password = 's3cret-pass'): Promise<string> {
	const res = await call(sim, 'POST', '/oauth/token', {
		headers: { authorization: basic(username, password) },
		body: { grant_type: 'client_credentials' },
	});
	expect(res.status).toBe(200);
	return res.json().access_token;
}

function numbers(orders: SimOrder[]): number[] {
	return orders.map((o) => o.order_number);
}

const specDocument = loadSpecDocument();
const ORDER_TYPES: string[] = specDocument.components.schemas.Order.properties.order_type.enum;

let sim: Simulator;
async function start(options: SimulatorOptions = {}): Promise<Simulator> {
	sim = await startSimulator(options);
	return sim;
}
afterEach(async () => {
	await sim?.close();
});

describe('spec location', () => {
	it('resolves spec/ inside the project, overridable by ONENCE_SPEC_PATH', () => {
		const saved = process.env.ONENCE_SPEC_PATH;
		try {
			delete process.env.ONENCE_SPEC_PATH;
			expect(resolveSpecPath()).toBe(path.resolve(__dirname, '..', 'spec', 'order-management.openapi.yml'));
			process.env.ONENCE_SPEC_PATH = '/tmp/other-spec.yml';
			expect(resolveSpecPath()).toBe('/tmp/other-spec.yml');
		} finally {
			if (saved === undefined) delete process.env.ONENCE_SPEC_PATH;
			else process.env.ONENCE_SPEC_PATH = saved;
		}
	});
});

describe('POST /oauth/token', () => {
	it('issues a long bearer token with the documented fields', async () => {
		await start({ tokenTtlSeconds: 1234 });
		const res = await call(sim, 'POST', '/oauth/token', {
			headers: { authorization: basic('api-user', 's3cret-pass') },
			body: { grant_type: 'client_credentials' },
		});
		expect(res.status).toBe(200);
		expect(res.headers['content-type']).toMatch(/^application\/json/);
		const body = res.json();
		expect(body).toEqual({
			status_code: 200,
			access_token: expect.any(String),
			token_type: 'bearer',
			expires_in: 1234,
			userId: expect.any(String),
			scope: 'all',
		});
		expect(body.access_token.length).toBeGreaterThanOrEqual(2500);
		expect(body.access_token.length).toBeLessThanOrEqual(3500);
	});

	it('issues a new token per call and keeps older tokens valid', async () => {
		await start();
		sim.seedOrders(1);
		const first = await fetchToken(sim);
		const second = await fetchToken(sim);
		expect(second).not.toBe(first);
		expect((await call(sim, 'GET', '/v1/orders', { token: first })).status).toBe(200);
		expect((await call(sim, 'GET', '/v1/orders', { token: second })).status).toBe(200);
	});

	it('honours custom credentials', async () => {
		await start({ username: 'other', password: 'pw' });
		expect(await fetchToken(sim, 'other', 'pw')).toEqual(expect.any(String));
	});

	it.each([
		['wrong password', 'api-user', 'nope'],
		['unknown user', 'someone', 's3cret-pass'],
	])('answers 400 BadCredentials on a bad login (%s)', async (_label, username, password) => {
		await start();
		const res = await call(sim, 'POST', '/oauth/token', {
			headers: { authorization: basic(username, password) },
			body: { grant_type: 'client_credentials' },
		});
		expect(res.status).toBe(400);
		expect(res.json()).toEqual({ statusCode: 400, errorCode: 'BadCredentials', message: 'Incorrect username or password' });
	});

	it('answers 400 AuthValidationError without HTTP Basic', async () => {
		await start();
		const res = await call(sim, 'POST', '/oauth/token', { body: { grant_type: 'client_credentials' } });
		expect(res.status).toBe(400);
		expect(res.json()).toMatchObject({ statusCode: 400, errorCode: 'AuthValidationError' });
	});

	it.each([
		['wrong grant_type', { body: { grant_type: 'password' } }],
		['missing body', { rawBody: '', headers: { 'content-type': 'application/json' } }],
		['invalid JSON', { rawBody: '{grant_type', headers: { 'content-type': 'application/json' } }],
		['form encoding', { rawBody: 'grant_type=client_credentials', headers: { 'content-type': 'application/x-www-form-urlencoded' } }],
	] as Array<[string, CallOptions]>)('answers 400 BodyValidationError on a bad body (%s)', async (_label, opts) => {
		await start();
		const res = await call(sim, 'POST', '/oauth/token', {
			...opts,
			headers: { authorization: basic('api-user', 's3cret-pass'), ...(opts.headers ?? {}) },
		});
		expect(res.status).toBe(400);
		const body = res.json();
		expect(body).toMatchObject({ statusCode: 400, errorCode: 'BodyValidationError' });
		expect(body.message).toEqual(expect.any(String));
	});
});

describe('bearer authentication on order endpoints', () => {
	it.each([
		['no Authorization header', undefined],
		['an unknown token', 'not-a-real-token'],
	])('answers 401 with %s', async (_label, token) => {
		await start();
		sim.seedOrders(3);
		for (const path of ['/v1/orders', '/v1/orders/2000000001']) {
			const res = await call(sim, 'GET', path, { token });
			expect(res.status).toBe(401);
			expect(res.json()).toMatchObject({ statusCode: 401, errorCode: 'Unauthorized', message: expect.any(String) });
		}
		const post = await call(sim, 'POST', '/v1/orders', { token, body: { products: [{ productId: 1001, quantity: 1 }] } });
		expect(post.status).toBe(401);
		expect(sim.created).toHaveLength(0);
		expect(sim.orders).toHaveLength(3);
	});

	it('expireTokens() invalidates every issued token; a new token works', async () => {
		await start();
		sim.seedOrders(2);
		const token = await fetchToken(sim);
		expect((await call(sim, 'GET', '/v1/orders', { token })).status).toBe(200);
		sim.expireTokens();
		expect((await call(sim, 'GET', '/v1/orders', { token })).status).toBe(401);
		const fresh = await fetchToken(sim);
		expect((await call(sim, 'GET', '/v1/orders', { token: fresh })).status).toBe(200);
	});

	it('tokens really expire after tokenTtlSeconds', async () => {
		await start({ tokenTtlSeconds: 1 });
		const token = await fetchToken(sim);
		expect((await call(sim, 'GET', '/v1/orders', { token })).status).toBe(200);
		await new Promise((resolve) => setTimeout(resolve, 1100));
		expect((await call(sim, 'GET', '/v1/orders', { token })).status).toBe(401);
	});
});

describe('GET /v1/orders', () => {
	let token: string;
	async function startWith(n: number, options: SimulatorOptions = {}): Promise<void> {
		await start(options);
		sim.seedOrders(n);
		token = sim.issueToken();
	}

	it.each([
		[0, 0, []],
		[1, 1, [2000000001]],
		[10, 1, Array.from({ length: 10 }, (_, i) => 2000000001 + i)],
		[11, 2, Array.from({ length: 10 }, (_, i) => 2000000001 + i)],
	])('with %i orders: page headers and first page', async (count, pages, firstPage) => {
		await startWith(count);
		const res = await call(sim, 'GET', '/v1/orders', { token });
		expect(res.status).toBe(200);
		expect(res.headers['content-type']).toMatch(/^application\/json/);
		expect(res.headers['x-total-pages']).toBe(String(pages));
		expect(res.headers['x-total-count']).toBe(String(count));
		expect(res.headers['x-current-page']).toBe('1');
		expect(res.headers['x-count-per-page']).toBe('10');
		expect(numbers(res.json())).toEqual(firstPage);
	});

	it('with 11 orders, page 2 holds the 11th order only', async () => {
		await startWith(11);
		const res = await call(sim, 'GET', '/v1/orders?page=2&pageSize=10', { token });
		expect(res.status).toBe(200);
		expect(res.headers['x-current-page']).toBe('2');
		expect(numbers(res.json())).toEqual([2000000011]);
	});

	it('pages of a custom size cover every order exactly once', async () => {
		await startWith(23);
		const seen: number[] = [];
		for (let page = 1; page <= 8; page++) {
			const res = await call(sim, 'GET', `/v1/orders?page=${page}&pageSize=3`, { token });
			expect(res.headers['x-total-pages']).toBe('8');
			expect(res.headers['x-count-per-page']).toBe('3');
			seen.push(...numbers(res.json()));
		}
		expect(seen).toEqual(numbers(sim.orders));
	});

	it('answers [] with 200 for a page beyond the end', async () => {
		await startWith(11);
		const res = await call(sim, 'GET', '/v1/orders?page=3', { token });
		expect(res.status).toBe(200);
		expect(res.json()).toEqual([]);
		expect(res.headers['x-total-pages']).toBe('2');
		expect(res.headers['x-total-count']).toBe('11');
		expect(res.headers['x-current-page']).toBe('3');
	});

	/** Reference ordering computed independently of the simulator. */
	function expectedOrder(orders: SimOrder[], keys: Array<[keyof SimOrder, 1 | -1]>): number[] {
		const value = (o: SimOrder, k: keyof SimOrder) =>
			k === 'order_date' ? new Date(o.order_date).getTime() : (o[k] as string | number);
		return [...orders]
			.sort((a, b) => {
				for (const [k, dir] of keys) {
					const x = value(a, k);
					const y = value(b, k);
					if (x < y) return -dir;
					if (x > y) return dir;
				}
				return a.order_number - b.order_number;
			})
			.map((o) => o.order_number);
	}

	async function listAll(query: string): Promise<number[]> {
		const all: number[] = [];
		for (let page = 1; ; page++) {
			const res = await call(sim, 'GET', `/v1/orders?page=${page}&${query}`, { token });
			expect(res.status).toBe(200);
			const items: SimOrder[] = res.json();
			if (!items.length) break;
			all.push(...numbers(items));
		}
		return all;
	}

	it.each([
		['sort=order_number', [['order_number', 1]]],
		['sort=-order_number', [['order_number', -1]]],
		['sort=order_date', [['order_date', 1]]],
		['sort=-order_date', [['order_date', -1]]],
		['sort=order_status', [['order_status', 1]]],
		['sort=order_status,-order_date', [['order_status', 1], ['order_date', -1]]],
		['sort=-order_status,order_number', [['order_status', -1], ['order_number', 1]]],
	] as Array<[string, Array<[keyof SimOrder, 1 | -1]>]>)('sorts by %s', async (query, keys) => {
		await startWith(25);
		// Make statuses collide so secondary keys matter.
		sim.setOrderStatus(2000000003, 'SHIPPED');
		sim.setOrderStatus(2000000007, 'SHIPPED');
		sim.setOrderStatus(2000000020, 'AWAITING_PAYMENT');
		expect(await listAll(query)).toEqual(expectedOrder(sim.orders, keys));
	});

	it('defaults to order_number ascending', async () => {
		await startWith(15);
		sim.addOrder({ order_number: 1999999999 });
		expect(await listAll('pageSize=10')).toEqual(expectedOrder(sim.orders, [['order_number', 1]]));
	});

	it.each(['sort=price', 'sort=order_number,', 'sort=', 'sort=order_number;order_date', 'sort=%2Border_number'])(
		'rejects unknown sort keys (%s) with 400',
		async (query) => {
			await startWith(3);
			const res = await call(sim, 'GET', `/v1/orders?${query}`, { token });
			expect(res.status).toBe(400);
			expect(res.json()).toMatchObject({ statusCode: 400, errorCode: 'QueryValidationError' });
			expect(res.json().message).toMatch(/sort/);
			expect(sim.validationErrors).toEqual([expect.objectContaining({ kind: 'request', method: 'GET', path: '/v1/orders' })]);
		},
	);
});

describe('GET /v1/orders/{order_number}', () => {
	it('returns the order, or 404 NotFound', async () => {
		await start();
		sim.seedOrders(5);
		const token = sim.issueToken();
		const ok = await call(sim, 'GET', '/v1/orders/2000000004', { token });
		expect(ok.status).toBe(200);
		expect(ok.json()).toEqual(sim.orders[3]);
		const missing = await call(sim, 'GET', '/v1/orders/2000000099', { token });
		expect(missing.status).toBe(404);
		expect(missing.json()).toEqual({ statusCode: 404, errorCode: 'NotFound', message: 'Order 2000000099 not found' });
		expect(sim.validationErrors).toEqual([]);
	});
});

describe('spec validation of requests', () => {
	let token: string;
	beforeEach(async () => {
		await start();
		sim.seedOrders(12);
		token = sim.issueToken();
	});

	it.each([
		['pageSize 11', '/v1/orders?pageSize=11', 'pageSize'],
		['pageSize 0', '/v1/orders?pageSize=0', 'pageSize'],
		['page 0', '/v1/orders?page=0', 'page'],
		['page not a number', '/v1/orders?page=two', 'page'],
		['page fractional', '/v1/orders?page=1.5', 'page'],
		['page repeated', '/v1/orders?page=1&page=2', 'page'],
	])('rejects %s with 400 QueryValidationError', async (_label, path, field) => {
		const res = await call(sim, 'GET', path, { token });
		expect(res.status).toBe(400);
		const body = res.json();
		expect(body).toMatchObject({ statusCode: 400, errorCode: 'QueryValidationError' });
		expect(body.message).toContain(`'${field}'`);
		expect(sim.validationErrors).toHaveLength(1);
		expect(sim.validationErrors[0]).toMatchObject({ kind: 'request', method: 'GET', path: '/v1/orders' });
		expect(sim.validationErrors[0].errors.join(' ')).toContain(field);
	});

	it.each(['abc', '12.5', '2000000001x'])('rejects a non-integer order number (%s) with 400', async (value) => {
		const res = await call(sim, 'GET', `/v1/orders/${value}`, { token });
		expect(res.status).toBe(400);
		expect(res.json().message).toContain('order_number');
		expect(sim.validationErrors).toEqual([
			expect.objectContaining({ kind: 'request', method: 'GET', path: `/v1/orders/${value}` }),
		]);
	});

	it.each([
		['bad salutation', { products: [{ productId: 1001, quantity: 1 }], delivery_address: { salutation: '3' } }, 'delivery_address.salutation'],
		['numeric salutation', { products: [{ productId: 1001, quantity: 1 }], delivery_address: { salutation: 1 } }, 'delivery_address.salutation'],
		['quantity 0', { products: [{ productId: 1001, quantity: 0 }] }, 'products[0].quantity'],
		['productId as string', { products: [{ productId: '1001', quantity: 1 }] }, 'products[0].productId'],
		['missing products', { customer_reference: 'x' }, 'products'],
		['array body', [], 'request body'],
	])('rejects a POST body with %s (400 BodyValidationError) and creates nothing', async (_label, body, field) => {
		const res = await call(sim, 'POST', '/v1/orders', { token, body });
		expect(res.status).toBe(400);
		expect(res.json()).toMatchObject({ statusCode: 400, errorCode: 'BodyValidationError' });
		expect(res.json().message).toContain(field);
		expect(sim.validationErrors).toEqual([expect.objectContaining({ kind: 'request', method: 'POST', path: '/v1/orders' })]);
		expect(sim.created).toEqual([]);
		expect(sim.orders).toHaveLength(12);
	});

	it('rejects a POST that is not JSON', async () => {
		const res = await call(sim, 'POST', '/v1/orders', {
			token,
			rawBody: 'products=1001',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
		});
		expect(res.status).toBe(400);
		expect(res.json().errorCode).toBe('BodyValidationError');
		const broken = await call(sim, 'POST', '/v1/orders', { token, rawBody: '{"products": [', headers: { 'content-type': 'application/json' } });
		expect(broken.status).toBe(400);
		expect(broken.json().errorCode).toBe('BodyValidationError');
		expect(sim.validationErrors).toHaveLength(2);
		expect(sim.created).toEqual([]);
	});

	it('answers unknown routes with 404 {message}', async () => {
		for (const [method, path] of [
			['GET', '/v1/products/x'],
			['DELETE', '/v1/orders'],
			['GET', '/v1/orders/1/sims'],
			['GET', '/'],
		]) {
			const res = await call(sim, method, path, { token });
			expect(res.status).toBe(404);
			expect(res.json()).toEqual({ message: expect.any(String) });
		}
	});
});

describe('POST /v1/orders', () => {
	const body = {
		products: [
			{ productId: 1001, quantity: 5 },
			{ productId: 1002, quantity: 2 },
		],
		delivery_address: { salutation: '2', first_name: 'Eva', last_name: 'Klein', street: 'Ring', house_number: '1', zip: '10115', city: 'Berlin', country: 'DE' },
		customer_reference: 'PO-42',
	};

	function expectCreated(previousCount: number): SimOrder {
		expect(sim.orders).toHaveLength(previousCount + 1);
		const order = sim.orders[sim.orders.length - 1];
		expect(order).toMatchObject({
			order_number: 2000000000 + previousCount + 1,
			order_type: 'ADDITIONAL_ORDER',
			order_status: 'PENDING',
			products: [
				{ product_id: 1001, quantity: 5 },
				{ product_id: 1002, quantity: 2 },
			],
			shipping_address: body.delivery_address,
			currency: 'EUR',
		});
		expect(typeof order.invoice_amount).toBe('string');
		expect(Date.parse(order.order_date)).toBeGreaterThanOrEqual(Date.parse(sim.orders[previousCount - 1].order_date));
		expect(sim.created).toEqual([body]);
		return order;
	}

	it("'echo200' answers 200 with the body echoed", async () => {
		await start({ createResponse: 'echo200' });
		sim.seedOrders(4);
		const res = await call(sim, 'POST', '/v1/orders', { token: sim.issueToken(), body });
		expect(res.status).toBe(200);
		expect(res.headers['content-type']).toMatch(/^application\/json/);
		expect(res.json()).toEqual(body);
		expectCreated(4);
		expect(sim.validationErrors).toEqual([]);
	});

	it("'created201' answers 201 without a body", async () => {
		await start({ createResponse: 'created201' });
		sim.seedOrders(4);
		const res = await call(sim, 'POST', '/v1/orders', { token: sim.issueToken(), body });
		expect(res.status).toBe(201);
		expect(res.text).toBe('');
		expect(res.headers.location).toBeUndefined();
		expectCreated(4);
		expect(sim.validationErrors).toEqual([]);
	});

	it("'location201' answers 201 with a Location of the new order", async () => {
		await start({ createResponse: 'location201' });
		sim.seedOrders(4);
		const token = sim.issueToken();
		const res = await call(sim, 'POST', '/v1/orders', { token, body });
		expect(res.status).toBe(201);
		expect(res.text).toBe('');
		expect(res.headers.location).toBe(`${sim.url}/v1/orders/2000000005`);
		const order = expectCreated(4);
		const fetched = await call(sim, 'GET', new URL(String(res.headers.location)).pathname, { token });
		expect(fetched.json()).toEqual(order);
		expect(sim.validationErrors).toEqual([]);
	});

	it('setCreateResponse switches mode at runtime; no delivery_address uses the default address', async () => {
		await start();
		sim.seedOrders(1);
		sim.setCreateResponse('created201');
		const res = await call(sim, 'POST', '/v1/orders', { token: sim.issueToken(), body: { products: [{ productId: 1001, quantity: 1 }] } });
		expect(res.status).toBe(201);
		expect(sim.orders[1].shipping_address).toEqual(expect.objectContaining({ country: expect.any(String), salutation: expect.any(String) }));
		expect(() => sim.setCreateResponse('nope' as never)).toThrow(/createResponse/);
	});
});

describe('rate limit', () => {
	it('answers 429 with Retry-After over the limit; /oauth/token is not limited', async () => {
		await start({ rateLimit: { limit: 3, windowMs: 60000, status: 429, retryAfter: true } });
		sim.seedOrders(2);
		const token = await fetchToken(sim);
		for (let i = 0; i < 3; i++) expect((await call(sim, 'GET', '/v1/orders', { token })).status).toBe(200);
		const limited = await call(sim, 'GET', '/v1/orders/2000000001', { token });
		expect(limited.status).toBe(429);
		expect(limited.json()).toMatchObject({ statusCode: 429, message: expect.any(String) });
		const retryAfter = Number(limited.headers['retry-after']);
		expect(Number.isInteger(retryAfter)).toBe(true);
		expect(retryAfter).toBeGreaterThanOrEqual(59);
		expect(retryAfter).toBeLessThanOrEqual(60);
		for (let i = 0; i < 5; i++) expect(await fetchToken(sim)).toEqual(expect.any(String));
		expect((await call(sim, 'POST', '/v1/orders', { token, body: { products: [] } })).status).toBe(429);
		expect(sim.created).toEqual([]);
	});

	it('admits requests again once the sliding window has passed', async () => {
		await start({ rateLimit: { limit: 2, windowMs: 300 } });
		const token = sim.issueToken();
		expect((await call(sim, 'GET', '/v1/orders', { token })).status).toBe(200);
		expect((await call(sim, 'GET', '/v1/orders', { token })).status).toBe(200);
		const limited = await call(sim, 'GET', '/v1/orders', { token });
		expect(limited.status).toBe(429);
		expect(limited.headers['retry-after']).toBe('1');
		await new Promise((resolve) => setTimeout(resolve, 350));
		expect((await call(sim, 'GET', '/v1/orders', { token })).status).toBe(200);
	});

	it('can omit Retry-After', async () => {
		await start({ rateLimit: { limit: 0, windowMs: 1000, retryAfter: false } });
		const res = await call(sim, 'GET', '/v1/orders', { token: sim.issueToken() });
		expect(res.status).toBe(429);
		expect(res.headers['retry-after']).toBeUndefined();
	});

	it('403 variant looks like a WAF block, distinct from a permission 403', async () => {
		await start();
		const token = sim.issueToken();
		sim.setRateLimit({ limit: 1, windowMs: 60000, status: 403 });
		expect((await call(sim, 'GET', '/v1/orders', { token })).status).toBe(200);
		const blocked = await call(sim, 'GET', '/v1/orders', { token });
		expect(blocked.status).toBe(403);
		expect(blocked.json()).toEqual({ message: 'Forbidden' });
		expect(blocked.headers['retry-after']).toBeUndefined();

		sim.setRateLimit({ limit: 0, windowMs: 60000, status: 403, retryAfter: true, body: 'html' });
		const html = await call(sim, 'GET', '/v1/orders', { token });
		expect(html.status).toBe(403);
		expect(html.headers['content-type']).toMatch(/text\/html/);
		expect(html.text).toContain('403 Forbidden');
		expect(html.headers['retry-after']).toBe('60');

		sim.setRateLimit(null);
		sim.injectFault({ kind: 403 });
		const permission = await call(sim, 'GET', '/v1/orders', { token });
		expect(permission.status).toBe(403);
		expect(permission.json()).toMatchObject({ statusCode: 403, errorCode: 'Forbidden', message: expect.stringMatching(/permission/) });
		expect((await call(sim, 'GET', '/v1/orders', { token })).status).toBe(200);
	});
});

describe('fault injection', () => {
	let token: string;
	beforeEach(async () => {
		await start();
		sim.seedOrders(5);
		token = sim.issueToken();
	});

	it("'reset' destroys the connection, once", async () => {
		sim.injectFault({ kind: 'reset' });
		await expect(call(sim, 'GET', '/v1/orders', { token })).rejects.toThrow();
		expect((await call(sim, 'GET', '/v1/orders', { token })).status).toBe(200);
		expect(sim.requests[0]).toMatchObject({ status: null, fault: 'reset' });
	});

	it("'malformed' answers 200 with invalid JSON", async () => {
		sim.injectFault({ kind: 'malformed', method: 'GET', path: '/v1/orders' });
		const res = await call(sim, 'GET', '/v1/orders', { token });
		expect(res.status).toBe(200);
		expect(res.headers['content-type']).toMatch(/application\/json/);
		expect(() => res.json()).toThrow();
	});

	it.each([
		[500, /json/, (r: CallResult) => expect(r.json()).toMatchObject({ statusCode: 500 })],
		[502, /html/, (r: CallResult) => expect(r.text).toContain('502')],
		[503, /json/, (r: CallResult) => expect(r.json()).toEqual({ message: 'Service Unavailable' })],
	] as Array<[500 | 502 | 503, RegExp, (r: CallResult) => void]>)('answers an injected %i', async (kind, type, check) => {
		sim.injectFault({ kind });
		const res = await call(sim, 'GET', '/v1/orders/2000000001', { token });
		expect(res.status).toBe(kind);
		expect(res.headers['content-type']).toMatch(type);
		check(res);
	});

	it('429 and 403throttle faults carry Retry-After when asked', async () => {
		sim.injectFault({ kind: 429, retryAfter: 7 });
		sim.injectFault({ kind: '403throttle', retryAfter: 3 });
		sim.injectFault({ kind: 429 });
		const a = await call(sim, 'GET', '/v1/orders', { token });
		expect([a.status, a.headers['retry-after']]).toEqual([429, '7']);
		const b = await call(sim, 'GET', '/v1/orders', { token });
		expect([b.status, b.headers['retry-after'], b.json()]).toEqual([403, '3', { message: 'Forbidden' }]);
		const c = await call(sim, 'GET', '/v1/orders', { token });
		expect([c.status, c.headers['retry-after']]).toEqual([429, undefined]);
	});

	it('matches method and path, and repeats `times`', async () => {
		sim.injectFault({ kind: 500, method: 'POST', path: '/v1/orders', times: 2 });
		sim.injectFault({ kind: 503, path: '/v1/orders/{order_number}' });
		expect((await call(sim, 'GET', '/v1/orders', { token })).status).toBe(200);
		expect((await call(sim, 'GET', '/v1/orders/2000000002', { token })).status).toBe(503);
		expect((await call(sim, 'GET', '/v1/orders/2000000002', { token })).status).toBe(200);
		const body = { products: [{ productId: 1001, quantity: 1 }] };
		expect((await call(sim, 'POST', '/v1/orders', { token, body })).status).toBe(500);
		expect((await call(sim, 'POST', '/v1/orders', { token, body })).status).toBe(500);
		expect(sim.created).toEqual([]);
		expect((await call(sim, 'POST', '/v1/orders', { token, body })).status).toBe(200);
		expect(sim.created).toHaveLength(1);
		expect(sim.pendingFaults).toEqual([]);
	});

	it('does not fault /oauth/token unless it is named', async () => {
		sim.injectFault({ kind: 500 });
		expect(await fetchToken(sim)).toEqual(expect.any(String));
		expect((await call(sim, 'GET', '/v1/orders', { token })).status).toBe(500);
		sim.injectFault({ kind: 500, path: '/oauth/token' });
		const res = await call(sim, 'POST', '/oauth/token', {
			headers: { authorization: basic('api-user', 's3cret-pass') },
			body: { grant_type: 'client_credentials' },
		});
		expect(res.status).toBe(500);
	});

	it("'resetAfterProcessing' creates the order, then drops the connection", async () => {
		sim.injectFault({ kind: 'resetAfterProcessing', method: 'POST' });
		const body = { products: [{ productId: 1001, quantity: 1 }] };
		await expect(call(sim, 'POST', '/v1/orders', { token, body })).rejects.toThrow();
		expect(sim.created).toEqual([body]);
		expect(sim.orders).toHaveLength(6);
		expect(sim.counts.create).toBe(1);
	});

	it('401 fault revokes the presented token', async () => {
		sim.injectFault({ kind: 401 });
		const res = await call(sim, 'GET', '/v1/orders', { token });
		expect(res.status).toBe(401);
		expect(res.json()).toMatchObject({ statusCode: 401, errorCode: 'Unauthorized' });
		expect((await call(sim, 'GET', '/v1/orders', { token })).status).toBe(401);
		expect((await call(sim, 'GET', '/v1/orders', { token: await fetchToken(sim) })).status).toBe(200);
	});

	it("'hang' never answers; close() still finishes", async () => {
		sim.injectFault({ kind: 'hang' });
		await expect(call(sim, 'GET', '/v1/orders', { token, signal: AbortSignal.timeout(200) })).rejects.toThrow();
	});

	it('rejects unknown fault kinds', () => {
		expect(() => sim.injectFault({ kind: 418 as never })).toThrow(/fault kind/);
	});

	it('random faults are reproducible for a seed and honour rate 0 / 1', async () => {
		async function statuses(seed: number): Promise<Array<number | string>> {
			const s = await startSimulator({ seed });
			try {
				s.seedOrders(3);
				s.setRandomFaults({ rate: 0.5, kinds: [500, 503, 'reset'] });
				const t = s.issueToken();
				const out: Array<number | string> = [];
				for (let i = 0; i < 20; i++) {
					try {
						out.push((await call(s, 'GET', '/v1/orders', { token: t })).status);
					} catch {
						out.push('reset');
					}
				}
				return out;
			} finally {
				await s.close();
			}
		}
		const first = await statuses(7);
		expect(await statuses(7)).toEqual(first);
		expect(first.filter((s) => s !== 200).length).toBeGreaterThan(2);
		expect(first.filter((s) => s === 200).length).toBeGreaterThan(2);

		sim.setRandomFaults({ rate: 1, kinds: [502], paths: ['/v1/orders/*'] });
		expect((await call(sim, 'GET', '/v1/orders', { token })).status).toBe(200);
		expect((await call(sim, 'GET', '/v1/orders/2000000001', { token })).status).toBe(502);
		sim.setRandomFaults({ rate: 0, kinds: [502] });
		expect((await call(sim, 'GET', '/v1/orders/2000000001', { token })).status).toBe(200);
		sim.setRandomFaults(null);
	});
});

describe('counters and request log', () => {
	it('counts every request that reached the server, including rejected and faulted ones', async () => {
		await start({ rateLimit: { limit: 6, windowMs: 60000 } });
		sim.seedOrders(3);
		const token = await fetchToken(sim);
		await call(sim, 'POST', '/oauth/token', { headers: { authorization: basic('x', 'y') }, body: { grant_type: 'client_credentials' } });
		await call(sim, 'GET', '/v1/orders', { token });
		await call(sim, 'GET', '/v1/orders?pageSize=99', { token });
		await call(sim, 'GET', '/v1/orders/2000000002', { token });
		await call(sim, 'GET', '/v1/orders/2000000002');
		await call(sim, 'POST', '/v1/orders', { token, body: { products: [{ productId: 1001, quantity: 1 }] } });
		sim.injectFault({ kind: 'reset' });
		await expect(call(sim, 'GET', '/v1/orders', { token })).rejects.toThrow();
		await call(sim, 'GET', '/v1/orders', { token }); // 7th on /v1/orders*: throttled
		await call(sim, 'GET', '/nowhere');
		expect(sim.counts).toEqual({ token: 2, list: 4, get: 2, create: 1, other: 1, total: 10 });
		expect(sim.requests.map((r) => [r.method, r.path, r.status])).toEqual([
			['POST', '/oauth/token', 200],
			['POST', '/oauth/token', 400],
			['GET', '/v1/orders', 200],
			['GET', '/v1/orders', 400],
			['GET', '/v1/orders/2000000002', 200],
			['GET', '/v1/orders/2000000002', 401],
			['POST', '/v1/orders', 200],
			['GET', '/v1/orders', null],
			['GET', '/v1/orders', 429],
			['GET', '/nowhere', 404],
		]);
		expect(sim.requests[3].query).toEqual({ pageSize: '99' });
		expect(typeof sim.requests[0].at).toBe('number');

		const counts = sim.counts;
		sim.resetCounts();
		expect(counts).toEqual({ token: 0, list: 0, get: 0, create: 0, other: 0, total: 0 });
		expect(sim.requests).toEqual([]);
		expect(sim.created).toHaveLength(1);
	});
});

describe('order data', () => {
	it('seedOrders builds realistic, spec-shaped, reproducible orders', async () => {
		await start({ seed: 42 });
		const orders = sim.seedOrders(60);
		expect(orders).toBe(sim.orders);
		expect(numbers(orders)).toEqual(Array.from({ length: 60 }, (_, i) => 2000000001 + i));
		const dates = orders.map((o) => Date.parse(o.order_date));
		expect(dates.every((d, i) => Number.isFinite(d) && (i === 0 || d > dates[i - 1]))).toBe(true);
		expect(orders.every((o) => new Date(o.order_date).toISOString() === o.order_date)).toBe(true);
		for (const o of orders) {
			expect(ORDER_TYPES).toContain(o.order_type);
			expect(typeof o.order_status).toBe('string');
			expect(typeof o.invoice_number).toBe('string');
			expect(o.invoice_amount).toMatch(/^\d+\.\d{2}$/);
			expect(o.currency).toBe('EUR');
			expect(o.products!.length).toBeGreaterThan(0);
			for (const p of o.products!) expect(p).toEqual({ product_id: expect.any(Number), quantity: expect.any(Number) });
		}
		expect(new Set(orders.map((o) => o.order_type)).size).toBeGreaterThanOrEqual(3);
		expect(new Set(orders.map((o) => o.order_status)).size).toBeGreaterThanOrEqual(3);
		expect(orders.some((o) => o.sims && o.sims.length > 0)).toBe(true);
		expect(orders.some((o) => !o.sims)).toBe(true);

		const again = await startSimulator({ seed: 42 });
		const other = await startSimulator({ seed: 43 });
		try {
			expect(again.seedOrders(60)).toEqual(orders);
			expect(other.seedOrders(60)).not.toEqual(orders);
		} finally {
			await again.close();
			await other.close();
		}
		expect(sim.seedOrders(2)).toHaveLength(2);
		expect(sim.orders).toHaveLength(2);
	});

	it('addOrder appends the next number with a later date; setOrderStatus changes the status', async () => {
		await start();
		sim.seedOrders(3);
		const added = sim.addOrder();
		expect(added.order_number).toBe(2000000004);
		expect(Date.parse(added.order_date)).toBeGreaterThan(Date.parse(sim.orders[2].order_date));
		const custom = sim.addOrder({ order_status: 'SHIPPED' });
		expect(custom).toMatchObject({ order_number: 2000000005, order_status: 'SHIPPED' });
		sim.setOrderStatus(2000000004, 'COMPLETED');
		const res = await call(sim, 'GET', '/v1/orders/2000000004', { token: sim.issueToken() });
		expect(res.json().order_status).toBe('COMPLETED');
		expect(() => sim.setOrderStatus(1, 'X')).toThrow();
	});
});

describe('spec self-check of responses', () => {
	it('validationErrors stays empty after normal traffic', async () => {
		await start({ createResponse: 'echo200' });
		sim.seedOrders(37);
		const token = await fetchToken(sim);
		for (let page = 1; page <= 5; page++) {
			for (const sort of ['order_number', '-order_date', 'order_status,order_date']) {
				expect((await call(sim, 'GET', `/v1/orders?page=${page}&pageSize=10&sort=${sort}`, { token })).status).toBe(200);
			}
		}
		for (const o of sim.orders.slice(0, 10)) {
			expect((await call(sim, 'GET', `/v1/orders/${o.order_number}`, { token })).status).toBe(200);
		}
		for (const mode of ['echo200', 'created201', 'location201'] as const) {
			sim.setCreateResponse(mode);
			const res = await call(sim, 'POST', '/v1/orders', {
				token,
				body: { products: [{ productId: 1001, quantity: 3 }], delivery_address: { salutation: '1', city: 'Berlin' }, customer_reference: mode },
			});
			expect(res.status).toBeLessThan(300);
		}
		expect((await call(sim, 'GET', '/v1/orders?page=4', { token })).status).toBe(200);
		expect(sim.validationErrors).toEqual([]);
	});

	it('records a response that breaks the spec', async () => {
		await start();
		sim.seedOrders(1);
		sim.addOrder({ invoice_amount: 19.99 as unknown as string, order_type: 'GIFT' });
		const token = sim.issueToken();
		expect((await call(sim, 'GET', '/v1/orders/2000000002', { token })).status).toBe(200);
		expect(sim.validationErrors).toEqual([
			expect.objectContaining({ kind: 'response', method: 'GET', path: '/v1/orders/2000000002', status: 200 }),
		]);
		const text = sim.validationErrors[0].errors.join('\n');
		expect(text).toContain('invoice_amount');
		expect(text).toContain('order_type');
		await call(sim, 'GET', '/v1/orders', { token });
		expect(sim.validationErrors).toHaveLength(2);
	});
});

describe('latency and shutdown', () => {
	it('adds latencyMs per request, adjustable with setLatency', async () => {
		await start({ latencyMs: 150 });
		const token = sim.issueToken();
		let t0 = Date.now();
		await call(sim, 'GET', '/v1/orders', { token });
		expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
		sim.setLatency(0);
		t0 = Date.now();
		await call(sim, 'GET', '/v1/orders', { token });
		expect(Date.now() - t0).toBeLessThan(140);
	});

	it('close() ends pending requests and keep-alive sockets, is idempotent, and frees the port', async () => {
		await start({ latencyMs: 5000 });
		const pending = call(sim, 'GET', '/v1/orders', { token: sim.issueToken() });
		await new Promise((resolve) => setTimeout(resolve, 50));
		const t0 = Date.now();
		await Promise.all([sim.close(), sim.close()]);
		expect(Date.now() - t0).toBeLessThan(1000);
		await expect(pending).rejects.toThrow();
		await expect(call(sim, 'GET', '/v1/orders')).rejects.toThrow();
	});
});

describe('SIM Management', () => {
	let token: string;
	let iccid: string;
	beforeEach(async () => {
		await start({ seed: 5 });
		sim.seedSims(25);
		sim.seedOrders(3);
		token = sim.issueToken();
		iccid = sim.sims.find((s) => s.status === 'Enabled')!.iccid;
	});
	const get = (path: string) => call(sim, 'GET', path, { token });

	it.each([
		['GET', '/v1/sims?page=2&pageSize=10&sort=-imei', undefined, 200],
		['GET', '/v1/sims/{iccid}', undefined, 200],
		['PUT', '/v1/sims/{iccid}', (i: string) => ({ iccid: i, status: 'Disabled', label: 'stolen', imei_lock: true }), 200],
		['POST', '/v1/sims', (i: string) => [{ iccid: i, status: 'Enabled' }], 201],
		['GET', '/v1/sims/{iccid}/status', undefined, 200],
		['GET', '/v1/sims/{iccid}/connectivity_info?subscriber=true&ussd=true', undefined, 200],
		['POST', '/v1/sims/{iccid}/reset', undefined, 201],
		['GET', '/v1/sims/{iccid}/events?page=1&pageSize=5&sort=-timestamp', undefined, 200],
		['GET', '/v1/sims/{iccid}/usage?start_dt=2025-01-01&end_dt=2025-01-31', undefined, 200],
		['GET', '/v1/sims/{iccid}/quota/data', undefined, 200],
		['GET', '/v1/sims/{iccid}/quota/sms', undefined, 200],
		['POST', '/v1/sims/{iccid}/sms', () => ({ payload: 'reboot', source_address: '4711', dcs: 0, source_address_type: { id: 145 } }), 201],
		['GET', '/v1/sims/{iccid}/sms?page=1&pageSize=10', undefined, 200],
		['POST', '/v1/sims/{iccid}/topup?payment_method=monthlyinvoice', undefined, 201],
	] as Array<[string, string, ((i: string) => unknown) | undefined, number]>)(
		'%s %s answers %#: a valid request, an answer that validates against the spec',
		async (method, template, body, status) => {
			const res = await call(sim, method, template.replace('{iccid}', iccid), { token, body: body?.(iccid) });
			expect(res.status).toBe(status);
			expect(sim.validationErrors).toEqual([]);
		},
	);

	it.each([
		['GET', '/v1/sims?pageSize=101', undefined, 'QueryValidationError', /pageSize/],
		['GET', '/v1/sims?page=0', undefined, 'QueryValidationError', /page/],
		['PUT', '/v1/sims/{iccid}', (i: string) => ({ iccid: i, label: 'no status' }), 'BodyValidationError', /status/],
		['PUT', '/v1/sims/{iccid}', (i: string) => ({ iccid: i, status: 'Blocked' }), 'BodyValidationError', /Enabled/],
		['PUT', '/v1/sims/{iccid}', (i: string) => ({ iccid: i, status: 'Enabled', imei_lock: 'yes' }), 'BodyValidationError', /imei_lock/],
		['POST', '/v1/sims', (i: string) => ({ iccid: i, status: 'Enabled' }), 'BodyValidationError', /array/],
		['GET', '/v1/sims/{iccid}/connectivity_info?ussd=maybe', undefined, 'QueryValidationError', /ussd/],
		['GET', '/v1/sims/{iccid}/events?pageSize=1001', undefined, 'QueryValidationError', /pageSize/],
		['GET', '/v1/sims/{iccid}/sms?pageSize=0', undefined, 'QueryValidationError', /pageSize/],
		['GET', '/v1/sims/{iccid}/sms/first', undefined, 'QueryValidationError', /id/],
		['POST', '/v1/sims/{iccid}/sms', () => ({ payload: 'x', dcs: 'zero' }), 'BodyValidationError', /dcs/],
		['POST', '/v1/sims/{iccid}/sms', () => ({ payload: 'x', source_address_type: { id: 99 } }), 'BodyValidationError', /source_address_type/],
		['POST', '/v1/sims/{iccid}/topup?payment_method=cash', undefined, 'QueryValidationError', /payment_method/],
	] as Array<[string, string, ((i: string) => unknown) | undefined, string, RegExp]>)(
		'%s %s: rejected by the spec (%#)',
		async (method, template, body, errorCode, message) => {
			const res = await call(sim, method, template.replace('{iccid}', iccid), { token, body: body?.(iccid) });
			expect(res.status).toBe(400);
			expect(res.json()).toMatchObject({ statusCode: 400, errorCode, message: expect.stringMatching(message) });
			expect(sim.validationErrors).toEqual([expect.objectContaining({ kind: 'request', method })]);
			expect(sim.topups).toEqual([]);
		},
	);

	it('a write without a JSON body, or without a token, is refused; an unknown SIM is 404', async () => {
		const raw = await call(sim, 'PUT', `/v1/sims/${iccid}`, { token, rawBody: 'status=Disabled', headers: { 'content-type': 'text/plain' } });
		expect(raw.json()).toMatchObject({ statusCode: 400, errorCode: 'BodyValidationError', message: expect.stringMatching(/Content-Type/) });
		expect((await call(sim, 'GET', `/v1/sims/${iccid}/status`)).status).toBe(401);
		for (const path of ['', '/status', '/quota/data', '/events', '/usage', '/sms']) {
			expect(await get(`/v1/sims/8988280666099999999${path}`)).toMatchObject({ status: 404 });
		}
		expect((await call(sim, 'POST', '/v1/sims/8988280666099999999/topup', { token })).status).toBe(404);
		expect(sim.orders).toHaveLength(3);
	});

	it('lists carry the paging headers and the fields a SIM trigger compares', async () => {
		const res = await get('/v1/sims?page=3&pageSize=10');
		expect(res.headers).toMatchObject({ 'x-total-pages': '3', 'x-total-count': '25', 'x-current-page': '3', 'x-count-per-page': '10' });
		expect(res.json()).toHaveLength(5);
		for (const item of res.json()) {
			expect(Object.keys(item)).toEqual(expect.arrayContaining(['status', 'current_quota', 'quota_status', 'current_quota_SMS', 'quota_status_SMS', 'label']));
		}
		const ids = sim.sims.map((s) => s.quota_status.id);
		expect(new Set(ids)).toEqual(new Set([0, 1, 2]));
		for (const s of sim.sims) expect(s.quota_status.id).toBe(s.current_quota <= 0 ? 2 : s.current_quota < 100 ? 1 : 0);
	});

	it('PUT updates one SIM and POST several; the list shows it, and an unknown or mismatched ICCID changes nothing', async () => {
		const [a, b] = sim.sims.filter((s) => s.status === 'Enabled').map((s) => s.iccid);
		expect((await call(sim, 'PUT', `/v1/sims/${a}`, { token, body: { iccid: a, status: 'Disabled', label: 'stolen', imei_lock: true } })).status).toBe(200);
		expect((await get(`/v1/sims/${a}`)).json()).toMatchObject({ status: 'Disabled', label: 'stolen', imei_lock: true });
		// Fields left out stay as they were.
		expect((await call(sim, 'PUT', `/v1/sims/${a}`, { token, body: { iccid: a, status: 'Enabled' } })).status).toBe(200);
		expect(sim.sims.find((s) => s.iccid === a)).toMatchObject({ status: 'Enabled', label: 'stolen', imei_lock: true });

		const mismatch = await call(sim, 'PUT', `/v1/sims/${a}`, { token, body: { iccid: b, status: 'Disabled' } });
		expect(mismatch.json()).toMatchObject({ statusCode: 400, errorCode: 'BodyValidationError' });
		const partly = await call(sim, 'POST', '/v1/sims', { token, body: [{ iccid: b, status: 'Disabled' }, { iccid: '8988280666099999999', status: 'Disabled' }] });
		expect(partly.status).toBe(404);
		expect(sim.sims.filter((s) => [a, b].includes(s.iccid)).map((s) => s.status)).toEqual(['Enabled', 'Enabled']);

		expect((await call(sim, 'POST', '/v1/sims', { token, body: [{ iccid: a, status: 'Disabled' }, { iccid: b, status: 'Disabled', label: 'lost' }] })).status).toBe(201);
		const listed = (await get('/v1/sims?pageSize=100')).json() as Array<{ iccid: string; status: string; label: string }>;
		expect(listed.filter((s) => [a, b].includes(s.iccid)).map((s) => [s.status, s.label])).toEqual([
			['Disabled', 'stolen'],
			['Disabled', 'lost'],
		]);
		const events = (await get(`/v1/sims/${a}/events?pageSize=1000`)).json().events.map((e: { event_type: string }) => e.event_type);
		expect(events.slice(-3)).toEqual(["Status of SIM changed from 'Enabled' to 'Disabled'", "Status of SIM changed from 'Disabled' to 'Enabled'", "Status of SIM changed from 'Enabled' to 'Disabled'"]);
	});

	it('data and SMS quota agree with the list; setSimQuota moves them and their statuses', async () => {
		const listed = sim.sims.find((s) => s.iccid === iccid)!;
		expect((await get(`/v1/sims/${iccid}/quota/data`)).json()).toMatchObject({ volume: listed.current_quota, total_volume: 500, threshold_percentage: 20 });
		expect((await get(`/v1/sims/${iccid}/quota/sms`)).json()).toMatchObject({ volume: listed.current_quota_SMS, total_volume: 250 });

		sim.setSimQuota(iccid, { data: 120, sms: 250 });
		expect((await get(`/v1/sims/${iccid}`)).json()).toMatchObject({ current_quota: 120, quota_status: { id: 0 }, current_quota_SMS: 250, quota_status_SMS: { id: 0 } });
		sim.setSimQuota(iccid, { data: 99.5 });
		const low = (await get(`/v1/sims/${iccid}`)).json();
		expect(low.quota_status).toMatchObject({ id: 1, threshold_reached_date: expect.any(String) });
		expect((await get(`/v1/sims/${iccid}/quota/data`)).json()).toMatchObject({ volume: 99.5, last_status_change_date: low.quota_status.threshold_reached_date });
		sim.setSimQuota(iccid, { data: 0, sms: 49 });
		expect((await get(`/v1/sims/${iccid}`)).json()).toMatchObject({ quota_status: { id: 2 }, quota_status_SMS: { id: 1 } });
		sim.updateSim(iccid, { quota_status: { id: 0 }, label: 'by hand' });
		expect((await get(`/v1/sims/${iccid}`)).json()).toMatchObject({ quota_status: { id: 0 }, label: 'by hand' });
		expect(() => sim.setSimQuota('nope', { data: 1 })).toThrow(/does not exist/);
		expect(sim.validationErrors).toEqual([]);
	});

	it('status and connectivity info: a disabled SIM is offline; setSimConnectivity overrides; the flags pick the parts', async () => {
		const disabled = sim.sims.find((s) => s.status === 'Disabled')!.iccid;
		expect((await get(`/v1/sims/${disabled}/status`)).json()).toMatchObject({ status: 'OFFLINE', services: [] });
		sim.setSimConnectivity(iccid, 'ONLINE');
		const online = (await get(`/v1/sims/${iccid}/status`)).json();
		expect(online).toMatchObject({ status: 'ONLINE', location: { iccid, country: { name: expect.any(String) } }, pdp_context: { ue_ip_address: expect.any(String) } });
		expect(Object.keys((await get(`/v1/sims/${iccid}/connectivity_info`)).json()).sort()).toEqual(['reply_timestamp', 'request_timestamp', 'subscriber_info']);
		const both = (await get(`/v1/sims/${iccid}/connectivity_info?subscriber=false&ussd=true`)).json();
		expect(both).toMatchObject({ ussd_info: { success: true } });
		expect(both.subscriber_info).toBeUndefined();
		expect((await call(sim, 'POST', `/v1/sims/${iccid}/reset`, { token })).status).toBe(201);
		expect((await get(`/v1/sims/${iccid}/events?sort=-timestamp&pageSize=1`)).json().events[0]).toMatchObject({ event_type: 'Connectivity reset', iccid });
		expect(() => sim.setSimConnectivity(iccid, 'DOWN' as never)).toThrow(/ONLINE/);
	});

	it('events are paged: every event once over the pages, totals in the body and the headers', async () => {
		sim.addSimEvent(iccid, { event_type: 'Update location', event_severity: 'Warn' });
		const first = await get(`/v1/sims/${iccid}/events?pageSize=4`);
		const { totalEvents, totalPages } = first.json();
		expect(totalEvents).toBeGreaterThan(2);
		expect(totalPages).toBe(Math.ceil(totalEvents / 4));
		expect(first.headers).toMatchObject({ 'x-total-count': String(totalEvents), 'x-total-pages': String(totalPages), 'x-current-page': '1', 'x-count-per-page': '4' });
		const seen = [];
		for (let page = 1; page <= totalPages + 1; page++) seen.push(...(await get(`/v1/sims/${iccid}/events?pageSize=4&page=${page}`)).json().events);
		expect(seen).toHaveLength(totalEvents);
		expect(seen.map((e) => e.timestamp)).toEqual([...seen.map((e) => e.timestamp)].sort());
		expect(seen.at(-1)).toMatchObject({ event_type: 'Update location', event_severity: 'Warn' });
		expect((await get(`/v1/sims/${iccid}/events?sort=-timestamp&pageSize=1000`)).json().events.map((e: { timestamp: string }) => e.timestamp)).toEqual(
			seen.map((e) => e.timestamp).reverse(),
		);
		expect((await get(`/v1/sims/${iccid}/events?sort=colour`)).json()).toMatchObject({ errorCode: 'QueryValidationError' });
	});

	it('usage has one record per day of the range, the last 30 days by default, and refuses bad ranges', async () => {
		const range = (await get(`/v1/sims/${iccid}/usage?start_dt=2025-02-27&end_dt=2025-03-02`)).json();
		expect(range.stats.map((d: { date: string }) => d.date.slice(0, 10))).toEqual(['2025-02-27', '2025-02-28', '2025-03-01', '2025-03-02']);
		expect(range.stats[0]).toMatchObject({ data: { volume: expect.stringMatching(/^\d+\.\d{6}$/), traffic_type: { unit: 'MB' } }, sms: { traffic_type: { unit: 'SMS' } } });
		expect((await get(`/v1/sims/${iccid}/usage?start_dt=2025-02-27&end_dt=2025-03-02`)).json()).toEqual(range);
		const recent = (await get(`/v1/sims/${iccid}/usage`)).json().stats;
		expect(recent).toHaveLength(30);
		expect(recent.at(-1).date.slice(0, 10)).toBe(new Date().toISOString().slice(0, 10));
		for (const query of ['start_dt=2025-02-30', 'start_dt=2025-03-02&end_dt=2025-02-27', 'start_dt=2024-01-01&end_dt=2024-12-31', 'end_dt=02.03.2025']) {
			expect(await get(`/v1/sims/${iccid}/usage?${query}`)).toMatchObject({ status: 400 });
		}
	});

	it('SMS: sent ones are listed and fetched by id, use one SMS of the quota; MO-SMS from addMoSms', async () => {
		const before = sim.sims.find((s) => s.iccid === iccid)!.current_quota_SMS;
		expect((await call(sim, 'POST', `/v1/sims/${iccid}/sms`, { token, body: { payload: 'ping' } })).status).toBe(201);
		expect((await call(sim, 'POST', `/v1/sims/${iccid}/sms`, { token, body: { payload: '' } })).status).toBe(400);
		expect((await call(sim, 'POST', `/v1/sims/${iccid}/sms`, { token, body: { payload: 'x', dcs: 3 } })).status).toBe(400);
		sim.addMoSms(iccid, { payload: 'pong' });
		const list = await get(`/v1/sims/${iccid}/sms`);
		expect(list.headers['x-total-count']).toBe('2');
		const [mt, mo] = list.json();
		expect(mt).toMatchObject({ iccid, payload: 'ping', sms_type: { id: 1 }, dcs: 0 });
		expect(mo).toMatchObject({ iccid, payload: 'pong', sms_type: { id: 2 } });
		expect((await get(`/v1/sims/${iccid}/sms/${mt.id}`)).json()).toEqual(mt);
		expect((await get(`/v1/sims/${iccid}/sms/${mo.id + 1}`)).status).toBe(404);
		expect(sim.sims.find((s) => s.iccid === iccid)!.current_quota_SMS).toBe(before - 1);
		expect(sim.smsOf(iccid)).toHaveLength(2);
		expect(sim.validationErrors.filter((e) => e.kind === 'response')).toEqual([]);
	});

	it('Top Up places a TOPUP order for the SIM, answers 201 with its Location, and the order list shows it', async () => {
		const quotaBefore = sim.sims.find((s) => s.iccid === iccid)!.current_quota;
		const res = await call(sim, 'POST', `/v1/sims/${iccid}/topup`, { token });
		expect(res.status).toBe(201);
		expect(res.text).toBe('');
		expect(res.headers.location).toBe(`${sim.url}/v1/orders/2000000004`);
		expect(sim.topups).toEqual([{ iccid, payment_method: 'banktransfer', order_number: 2000000004 }]);
		const listed = (await get('/v1/orders?sort=-order_number&pageSize=1')).json()[0];
		expect(listed).toMatchObject({ order_number: 2000000004, order_type: 'TOPUP', order_status: 'PENDING', sims: [{ iccid }] });
		expect((await get(new URL(String(res.headers.location)).pathname)).json()).toEqual(listed);
		// The quota arrives when 1NCE processes the order; the simulator leaves it to setSimQuota.
		expect((await get(`/v1/sims/${iccid}`)).json().current_quota).toBe(quotaBefore);
		expect(sim.validationErrors).toEqual([]);
	});

	it('controls add and remove SIMs', async () => {
		const added = sim.addSim({ status: 'Enabled', label: 'new' });
		expect(added.iccid).toBe('8988280666000000026');
		expect((await get('/v1/sims?page=3&pageSize=10')).json().at(-1)).toMatchObject({ iccid: added.iccid, label: 'new' });
		expect(() => sim.addSim({ iccid: added.iccid })).toThrow(/exists/);
		sim.removeSim(added.iccid);
		expect((await get(`/v1/sims/${added.iccid}`)).status).toBe(404);
		expect((await get('/v1/sims')).headers['x-total-count']).toBe('25');
		expect((await get(`/v1/sims/${sim.sims[0].iccid_with_luhn}`)).json().iccid).toBe(sim.sims[0].iccid);
	});
});

describe('SIM rate limit and faults', () => {
	let token: string;
	let iccid: string;
	beforeEach(async () => {
		await start({ seed: 6, simRateLimit: simRateLimitOf(1) });
		sim.seedSims(5);
		token = sim.issueToken();
		iccid = sim.sims[0].iccid;
	});

	it('the 11th request on any SIM endpoint within a second is answered 429; orders and tokens are not counted', async () => {
		expect(simRateLimitOf(1)).toEqual({ limit: 10, windowMs: 1000, status: 429 });
		const paths = ['/v1/sims', `/v1/sims/${iccid}`, `/v1/sims/${iccid}/status`, `/v1/sims/${iccid}/quota/data`, `/v1/sims/${iccid}/events`];
		const answers = await Promise.all([
			...Array.from({ length: 10 }, (_, i) => call(sim, 'GET', paths[i % paths.length], { token })),
			call(sim, 'POST', `/v1/sims/${iccid}/topup`, { token }),
			call(sim, 'GET', '/v1/orders', { token }),
		]);
		const statuses = answers.map((a) => a.status);
		expect(statuses.filter((s) => s === 429)).toHaveLength(1);
		expect(statuses.at(-1)).toBe(200);
		const throttled = answers.find((a) => a.status === 429)!;
		expect(throttled.json()).toMatchObject({ statusCode: 429, errorCode: 'TooManyRequests' });
		expect(throttled.headers['retry-after']).toBe('1');
		expect(await fetchToken(sim)).toEqual(expect.any(String));
		// A throttled Top Up placed nothing.
		expect(sim.topups.length + (statuses[10] === 429 ? 1 : 0)).toBe(1);
	});

	it('under compressed time the window shrinks by the speed and admits again once it has passed', async () => {
		sim.setSimRateLimit(simRateLimitOf(4)); // 1NCE's second is 250 ms
		const burst = await Promise.all(Array.from({ length: 11 }, () => call(sim, 'GET', '/v1/sims', { token })));
		expect(burst.filter((a) => a.status === 429)).toHaveLength(1);
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect((await call(sim, 'GET', '/v1/sims', { token })).status).toBe(200);
		expect(() => simRateLimitOf(0)).toThrow(/speed/);
	});

	it('faults on the Top Up POST: 500, reset and hang place nothing; resetAfterProcessing places it and drops the answer', async () => {
		sim.setSimRateLimit(null);
		const path = '/v1/sims/{iccid}/topup';
		sim.injectFault({ kind: 500, method: 'POST', path });
		expect((await call(sim, 'POST', `/v1/sims/${iccid}/topup`, { token })).status).toBe(500);
		sim.injectFault({ kind: 'reset', method: 'POST', path });
		await expect(call(sim, 'POST', `/v1/sims/${iccid}/topup`, { token })).rejects.toThrow();
		sim.injectFault({ kind: 'hang', method: 'POST', path });
		await expect(call(sim, 'POST', `/v1/sims/${iccid}/topup`, { token, signal: AbortSignal.timeout(200) })).rejects.toThrow();
		expect(sim.topups).toEqual([]);
		expect(sim.orders).toEqual([]);

		sim.injectFault({ kind: 'resetAfterProcessing', method: 'POST', path });
		await expect(call(sim, 'POST', `/v1/sims/${iccid}/topup`, { token })).rejects.toThrow();
		expect(sim.topups).toHaveLength(1);
		expect(sim.orders.map((o) => o.order_type)).toEqual(['TOPUP']);
		expect(sim.requests.map((r) => r.fault)).toEqual([500, 'reset', 'hang', 'resetAfterProcessing']);
	});

	it('refuseConnections: a new connection is refused (nothing reaches the simulator) until acceptConnections', async () => {
		sim.refuseConnections();
		const refused = await new Promise<string | undefined>((resolve) => {
			const socket = net.connect(sim.port, '127.0.0.1');
			socket.on('connect', () => (socket.destroy(), resolve(undefined)));
			socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code));
		});
		expect(refused).toBe('ECONNREFUSED');
		expect(sim.requests).toEqual([]);
		await sim.acceptConnections();
		const fresh = new Agent();
		try {
			const res = await request(`${sim.url}/v1/sims/${iccid}/topup`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, dispatcher: fresh });
			expect(res.statusCode).toBe(201);
			await res.body.dump();
		} finally {
			await fresh.close();
		}
		expect(sim.topups).toHaveLength(1);
	});
});

describe('SIM data at scale', () => {
	it('10,000 seeded SIMs are the same for a seed, listed in 100 pages, and found by ICCID', async () => {
		await start({ seed: 'scale' });
		const first = JSON.stringify(sim.seedSims(10_000));
		const again = await startSimulator({ seed: 'scale' });
		try {
			expect(JSON.stringify(again.seedSims(10_000))).toBe(first);
		} finally {
			await again.close();
		}
		const token = sim.issueToken();
		const last = await call(sim, 'GET', '/v1/sims?page=100&pageSize=100', { token });
		expect(last.headers['x-total-pages']).toBe('100');
		expect(last.json().at(-1).iccid).toBe(sim.sims[9_999].iccid);
		expect((await call(sim, 'GET', `/v1/sims/${sim.sims[9_999].iccid}/quota/data`, { token })).json().volume).toBe(sim.sims[9_999].current_quota);
		const statuses = (await call(sim, 'GET', `/v1/sims/${sim.sims[4_321].iccid}/events?pageSize=1000`, { token })).json();
		expect((await call(sim, 'GET', `/v1/sims/${sim.sims[4_321].iccid}/events?pageSize=1000`, { token })).json()).toEqual(statuses);
	});
});
