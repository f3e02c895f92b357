'use strict';
/**
 * startSimulator(): a loopback HTTP server playing https://api.1nce.com/management-api for the order,
 * product and SIM endpoints and /oauth/token, with counters, a request log, fault injection, rate limits
 * and spec self-checks of every answer. The control methods of the returned object are listed in index.js.
 */
const http = require('node:http');
const { getSpecApi, describeErrors } = require('./spec');
const { OrderStore } = require('./orders');
const { TokenStore } = require('./auth');
const { FaultInjector, faultAnswer } = require('./faults');
const { RateLimiter } = require('./rate-limit');
const { handleOrderRequest } = require('./routes');
const { classify, isOrdersPath, queryObject, readBody, writeAnswer } = require('./http');
const { PROJECT_ROOT } = require('./spec');
const { ProductStore, handleProductRequest, isProductsPath } = require('./products');
const { SimStore, isSimsPath } = require('./sims');
const { SimNetwork } = require('./sim-network');
const { SmsStore } = require('./sim-sms');
const { handleSimRequest } = require('./sim-routes');

const CREATE_RESPONSES = ['echo200', 'created201', 'location201'];

/**
 * @typedef {object} SimulatorOptions
 * @property {string} [username]            default 'api-user'
 * @property {string} [password]            default 's3cret-pass'
 * @property {number} [tokenTtlSeconds]     default 3600
 * @property {number} [latencyMs]           default 0
 * @property {import('./rate-limit').RateLimitConfig | null} [rateLimit]  default null
 * @property {'echo200' | 'created201' | 'location201'} [createResponse]  default 'echo200'
 * @property {number | string} [seed]       default 1
 * @property {number} [port]                default 0 (ephemeral)
 * @property {string} [specPath]            default: env ONENCE_SPEC_PATH or <project>/spec/order-management.openapi.yml
 * @property {import('./rate-limit').RateLimitConfig | null} [simRateLimit]  limit on every /v1/sims* request, default null;
 *   1NCE's is simRateLimitOf(1) (10 per second per customer), simRateLimitOf(speed) under compressed time
 */

/**
 * @param {SimulatorOptions} [options]
 */
async function startSimulator(options = {}) {
	const opts = {
		username: 'api-user',
		password: 's3cret-pass',
		tokenTtlSeconds: 3600,
		latencyMs: 0,
		rateLimit: null,
		createResponse: 'echo200',
		seed: 1,
		port: 0,
		...options,
	};
	checkCreateResponse(opts.createResponse);
	const { api, document } = await getSpecApi(opts.specPath);

	const store = new OrderStore({ document, seed: opts.seed });
	const tokens = new TokenStore(opts);
	const faults = new FaultInjector(opts.seed);
	const rateLimiter = new RateLimiter(opts.rateLimit);
	// SIM Management has its own allowance (10 per second), apart from orders and products.
	const simRateLimiter = new RateLimiter(opts.simRateLimit);
	const products = new ProductStore();
	const simStore = new SimStore(opts.seed);
	const simNetwork = new SimNetwork(opts.seed);
	const smsStore = new SmsStore();
	/** @type {Array<{ iccid: string, payment_method: string, order_number: number }>} */
	const topups = [];
	const productsContext = { api: (await getSpecApi(`${PROJECT_ROOT}/spec/products.openapi.json`)).api, tokens, products, recordValidationError: (/** @type {any} */ entry) => validationErrors.push(entry) };
	const simsContext = {
		api: (await getSpecApi(`${PROJECT_ROOT}/spec/sim-management.openapi.json`)).api,
		tokens,
		sims: simStore,
		network: simNetwork,
		sms: smsStore,
		orders: store,
		baseUrl: () => routeContext.baseUrl,
		recordValidationError: (/** @type {any} */ entry) => validationErrors.push(entry),
		recordTopup: (/** @type {typeof topups[number]} */ topup) => topups.push(topup),
	};
	/** Requests to the products and SIM APIs (they count as 'other' in `counts`). */
	const resourceCounts = { products: 0, simList: 0, simGet: 0 };
	let latencyMs = opts.latencyMs;
	let createResponse = opts.createResponse;
	let closed = false;

	const counts = { token: 0, list: 0, get: 0, create: 0, other: 0, total: 0 };
	/** @type {Array<{ method: string, path: string, query: Record<string, string | string[]>, status: number | null, at: number, fault?: string | number }>} */
	const requests = [];
	/** @type {any[]} */
	const created = [];
	/** @type {Array<{ kind: 'request' | 'response', method: string, path: string, status?: number, errors: string[] }>} */
	const validationErrors = [];
	/** @type {Set<{ timer: NodeJS.Timeout, resolve: () => void }>} */
	const sleepers = new Set();
	/**
	 * Called once a request's body has arrived, before latency, faults and handling: lets a test act at
	 * that moment (e.g. kill the n8n worker that sent a Create while the simulator still processes it).
	 * @type {Set<(entry: typeof requests[number], body: Buffer) => void>}
	 */
	const requestListeners = new Set();

	/** @param {number} ms */
	const sleep = (ms) =>
		new Promise((resolve) => {
			const sleeper = { timer: setTimeout(() => (sleepers.delete(sleeper), resolve(undefined)), ms), resolve: () => resolve(undefined) };
			sleepers.add(sleeper);
		});

	const routeContext = {
		api,
		store,
		tokens,
		createResponse: () => createResponse,
		baseUrl: '',
		recordValidationError: (/** @type {any} */ entry) => validationErrors.push(entry),
		recordCreated: (/** @type {any} */ body) => created.push(body),
	};

	/**
	 * Self-check of an order-endpoint answer against the spec, then write it (or drop the socket).
	 * @param {{ req: http.IncomingMessage, res: http.ServerResponse, method: string, path: string, entry: typeof requests[number], dropAfter: boolean }} ctx
	 * @param {import('./http').Answer} answer
	 */
	const reply = (ctx, answer) => {
		if (closed || ctx.res.destroyed) return;
		if (answer.operationId) checkResponse(ctx, answer);
		if (ctx.dropAfter) {
			ctx.req.socket.destroy();
			return;
		}
		ctx.entry.status = answer.status;
		writeAnswer(ctx.res, answer);
	};

	/**
	 * @param {{ method: string, path: string }} ctx
	 * @param {import('./http').Answer} answer
	 */
	const checkResponse = (ctx, answer) => {
		const operation = api.getOperation(answer.operationId);
		/** @type {string[]} */
		let problems = [];
		if (answer.status >= 200 && answer.status < 300 && !(operation.responses || {})[String(answer.status)]) {
			problems.push(`status ${answer.status} is not declared for ${answer.operationId}`);
		}
		if (answer.json !== undefined) {
			const result = api.validateResponse(answer.json, operation, answer.status);
			if (!result.valid) problems = problems.concat(describeErrors(result.errors, 'response'));
		}
		if (problems.length) {
			validationErrors.push({ kind: 'response', method: ctx.method, path: ctx.path, status: answer.status, errors: problems });
		}
	};

	/**
	 * @param {http.IncomingMessage} req
	 * @param {http.ServerResponse} res
	 */
	const onRequest = async (req, res) => {
		const url = new URL(req.url || '/', 'http://127.0.0.1');
		const method = (req.method || 'GET').toUpperCase();
		const path = url.pathname;
		const category = classify(method, path);
		counts[category]++;
		counts.total++;
		if (method === 'GET' && isProductsPath(path)) resourceCounts.products++;
		else if (method === 'GET' && (path === '/v1/sims' || path === '/v1/sims/')) resourceCounts.simList++;
		else if (method === 'GET' && isSimsPath(path)) resourceCounts.simGet++;
		const entry = { method, path, query: queryObject(url.searchParams), status: /** @type {number | null} */ (null), at: Date.now() };
		requests.push(entry);
		const ctx = { req, res, method, path, entry, dropAfter: false };

		let body;
		try {
			body = await readBody(req);
		} catch (error) {
			if (/** @type {{ code?: string }} */ (error).code === 'TOO_LARGE') reply(ctx, { status: 413, json: { message: 'Payload Too Large' } });
			return;
		}
		for (const listener of requestListeners) listener(entry, body);
		if (latencyMs > 0) await sleep(latencyMs);
		if (closed) return;

		const throttled =
			isOrdersPath(path) || isProductsPath(path)
				? rateLimiter.hit(Date.now())
				: isSimsPath(path)
					? simRateLimiter.hit(Date.now())
					: null;
		const fault = faults.take(method, path);
		if (fault) {
			/** @type {any} */ (entry).fault = fault.kind;
			if (fault.kind === 'reset') {
				req.socket.destroy();
				return;
			}
			if (fault.kind === 'hang') return; // never answered; close() destroys the socket
			if (fault.kind === 'resetAfterProcessing') {
				ctx.dropAfter = true;
			} else {
				if (fault.kind === 401) {
					const presented = /^Bearer\s+(\S+)/i.exec(String(req.headers.authorization || ''));
					if (presented) tokens.revoke(presented[1]);
				}
				reply(ctx, faultAnswer(fault));
				return;
			}
		}
		if (throttled) {
			reply(ctx, throttled);
			return;
		}

		if (path === '/oauth/token') {
			reply(
				ctx,
				method === 'POST'
					? tokens.handleTokenRequest({ headers: req.headers, body })
					: { status: 405, headers: { Allow: 'POST' }, json: { message: 'Method Not Allowed' } },
			);
		} else if (isOrdersPath(path)) {
			reply(ctx, handleOrderRequest(routeContext, { method, path, url, headers: req.headers, body }));
		} else if (isProductsPath(path)) {
			reply(ctx, handleProductRequest(productsContext, { method, path, url, headers: req.headers }));
		} else if (isSimsPath(path)) {
			reply(ctx, handleSimRequest(simsContext, { method, path, url, headers: req.headers, body }));
		} else {
			reply(ctx, { status: 404, json: { message: `Not Found: no route for ${method} ${path}` } });
		}
	};

	const server = http.createServer((req, res) => {
		onRequest(req, res).catch((error) => {
			if (closed || res.headersSent || res.destroyed) return;
			writeAnswer(res, { status: 500, json: { statusCode: 500, errorCode: 'SimulatorError', message: String(error && error.stack) } });
		});
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(opts.port, '127.0.0.1', () => resolve(undefined));
	});
	const address = /** @type {import('node:net').AddressInfo} */ (server.address());
	const url = `http://127.0.0.1:${address.port}`;
	routeContext.baseUrl = url;

	/** @type {Promise<void> | null} */
	let closing = null;
	let refusing = false;

	const sim = {
		url,
		port: address.port,
		username: opts.username,
		password: opts.password,
		/** The 1NCE API credential's fields for this simulator, as a user would fill them in. */
		credentialData: () => ({ username: opts.username, password: opts.password, baseUrl: url, accessToken: '' }),
		get orders() {
			return store.orders;
		},
		counts,
		requests,
		created,
		validationErrors,
		/** @param {number} n */
		seedOrders: (n) => store.seed(n),
		/** @param {Record<string, any>} [partial] */
		addOrder: (partial) => store.add(partial),
		/** @param {number} orderNumber @param {string} status */
		setOrderStatus: (orderNumber, status) => store.setStatus(orderNumber, status),
		/** @param {import('./faults').FaultSpec} spec */
		injectFault: (spec) => faults.inject(spec),
		/** @param {import('./faults').RandomFaultConfig | null} config */
		setRandomFaults: (config) => faults.setRandom(config),
		clearFaults: () => faults.clear(),
		get pendingFaults() {
			return faults.pending;
		},
		expireTokens: () => tokens.expireAll(),
		/** Issues a valid token directly (no HTTP request, not counted). */
		issueToken: () => tokens.issue(),
		resourceCounts,
		get products() {
			return products.products;
		},
		/** @param {import('./products').Product[]} list */
		setProducts: (list) => products.set(list),
		get sims() {
			return simStore.sims;
		},
		/** @param {number} n @param {import('./sims').SeedSimsOptions} [seedOptions] */
		seedSims: (n, seedOptions) => simStore.seed(n, seedOptions),
		/** @param {Record<string, any>} [partial] */
		addSim: (partial) => simStore.add(partial),
		/** @param {string} iccid */
		removeSim: (iccid) => simStore.remove(iccid),
		/** @param {string} iccid @param {Record<string, any>} partial */
		updateSim: (iccid, partial) => simStore.update(iccid, partial),
		/** @param {string} iccid @param {import('./sims').SimQuota} quota */
		setSimQuota: (iccid, quota) => simStore.setQuota(iccid, quota),
		/** @param {string} iccid @param {import('./sim-network').ConnectivityStatus} status */
		setSimConnectivity: (iccid, status) => simNetwork.setConnectivity(simStore.require(iccid, 'setSimConnectivity').iccid, status),
		/** @param {string} iccid @param {Record<string, any>} event */
		addSimEvent: (iccid, event) => simNetwork.record(simStore.require(iccid, 'addSimEvent'), event),
		/** @param {string} iccid @param {Record<string, any>} [fields] */
		addMoSms: (iccid, fields = {}) => smsStore.add(simStore.require(iccid, 'addMoSms'), fields, 'MO'),
		/** @param {string} iccid */
		smsOf: (iccid) => smsStore.of(simStore.require(iccid, 'smsOf').iccid),
		/** Top Ups placed (POST /v1/sims/{iccid}/topup), in order. */
		topups,
		/** @param {import('./rate-limit').RateLimitConfig | null} config */
		setSimRateLimit: (config) => simRateLimiter.set(config),
		/**
		 * Stops listening, so new connections are refused (ECONNREFUSED), and closes idle keep-alive ones;
		 * a request already on an open connection is still answered. acceptConnections() listens again.
		 */
		refuseConnections: () => {
			if (!refusing && !closed) {
				refusing = true;
				server.close();
				server.closeIdleConnections();
			}
		},
		/** Listens again on the same port after refuseConnections(). */
		acceptConnections: () =>
			new Promise((resolve, reject) => {
				if (!refusing || closed) return resolve(undefined);
				server.once('error', reject);
				server.listen(address.port, '127.0.0.1', () => {
					server.off('error', reject);
					refusing = false;
					resolve(undefined);
				});
			}),
		resetCounts: () => {
			for (const key of Object.keys(counts)) counts[/** @type {keyof typeof counts} */ (key)] = 0;
			for (const key of Object.keys(resourceCounts)) resourceCounts[/** @type {keyof typeof resourceCounts} */ (key)] = 0;
			requests.length = 0;
		},
		/**
		 * Subscribe to arrived requests (body read, not yet answered); returns the unsubscribe function.
		 * @param {(entry: typeof requests[number], body: Buffer) => void} listener
		 */
		onRequest: (listener) => {
			requestListeners.add(listener);
			return () => requestListeners.delete(listener);
		},
		/** @param {number} ms */
		setLatency: (ms) => {
			latencyMs = ms;
		},
		/** @param {import('./rate-limit').RateLimitConfig | null} config */
		setRateLimit: (config) => rateLimiter.set(config),
		/** @param {'echo200' | 'created201' | 'location201'} mode */
		setCreateResponse: (mode) => {
			checkCreateResponse(mode);
			createResponse = mode;
		},
		close: () => {
			if (!closing) {
				closed = true;
				for (const sleeper of sleepers) {
					clearTimeout(sleeper.timer);
					sleeper.resolve();
				}
				sleepers.clear();
				closing = new Promise((resolve) => server.close(() => resolve()));
				server.closeAllConnections(); // keep-alive, pending and hanging sockets alike
			}
			return closing;
		},
	};
	return sim;
}

/** @param {unknown} mode */
function checkCreateResponse(mode) {
	if (!CREATE_RESPONSES.includes(/** @type {string} */ (mode))) {
		throw new TypeError(`createResponse must be one of ${CREATE_RESPONSES.join(', ')}`);
	}
}

module.exports = { startSimulator };
