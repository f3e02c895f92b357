'use strict';
/**
 * The three order endpoints: routing and request validation by openapi-backend against the
 * spec, bearer authentication, then list / get / create on the OrderStore.
 */
const { describeErrors, isBodyError } = require('./spec');
const { parseSort } = require('./orders');
const { parseJsonBody, headerValue } = require('./spec-route');

/** @typedef {import('./http').Answer} Answer */

/**
 * @typedef {object} OrderRouteContext
 * @property {any} api                        initialised openapi-backend
 * @property {import('./orders').OrderStore} store
 * @property {import('./auth').TokenStore} tokens
 * @property {() => string} createResponse    current createResponse mode
 * @property {string} baseUrl
 * @property {(entry: { kind: 'request', method: string, path: string, errors: string[] }) => void} recordValidationError
 * @property {(body: any) => void} recordCreated
 */

/**
 * @param {OrderRouteContext} sim
 * @param {{ method: string, path: string, url: URL, headers: import('node:http').IncomingHttpHeaders, body: Buffer }} req
 * @returns {Answer}
 */
function handleOrderRequest(sim, req) {
	const { method, path, url, headers } = req;
	const query = url.search.slice(1);
	/** @type {Record<string, any>} */
	const specRequest = { method, path, query, headers };
	const operation = sim.api.matchOperation(specRequest);
	if (!operation) return { status: 404, json: { message: `Not Found: no route for ${method} ${path}` } };
	const operationId = operation.operationId;

	const auth = sim.tokens.authorize(headerValue(headers.authorization));
	if (!('token' in auth)) return { ...auth, operationId };

	/** @param {'BodyValidationError' | 'QueryValidationError'} errorCode @param {string[]} problems */
	const reject = (errorCode, problems) => {
		sim.recordValidationError({ kind: 'request', method, path, errors: problems });
		return {
			status: 400,
			operationId,
			json: { statusCode: 400, errorCode, message: `Request validation failed: ${problems.join('; ')}` },
		};
	};

	if (operation.requestBody) {
		const parsed = parseJsonBody(headers, req.body);
		if ('error' in parsed) return reject('BodyValidationError', [parsed.error]);
		if (parsed.body !== undefined) specRequest.body = parsed.body;
	}

	const validation = sim.api.validateRequest(specRequest, operation);
	if (!validation.valid) {
		const errors = validation.errors || [];
		const bodyFailed = errors.some(isBodyError);
		return reject(bodyFailed ? 'BodyValidationError' : 'QueryValidationError', describeErrors(errors, 'request'));
	}

	switch (operationId) {
		case 'getOrdersUsingGET':
			return listOrders(sim, url.searchParams, reject, operationId);
		case 'getOrderUsingGET':
			return getOrder(sim, path, operationId);
		case 'postOrderUsingPOST':
			return createOrder(sim, specRequest.body, operationId);
		default:
			return { status: 404, json: { message: `Not Found: ${method} ${path} is not simulated` } };
	}
}

/**
 * @param {OrderRouteContext} sim
 * @param {URLSearchParams} params
 * @param {(code: 'QueryValidationError', problems: string[]) => Answer} reject
 * @param {string} operationId
 * @returns {Answer}
 */
function listOrders(sim, params, reject, operationId) {
	const sort = parseSort(params.get('sort') ?? undefined);
	if ('error' in sort) return reject('QueryValidationError', [sort.error]);
	const page = Number(params.get('page') ?? 1);
	const pageSize = Number(params.get('pageSize') ?? 10);
	const result = sim.store.page({ page, pageSize, sort: sort.keys });
	return {
		status: 200,
		operationId,
		headers: {
			'X-Total-Pages': String(result.totalPages),
			'X-Total-Count': String(result.totalCount),
			'X-Current-Page': String(page),
			'X-Count-Per-Page': String(pageSize),
		},
		json: result.items,
	};
}

/**
 * @param {OrderRouteContext} sim
 * @param {string} path
 * @param {string} operationId
 * @returns {Answer}
 */
function getOrder(sim, path, operationId) {
	const raw = decodeURIComponent(path.replace(/\/$/, '').split('/').pop() || '');
	const orderNumber = Number(raw);
	const order = sim.store.find(orderNumber);
	if (!order) {
		return { status: 404, operationId, json: { statusCode: 404, errorCode: 'NotFound', message: `Order ${raw} not found` } };
	}
	return { status: 200, operationId, json: order };
}

/**
 * @param {OrderRouteContext} sim
 * @param {any} body  a request body already validated as Additional_Order
 * @param {string} operationId
 * @returns {Answer}
 */
function createOrder(sim, body, operationId) {
	const order = sim.store.createFromRequest(body);
	sim.recordCreated(body);
	switch (sim.createResponse()) {
		case 'created201':
			return { status: 201, operationId };
		case 'location201':
			return { status: 201, operationId, headers: { Location: `${sim.baseUrl}/v1/orders/${order.order_number}` } };
		default:
			return { status: 200, operationId, json: body };
	}
}

module.exports = { handleOrderRequest };
