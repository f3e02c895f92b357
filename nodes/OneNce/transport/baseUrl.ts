export const DEFAULT_BASE_URL = 'https://api.1nce.com/management-api';

const LOOPBACK_HOSTS = new Set(['localhost', '[::1]', '::1']);

function isLoopback(hostname: string): boolean {
	return LOOPBACK_HOSTS.has(hostname) || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/**
 * The base URL without trailing slashes, or a plain-language reason thrown. Plain http only on loopback, so the
 * API password and tokens never cross a network unencrypted.
 */
export function normalizeBaseUrl(raw: unknown): string {
	const text = typeof raw === 'string' && raw.trim() !== '' ? raw.trim() : DEFAULT_BASE_URL;
	if (!URL.canParse(text)) throw new Error(`The 1NCE base URL "${text}" is not a valid URL`);
	const url = new URL(text);
	if (url.username || url.password) {
		throw new Error('The 1NCE base URL must not contain a user name or password');
	}
	if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
		throw new Error(
			`The 1NCE base URL must use https (plain http is only accepted for localhost), got "${url.protocol}//${url.host}"`,
		);
	}
	return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

/**
 * normalizeBaseUrl as an n8n expression, for the credential's declarative Test request (which cannot call
 * code): blank means 1NCE's own API; surrounding spaces, a query, a fragment and trailing slashes go. What
 * normalizeBaseUrl refuses, the credential's preAuthentication refuses before this URL is ever used.
 */
export const BASE_URL_EXPRESSION = `={{ (String($credentials.baseUrl || "").trim() || "${DEFAULT_BASE_URL}").replace(/[?#].*$/, "").replace(/\\/+$/, "") }}`;

/** The base URL as accounts are keyed by it: normalised, or as typed when it is invalid (the request then fails on its own). */
function baseUrlKey(raw: unknown): string {
	try {
		return normalizeBaseUrl(raw);
	} catch {
		return String(raw ?? '');
	}
}

/** The one key of the account a credential reaches: base URL and user name, no secret (never the password). */
export function accountKey(credentials: { baseUrl?: unknown; username?: unknown }): string {
	return `${baseUrlKey(credentials.baseUrl)}\n${String(credentials.username ?? '').trim()}`;
}
