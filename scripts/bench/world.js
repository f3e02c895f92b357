// What every benchmark section needs: the built nodes, a simulator and an n8n engine with a credential.
'use strict';

const path = require('node:path');
const { root } = require('../bootstrap');

// The transport waits between retries with n8n-workflow's sleep/sleepWithAbort. The fault soaks count losses
// and repeats, not time, so they run with those waits compressed (as test/trigger.soak.test.ts does with a
// mock); every other section waits in real time. The exports are configurable getters, read at call time.
const retryWaits = { scale: 1 };
(function scaleRetryWaits() {
	const workflow = require(require.resolve('n8n-workflow', { paths: [root] }));
	const { sleep, sleepWithAbort } = workflow;
	const scaled = {
		sleep: async (ms) => await sleep(ms * retryWaits.scale),
		sleepWithAbort: async (ms, signal) => await sleepWithAbort(ms * retryWaits.scale, signal),
	};
	for (const [name, fn] of Object.entries(scaled)) {
		if (typeof workflow[name] !== 'function') continue;
		Object.defineProperty(workflow, name, { get: () => fn, enumerable: true, configurable: true });
	}
})();

/** Runs `fn` with the package's retry waits multiplied by `scale` (0: no waiting). */
async function withRetryWaitsScaled(scale, fn) {
	const before = retryWaits.scale;
	retryWaits.scale = scale;
	try {
		return await fn();
	} finally {
		retryWaits.scale = before;
	}
}

function loadPackage() {
	return {
		OneNce: require(path.join(root, 'dist/nodes/OneNce/OneNce.node')).OneNce,
		OneNceTrigger: require(path.join(root, 'dist/nodes/OneNce/OneNceTrigger.node')).OneNceTrigger,
		OneNceApi: require(path.join(root, 'dist/credentials/OneNceApi.credentials')).OneNceApi,
	};
}

async function withSimulator(options, fn) {
	const { startSimulator } = require(path.join(root, 'dev/simulator'));
	const sim = await startSimulator(options);
	try {
		return await fn(sim);
	} finally {
		await sim.close();
	}
}

/**
 * Runs `fn` with the package's own durations (its 5-minute pacing window, the wait after a firewall block)
 * `factor` times faster, to match a simulator whose rate-limit window is compressed by `factor`. Request
 * timeouts stay real: compressed to 100 ms they would fire on a busy host and re-read pages that were answered.
 * What the package keeps per process (pacing history included) is forgotten before and after.
 */
async function withPackageTimeCompressed(factor, fn) {
	const { resetProcessState, setClock } = require(path.join(root, 'dist/nodes/OneNce/transport/processState'));
	setClock({ speed: factor, timeoutSpeed: 1 });
	resetProcessState();
	try {
		return await fn();
	} finally {
		setClock();
		resetProcessState();
	}
}

/**
 * A fresh engine (a fresh n8n instance: empty token) with a credential for `sim`. Pacing is off unless
 * `requestAllowance` is given: the other sections measure request cost against a simulator without a limit.
 */
function engineFor(sim, { requestAllowance = 0 } = {}) {
	const { createEngine } = require(path.join(root, 'dev/engine/n8n-engine'));
	const { OneNce, OneNceTrigger, OneNceApi } = loadPackage();
	const engine = createEngine({
		nodeTypes: { oneNce: new OneNce(), oneNceTrigger: new OneNceTrigger() },
		credentialTypes: [new OneNceApi()],
	});
	const credentials = engine.store.add('bench', 'oneNceApi', { ...sim.credentialData(), requestAllowance });
	// `settings`: the node's Settings tab (retryOnFail, maxTries, waitBetweenTries, onError); `input`: items fed to it.
	const runOrders = (parameters, { settings = {}, input } = {}) => {
		const node = { name: '1NCE', type: 'n8n-nodes-1nce.oneNce', parameters: { resource: 'order', ...parameters }, credentials, ...settings };
		const nodes = input ? [{ name: 'In', type: 'testInput', parameters: { items: JSON.stringify(input) } }, node] : [node];
		return engine.run({ nodes });
	};
	const poll = (parameters, staticData) =>
		engine.poll({ node: { name: 'Trigger', type: 'n8n-nodes-1nce.oneNceTrigger', parameters, credentials }, staticData });
	return { engine, runOrders, poll };
}

/** Pages answered 200 by the list endpoint; a page in here twice was fetched twice. */
function servedPages(sim) {
	return sim.requests
		.filter((r) => r.method === 'GET' && r.path === '/v1/orders' && r.status === 200 && r.fault === undefined)
		.map((r) => Number(r.query.page));
}

function duplicates(values) {
	return values.length - new Set(values).size;
}

module.exports = { withSimulator, engineFor, servedPages, duplicates, loadPackage, withRetryWaitsScaled, withPackageTimeCompressed };
