// normalizeBaseUrl: https everywhere, plain http only on loopback, no credentials in the URL.
import { DEFAULT_BASE_URL, normalizeBaseUrl } from '../nodes/OneNce/transport/baseUrl';

test.each([undefined, null, '', '   ', 42])('%j means 1NCE’s own API', (raw) => {
	expect(normalizeBaseUrl(raw)).toBe(DEFAULT_BASE_URL);
});

test.each([
	['https://api.1nce.com/management-api/', 'https://api.1nce.com/management-api'],
	['https://api.1nce.com/management-api///', 'https://api.1nce.com/management-api'],
	['  https://example.com/  ', 'https://example.com'],
	['https://example.com:8443/base?x=1#frag', 'https://example.com:8443/base'],
	['HTTPS://EXAMPLE.COM/Path', 'https://example.com/Path'],
	['http://127.0.0.1:3000', 'http://127.0.0.1:3000'],
	['http://127.8.9.10/x/', 'http://127.8.9.10/x'],
	['http://localhost:5678/api', 'http://localhost:5678/api'],
	['http://[::1]:8080', 'http://[::1]:8080'],
])('%s → %s', (raw, normalized) => {
	expect(normalizeBaseUrl(raw)).toBe(normalized);
});

test.each([
	'http://example.invalid',
	'http://api.1nce.com/management-api',
	'http://10.0.0.1',
	'http://127.0.0.1.nip.io',
	'http://localhost.example.com',
	'http://0.0.0.0',
	'ftp://127.0.0.1',
	'file:///etc/passwd',
])('%s is refused: https only (http for localhost)', (raw) => {
	expect(() => normalizeBaseUrl(raw)).toThrow(/must use https \(plain http is only accepted for localhost\)/);
});

test('a user name or password in the URL is refused without repeating it', () => {
	let message = '';
	try {
		normalizeBaseUrl('https://api-user:hunter2@api.1nce.com/management-api');
	} catch (error) {
		message = (error as Error).message;
	}
	expect(message).toBe('The 1NCE base URL must not contain a user name or password');
});

test.each(['not a url', 'api.1nce.com/management-api', '//api.1nce.com'])('%j is not a URL', (raw) => {
	expect(() => normalizeBaseUrl(raw)).toThrow(/is not a valid URL/);
});
