// Order Get Many, Newest First with a Limit, in n8n's engine, against what a user does without it: list every
// order with n8n's HTTP Request node (Return All through its pagination), then sort newest first and keep the Limit.
'use strict';

const { withSimulator, engineFor } = require('./world');

const PAGE_SIZE = 10;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Requests the package should make: page 1, then pages from the end until `limit` orders are in. */
function expectedNewestRequests(n, limit) {
	const pages = Math.max(1, Math.ceil(n / PAGE_SIZE));
	if (pages === 1) return 1;
	const lastPageSize = n % PAGE_SIZE || PAGE_SIZE;
	const fromEnd = limit <= lastPageSize ? 1 : 1 + Math.ceil((limit - lastPageSize) / PAGE_SIZE);
	// Page 1 is already in hand when reading backwards reaches it.
	return 1 + Math.min(fromEnd, pages - 1);
}

async function timed(sim, fn) {
	sim.resetCounts();
	const started = process.hrtime.bigint();
	const numbers = await fn();
	return { ms: Number(process.hrtime.bigint() - started) / 1e6, numbers, list: sim.counts.list, token: sim.counts.token };
}

async function benchNewest({ sizes, limit = 20, latencyMs, runs, baseline }) {
	const rows = [];
	for (const n of sizes) {
		await withSimulator({ seed: `newest-${n}` }, async (sim) => {
			sim.seedOrders(n);
			sim.setLatency(latencyMs);
			const expectedNumbers = sim.orders.slice(-limit).map((o) => o.order_number).reverse();
			const ours = [];
			const naive = [];
			for (let run = 0; run < runs; run++) {
				for (const who of run % 2 === 0 ? ['ours', 'naive'] : ['naive', 'ours']) {
					if (who === 'ours') {
						const { engine, runOrders } = engineFor(sim);
						ours.push(
							await timed(sim, async () => {
								const result = await runOrders({ operation: 'getAll', newestFirst: true, limit });
								if (result.error) throw result.error;
								return result.json('1NCE').map((o) => o.order_number);
							}),
						);
						engine.shutdown();
					} else {
						naive.push(
							await timed(sim, async () =>
								(await baseline.listAll(sim))
									.map((o) => o.order_number)
									.sort((a, b) => b - a)
									.slice(0, limit),
							),
						);
					}
				}
			}
			const expected = expectedNewestRequests(n, limit);
			const same = (r) => JSON.stringify(r.numbers) === JSON.stringify(expectedNumbers);
			rows.push({
				n,
				limit,
				latencyMs,
				runs,
				oursList: ours[0].list,
				oursToken: ours[0].token,
				oursMs: median(ours.map((r) => r.ms)),
				naiveList: naive[0].list,
				naiveToken: naive[0].token,
				naiveMs: median(naive.map((r) => r.ms)),
				expectedList: expected,
				ok: ours.every((r) => r.list === expected && r.token === 1 && same(r)) && naive.every(same),
			});
			if (sim.validationErrors.length) throw new Error(`spec violations: ${JSON.stringify(sim.validationErrors[0])}`);
		});
	}
	return rows;
}

const newestColumns = [
	['N', (r) => r.n],
	['limit', (r) => r.limit],
	['latency ms', (r) => r.latencyMs],
	['runs', (r) => r.runs],
	['list req', (r) => r.oursList],
	['token req', (r) => r.oursToken],
	['ms (median)', (r) => r.oursMs.toFixed(0)],
	['HTTP Request list req', (r) => r.naiveList],
	['HTTP Request token req', (r) => r.naiveToken],
	['HTTP Request ms', (r) => r.naiveMs.toFixed(0)],
	['req ratio', (r) => ((r.naiveList + r.naiveToken) / (r.oursList + r.oursToken)).toFixed(1)],
	['time ratio', (r) => (r.naiveMs / r.oursMs).toFixed(1)],
	['ok', (r) => (r.ok ? 'yes' : 'NO')],
];

module.exports = { benchNewest, expectedNewestRequests, newestColumns };
