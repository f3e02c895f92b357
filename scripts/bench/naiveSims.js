// The naive way to be told when SIMs run low, built from n8n's own nodes (n8n-nodes-base from the real n8n 1.x
// cached in .cache/n8n-1), run in the same in-process engine as this package. One "poll" is one execution of:
//   Schedule Trigger → Token (HTTP Request, POST /oauth/token) → List SIMs (HTTP Request, pagination)
//   → Quota (HTTP Request, GET /v1/sims/{iccid}/quota/data per SIM, batching 10 per second)
//   → Keep (Edit Fields: iccid and volume) → Previous (Code: swaps the dataset kept in workflow static data)
//   → Compare Datasets (A: the previous run's SIMs, B: this run's, matched by iccid).
// Settings are the ones a careful user picks to stay within 1NCE's 10 SIM requests per second: one quota request
// per 110 ms (batch size 1: ten at once every second run into the limit's sliding window as soon as one batch is
// sent a little faster than the one before; 110 rather than 100 ms leaves a margin for such jitter) and a list
// page every 100 ms. `compression` divides both, as it divides the simulator's window.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { root } = require('../bootstrap');

const BASE = 'n8n-nodes-base';
/** Waits a careful user sets, in real milliseconds (see above). */
const QUOTA_INTERVAL_MS = 110;
const PAGE_INTERVAL_MS = 100;
const VERSIONS = { scheduleTrigger: 1.2, httpRequest: 4.2, set: 3.4, code: 2, compareDatasets: 2.3 };

function cacheDir() {
	const { CACHE_ROOT } = require(path.join(root, 'dev/n8n/n8n-install'));
	return path.join(CACHE_ROOT, 'n8n-1');
}

/** n8n's nodes from the cached n8n 1.x, or undefined when it is not installed (the marker is written last). */
function cachedNodes() {
	const dir = cacheDir();
	if (!fs.existsSync(path.join(dir, '.installed.json'))) return undefined;
	const nodes = path.join(dir, 'node_modules', BASE, 'dist/nodes');
	const load = (file, name) => require(path.join(nodes, file))[name];
	const versioned = (Type, version) => {
		const type = new Type();
		return type.nodeVersions ? type.nodeVersions[version] : type;
	};
	return {
		types: {
			scheduleTrigger: versioned(load('Schedule/ScheduleTrigger.node.js', 'ScheduleTrigger'), VERSIONS.scheduleTrigger),
			httpRequest: versioned(load('HttpRequest/HttpRequest.node.js', 'HttpRequest'), VERSIONS.httpRequest),
			set: versioned(load('Set/Set.node.js', 'Set'), VERSIONS.set),
			code: versioned(load('Code/Code.node.js', 'Code'), VERSIONS.code),
			compareDatasets: versioned(load('CompareDatasets/CompareDatasets.node.js', 'CompareDatasets'), VERSIONS.compareDatasets),
		},
		n8nVersion: require(path.join(dir, 'node_modules', 'n8n', 'package.json')).version,
	};
}

const node = (name, type, parameters) => ({ name, type: `${BASE}.${type}`, typeVersion: VERSIONS[type], parameters });

/** The workflow's nodes and connections for `sim` (a started simulator). */
function naiveWorkflow(sim, { compression }) {
	const basic = Buffer.from(`${sim.username}:${sim.password}`).toString('base64');
	const token = "=Bearer {{ $('Token').first().json.access_token }}";
	const nodes = [
		node('Schedule Trigger', 'scheduleTrigger', { rule: { interval: [{ field: 'minutes', minutesInterval: 5 }] } }),
		node('Token', 'httpRequest', {
			method: 'POST',
			url: `${sim.url}/oauth/token`,
			sendHeaders: true,
			headerParameters: { parameters: [{ name: 'Authorization', value: `Basic ${basic}` }] },
			sendBody: true,
			contentType: 'json',
			specifyBody: 'keypair',
			bodyParameters: { parameters: [{ name: 'grant_type', value: 'client_credentials' }] },
			options: {},
		}),
		node('List SIMs', 'httpRequest', {
			method: 'GET',
			url: `${sim.url}/v1/sims`,
			sendQuery: true,
			queryParameters: { parameters: [{ name: 'pageSize', value: '100' }] },
			sendHeaders: true,
			headerParameters: { parameters: [{ name: 'Authorization', value: token }] },
			options: {
				pagination: {
					pagination: {
						paginationMode: 'updateAParameterInEachRequest',
						parameters: { parameters: [{ type: 'qs', name: 'page', value: '={{ $pageCount + 1 }}' }] },
						paginationCompleteWhen: 'responseIsEmpty',
						limitPagesFetched: false,
						requestInterval: PAGE_INTERVAL_MS / compression,
					},
				},
			},
		}),
		node('Quota', 'httpRequest', {
			method: 'GET',
			url: `=${sim.url}/v1/sims/{{ $json.iccid }}/quota/data`,
			sendHeaders: true,
			headerParameters: { parameters: [{ name: 'Authorization', value: token }] },
			options: { batching: { batch: { batchSize: 1, batchInterval: QUOTA_INTERVAL_MS / compression } } },
		}),
		node('Keep', 'set', {
			mode: 'manual',
			assignments: {
				assignments: [
					{ id: 'iccid', name: 'iccid', value: "={{ $('List SIMs').item.json.iccid }}", type: 'string' },
					{ id: 'volume', name: 'volume', value: '={{ $json.volume }}', type: 'number' },
				],
			},
			includeOtherFields: false,
			options: {},
		}),
		node('Previous', 'code', {
			mode: 'runOnceForAllItems',
			language: 'javaScript',
			jsCode: [
				"const store = $getWorkflowStaticData('global');",
				'const previous = store.previous ?? [];',
				'store.previous = $input.all().map((item) => item.json);',
				'return previous.map((json) => ({ json }));',
			].join('\n'),
		}),
		node('Compare Datasets', 'compareDatasets', {
			mergeByFields: { values: [{ field1: 'iccid', field2: 'iccid' }] },
			resolve: 'includeBoth',
			options: {},
		}),
	];
	const to = (name, index = 0) => ({ main: [[{ node: name, type: 'main', index }]] });
	const connections = {
		'Schedule Trigger': to('Token'),
		Token: to('List SIMs'),
		'List SIMs': to('Quota'),
		Quota: to('Keep'),
		Keep: { main: [[{ node: 'Previous', type: 'main', index: 0 }, { node: 'Compare Datasets', type: 'main', index: 1 }]] },
		Previous: to('Compare Datasets', 0),
	};
	return { nodes, connections };
}

/**
 * A session of the naive workflow against `sim`: `poll()` runs it once (static data kept between runs, as n8n
 * keeps it for an active workflow) and returns Compare Datasets' outputs.
 * @param {{ compression: number }} options
 */
function naiveSession(sim, loaded, { compression }) {
	const { createEngine } = require(path.join(root, 'dev/engine/n8n-engine'));
	const engine = createEngine({ nodeTypes: loaded.types, credentialTypes: [] });
	const workflow = naiveWorkflow(sim, { compression });
	const staticData = {};
	return {
		async poll() {
			const result = await engine.run({ ...workflow, staticData });
			if (result.error) throw new Error(`naive workflow failed: ${result.error.message}`);
			const compared = result.runData['Compare Datasets']?.[0]?.data?.main ?? [];
			const count = (i) => compared[i]?.length ?? 0;
			return {
				inAOnly: count(0),
				same: count(1),
				different: count(2),
				inBOnly: count(3),
				differentItems: (compared[2] ?? []).map((item) => item.json),
				quotaItems: result.runData.Quota?.[0]?.data?.main?.[0]?.length ?? 0,
			};
		},
		staticBytes: () => Buffer.byteLength(JSON.stringify(staticData)),
		close: () => engine.shutdown(),
	};
}

module.exports = { cachedNodes, naiveSession, naiveWorkflow, QUOTA_INTERVAL_MS, PAGE_INTERVAL_MS };
