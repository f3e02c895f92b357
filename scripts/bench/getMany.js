// Get Many, Return All: this package in n8n's engine against the naive way (see naive.js), side by side.
'use strict';

const { withSimulator, engineFor, servedPages, duplicates } = require('./world');

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function measure(sim, fn) {
	sim.resetCounts();
	const started = process.hrtime.bigint();
	const count = await fn();
	const ms = Number(process.hrtime.bigint() - started) / 1e6;
	return { ms, count, list: sim.counts.list, token: sim.counts.token, pagesTwice: duplicates(servedPages(sim)) };
}

async function benchGetMany({ sizes, latencyMs, runs, baseline }) {
	const rows = [];
	for (const n of sizes) {
		await withSimulator({ seed: `bench-${n}` }, async (sim) => {
			sim.seedOrders(n);
			sim.setLatency(latencyMs);
			const ours = [];
			const naive = [];
			for (let run = 0; run < runs; run++) {
				// Alternate who goes first so neither profits from a warmer process.
				const order = run % 2 === 0 ? ['ours', 'naive'] : ['naive', 'ours'];
				for (const who of order) {
					if (who === 'ours') {
						const { engine, runOrders } = engineFor(sim);
						ours.push(
							await measure(sim, async () => {
								const result = await runOrders({ operation: 'getAll', returnAll: true });
								if (result.error) throw result.error;
								return result.json('1NCE').length;
							}),
						);
						engine.shutdown();
					} else {
						naive.push(await measure(sim, async () => (await baseline.listAll(sim)).length));
					}
				}
			}
			const expected = Math.ceil(n / 10);
			const last = ours[ours.length - 1];
			rows.push({
				n,
				latencyMs,
				runs,
				oursMs: median(ours.map((r) => r.ms)),
				naiveMs: median(naive.map((r) => r.ms)),
				oursList: last.list,
				oursToken: last.token,
				naiveList: naive[0].list,
				naiveToken: naive[0].token,
				baseline: baseline.name,
				orders: last.count,
				pagesTwice: Math.max(...ours.map((r) => r.pagesTwice)),
				ok:
					ours.every((r) => r.list === expected && r.token === 1 && r.count === n && r.pagesTwice === 0) &&
					naive.every((r) => r.count === n),
				// The naive way asks for one more, empty page; checked so the comparison stays what it claims.
				naiveOk: naive.every((r) => r.list === expected + 1 && r.token === 1 && r.count === n),
				expectedList: expected,
			});
			if (sim.validationErrors.length) throw new Error(`spec violations: ${JSON.stringify(sim.validationErrors[0])}`);
		});
	}
	return rows;
}

module.exports = { benchGetMany };
