// Shared by the tests that drive a real n8n (test/e2e, test/queue): a stand-in chat webhook and a poll-until.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** Stands in for a chat webhook: records the alert texts the example workflows post. */
export async function startSink() {
	const texts: string[] = [];
	const server = http.createServer((req, res) => {
		let body = '';
		req.on('data', (chunk) => (body += chunk));
		req.on('end', () => {
			texts.push(JSON.parse(body).text);
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end('{"ok":true}');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/chat`;
	return { texts, url, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** Waits until `check` holds, looking every 250 ms; fails naming `what` after `timeoutMs`. */
export async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number) {
	const deadline = Date.now() + timeoutMs;
	while (!(await check())) {
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}
