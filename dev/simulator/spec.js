'use strict';
/**
 * Loads the 1NCE Order Management OpenAPI document and builds the openapi-backend instance
 * that routes and validates simulator traffic.
 *
 * The spec is the single source of truth: schemas are never retyped here. The only change made
 * to the loaded document is a mechanical, meaning-preserving translation of OpenAPI 3.0 boolean
 * `exclusiveMinimum` / `exclusiveMaximum` into the numeric JSON-Schema form, because
 * openapi-backend 5 (Ajv 8, draft-07) rejects the boolean form the published spec uses
 * (`exclusiveMinimum: false`), which would otherwise leave the router empty.
 */
const fs = require('node:fs');
const path = require('node:path');
const yaml = require('js-yaml');
const { OpenAPIBackend } = require('openapi-backend');

/** Project root: this file lives in <root>/dev/simulator/. */
const PROJECT_ROOT = path.resolve(__dirname, '../..');

/** @returns {string} absolute path of the spec file (env ONENCE_SPEC_PATH overrides) */
function resolveSpecPath() {
	const override = process.env.ONENCE_SPEC_PATH;
	if (override) return path.resolve(override);
	return path.join(PROJECT_ROOT, 'spec', 'order-management.openapi.yml');
}

/**
 * Rewrites OpenAPI 3.0 boolean exclusive bounds into draft-06+ numeric bounds (returns a copy).
 * `{minimum: 1, exclusiveMinimum: false}` -> `{minimum: 1}`;
 * `{minimum: 1, exclusiveMinimum: true}` -> `{exclusiveMinimum: 1}`.
 * @param {unknown} node
 * @returns {any}
 */
function normalizeExclusiveBounds(node) {
	if (Array.isArray(node)) return node.map(normalizeExclusiveBounds);
	if (!node || typeof node !== 'object') return node;
	/** @type {Record<string, any>} */
	const out = {};
	for (const [key, value] of Object.entries(node)) out[key] = normalizeExclusiveBounds(value);
	for (const [exclusive, bound] of [
		['exclusiveMinimum', 'minimum'],
		['exclusiveMaximum', 'maximum'],
	]) {
		if (typeof out[exclusive] !== 'boolean') continue;
		if (out[exclusive] && typeof out[bound] === 'number') {
			out[exclusive] = out[bound];
			delete out[bound];
		} else {
			delete out[exclusive];
		}
	}
	return out;
}

/**
 * Parses the spec file as published (no normalisation).
 * @param {string} [specPath]
 * @returns {any}
 */
function loadSpecDocument(specPath = resolveSpecPath()) {
	return yaml.load(fs.readFileSync(specPath, 'utf8'));
}

/** RFC 3339 date-time, the meaning of OpenAPI `format: date-time`. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** @param {string} value */
function isDateTime(value) {
	return DATE_TIME.test(value) && !Number.isNaN(Date.parse(value));
}

/** @type {Map<string, Promise<{ api: any, document: any, specPath: string }>>} */
const cache = new Map();

/**
 * Returns an initialised openapi-backend for the spec (cached per spec path; it holds no
 * per-request state, so simulators share it). `document` is the normalised, un-dereferenced spec.
 * @param {string} [specPath]
 * @returns {Promise<{ api: any, document: any, specPath: string }>}
 */
function getSpecApi(specPath = resolveSpecPath()) {
	let entry = cache.get(specPath);
	if (!entry) {
		entry = (async () => {
			const document = normalizeExclusiveBounds(loadSpecDocument(specPath));
			const api = new OpenAPIBackend({
				definition: structuredClone(document),
				strict: true, // the (normalised) spec must itself be valid OpenAPI
				quick: false,
				ajvOpts: { allErrors: true },
				customizeAjv: (ajv) => {
					ajv.addFormat('date-time', { type: 'string', validate: isDateTime });
					return ajv;
				},
			});
			await api.init();
			return { api, document, specPath };
		})();
		entry.catch(() => cache.delete(specPath));
		cache.set(specPath, entry);
	}
	return entry;
}

/**
 * Turns Ajv errors from openapi-backend into readable sentences.
 * @param {Array<{ instancePath: string, message?: string, keyword: string, params: any }>} errors
 * @param {'request' | 'response'} kind
 * @returns {string[]}
 */
function describeErrors(errors, kind) {
	const seen = new Set();
	const lines = [];
	for (const error of errors || []) {
		const where = describeLocation(error.instancePath, kind);
		let text = `${where} ${error.message || 'is invalid'}`;
		if (error.keyword === 'enum' && Array.isArray(error.params.allowedValues)) {
			text += `: ${error.params.allowedValues.map((/** @type {unknown} */ v) => JSON.stringify(v)).join(', ')}`;
		}
		if (error.keyword === 'required' && error.instancePath === '' && error.params.missingProperty === 'requestBody') {
			text = 'request body is required';
		}
		if (!seen.has(text)) {
			seen.add(text);
			lines.push(text);
		}
	}
	return lines;
}

/**
 * @param {string} instancePath e.g. /query/pageSize, /path/order_number, /requestBody/products/0/quantity
 * @param {'request' | 'response'} kind
 */
function describeLocation(instancePath, kind) {
	const parts = instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
	if (kind === 'response') return parts.length ? `response body field '${dotted(parts)}'` : 'response body';
	const [section, ...rest] = parts;
	if (section === 'query' && rest.length) return `query parameter '${dotted(rest)}'`;
	if (section === 'path' && rest.length) return `path parameter '${dotted(rest)}'`;
	if (section === 'headers' && rest.length) return `header '${dotted(rest)}'`;
	if (section === 'requestBody') return rest.length ? `body field '${dotted(rest)}'` : 'request body';
	return 'request';
}

/** @param {string[]} parts */
function dotted(parts) {
	return parts.map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i ? `.${p}` : p)).join('');
}

/**
 * True when an Ajv error concerns the request body (or its absence).
 * @param {{ instancePath: string, params: any }} error
 */
function isBodyError(error) {
	return (
		error.instancePath.startsWith('/requestBody') ||
		(error.instancePath === '' && error.params && error.params.missingProperty === 'requestBody')
	);
}

module.exports = {
	PROJECT_ROOT,
	resolveSpecPath,
	loadSpecDocument,
	normalizeExclusiveBounds,
	getSpecApi,
	describeErrors,
	isBodyError,
	isDateTime,
};
