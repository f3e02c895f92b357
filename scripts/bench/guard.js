// Create's duplicate guard: list requests one Create spends reading its window, by account size, by how busy the
// account is and by window (1 h, the default, and 24 h). Refusals are counted, not hidden: past 11 pages the guard
// refuses to order rather than order blindly.
'use strict';

const { withSimulator, engineFor } = require('./world');

const PACES = [
	// The simulator's own history: orders 20 minutes to 60 hours apart.
	{ name: 'seeded (20 min–60 h apart)', everyMinutes: null },
	{ name: 'busy (an order every 10 min)', everyMinutes: 10 },
];

/** Moves the history so that its newest order was placed a minute ago, or spaces every order `everyMinutes` apart. */
function placeHistoryNow(sim, everyMinutes) {
	const orders = sim.orders;
	const newest = Date.parse(orders[orders.length - 1].order_date);
	const now = Date.now() - 60_000;
	orders.forEach((order, i) => {
		const at = everyMinutes ? now - (orders.length - 1 - i) * everyMinutes * 60_000 : Date.parse(order.order_date) + (now - newest);
		order.order_date = new Date(at).toISOString();
	});
}

async function benchGuard({ sizes = [100, 2521, 10000], windows = [1, 24], latencyMs = 0 } = {}) {
	const rows = [];
	for (const n of sizes) {
		for (const pace of PACES) {
			await withSimulator({ seed: `guard-${n}` }, async (sim) => {
				sim.seedOrders(n);
				placeHistoryNow(sim, pace.everyMinutes);
				sim.setLatency(latencyMs);
				for (const hours of windows) {
					const placedBefore = sim.created.length;
					const since = Date.now() - hours * 3_600_000;
					const inWindow = sim.orders.filter((order) => Date.parse(order.order_date) >= since).length;
					const { engine, runOrders } = engineFor(sim);
					sim.resetCounts();
					// A basket no seeded order has, so the guard reads its whole window and then orders.
					const result = await runOrders({
						operation: 'create',
						products: { product: [{ productId: 1001, quantity: 99_999 }] },
						options: { recentHours: hours },
					});
					engine.shutdown();
					const json = result.error ? undefined : result.json('1NCE')[0];
					rows.push({
						n,
						pace: pace.name,
						hours,
						inWindow,
						list: sim.counts.list,
						outcome: result.error ? 'refused' : json.skipped ? 'skipped' : 'placed',
						ok: result.error ? inWindow > 90 && sim.counts.list <= 11 : sim.counts.list <= 11 && sim.counts.create === 1,
					});
					// Leave the account as it was for the next window.
					if (sim.created.length > placedBefore) sim.orders.pop();
				}
			});
		}
	}
	return rows;
}

const guardColumns = [
	['orders', (r) => r.n],
	['history', (r) => r.pace],
	['window h', (r) => r.hours],
	['orders in window', (r) => r.inWindow],
	['list requests', (r) => r.list],
	['outcome', (r) => r.outcome],
	['ok', (r) => (r.ok ? 'yes' : 'NO')],
];

module.exports = { benchGuard, guardColumns };
