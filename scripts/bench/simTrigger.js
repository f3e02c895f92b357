// The 1NCE Trigger on a SIM event (Data Quota Below) against the naive way (naiveSims.js: Schedule Trigger,
// HTTP Request reading every SIM's quota, Compare Datasets), side by side on simulators that enforce 1NCE's SIM
// limit of 10 requests per second. Per poll: SIM and token requests, 429 answers, wall time, static-data size.
// Time is compressed by `compression` (the simulator's window, the package's clock and the naive way's waits);
// times are reported in uncompressed seconds.
'use strict';

const path = require('node:path');
const { root } = require('../bootstrap');
const { withSimulator, engineFor, withPackageTimeCompressed } = require('./world');
const { naiveSession, QUOTA_INTERVAL_MS, PAGE_INTERVAL_MS } = require('./naiveSims');

/** MB: Data Quota Below fires when a SIM's current_quota drops under it. */
const THRESHOLD_MB = 50;
/** Changes between two polls: SIMs dropping below the threshold (an event each), one rising back (none). */
const DROPS_PER_POLL = 2;
const MAX_STATE_BYTES = 64 * 1024;

function simLimitOf(compression) {
	const { simRateLimitOf } = require(path.join(root, 'dev/simulator'));
	return simRateLimitOf(compression);
}

/** What one poll cost, read from the simulator's request log since `from`. */
function costOf(sim, from) {
	const sent = sim.requests.slice(from);
	const sims = sent.filter((r) => r.path === '/v1/sims' || r.path.startsWith('/v1/sims/'));
	return {
		list: sims.filter((r) => r.path === '/v1/sims').length,
		perSim: sims.filter((r) => r.path !== '/v1/sims').length,
		token: sent.filter((r) => r.path === '/oauth/token').length,
		throttled: sims.filter((r) => r.status === 429).length,
	};
}

/** The same changes for both sides: SIMs above the threshold drop under it; one under it rises back. */
function changeSims(sim, poll) {
	const above = sim.sims.filter((s) => s.current_quota >= THRESHOLD_MB);
	const below = sim.sims.filter((s) => s.current_quota < THRESHOLD_MB);
	// Spread over the list, so that changes do not sit on the first page only.
	const pick = (list, k) => list[Math.floor(((poll * 7 + k * 13) % 97) / 97 * list.length)];
	const dropped = new Set();
	for (let k = 0; dropped.size < DROPS_PER_POLL && k < 50; k++) dropped.add(pick(above, k));
	for (const s of dropped) sim.setSimQuota(s.iccid, { data: THRESHOLD_MB / 2 });
	const rising = below.find((s) => !dropped.has(s));
	sim.setSimQuota(rising.iccid, { data: THRESHOLD_MB * 4 });
	return { expectedEvents: dropped.size, changed: dropped.size + 1 };
}

const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;

async function oursSide({ n, compression, steadyPolls, seed }) {
	return await withPackageTimeCompressed(compression, () =>
		withSimulator({ seed, simRateLimit: simLimitOf(compression) }, async (sim) => {
			sim.seedSims(n);
			const { engine, poll } = engineFor(sim);
			const parameters = { event: 'dataQuotaBelow', dataQuotaBelowMb: THRESHOLD_MB };
			const staticData = {};
			const polls = [];
			try {
				for (let k = 0; k <= steadyPolls; k++) {
					const expected = k === 0 ? { expectedEvents: 0, changed: 0 } : changeSims(sim, k);
					const from = sim.requests.length;
					const started = process.hrtime.bigint();
					const { result } = await poll(parameters, staticData);
					const ms = Number(process.hrtime.bigint() - started) / 1e6;
					const events = result ? result[0].map((item) => item.json) : [];
					polls.push({ ...costOf(sim, from), ms: ms * compression, events: events.length, ...expected });
				}
			} finally {
				engine.shutdown();
			}
			const bytes = Buffer.byteLength(JSON.stringify(staticData['node:Trigger'] ?? {}));
			return { polls, bytes };
		}),
	);
}

async function naiveSide({ n, compression, steadyPolls, seed, loaded }) {
	return await withSimulator({ seed, simRateLimit: simLimitOf(compression) }, async (sim) => {
		sim.seedSims(n);
		const session = naiveSession(sim, loaded, { compression });
		const polls = [];
		try {
			for (let k = 0; k <= steadyPolls; k++) {
				const expected = k === 0 ? { expectedEvents: 0, changed: 0 } : changeSims(sim, k);
				const from = sim.requests.length;
				const started = process.hrtime.bigint();
				let compared;
				let error = null;
				try {
					compared = await session.poll();
				} catch (e) {
					error = e.message;
				}
				const ms = Number(process.hrtime.bigint() - started) / 1e6;
				const cost = costOf(sim, from);
				// Compute runs in real time; only the waits the user set (one per quota item and per list page
				// after the first) are compressed, so they are scaled back.
				const waits = (cost.perSim * QUOTA_INTERVAL_MS + Math.max(0, cost.list - 1) * PAGE_INTERVAL_MS) / compression;
				polls.push({ ...cost, ms: ms + waits * (compression - 1), different: compared?.different ?? null, error, ...expected });
			}
		} finally {
			session.close();
		}
		return { polls, bytes: session.staticBytes() };
	});
}

/**
 * @param {{ sizes: number[], steadyPolls: number, naiveSteadyPolls: (n: number) => number,
 *   compression: (n: number) => number, loaded: object | undefined }} options  `loaded`: naiveSims.cachedNodes()
 */
async function benchSimTrigger({ sizes, steadyPolls, naiveSteadyPolls, compression, loaded }) {
	const rows = [];
	for (const n of sizes) {
		const c = compression(n);
		const seed = `bench-sim-trigger-${n}`;
		const ours = await oursSide({ n, compression: c, steadyPolls, seed });
		const naive = loaded ? await naiveSide({ n, compression: c, steadyPolls: naiveSteadyPolls(n), seed, loaded }) : null;
		const [base, ...steady] = ours.polls;
		const pages = Math.max(1, Math.ceil(n / 100));
		const requests = (p) => p.list + p.perSim + p.token;
		const naiveSteady = naive?.polls.slice(1) ?? [];
		const ok =
			base.list === pages &&
			base.token === 1 &&
			base.events === 0 &&
			steady.every((p) => p.list === pages && p.token === 0 && p.perSim === 0 && p.events === p.expectedEvents) &&
			ours.polls.every((p) => p.throttled === 0) &&
			(n < 10000 || ours.bytes <= MAX_STATE_BYTES);
		rows.push({
			n,
			compression: c,
			pages,
			ours: {
				baselineRequests: requests(base),
				baselineMs: base.ms,
				steadyPolls: steady.length,
				steadyRequestsMax: Math.max(...steady.map(requests)),
				steadyMs: mean(steady.map((p) => p.ms)),
				throttled: ours.polls.reduce((a, p) => a + p.throttled, 0),
				events: steady.reduce((a, p) => a + p.events, 0),
				expectedEvents: steady.reduce((a, p) => a + p.expectedEvents, 0),
				bytes: ours.bytes,
				polls: ours.polls,
			},
			naive: naive && {
				baselineRequests: requests(naive.polls[0]),
				steadyPolls: naiveSteady.length,
				steadyRequestsMax: Math.max(...naiveSteady.map(requests)),
				steadyMs: mean(naiveSteady.map((p) => p.ms)),
				throttled: naive.polls.reduce((a, p) => a + p.throttled, 0),
				failedPolls: naive.polls.filter((p) => p.error).length,
				different: naiveSteady.reduce((a, p) => a + (p.different ?? 0), 0),
				changed: naiveSteady.reduce((a, p) => a + p.changed, 0),
				bytes: naive.bytes,
				polls: naive.polls,
			},
			ok,
		});
	}
	return rows;
}

const seconds = (ms) => (ms / 1000 < 10 ? (ms / 1000).toFixed(1) : (ms / 1000).toFixed(0));
const kb = (bytes) => (bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`);

const simTriggerColumns = [
	['SIMs', (r) => r.n],
	['time compressed', (r) => `${r.compression}x`],
	['req/poll', (r) => `${r.ours.steadyRequestsMax} (baseline ${r.ours.baselineRequests})`],
	['s/poll', (r) => seconds(r.ours.steadyMs)],
	['static data', (r) => kb(r.ours.bytes)],
	['429s', (r) => r.ours.throttled],
	['events (expected)', (r) => `${r.ours.events} (${r.ours.expectedEvents})`],
	['naive req/poll', (r) => (r.naive ? r.naive.steadyRequestsMax : '-')],
	['naive s/poll', (r) => (r.naive ? seconds(r.naive.steadyMs) : '-')],
	['naive static data', (r) => (r.naive ? kb(r.naive.bytes) : '-')],
	['naive 429s (failed polls)', (r) => (r.naive ? `${r.naive.throttled} (${r.naive.failedPolls})` : '-')],
	['naive differences (changed)', (r) => (r.naive ? `${r.naive.different} (${r.naive.changed})` : '-')],
	['naive/ours req', (r) => (r.naive ? (r.naive.steadyRequestsMax / r.ours.steadyRequestsMax).toFixed(0) : '-')],
	['naive/ours time', (r) => (r.naive ? (r.naive.steadyMs / r.ours.steadyMs).toFixed(0) : '-')],
	['ok', (r) => (r.ok ? 'yes' : 'NO')],
];

/** Broken invariants of these rows, as text. */
function simTriggerBroken(rows) {
	return rows.filter((r) => !r.ok).map((r) => `SIM trigger N=${r.n}: ours ${JSON.stringify(r.ours)}`);
}

module.exports = { benchSimTrigger, simTriggerColumns, simTriggerBroken, THRESHOLD_MB, DROPS_PER_POLL };
