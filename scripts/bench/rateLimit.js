// Return All under the real 100-requests-per-5-minutes limit, with the window compressed in time.
'use strict';

const { withSimulator, engineFor, servedPages, duplicates } = require('./world');

async function benchRateLimit({ n, limit, windowMs, latencyMs }) {
	return await withSimulator({ seed: 'bench-rate-limit' }, async (sim) => {
		sim.seedOrders(n);
		sim.setLatency(latencyMs);
		sim.setRateLimit({ limit, windowMs, status: 429, retryAfter: true });
		const { engine, runOrders } = engineFor(sim);
		const started = Date.now();
		let error;
		let orders = 0;
		try {
			const result = await runOrders({ operation: 'getAll', returnAll: true });
			error = result.error;
			orders = result.json('1NCE').length;
		} finally {
			engine.shutdown();
		}
		const pages = servedPages(sim);
		const throttled = sim.requests.filter((r) => r.status === 429).length;
		return {
			n,
			limit,
			windowMs,
			latencyMs,
			runs: 1,
			ms: Date.now() - started,
			orders,
			error: error ? error.message : null,
			pagesServed: pages.length,
			pagesTwice: duplicates(pages),
			throttled,
			ok: !error && orders === n && pages.length === Math.ceil(n / 10) && duplicates(pages) === 0 && throttled > 0,
		};
	});
}

module.exports = { benchRateLimit };
