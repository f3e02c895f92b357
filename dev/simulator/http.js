'use strict';
/**
 * Small HTTP helpers: request classification, body reading, query logging, answer writing.
 */

/** Largest request body accepted (bytes). */
const MAX_BODY = 1024 * 1024;

/**
 * @typedef {object} Answer
 * @property {number} status
 * @property {any} [json]            JSON body (sent as application/json)
 * @property {string} [text]         raw body (with contentType)
 * @property {string} [contentType]
 * @property {Record<string, string>} [headers]
 * @property {string} [operationId]  spec operation whose responses this answer must satisfy
 */

/**
 * Counter bucket of a request.
 * @param {string} method upper case
 * @param {string} path
 * @returns {'token' | 'list' | 'get' | 'create' | 'other'}
 */
function classify(method, path) {
	if (path === '/oauth/token') return 'token';
	if (path === '/v1/orders' || path === '/v1/orders/') {
		if (method === 'GET') return 'list';
		if (method === 'POST') return 'create';
		return 'other';
	}
	if (method === 'GET' && /^\/v1\/orders\/[^/]+\/?$/.test(path)) return 'get';
	return 'other';
}

/** @param {string} path */
function isOrdersPath(path) {
	return path === '/v1/orders' || path.startsWith('/v1/orders/');
}

/**
 * @param {URLSearchParams} params
 * @returns {Record<string, string | string[]>}
 */
function queryObject(params) {
	/** @type {Record<string, string | string[]>} */
	const out = {};
	for (const [key, value] of params) {
		const existing = out[key];
		out[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
	}
	return out;
}

/**
 * Reads the whole request body.
 * @param {import('node:http').IncomingMessage} req
 * @returns {Promise<Buffer>} rejects with code 'TOO_LARGE' above MAX_BODY
 */
function readBody(req) {
	return new Promise((resolve, reject) => {
		/** @type {Buffer[]} */
		const chunks = [];
		let size = 0;
		req.on('data', (/** @type {Buffer} */ chunk) => {
			size += chunk.length;
			if (size > MAX_BODY) {
				reject(Object.assign(new Error('Request body too large'), { code: 'TOO_LARGE' }));
				req.resume();
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

/**
 * Writes an answer.
 * @param {import('node:http').ServerResponse} res
 * @param {Answer} answer
 */
function writeAnswer(res, answer) {
	/** @type {Record<string, string | number>} */
	const headers = { ...(answer.headers || {}) };
	let body = '';
	if (answer.json !== undefined) {
		body = JSON.stringify(answer.json);
		headers['Content-Type'] = 'application/json';
	} else if (answer.text !== undefined) {
		body = answer.text;
		headers['Content-Type'] = answer.contentType || 'text/plain; charset=utf-8';
	}
	headers['Content-Length'] = Buffer.byteLength(body);
	res.writeHead(answer.status, headers);
	res.end(body);
}

module.exports = { classify, isOrdersPath, queryObject, readBody, writeAnswer, MAX_BODY };
