'use strict';
/**
 * Spec-driven routing for the simulator's read-only APIs beside orders (products, SIMs): match the request
 * to an operation of its own OpenAPI document, check the bearer token, validate the query, and check the
 * answer against the document before it is written. The orders API keeps its own route (routes.js).
 */
const { describeErrors } = require('./spec');

/** @typedef {import('./http').Answer} Answer */

/**
 * @typedef {object} SpecRouteContext
 * @property {any} api   initialised openapi-backend of the document
 * @property {import('./auth').TokenStore} tokens
 * @property {(entry: { kind: 'request' | 'response', method: string, path: string, status?: number, errors: string[] }) => void} recordValidationError
 */

/**
 * @param {SpecRouteContext} context
 * @param {{ method: string, path: string, url: URL, headers: import('node:http').IncomingHttpHeaders }} req
 * @param {(operationId: string, req: { url: URL, path: string }) => Answer} handle
 * @returns {Answer}
 */
function routeBySpec(context, req, handle) {
	const { method, path, url, headers } = req;
	const specRequest = { method, path, query: url.search.slice(1), headers };
	const operation = context.api.matchOperation(specRequest);
	if (!operation) return { status: 404, json: { message: `Not Found: no route for ${method} ${path}` } };
	const auth = context.tokens.authorize(headerValue(headers.authorization));
	if (!('token' in auth)) return auth;
	const validation = context.api.validateRequest(specRequest, operation);
	if (!validation.valid) {
		const problems = describeErrors(validation.errors || [], 'request');
		context.recordValidationError({ kind: 'request', method, path, errors: problems });
		return {
			status: 400,
			json: { statusCode: 400, errorCode: 'QueryValidationError', message: `Request validation failed: ${problems.join('; ')}` },
		};
	}
	const answer = handle(operation.operationId, { url, path });
	checkAnswer(context, { method, path }, operation, answer);
	return answer;
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

module.exports = { routeBySpec, pagingHeaders };
