'use strict';
/**
 * Proves the e2e harness on a real n8n 1.x and 2.x with a throwaway community package
 * (fixtures/hello-package, not product code):
 *   - packed with `npm pack`, installed like a Community Nodes install, type `n8n-nodes-hello-e2e.helloE2e`;
 *   - `n8n execute` of Manual Trigger -> Hello E2E prints {hello: 'world'};
 *   - a credential with preAuthentication: token fetched once, stored by n8n, reused by a 2nd execute;
 *   - `n8n start` loads the package and activates a polling trigger (poll runs at activation).
 *
 *   node --test test/e2e/harness-smoke.js            # both majors
 *   N8N_E2E_MAJORS=1 node --test test/e2e/harness-smoke.js
 *
 * Not named *.test.js so that jest does not pick it up. Prints timings.
 */
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const http = require('node:http');
const { execFileSync } = require('node:child_process');
const { ensureN8n } = require('../../dev/n8n/n8n-install');
const { createN8n } = require('../../dev/n8n/n8n-cli');

const MAJORS = (process.env.N8N_E2E_MAJORS || '1,2').split(',').map(Number);
const FIXTURE = path.join(__dirname, 'fixtures', 'hello-package');
const PKG = 'n8n-nodes-hello-e2e';

function packFixture(dest) {
	const out = execFileSync('npm', ['pack', '--pack-destination', dest, '--ignore-scripts', '--silent'], {
		cwd: FIXTURE,
		encoding: 'utf8',
	});
	return path.join(dest, out.trim().split('\n').pop());
}

/** Fake API: POST /token -> {access_token}, GET /whoami and /poll need that Bearer token. */
function startFakeApi() {
	const calls = { token: 0, whoami: 0, poll: [], unauthorized: 0 };
	let issued = null;
	const server = http.createServer((req, res) => {
		let body = '';
		req.on('data', (d) => (body += d));
		req.on('end', () => {
			const send = (code, obj) => {
				res.writeHead(code, { 'content-type': 'application/json' });
				res.end(JSON.stringify(obj));
			};
			const url = new URL(req.url, 'http://x');
			if (req.method === 'POST' && url.pathname === '/token') {
				calls.token++;
				issued = `tok-${calls.token}`;
				return send(200, { access_token: issued, token_type: 'bearer', expires_in: 3600 });
			}
			if (req.headers.authorization !== `Bearer ${issued}`) {
				calls.unauthorized++;
				return send(401, { message: 'unauthorized' });
			}
			if (url.pathname === '/whoami') {
				calls.whoami++;
				return send(200, { user: 'e2e', token: issued });
			}
			if (url.pathname === '/poll') {
				calls.poll.push(url.searchParams.get('mode'));
				return send(200, { items: [{ id: `evt-${calls.poll.length}`, hello: 'poll' }] });
			}
			send(404, { message: 'not found' });
		});
	});
	return new Promise((resolve) => {
		server.listen(0, '127.0.0.1', () => resolve({ server, calls, baseUrl: `http://127.0.0.1:${server.address().port}` }));
	});
}

function freePort() {
	return new Promise((resolve) => {
		const s = http.createServer().listen(0, '127.0.0.1', () => {
			const { port } = s.address();
			s.close(() => resolve(port));
		});
	});
}

const manual = { id: 'm1', name: 'Manual', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
const cred = { helloE2eApi: { id: 'helloCred0000001', name: 'Hello creds' } };
const hello = (mode) => ({
	id: 'h1',
	name: 'Hello',
	type: `${PKG}.helloE2e`,
	typeVersion: 1,
	position: [220, 0],
	parameters: { mode },
	...(mode === 'api' ? { credentials: cred } : {}),
});
const toHello = (from) => ({ [from]: { main: [[{ node: 'Hello', type: 'main', index: 0 }]] } });

for (const major of MAJORS) {
	test(`n8n ${major}.x runs a community package`, { timeout: 20 * 60 * 1000 }, async (t) => {
		const timings = {};
		let t0 = Date.now();
		const inst = await ensureN8n(major);
		timings.ensureN8n = Date.now() - t0;

		const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `n8n-e2e-smoke-${major}-`));
		const api = await startFakeApi();
		t.after(() => {
			api.server.close();
			fs.rmSync(tmp, { recursive: true, force: true });
		});
		const n8n = createN8n(inst, path.join(tmp, 'user'));
		const tgz = packFixture(tmp);
		const installed = n8n.installPackageTarball(tgz);
		assert.equal(installed.name, PKG);

		t0 = Date.now();
		await n8n.importCredentials([
			{ id: 'helloCred0000001', name: 'Hello creds', type: 'helloE2eApi', data: { baseUrl: api.baseUrl, clientId: 'id', clientSecret: 'secret' } },
		]);
		timings.importCredentialsFirst = Date.now() - t0;
		t0 = Date.now();
		await n8n.importWorkflow([
			{ id: 'helloStatic00001', name: 'hello static', active: false, settings: {}, nodes: [manual, hello('static')], connections: toHello('Manual') },
			{ id: 'helloApi00000001', name: 'hello api', active: false, settings: {}, nodes: [manual, hello('api')], connections: toHello('Manual') },
			{
				id: 'helloPoll0000001',
				name: 'hello poll',
				active: false,
				settings: {},
				nodes: [
					{ id: 't1', name: 'Trigger', type: `${PKG}.helloE2eTrigger`, typeVersion: 1, position: [0, 0], parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] } }, credentials: cred },
					hello('api'),
				],
				connections: toHello('Trigger'),
			},
		]);
		timings.importWorkflows = Date.now() - t0;

		let r = await n8n.execute('helloStatic00001');
		timings.executeStatic = r.ms;
		assert.ok(r.ok, `execute failed:\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`);
		assert.deepEqual(r.output('Hello'), [{ hello: 'world' }]);

		r = await n8n.execute('helloApi00000001');
		timings.executeApi1 = r.ms;
		assert.ok(r.ok, `execute failed:\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`);
		assert.deepEqual(r.output('Hello'), [{ hello: 'world', api: { user: 'e2e', token: 'tok-1' } }]);
		r = await n8n.execute('helloApi00000001');
		timings.executeApi2 = r.ms;
		assert.ok(r.ok);
		assert.equal(api.calls.token, 1, 'token fetched once, then reused from the stored credential');
		assert.equal(api.calls.whoami, 2);
		const creds = await n8n.exportCredentials();
		assert.equal(creds.length, 1);
		assert.equal(creds[0].data.accessToken, 'tok-1', 'n8n stored the preAuthentication result in the credential');

		// n8n start: loads the package from <userFolder>/.n8n/nodes and activates the polling trigger.
		await n8n.activateWorkflow('helloPoll0000001');
		const port = await freePort();
		const srv = await n8n.start({ port });
		timings.startReady = srv.ms;
		try {
			const deadline = Date.now() + 30000;
			while (api.calls.whoami < 3 && Date.now() < deadline) await new Promise((res) => setTimeout(res, 200));
			timings.activationToDownstream = Date.now() - deadline + 30000;
			assert.ok(api.calls.poll.length >= 1, `poll() ran at activation; logs:\n${srv.logs().slice(-4000)}`);
			assert.equal(api.calls.whoami, 3, `the poll's items ran through the workflow; logs:\n${srv.logs().slice(-4000)}`);
			// The editor's node list (served behind auth at /types/nodes.json) is written at startup to
			// <userFolder>/.cache/n8n/public/types/nodes.json.
			const typesFile = path.join(n8n.userFolder, '.cache', 'n8n', 'public', 'types', 'nodes.json');
			const types = JSON.parse(fs.readFileSync(typesFile, 'utf8'));
			assert.ok(types.some((n) => n.name === `${PKG}.helloE2e`), 'node type listed for the editor');
			assert.ok(types.some((n) => n.name === `${PKG}.helloE2eTrigger`), 'trigger type listed for the editor');
		} finally {
			t0 = Date.now();
			await srv.stop();
			timings.stop = Date.now() - t0;
		}
		const wfs = await n8n.exportWorkflows();
		const pollWf = wfs.find((w) => w.id === 'helloPoll0000001');
		timings.pollStaticData = pollWf && pollWf.staticData;
		console.log(`# n8n ${inst.version} on Node ${inst.nodeVersion}: ${JSON.stringify(timings)} poll modes ${JSON.stringify(api.calls.poll)}`);
	});
}
