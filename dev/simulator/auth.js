'use strict';
/**
 * OAuth token issuance (POST /oauth/token, HTTP Basic + client_credentials) and bearer checks.
 * Every token call issues a new token; older tokens stay valid until they expire.
 */
const crypto = require('node:crypto');

const TOKEN_LENGTH = 3000;

class TokenStore {
	/**
	 * @param {{ username: string, password: string, tokenTtlSeconds: number }} opts
	 */
	constructor({ username, password, tokenTtlSeconds }) {
		this.username = username;
		this.password = password;
		this.tokenTtlSeconds = tokenTtlSeconds;
		/** @type {Map<string, number>} token -> expiry (epoch ms) */
		this.tokens = new Map();
		this.userId = uuidFrom(`1nce-sim-user:${username}`);
	}

	issue() {
		const now = Date.now();
		for (const [token, expiresAt] of this.tokens) if (expiresAt <= now) this.tokens.delete(token);
		const expiresAt = now + this.tokenTtlSeconds * 1000;
		const token = makeJwtLikeToken({ sub: this.userId, iat: Math.floor(now / 1000), exp: Math.floor(expiresAt / 1000), scope: 'all' });
		this.tokens.set(token, expiresAt);
		return token;
	}

	/** @param {string} token */
	isValid(token) {
		const expiresAt = this.tokens.get(token);
		return expiresAt !== undefined && expiresAt > Date.now();
	}

	/** @param {string} token */
	revoke(token) {
		this.tokens.delete(token);
	}

	expireAll() {
		this.tokens.clear();
	}

	/**
	 * Handles POST /oauth/token. Returns the HTTP answer to send.
	 * @param {{ headers: import('node:http').IncomingHttpHeaders, body: Buffer }} req
	 * @returns {{ status: number, json: object }}
	 */
	handleTokenRequest({ headers, body }) {
		const credentials = parseBasic(headers.authorization);
		if (!credentials) {
			return badRequest('AuthValidationError', 'Missing or malformed Authorization header: HTTP Basic authentication with the API username and password is required');
		}
		const contentType = String(headers['content-type'] || '');
		if (!/^application\/json\s*(;|$)/i.test(contentType)) {
			return badRequest('BodyValidationError', `Content-Type must be application/json (got ${contentType ? JSON.stringify(contentType) : 'none'})`);
		}
		let parsed;
		try {
			parsed = JSON.parse(body.toString('utf8'));
		} catch {
			return badRequest('BodyValidationError', 'Request body is not valid JSON; expected {"grant_type":"client_credentials"}');
		}
		if (!parsed || typeof parsed !== 'object' || parsed.grant_type !== 'client_credentials') {
			return badRequest('BodyValidationError', 'body.grant_type must be "client_credentials"');
		}
		if (credentials.username !== this.username || credentials.password !== this.password) {
			return badRequest('BadCredentials', 'Incorrect username or password');
		}
		return {
			status: 200,
			json: {
				status_code: 200,
				access_token: this.issue(),
				token_type: 'bearer',
				expires_in: this.tokenTtlSeconds,
				userId: this.userId,
				scope: 'all',
			},
		};
	}

	/**
	 * Checks `Authorization: Bearer <token>`. Returns null when authorised, else the 401 answer.
	 * @param {string | undefined} header
	 * @returns {{ token: string } | { status: number, json: object, headers: Record<string, string> }}
	 */
	authorize(header) {
		const match = /^Bearer\s+(\S+)\s*$/i.exec(header || '');
		if (!match) return unauthorized('Missing or malformed Authorization header; expected "Bearer <access_token>"');
		if (!this.isValid(match[1])) return unauthorized('The access token is invalid, expired or revoked');
		return { token: match[1] };
	}
}

/** @param {string} message */
function unauthorized(message) {
	return {
		status: 401,
		json: { statusCode: 401, errorCode: 'Unauthorized', message },
		headers: { 'WWW-Authenticate': 'Bearer' },
	};
}

/**
 * @param {string} errorCode
 * @param {string} message
 */
function badRequest(errorCode, message) {
	return { status: 400, json: { statusCode: 400, errorCode, message } };
}

/** @param {string | undefined} header */
function parseBasic(header) {
	const match = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header || '');
	if (!match) return null;
	const decoded = Buffer.from(match[1], 'base64').toString('utf8');
	const colon = decoded.indexOf(':');
	if (colon < 0) return null;
	return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * A token shaped like 1NCE's (a long JWT): header.payload.signature, TOKEN_LENGTH chars.
 * @param {object} payload
 */
function makeJwtLikeToken(payload) {
	const b64 = (/** @type {object} */ v) => Buffer.from(JSON.stringify(v)).toString('base64url');
	const head = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64({ ...payload, jti: crypto.randomUUID() })}.`;
	const signatureLength = Math.max(64, TOKEN_LENGTH - head.length);
	return head + crypto.randomBytes(signatureLength).toString('base64url').slice(0, signatureLength);
}

/** @param {string} text */
function uuidFrom(text) {
	const h = crypto.createHash('sha256').update(text).digest('hex');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

module.exports = { TokenStore };
