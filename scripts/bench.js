#!/usr/bin/env node
// `npm run bench`: request cost and speed of this package against the naive way, on the simulator.
// Figures are printed, written to bench/results/, and checked for the request-count invariants (exit 1 if broken).
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { root, ensureInstalled, ensureBuilt } = require('./bootstrap');

function options(argv) {
	const flag = (name, fallback) => {
		const at = argv.indexOf(`--${name}`);
		return at === -1 ? fallback : argv[at + 1];
	};
	const quick = argv.includes('--quick');
	const latencyMs = Number(flag('latency', quick ? 2 : 50));
	const sizes = String(flag('sizes', quick ? '100,1000' : '100,1000,10000')).split(',').map(Number);
	return {
		quick,
		latencyMs,
		sizes,
		runs: flag('runs', undefined),
		naive: flag('naive', 'auto'),
		out: path.resolve(flag('out', path.join(root, 'bench/results'))),
		// Retry waits in the fault soaks, as a multiple of the real ones (0: none; see bench/world.js).
		soakWaitScale: Number(flag('soak-wait-scale', 0)),
		rateLimit: quick ? { n: 300, limit: 10, windowMs: 1000 } : { n: 2000, limit: 100, windowMs: 5000 },
		// One host, one budget: the real limit and poll interval with time compressed (5 minutes = 5 s at 60x).
		pacing: quick
			? { n: 300, allowance: 10, compression: 300, contrast: false, createRuns: 6 }
			: { n: 2000, allowance: 100, compression: 60, contrast: true, createRuns: 30 },
		trigger: { sizes: quick ? [100, 1000] : [100, 1000, 10000], open: 30, steadyPolls: quick ? 4 : 10, backlog: quick ? 300 : 1200 },
		newest: { sizes: quick ? [1000] : [1000, 10000], limit: 20 },
		guard: { sizes: quick ? [100, 2521] : [100, 2521, 10000], windows: [1, 24] },
		simCount: { sizes: quick ? [1000] : [1000, 10000] },
		// The naive way reads every SIM's quota at 10 per second: 10,000 SIMs take 17 minutes a poll uncompressed.
		simTrigger: { sizes: String(flag('sim-trigger-sizes', quick ? '100' : '100,1000,10000')).split(',').map(Number), steadyPolls: quick ? 2 : 4, naiveSteadyPolls: (n) => (n >= 10000 ? 1 : 2), compression: () => 10 },
		// `--only sims-trigger`: that section alone (while developing; a full run updates its part of results.md).
		only: flag('only', undefined),
		soak: quick ? { getManyRuns: 5, getManyOrders: 100, createRuns: 15, triggerPolls: 40 } : { getManyRuns: 20, getManyOrders: 200, createRuns: 40, triggerPolls: 150 },
	};
}

async function main() {
	await ensureInstalled();
	await ensureBuilt();
	const { benchGetMany } = require('./bench/getMany');
	const { benchRateLimit } = require('./bench/rateLimit');
	const { benchTrigger } = require('./bench/trigger');
	const { soakGetMany, soakCreate, soakTrigger } = require('./bench/soak');
	const { chooseBaseline } = require('./bench/naive');
	const { withRetryWaitsScaled } = require('./bench/world');
	const { table, markdownTable, requestCostSvg } = require('./bench/report');
	const o = options(process.argv.slice(2));
	const out = [];
	const say = (text = '') => {
		console.log(text);
		out.push(text);
	};
	const broken = [];
	if (o.only !== undefined && o.only !== 'sims-trigger') throw new Error(`--only must be sims-trigger, not ${o.only}`);
	const simTrigger = await runSimTrigger(o, say, broken);
	if (o.only) return finish(o, { at: new Date().toISOString(), options: o, simTrigger: simTrigger.rows, broken }, say, broken, simTrigger);

	const { benchNewest, newestColumns } = require('./bench/newest');
	const { benchSimCount, simColumns } = require('./bench/sims');
	const baseline = await chooseBaseline(o.naive);
	const getManyRows = [];
	const newestRows = [];
	try {
		for (const n of o.sizes) {
			const runs = Number(o.runs ?? (n >= 10000 ? 1 : 3));
			getManyRows.push(...(await benchGetMany({ sizes: [n], latencyMs: o.latencyMs, runs, baseline })));
		}
		for (const n of o.newest.sizes) {
			const runs = Number(o.runs ?? (n >= 10000 ? 1 : 3));
			newestRows.push(...(await benchNewest({ sizes: [n], limit: o.newest.limit, latencyMs: o.latencyMs, runs, baseline })));
		}
	} finally {
		baseline.close();
	}
	const getManyColumns = [
		['N', (r) => r.n],
		['latency ms', (r) => r.latencyMs],
		['runs', (r) => r.runs],
		['list req', (r) => r.oursList],
		['token req', (r) => r.oursToken],
		['ms (median)', (r) => r.oursMs.toFixed(0)],
		['naive list req', (r) => r.naiveList],
		['naive token req', (r) => r.naiveToken],
		['naive ms', (r) => r.naiveMs.toFixed(0)],
		['naive/ours req', (r) => ((r.naiveList + r.naiveToken) / (r.oursList + r.oursToken)).toFixed(2)],
		['naive/ours time', (r) => (r.naiveMs / r.oursMs).toFixed(2)],
		['pages twice', (r) => r.pagesTwice],
		['ok', (r) => (r.ok && r.naiveOk ? 'yes' : 'NO')],
	];
	const getManyTitle = `Get Many, Return All: this package (in n8n's engine) vs the naive way, alternating who goes first per run. Naive way: ${baseline.label}.`;
	say(getManyTitle);
	say(table(getManyRows, getManyColumns));
	for (const r of getManyRows) {
		if (!r.ok) broken.push(`Get Many N=${r.n}: expected ${r.expectedList} list and 1 token request, got ${r.oursList}/${r.oursToken}, pages twice ${r.pagesTwice}`);
		if (!r.naiveOk) broken.push(`Get Many N=${r.n}: the naive way made ${r.naiveList}/${r.naiveToken} list/token requests, not ${r.expectedList + 1}/1`);
	}

	const newestTitle = `Get Many, Newest First, Limit ${o.newest.limit}: this package vs listing every order with ${baseline.label}, then sorting newest first`;
	say('\n' + newestTitle);
	say(table(newestRows, newestColumns));
	for (const r of newestRows) if (!r.ok) broken.push(`Newest First N=${r.n}: expected ${r.expectedList} list requests and the newest ${r.limit}, got ${r.oursList}`);

	const simRows = await benchSimCount({ sizes: o.simCount.sizes, latencyMs: o.latencyMs });
	const simTitle = "SIM Get Many, Count by Status, against 1NCE's SIM allowance of 10 requests per second (the simulator answers 429 above it)";
	say('\n' + simTitle);
	say(table(simRows, simColumns));
	for (const r of simRows) if (!r.ok) broken.push(`Count by Status N=${r.n}: ${JSON.stringify(r)}`);

	const rl = await benchRateLimit({ ...o.rateLimit, latencyMs: 0 });
	const rlColumns = [
		['N', (r) => r.n],
		['limit', (r) => `${r.limit} per ${r.windowMs} ms`],
		['latency ms', (r) => r.latencyMs],
		['runs', (r) => r.runs],
		['orders out', (r) => r.orders],
		['pages served', (r) => r.pagesServed],
		['pages twice', (r) => r.pagesTwice],
		['429s waited out', (r) => r.throttled],
		['ms', (r) => r.ms],
		['ok', (r) => (r.ok ? 'yes' : `NO ${r.error ?? ''}`)],
	];
	const rlTitle = `Get Many under the rate limit: ${rl.limit} order requests per ${rl.windowMs} ms (the real limit is 100 per 5 minutes; time compressed ${Math.round(300000 / rl.windowMs)}x), 429 answers carry Retry-After`;
	say('\n' + rlTitle);
	say(table([rl], rlColumns));
	if (!rl.ok) broken.push(`rate limit: ${JSON.stringify(rl)}`);

	const { benchHostBudget, soakCreateRetryOnFail } = require('./bench/pacing');
	const pacingRows = [];
	for (const pacing of o.pacing.contrast ? [true, false] : [true]) {
		for (const status of [429, 403]) {
			const { n, allowance, compression } = o.pacing;
			pacingRows.push(await benchHostBudget({ n, allowance, compression, status, pacing }));
		}
	}
	const seconds = (ms) => (ms / 1000).toFixed(0);
	const pacingColumns = [
		['flavour', (r) => (r.status === 429 ? '429' : '403 (firewall)')],
		['pacing', (r) => (r.pacing ? 'on' : 'off')],
		['N', (r) => r.n],
		['allowance', (r) => `${r.allowance} per 5 min`],
		['order req', (r) => r.requests],
		['throttled', (r) => r.throttled],
		['trigger polls ok/failed/skipped', (r) => `${r.pollsDone}/${r.pollsFailed}/${r.pollsSkipped}`],
		['time s', (r) => seconds(r.virtualMs)],
		['minimum s', (r) => seconds(r.minimumMs)],
		['time/minimum', (r) => (r.minimumMs ? (r.virtualMs / r.minimumMs).toFixed(2) : '-')],
		['pages twice', (r) => r.pagesTwice],
		['ok', (r) => (r.ok ? 'yes' : `NO ${r.error ?? ''}`)],
	];
	const createRetry = await soakCreateRetryOnFail({ runs: o.pacing.createRuns });
	const pacingTitle = `One host, one budget: Get Many (Return All) while a 1NCE Trigger polls every minute, against the simulator's enforced limit of ${o.pacing.allowance} order requests per 5 minutes (time compressed ${o.pacing.compression}x; times in uncompressed seconds). Minimum: (order requests - allowance) / allowance x 5 min`;
	const createRetryLine = `Create soak with Retry On Fail (max tries 5; 3 items a run, every third run with a bad first item, half On Error → Continue; 40% of POSTs faulted): ${Object.entries(createRetry).map(([k, v]) => `${k}=${v}`).join(', ')}`;
	say('\n' + pacingTitle);
	say(table(pacingRows, pacingColumns));
	say(createRetryLine);
	for (const r of pacingRows) {
		if (!r.ok || r.pagesTwice !== 0) broken.push(`pacing ${r.status} ${r.pacing ? 'on' : 'off'}: ${JSON.stringify(r)}`);
	}
	if (createRetry.ordersPlacedTwice !== 0 || createRetry.resentAfterMayHaveReached !== 0) broken.push(`Create with Retry On Fail: ${JSON.stringify(createRetry)}`);

	const { benchGuard, guardColumns } = require('./bench/guard');
	const guardRows = await benchGuard({ ...o.guard, latencyMs: 0 });
	const guardTitle = `Create's duplicate guard (on by default): list requests one Create spends reading its window, at most 11; past that it refuses instead of ordering blindly`;
	say('\n' + guardTitle);
	say(table(guardRows, guardColumns));
	for (const r of guardRows) if (!r.ok) broken.push(`guard N=${r.n} ${r.pace} ${r.hours} h: ${JSON.stringify(r)}`);

	const triggerRows = await benchTrigger(o.trigger);
	const triggerColumns = [
		['N', (r) => r.n],
		['open', (r) => r.open],
		['latency ms', (r) => r.latencyMs],
		['steady polls', (r) => r.runs],
		['req/poll max', (r) => r.steadyMax],
		['req/poll mean', (r) => r.steadyMean.toFixed(1)],
		['state bytes', (r) => r.stateBytes],
		['baseline req', (r) => r.baselineRequests],
		['first scan polls', (r) => r.setupPolls],
		['first scan req', (r) => r.setupRequests],
		[`backlog polls`, (r) => r.backlogPolls],
		[`backlog req (min)`, (r) => `${r.backlogRequests} (${r.backlogMinimum})`],
		['worst poll req (budget)', (r) => `${r.worstPoll} (${r.budget})`],
		['full re-scan req/poll', (r) => r.rescanRequests],
		['full re-scan state bytes', (r) => r.rescanStateBytes],
		['ok', (r) => (r.ok ? 'yes' : 'NO')],
	];
	const triggerTitle = `1NCE Trigger: order requests per steady-state poll (one status change per poll, a new order every other poll) vs re-listing every order per poll; a backlog of ${o.trigger.backlog ?? 1200} new orders caught up at the default budget of 20 requests per poll (minimum: one request per 10 orders); the most any single poll sent`;
	say('\n' + triggerTitle);
	say(table(triggerRows, triggerColumns));
	for (const r of triggerRows) if (!r.ok) broken.push(`trigger N=${r.n}: ${JSON.stringify(r)}`);

	const soaks = await withRetryWaitsScaled(o.soakWaitScale, async () => [
		[`Get Many soak (N=${o.soak.getManyOrders}, latency 0 ms, ${o.soak.getManyRuns} runs of Return All)`, await soakGetMany({ runs: o.soak.getManyRuns, n: o.soak.getManyOrders }), ['failedRuns', 'pagesTwice', 'ordersMissing', 'ordersTwice']],
		[`Create soak (latency 0 ms, ${o.soak.createRuns} runs, 40% of POSTs faulted)`, await soakCreate({ runs: o.soak.createRuns }), ['ordersCreatedTwice', 'postsSentTwice']],
		[`Trigger soak (N=80 orders and growing, latency 0 ms, ${o.soak.triggerPolls} polls)`, await soakTrigger({ polls: o.soak.triggerPolls }), ['eventsLost', 'eventsDuplicated', 'stateChangedByFailure', 'overBudget']],
	]);
	const soakTitle = `Fault soaks: random 429 / 403 throttle / 5xx / dropped connections / garbled answers; retry waits x${o.soakWaitScale} (counts, not time, are measured)`;
	say('\n' + soakTitle);
	for (const [name, tally, mustBeZero] of soaks) {
		say(`${name}: ${Object.entries(tally).map(([k, v]) => `${k}=${v}`).join(', ')}`);
		for (const key of mustBeZero) if (tally[key] !== 0) broken.push(`${name}: ${key}=${tally[key]}`);
	}

	const resultsDir = o.out;
	fs.mkdirSync(resultsDir, { recursive: true });
	const results = {
		at: new Date().toISOString(),
		options: o,
		baseline: { name: baseline.name, short: baseline.short, label: baseline.label },
		getMany: getManyRows,
		newest: newestRows,
		simCount: simRows,
		rateLimit: rl,
		pacing: pacingRows,
		createRetryOnFail: createRetry,
		guard: guardRows,
		trigger: triggerRows,
		simTrigger: simTrigger.rows,
		soaks: soaks.map(([name, tally, mustBeZero]) => ({ name, tally, mustBeZero })),
		broken,
	};
	fs.writeFileSync(path.join(resultsDir, 'latest.json'), JSON.stringify(results, null, 2));
	if (!o.quick && !broken.length) {
		// The committed figures and chart come from a full run only.
		const md = [
			`# Benchmark results\n\nProduced by \`${['npm run bench', ...process.argv.slice(2)].join(' ')}\` on ${results.at.slice(0, 10)} (Node ${process.version}, ${require('node:os').cpus().length} cores); every invariant held. How to read them: [docs/benchmarks.md](../../docs/benchmarks.md).`,
			'## Get Many, Return All\n\n' + getManyTitle + '\n\n' + markdownTable(getManyRows, getManyColumns),
			'## Get Many, Newest First\n\n' + newestTitle + '.\n\n' + markdownTable(newestRows, newestColumns),
			'## SIM Count by Status\n\n' + simTitle + '.\n\n' + markdownTable(simRows, simColumns),
			'## Get Many under the rate limit\n\n' + rlTitle + '.\n\n' + markdownTable([rl], rlColumns),
			"## Create's duplicate guard\n\n" + guardTitle + '.\n\n' + markdownTable(guardRows, guardColumns),
			'## One host, one budget\n\n' + pacingTitle + '.\n\n' + markdownTable(pacingRows, pacingColumns) + '\n\n' + createRetryLine + '.',
			'## 1NCE Trigger\n\n' + triggerTitle + '.\n\n' + markdownTable(triggerRows, triggerColumns),
			simTrigger.markdown,
			'## Fault soaks\n\n' + soakTitle + '.\n\n' + soaks.map(([name, tally]) => `- ${name}: ${Object.entries(tally).map(([k, v]) => `${k} ${v}`).join(', ')}`).join('\n'),
			'![Request cost](request-cost.svg)',
		].join('\n\n');
		fs.writeFileSync(path.join(resultsDir, 'results.md'), md + '\n');
		const note = `N = ${getManyRows.map((r) => r.n).join(', ')}; latency ${o.latencyMs} ms; ${getManyRows.map((r) => r.runs).join('/')} runs; ${results.at.slice(0, 10)}`;
		fs.writeFileSync(path.join(resultsDir, 'request-cost.svg'), requestCostSvg(getManyRows, { naiveLabel: baseline.short, note }));
	}
	if (broken.length) {
		say('\nBROKEN INVARIANTS:\n' + broken.map((b) => `- ${b}`).join('\n'));
		process.exitCode = 1;
	} else {
		say('\nAll request-count invariants hold.');
	}
}

const SIM_TRIGGER_HEADING = '## 1NCE Trigger on SIMs';

/** The SIM trigger against the naive way (scripts/bench/simTrigger.js): prints its table, notes broken invariants. */
async function runSimTrigger(o, say, broken) {
	const { benchSimTrigger, simTriggerColumns, simTriggerBroken, THRESHOLD_MB, DROPS_PER_POLL } = require('./bench/simTrigger');
	const { cachedNodes } = require('./bench/naiveSims');
	const { table, markdownTable } = require('./bench/report');
	const loaded = cachedNodes();
	const rows = await benchSimTrigger({ ...o.simTrigger, loaded });
	const naive = loaded
		? `n8n ${loaded.n8nVersion}'s own nodes: Schedule Trigger, HTTP Request v4.2 (a token; the SIM list with pagination, a page per 100 ms; GET /v1/sims/{iccid}/quota/data for every SIM, batch size 1 every 110 ms), Edit Fields (iccid, volume), a Code node keeping the last dataset in workflow static data, Compare Datasets by iccid`
		: "not run: no n8n 1.x in .cache/n8n-1 (set N8N_E2E_CACHE_DIR, or run the e2e suite once)";
	const title = `1NCE Trigger, Data Quota Below ${THRESHOLD_MB} MB, against the naive way, both under the simulator's enforced SIM limit of 10 requests per second; per steady poll, after ${DROPS_PER_POLL} SIMs dropped below the threshold and 1 rose above it. Time compressed ${rows.map((r) => r.compression).filter((c, i, all) => all.indexOf(c) === i).join('/')}x (the limit's window, the package's clock and the naive way's waits); seconds are uncompressed (ours: wall time x compression; naive: wall time with its waits scaled back). Static data: bytes of the JSON the workflow keeps between polls. Naive way: ${naive}`;
	say('\n' + title);
	say(table(rows, simTriggerColumns));
	broken.push(...simTriggerBroken(rows));
	return { rows, markdown: `${SIM_TRIGGER_HEADING}\n\n${title}.\n\n${markdownTable(rows, simTriggerColumns)}` };
}

/** `--only sims-trigger`: writes latest.json; a full run puts its section into the committed results.md. */
function finish(o, results, say, broken, simTrigger) {
	fs.mkdirSync(o.out, { recursive: true });
	fs.writeFileSync(path.join(o.out, 'latest.json'), JSON.stringify(results, null, 2));
	const file = path.join(o.out, 'results.md');
	if (!o.quick && !broken.length && fs.existsSync(file)) {
		const md = fs.readFileSync(file, 'utf8');
		const start = md.indexOf(SIM_TRIGGER_HEADING);
		const next = (from) => {
			const at = md.indexOf('\n## ', from);
			return at === -1 ? md.indexOf('\n![', from) : at;
		};
		const end = start === -1 ? md.indexOf('\n## Fault soaks') : next(start + 1);
		const at = start === -1 ? end + 1 : start;
		const note = `${simTrigger.markdown}\n\n(This section: \`${['npm run bench', ...process.argv.slice(2)].join(' ')}\` on ${results.at.slice(0, 10)}.)\n\n`;
		fs.writeFileSync(file, md.slice(0, at) + note + md.slice(end + 1));
	}
	if (broken.length) {
		say('\nBROKEN INVARIANTS:\n' + broken.map((b) => `- ${b}`).join('\n'));
		process.exitCode = 1;
	} else {
		say('\nAll request-count invariants hold.');
	}
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
