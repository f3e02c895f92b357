// One host, one budget: Return All while a 1NCE Trigger polls every minute, under the simulator's enforced
// limit (100 order requests per 5 minutes, 429 or firewall-403 flavour), with time compressed; and a Create
// soak under Retry On Fail. Counts throttled answers, pages fetched twice and orders placed twice.
'use strict';

const { withSimulator, engineFor, duplicates, withPackageTimeCompressed } = require('./world');
const { pollingSession } = require('./trigger');
const { CREATE_FAULTS } = require('./soak');

const REAL_WINDOW_MS = 5 * 60_000;
const REAL_POLL_MS = 60_000;

/**
 * @param {{ n: number, allowance: number, compression: number, status: 429 | 403, pacing: boolean }} options
 */
async function benchHostBudget({ n, allowance, compression, status, pacing }) {
	const windowMs = REAL_WINDOW_MS / compression;
	return await withPackageTimeCompressed(compression, () =>
		withSimulator({ seed: `bench-pacing-${status}` }, async (sim) => {
			sim.seedOrders(n);
			sim.orders.forEach((order, i) => {
				if (i >= n - 20) order.order_status = 'IN_PROGRESS';
			});
			sim.setRateLimit({ limit: allowance, windowMs, status });
			const requestAllowance = pacing ? allowance : 0;
			const { engine, runOrders } = engineFor(sim, { requestAllowance });
			const trigger = pollingSession(sim, { requestAllowance });
			const polls = { done: 0, failed: 0, skipped: 0 };
			let busy = false;
			// The trigger as n8n runs it: a poll every (compressed) minute, while Get Many reads everything.
			const tick = async () => {
				if (busy) return void polls.skipped++;
				busy = true;
				try {
					await trigger.poll();
					polls.done++;
				} catch {
					polls.failed++;
				} finally {
					busy = false;
				}
			};
			const started = Date.now();
			void tick();
			const timer = setInterval(() => void tick(), REAL_POLL_MS / compression);
			let result;
			try {
				result = await runOrders({ operation: 'getAll', returnAll: true });
			} finally {
				clearInterval(timer);
				while (busy) await new Promise((resolve) => setTimeout(resolve, 10));
				engine.shutdown();
				trigger.close();
			}
			const elapsedMs = Date.now() - started;
			const counted = sim.requests.filter((r) => r.path.startsWith('/v1/orders'));
			const throttled = counted.filter((r) => r.status === 429 || r.status === 403).length;
			// Get Many sends no sort; the trigger always asks for sort=order_number.
			const getManyPages = sim.requests
				.filter((r) => r.method === 'GET' && r.path === '/v1/orders' && r.status === 200 && r.query.sort === undefined)
				.map((r) => Number(r.query.page));
			// The least time `counted` requests can take under the limit: the first `allowance` at once, then
			// `allowance` per window.
			const minimumMs = (Math.max(0, counted.length - allowance) / allowance) * REAL_WINDOW_MS;
			const orders = result.json('1NCE').length;
			return {
				n,
				status,
				pacing,
				allowance,
				compression,
				requests: counted.length,
				throttled,
				pollsDone: polls.done,
				pollsFailed: polls.failed,
				pollsSkipped: polls.skipped,
				virtualMs: elapsedMs * compression,
				minimumMs,
				pagesTwice: duplicates(getManyPages),
				orders,
				error: result.error ? result.error.message : null,
				ok: !result.error && orders === n && (!pacing || throttled === 0),
			};
		}),
	);
}

/** Create under Retry On Fail with random faults on the order request: orders placed twice per input item. */
async function soakCreateRetryOnFail({ runs }) {
	return await withSimulator({ seed: 'soak-create-retry', createResponse: 'created201' }, async (sim) => {
		// Refused POSTs (4xx: nothing placed) are sent again by Retry On Fail; one that may have reached 1NCE never is.
		const tally = { runs, items: 0, failedRuns: 0, ordersPlaced: 0, ordersPlacedTwice: 0, refusedResent: 0, resentAfterMayHaveReached: 0 };
		const { engine, runOrders } = engineFor(sim);
		const settings = { retryOnFail: true, maxTries: 5, waitBetweenTries: 1 };
		for (let run = 0; run < runs; run++) {
			sim.resetCounts();
			sim.setRandomFaults(CREATE_FAULTS);
			// Three items per run, the first invalid on every third run, half of the runs with On Error → Continue.
			// Quantities differ from run to run, so the duplicate guard (on by default) skips none of them.
			const input = [0, 1, 2].map((i) => ({ q: run % 3 === 0 && i === 0 ? 0 : 1 + 3 * run + i, ref: `soak-${run}-${i}` }));
			tally.items += input.length;
			const result = await runOrders(
				{
					operation: 'create',
					products: { product: [{ productId: 1001, quantity: '={{ $json.q }}' }] },
					additionalFields: { customerReference: '={{ $json.ref }}' },
				},
				{ input, settings: run % 2 ? { ...settings, onError: 'continueRegularOutput' } : settings },
			);
			sim.setRandomFaults(null);
			if (result.error) tally.failedRuns++;
			const posts = sim.requests.filter((r) => r.method === 'POST' && r.path === '/v1/orders');
			const refused = posts.filter((r) => r.status >= 400 && r.status <= 499).length;
			const placed = sim.created.filter((body) => String(body.customer_reference).startsWith(`soak-${run}-`));
			tally.ordersPlaced += placed.length;
			tally.ordersPlacedTwice += duplicates(placed.map((body) => body.customer_reference));
			const valid = input.filter((item) => item.q > 0).length;
			tally.refusedResent += refused;
			// At most one POST per valid item may have reached 1NCE (answered 2xx/5xx, or the connection failed).
			if (posts.length - refused > valid) tally.resentAfterMayHaveReached += posts.length - refused - valid;
		}
		engine.shutdown();
		return tally;
	});
}

module.exports = { benchHostBudget, soakCreateRetryOnFail };
