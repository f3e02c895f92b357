// The way a user would list orders without this package. Preferred: n8n's own HTTP Request node (v4.2, from
// the real n8n 1.x that dev/n8n/n8n-install.js caches in .cache/n8n-1), run in the same in-process engine
// as this package: one node fetches a token, a second lists orders with its pagination option ("update a
// parameter in each request": page = $pageCount + 1, pageSize 10, complete when the response is empty).
// Fallback when that n8n is not installed: a plain sequential page loop that makes the same requests.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { root } = require('../bootstrap');

const HTTP_REQUEST_VERSION = 4.2;

function n8nCache() {
	const { CACHE_ROOT } = require(path.join(root, 'dev/n8n/n8n-install'));
	return path.join(CACHE_ROOT, 'n8n-1');
}

/** n8n-nodes-base's HTTP Request node from the cached real n8n, or undefined when it is not installed. */
function cachedHttpRequestNode() {
	const dir = n8nCache();
	// The marker is written last by ensureN8n: without it the install is missing or half done.
	if (!fs.existsSync(path.join(dir, '.installed.json'))) return undefined;
	const base = path.join(dir, 'node_modules', 'n8n-nodes-base');
	const { HttpRequest } = require(path.join(base, 'dist/nodes/HttpRequest/HttpRequest.node.js'));
	return {
		node: new HttpRequest().nodeVersions[HTTP_REQUEST_VERSION],
		n8nVersion: require(path.join(dir, 'node_modules', 'n8n', 'package.json')).version,
		nodesBaseVersion: require(path.join(base, 'package.json')).version,
	};
}

function httpRequestBaseline(loaded) {
	const { createEngine } = require(path.join(root, 'dev/engine/n8n-engine'));
	const engine = createEngine({ nodeTypes: { httpRequest: loaded.node }, credentialTypes: [] });
	const type = 'n8n-nodes-base.httpRequest';
	return {
		name: 'http-request-node',
		short: "n8n's HTTP Request node, pagination",
		label: `n8n's HTTP Request node v${HTTP_REQUEST_VERSION} (n8n ${loaded.n8nVersion}, n8n-nodes-base ${loaded.nodesBaseVersion}) with its pagination option, a token node before it`,
		async listAll(sim) {
			const basic = Buffer.from(`${sim.username}:${sim.password}`).toString('base64');
			const result = await engine.run({
				nodes: [
					{
						name: 'Token',
						type,
						typeVersion: HTTP_REQUEST_VERSION,
						parameters: {
							method: 'POST',
							url: `${sim.url}/oauth/token`,
							sendHeaders: true,
							headerParameters: { parameters: [{ name: 'Authorization', value: `Basic ${basic}` }] },
							sendBody: true,
							contentType: 'json',
							specifyBody: 'keypair',
							bodyParameters: { parameters: [{ name: 'grant_type', value: 'client_credentials' }] },
							options: {},
						},
					},
					{
						name: 'Orders',
						type,
						typeVersion: HTTP_REQUEST_VERSION,
						parameters: {
							method: 'GET',
							url: `${sim.url}/v1/orders`,
							sendQuery: true,
							queryParameters: { parameters: [{ name: 'pageSize', value: '10' }] },
							sendHeaders: true,
							headerParameters: { parameters: [{ name: 'Authorization', value: '=Bearer {{ $json.access_token }}' }] },
							options: {
								pagination: {
									pagination: {
										paginationMode: 'updateAParameterInEachRequest',
										parameters: { parameters: [{ type: 'qs', name: 'page', value: '={{ $pageCount + 1 }}' }] },
										paginationCompleteWhen: 'responseIsEmpty',
										limitPagesFetched: false,
										requestInterval: 0,
									},
								},
							},
						},
					},
				],
			});
			if (result.error) throw new Error(`HTTP Request baseline failed: ${result.error.message}`);
			return result.json('Orders');
		},
		close: () => engine.shutdown(),
	};
}

const pageLoopBaseline = {
	name: 'page-loop',
	short: 'naive sequential page loop',
	label: 'a plain sequential page loop doing what an HTTP Request node with pagination does (a token, then page 1, 2, ... until an empty page)',
	async listAll(sim) {
		const basic = Buffer.from(`${sim.username}:${sim.password}`).toString('base64');
		const tokenResponse = await fetch(`${sim.url}/oauth/token`, {
			method: 'POST',
			headers: { Authorization: `Basic ${basic}`, 'Content-Type': 'application/json' },
			body: JSON.stringify({ grant_type: 'client_credentials' }),
		});
		const { access_token: token } = await tokenResponse.json();
		const orders = [];
		for (let page = 1; ; page++) {
			const response = await fetch(`${sim.url}/v1/orders?page=${page}&pageSize=10`, {
				headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
			});
			if (!response.ok) throw new Error(`naive loop: page ${page} answered ${response.status}`);
			const body = await response.json();
			if (body.length === 0) return orders;
			orders.push(...body);
		}
	},
	close() {},
};

/**
 * The baseline to compare with. `mode`: 'auto' (the HTTP Request node when the cached n8n is there, else the
 * loop), 'http' (install n8n into the cache first if needed: minutes when cold), 'loop'.
 */
async function chooseBaseline(mode = 'auto') {
	if (mode === 'loop') return pageLoopBaseline;
	const fallback = { ...pageLoopBaseline, label: `${pageLoopBaseline.label}; n8n's own node not used: no n8n 1.x in .cache/n8n-1 (--naive http installs it)` };
	if (mode === 'http') await require(path.join(root, 'dev/n8n/n8n-install')).ensureN8n(1);
	else if (mode !== 'auto') throw new Error(`--naive must be auto, http or loop, not ${mode}`);
	const loaded = cachedHttpRequestNode();
	if (loaded) return httpRequestBaseline(loaded);
	if (mode === 'http') throw new Error('n8n 1.x is installed but its HTTP Request node did not load');
	return fallback;
}

module.exports = { chooseBaseline, pageLoopBaseline };
