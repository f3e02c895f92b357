'use strict';
/**
 * Request budgets: one on /v1/orders* and /v1/products, like 1NCE's "100 requests per 5 minutes per IP", and
 * one on /v1/sims*, like 1NCE's "10 requests per second per customer". Windows are real milliseconds, so a
 * test that compresses the package's time by `speed` divides the window by it (simRateLimitOf).
 * Only admitted requests use up the budget, so Retry-After is exact.
 * Also owns the bodies of "throttled" answers (429, and the WAF-style 403).
 */

/**
 * @typedef {object} RateLimitConfig
 * @property {number} [limit]        requests admitted per window (default 100)
 * @property {number} [windowMs]     window length (default 300000)
 * @property {429 | 403} [status]    answer when over the limit (default 429)
 * @property {boolean} [retryAfter]  send Retry-After seconds (default: true for 429, false for 403)
 * @property {'sliding' | 'fixed'} [mode]  window kind (default 'sliding')
 * @property {'json' | 'html'} [body]  403 body: {"message":"Forbidden"} (default) or an HTML page
 */

class RateLimiter {
	/** @param {RateLimitConfig | null | undefined} config */
	constructor(config) {
		/** @type {Required<RateLimitConfig> | null} */
		this.config = normaliseConfig(config);
		/** @type {number[]} admitted timestamps (sliding mode), live part starts at `head` */
		this.hits = [];
		this.head = 0;
		/** fixed mode: index of the current window and requests admitted in it */
		this.windowIndex = -1;
		this.windowCount = 0;
		this.origin = Date.now();
	}

	/**
	 * Replaces the configuration and forgets past requests.
	 * @param {RateLimitConfig | null | undefined} config
	 */
	set(config) {
		this.config = normaliseConfig(config);
		this.hits = [];
		this.head = 0;
		this.windowIndex = -1;
		this.windowCount = 0;
		this.origin = Date.now();
	}

	/**
	 * Records a request. Returns null when admitted, otherwise the throttle answer.
	 * @param {number} now
	 */
	hit(now) {
		const config = this.config;
		if (!config) return null;
		let waitMs;
		if (config.mode === 'fixed') {
			const index = Math.floor((now - this.origin) / config.windowMs);
			if (index !== this.windowIndex) {
				this.windowIndex = index;
				this.windowCount = 0;
			}
			if (this.windowCount < config.limit) {
				this.windowCount++;
				return null;
			}
			waitMs = this.origin + (index + 1) * config.windowMs - now;
		} else {
			while (this.head < this.hits.length && this.hits[this.head] <= now - config.windowMs) this.head++;
			if (this.head > 1024 && this.head * 2 > this.hits.length) {
				this.hits = this.hits.slice(this.head);
				this.head = 0;
			}
			if (this.hits.length - this.head < config.limit) {
				this.hits.push(now);
				return null;
			}
			waitMs = config.limit === 0 ? config.windowMs : this.hits[this.head] + config.windowMs - now;
		}
		return throttleAnswer(config.status, config.retryAfter ? Math.max(1, Math.ceil(waitMs / 1000)) : undefined, config.body);
	}
}

/**
 * @param {RateLimitConfig | null | undefined} config
 * @returns {Required<RateLimitConfig> | null}
 */
function normaliseConfig(config) {
	if (!config) return null;
	const status = config.status ?? 429;
	if (status !== 429 && status !== 403) throw new TypeError('rateLimit.status must be 429 or 403');
	const limit = config.limit ?? 100;
	const windowMs = config.windowMs ?? 300000;
	if (!(limit >= 0) || !(windowMs > 0)) throw new TypeError('rateLimit needs limit >= 0 and windowMs > 0');
	const mode = config.mode ?? 'sliding';
	if (mode !== 'sliding' && mode !== 'fixed') throw new TypeError("rateLimit.mode must be 'sliding' or 'fixed'");
	return { limit, windowMs, status, retryAfter: config.retryAfter ?? status === 429, mode, body: config.body ?? 'json' };
}

const WAF_HTML =
	'<html>\n<head><title>403 Forbidden</title></head>\n<body>\n<center><h1>403 Forbidden</h1></center>\n</body>\n</html>\n';

/**
 * Answer of a throttled request.
 * 429: {statusCode:429, errorCode:'TooManyRequests', message}.
 * 403: a web-application-firewall block: {"message":"Forbidden"} or an HTML page, unlike the
 * API's own permission 403 (see permissionDenied()).
 * @param {429 | 403} status
 * @param {number | undefined} retryAfterSeconds
 * @param {'json' | 'html'} [body]
 */
function throttleAnswer(status, retryAfterSeconds, body = 'json') {
	/** @type {Record<string, string>} */
	const headers = {};
	if (retryAfterSeconds !== undefined) headers['Retry-After'] = String(retryAfterSeconds);
	if (status === 429) {
		return {
			status,
			headers,
			json: { statusCode: 429, errorCode: 'TooManyRequests', message: 'Too many requests: rate limit exceeded, retry later' },
		};
	}
	if (body === 'html') return { status, headers, text: WAF_HTML, contentType: 'text/html' };
	return { status, headers: { ...headers, 'x-amzn-ErrorType': 'ForbiddenException' }, json: { message: 'Forbidden' } };
}

/** The API's own 403: the user lacks permission (not throttling). */
function permissionDenied() {
	return {
		status: 403,
		json: {
			statusCode: 403,
			errorCode: 'Forbidden',
			message: 'The user does not have permission to access this resource (only Owner and API User accounts may use the API)',
		},
	};
}

/**
 * 1NCE's SIM limit, 10 requests per second, for a package clock running `speed` times faster than real time.
 * @param {number} [speed]
 * @returns {RateLimitConfig}
 */
function simRateLimitOf(speed = 1) {
	if (!(speed > 0)) throw new TypeError('simRateLimitOf(speed): speed must be > 0');
	return { limit: 10, windowMs: 1000 / speed, status: 429 };
}

module.exports = { RateLimiter, throttleAnswer, permissionDenied, simRateLimitOf };
