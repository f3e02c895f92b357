// SIM Get Many, Count by Status, in n8n's engine against a simulator that enforces 1NCE's SIM allowance
// (10 requests per second): requests must be ⌈N/100⌉, none throttled, and no second may hold more than 10.
'use strict';

const { withSimulator, engineFor } = require('./world');

/** Most requests that arrived within any window of `ms`. */
function busiestWindow(times, ms) {
	const sorted = [...times].sort((a, b) => a - b);
	let most = 0;
	for (let start = 0, end = 0; end < sorted.length; end++) {
		while (sorted[end] - sorted[start] >= ms) start++;
		most = Math.max(most, end - start + 1);
	}
	return most;
}

async function benchSimCount({ sizes, latencyMs }) {
	const rows = [];
	for (const n of sizes) {
		await withSimulator({ seed: `sims-${n}`, simRateLimit: { limit: 10, windowMs: 1000 } }, async (sim) => {
			sim.seedSims(n);
			sim.setLatency(latencyMs);
			const { engine, runOrders } = engineFor(sim);
			sim.resetCounts();
			const started = process.hrtime.bigint();
			const result = await runOrders({ resource: 'sim', operation: 'getAll', output: 'countByStatus' });
			const ms = Number(process.hrtime.bigint() - started) / 1e6;
			engine.shutdown();
			if (result.error) throw result.error;
			const [counted] = result.json('1NCE');
			const simRequests = sim.requests.filter((r) => r.path === '/v1/sims');
			const enabled = sim.sims.filter((s) => s.status === 'Enabled').length;
			const expected = Math.max(1, Math.ceil(n / 100));
			const throttled = simRequests.filter((r) => r.status === 429).length;
			const busiest = busiestWindow(simRequests.map((r) => r.at), 1000);
			rows.push({
				n,
				latencyMs,
				requests: simRequests.length,
				expected,
				throttled,
				busiestSecond: busiest,
				ms,
				perSecond: simRequests.length / (ms / 1000),
				ordersRequests: sim.counts.list + sim.counts.get + sim.counts.create,
				ok:
					simRequests.length === expected &&
					throttled === 0 &&
					busiest <= 10 &&
					counted.total === n &&
					counted.by_status.Enabled === enabled &&
					sim.counts.list + sim.counts.get + sim.counts.create === 0,
			});
			if (sim.validationErrors.length) throw new Error(`spec violations: ${JSON.stringify(sim.validationErrors[0])}`);
		});
	}
	return rows;
}

const simColumns = [
	['SIMs', (r) => r.n],
	['latency ms', (r) => r.latencyMs],
	['SIM req', (r) => r.requests],
	['⌈N/100⌉', (r) => r.expected],
	['429s', (r) => r.throttled],
	['busiest second', (r) => r.busiestSecond],
	['ms', (r) => r.ms.toFixed(0)],
	['req/s', (r) => r.perSecond.toFixed(1)],
	['order req', (r) => r.ordersRequests],
	['ok', (r) => (r.ok ? 'yes' : 'NO')],
];

module.exports = { benchSimCount, simColumns, busiestWindow };
