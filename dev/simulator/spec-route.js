'use strict';
/**
 * Spec-driven routing for the simulator's APIs beside orders (products, SIMs): match the request to an
 * operation of its own OpenAPI document, check the bearer token, validate the query, path and JSON body,
 * and check the answer against the document before it is written. The orders API keeps its own route
 * (routes.js) but shares the body reading here.
 */
const { describeErrors, isBodyError } = require('./spec');

/** @typedef {import('./http').Answer} Answer */

/**
 * @typedef {object} SpecRouteContext
 * @property {any} api   initialised openapi-backend of the document
 * @property {import('./auth').TokenStore} tokens
 * @property {(entry: { kind: 'request' | 'response', method: string, path: string, status?: number, errors: string[] }) => void} recordValidationError
 */

/**
 * @typedef {object} RouteRequest
 * @property {string} method
 * @property {string} path
 * @property {URL} url
 * @property {import('node:http').IncomingHttpHeaders} headers
 * @property {Buffer} [body]
 */

/**
 * @typedef {object} Matched
 * @property {URL} url
 * @property {string} path
 * @property {Record<string, string>} params  path parameters, decoded
 * @property {any} body                       the parsed, validated JSON body (undefined without one)
 */

/**
 * @param {SpecRouteContext} context
 * @param {RouteRequest} req
 * @param {(operationId: string, req: Matched) => Answer} handle
 * @returns {Answer}
 */
function routeBySpec(context, req, handle) {
	const { method, path, url, headers } = req;
	/** @type {Record<string, any>} */
	const specRequest = { method, path, query: url.search.slice(1), headers };
	const operation = context.api.matchOperation(specRequest);
	if (!operation) return { status: 404, json: { message: `Not Found: no route for ${method} ${path}` } };
	const auth = context.tokens.authorize(headerValue(headers.authorization));
	if (!('token' in auth)) return auth;
	/** @param {'BodyValidationError' | 'QueryValidationError'} errorCode @param {string[]} problems */
	const reject = (errorCode, problems) => {
		context.recordValidationError({ kind: 'request', method, path, errors: problems });
		return { status: 400, json: { statusCode: 400, errorCode, message: `Request validation failed: ${problems.join('; ')}` } };
	};
	if (operation.requestBody) {
		const parsed = parseJsonBody(headers, req.body ?? Buffer.alloc(0));
		if ('error' in parsed) return reject('BodyValidationError', [parsed.error]);
		if (parsed.body !== undefined) specRequest.body = parsed.body;
	}
	const validation = context.api.validateRequest(specRequest, operation);
	if (!validation.valid) {
		const errors = validation.errors || [];
		return reject(errors.some(isBodyError) ? 'BodyValidationError' : 'QueryValidationError', describeErrors(errors, 'request'));
	}
	const params = context.api.router.parseRequest(specRequest, operation).params || {};
	const answer = handle(operation.operationId, { url, path, params, body: specRequest.body });
	checkAnswer(context, { method, path }, operation, answer);
	return answer;
}

/**
 * A request body as JSON: it must be declared application/json; an empty body stays undefined (the
 * validator then says whether the operation requires one).
 * @param {import('node:http').IncomingHttpHeaders} headers
 * @param {Buffer} body
 * @returns {{ body: any } | { error: string }}
 */
function parseJsonBody(headers, body) {
	const contentType = headerValue(headers['content-type']);
	if (!/^application\/json\s*(;|$)/i.test(contentType)) {
		return { error: `Content-Type must be application/json (got ${contentType ? JSON.stringify(contentType) : 'none'})` };
	}
	const text = body.toString('utf8');
	if (text.trim() === '') return { body: undefined };
	try {
		return { body: JSON.parse(text) };
	} catch (error) {
		return { error: `request body is not valid JSON (${/** @type {Error} */ (error).message})` };
	}
}

/**
 * @param {SpecRouteContext} context
 * @param {{ method: string, path: string }} where
 * @param {any} operation
 * @param {Answer} answer
 */
function checkAnswer(context, where, operation, answer) {
	/** @type {string[]} */
	let problems = [];
	if (answer.status >= 200 && answer.status < 300 && !(operation.responses || {})[String(answer.status)]) {
		problems.push(`status ${answer.status} is not declared for ${operation.operationId}`);
	}
	if (answer.json !== undefined && answer.status >= 200 && answer.status < 300) {
		const result = context.api.validateResponse(answer.json, operation, answer.status);
		if (!result.valid) problems = problems.concat(describeErrors(result.errors, 'response'));
	}
	if (problems.length) context.recordValidationError({ kind: 'response', ...where, status: answer.status, errors: problems });
}

/** @param {string | string[] | undefined} value */
function headerValue(value) {
	return Array.isArray(value) ? value[0] : value || '';
}

/**
 * The paging headers 1NCE documents on its list endpoints.
 * @param {{ page: number, pageSize: number, totalCount: number }} p
 */
function pagingHeaders({ page, pageSize, totalCount }) {
	return {
		'X-Total-Pages': String(Math.ceil(totalCount / pageSize)),
		'X-Total-Count': String(totalCount),
		'X-Current-Page': String(page),
		'X-Count-Per-Page': String(pageSize),
	};
}

module.exports = { routeBySpec, pagingHeaders, parseJsonBody, headerValue };
