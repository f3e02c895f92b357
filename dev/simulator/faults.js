'use strict';
/**
 * Fault injection: one-shot (or `times`) faults queued by tests, and random faults drawn from a
 * seeded PRNG. A fault pre-empts normal handling of the request it matches (except
 * 'resetAfterProcessing', which lets the request take effect and then drops the connection).
 */
const { createPrng } = require('./prng');
const { throttleAnswer, permissionDenied } = require('./rate-limit');

/** @typedef {429 | 403 | '403throttle' | 500 | 502 | 503 | 401 | 'reset' | 'resetAfterProcessing' | 'malformed' | 'hang'} FaultKind */
const KINDS = [429, 403, '403throttle', 500, 502, 503, 401, 'reset', 'resetAfterProcessing', 'malformed', 'hang'];

/**
 * @typedef {object} FaultSpec
 * @property {FaultKind} kind
 * @property {string} [method]   e.g. 'GET' (any when omitted)
 * @property {string | RegExp} [path]  exact path, glob with '*', template with '{param}', or RegExp.
 *   When omitted: every path except /oauth/* (the token endpoint is only faulted when named).
 * @property {number} [retryAfter]  seconds for a Retry-After header (kinds 429, '403throttle', 503)
 * @property {number} [times]    how many matching requests get it (default 1; Infinity allowed)
 * @property {'json' | 'html'} [body]  body style of a '403throttle' fault
 *
 * @typedef {object} RandomFaultConfig
 * @property {number} rate       probability per matching request, 0..1
 * @property {FaultKind[]} kinds drawn uniformly
 * @property {Array<string | RegExp>} [paths]  as FaultSpec.path (default: all but /oauth/*)
 * @property {string[]} [methods]
 * @property {number} [retryAfter]  Retry-After seconds sent with random 429, '403throttle' and 503 faults
 */

class FaultInjector {
	/** @param {number | string} seed */
	constructor(seed) {
		this.rng = createPrng(`${seed}:faults`);
		/** @type {Array<{ spec: FaultSpec, matchPath: (p: string) => boolean, remaining: number }>} */
		this.queue = [];
		/** @type {{ config: RandomFaultConfig, matchers: Array<(p: string) => boolean> } | null} */
		this.random = null;
	}

	/** @param {FaultSpec} spec */
	inject(spec) {
		const kind = normaliseKind(spec && spec.kind);
		const times = spec.times ?? 1;
		if (!(times >= 1)) throw new TypeError('injectFault: times must be >= 1');
		this.queue.push({ spec: { ...spec, kind }, matchPath: pathMatcher(spec.path), remaining: times });
	}

	/** @param {RandomFaultConfig | null} config */
	setRandom(config) {
		if (!config) {
			this.random = null;
			return;
		}
		if (!(config.rate >= 0 && config.rate <= 1)) throw new TypeError('setRandomFaults: rate must be within 0..1');
		if (!Array.isArray(config.kinds) || !config.kinds.length) throw new TypeError('setRandomFaults: kinds must be a non-empty array');
		const kinds = config.kinds.map(normaliseKind);
		const matchers = config.paths && config.paths.length ? config.paths.map(pathMatcher) : [pathMatcher(undefined)];
		this.random = { config: { ...config, kinds }, matchers };
	}

	clear() {
		this.queue.length = 0;
		this.random = null;
	}

	/** Queued faults not yet used up. */
	get pending() {
		return this.queue.map(({ spec, remaining }) => ({ ...spec, remaining }));
	}

	/**
	 * The fault for this request, if any (consumes one use of a queued fault).
	 * @param {string} method
	 * @param {string} path
	 * @returns {FaultSpec & { source: 'injected' | 'random' } | null}
	 */
	take(method, path) {
		const index = this.queue.findIndex(
			(f) => (!f.spec.method || f.spec.method.toUpperCase() === method) && f.matchPath(path),
		);
		if (index >= 0) {
			const fault = this.queue[index];
			fault.remaining--;
			if (fault.remaining <= 0) this.queue.splice(index, 1);
			return { ...fault.spec, source: 'injected' };
		}
		const random = this.random;
		if (!random) return null;
		const { config, matchers } = random;
		if (config.methods && !config.methods.some((m) => m.toUpperCase() === method)) return null;
		if (!matchers.some((m) => m(path))) return null;
		if (this.rng.next() >= config.rate) return null;
		return { kind: this.rng.pick(config.kinds), retryAfter: config.retryAfter, source: 'random' };
	}
}

/**
 * The HTTP answer of a status-code fault (429, 403, '403throttle', 500, 502, 503, 401, 'malformed').
 * @param {FaultSpec} fault
 * @returns {import('./http').Answer}
 */
function faultAnswer(fault) {
	switch (fault.kind) {
		case 429:
			return throttleAnswer(429, fault.retryAfter);
		case '403throttle':
			return throttleAnswer(403, fault.retryAfter, fault.body);
		case 403:
			return permissionDenied();
		case 401:
			return {
				status: 401,
				headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
				json: { statusCode: 401, errorCode: 'Unauthorized', message: 'The access token is invalid, expired or revoked' },
			};
		case 500:
			return { status: 500, json: { statusCode: 500, errorCode: 'InternalServerError', message: 'Internal server error' } };
		case 502:
			return {
				status: 502,
				contentType: 'text/html',
				text: '<html>\n<head><title>502 Bad Gateway</title></head>\n<body>\n<center><h1>502 Bad Gateway</h1></center>\n</body>\n</html>\n',
			};
		case 503:
			return {
				status: 503,
				headers: fault.retryAfter !== undefined ? { 'Retry-After': String(fault.retryAfter) } : {},
				json: { message: 'Service Unavailable' },
			};
		case 'malformed':
			return { status: 200, contentType: 'application/json', text: '[{"order_number":2000000001,"order_type":"FIRST_ORD' };
		default:
			throw new Error(`faultAnswer: ${String(fault.kind)} is not an HTTP answer`);
	}
}

/** @param {unknown} kind @returns {FaultKind} */
function normaliseKind(kind) {
	const value = typeof kind === 'string' && /^\d+$/.test(kind) ? Number(kind) : kind;
	if (!KINDS.includes(/** @type {any} */ (value))) {
		throw new TypeError(`Unknown fault kind ${JSON.stringify(kind)}; expected one of ${KINDS.join(', ')}`);
	}
	return /** @type {FaultKind} */ (value);
}

/**
 * @param {string | RegExp | undefined} pattern
 * @returns {(path: string) => boolean}
 */
function pathMatcher(pattern) {
	if (pattern === undefined || pattern === null) return (p) => !p.startsWith('/oauth/');
	if (pattern instanceof RegExp) return (p) => pattern.test(p);
	if (!/[*{]/.test(pattern)) return (p) => p === pattern;
	const source = pattern
		.split(/(\*|\{[^}]*\})/)
		.map((part) => (part === '*' ? '.*' : /^\{[^}]*\}$/.test(part) ? '[^/]+' : part.replace(/[.+?^$()|[\]\\]/g, '\\$&')))
		.join('');
	const regex = new RegExp(`^${source}$`);
	return (p) => regex.test(p);
}

module.exports = { FaultInjector, faultAnswer, FAULT_KINDS: KINDS };
