// 1NCE Trigger: order requests per steady-state poll and stored bytes, against re-listing every order per poll;
// the polls and requests to catch up a backlog of new orders, and the most any single poll sent (its budget caps it).
'use strict';

const path = require('node:path');
const { root } = require('../bootstrap');
const { withSimulator, engineFor } = require('./world');

const PARAMETERS = { statuses: [], otherStatuses: '', includeNewOrders: true, options: {} };
/** The trigger's default Requests per Poll. */
const BUDGET = 20;
const BACKLOG = 1200;

/** Polls as n8n does: static data saved after each successful poll and loaded again for the next. */
function pollingSession(sim, engineOptions) {
	const { engine, poll } = engineFor(sim, engineOptions);
	let stored = '{}';
	return {
		afterFailure: undefined,
		async poll(parameters = PARAMETERS) {
			const staticData = JSON.parse(stored);
			let result;
			try {
				({ result } = await poll(parameters, staticData));
			} catch (error) {
				// What the failed poll left in memory: it must equal what was loaded.
				this.afterFailure = JSON.stringify(staticData);
				throw error;
			}
			stored = JSON.stringify(staticData);
			return result ? result[0].map((item) => item.json) : [];
		},
		get stored() {
			return stored;
		},
		set stored(value) {
			stored = value;
		},
		close: () => engine.shutdown(),
	};
}

async function benchTrigger({ sizes, open, steadyPolls, backlog = BACKLOG }) {
	const { stateBytes, STATE_KEY } = require(path.join(root, 'dist/nodes/OneNce/trigger/state'));
	const rows = [];
	for (const n of sizes) {
		await withSimulator({ seed: `bench-trigger-${n}` }, async (sim) => {
			sim.seedOrders(n);
			sim.orders.forEach((order, i) => {
				order.order_status = i >= n - open ? 'IN_PROGRESS' : 'COMPLETED';
			});
			const session = pollingSession(sim);
			try {
				const every = []; // order requests of every poll
				const measured = async () => {
					const before = sim.counts.list + sim.counts.get;
					const events = await session.poll();
					every.push(sim.counts.list + sim.counts.get - before);
					return events;
				};
				sim.resetCounts();
				await measured();
				const baselineRequests = sim.counts.list + sim.counts.get;
				// The baseline's full scan is spread over polls; regular polls are measured once it is done.
				let setupPolls = 1;
				const stored = () => JSON.parse(session.stored)['node:Trigger']?.[STATE_KEY];
				const scanning = () => stored()?.fullScan !== undefined;
				while (scanning() && setupPolls < n) {
					await measured();
					setupPolls++;
				}
				const setupRequests = sim.counts.list + sim.counts.get;
				const perPoll = [];
				let events = 0;
				for (let k = 0; k < steadyPolls; k++) {
					const watched = sim.orders.filter((o) => o.order_status === 'IN_PROGRESS');
					if (watched.length) sim.setOrderStatus(watched[k % watched.length].order_number, 'SHIPPED');
					if (k % 2 === 1) sim.addOrder({ order_status: 'PENDING' });
					sim.resetCounts();
					events += (await measured()).length;
					perPoll.push(sim.counts.list + sim.counts.get);
				}
				const steadyBytes = stateBytes(JSON.parse(session.stored)['node:Trigger']);
				// A backlog: this many new orders since the last poll. Minimum: one request per 10 of them.
				const added = new Set();
				for (let k = 0; k < backlog; k++) added.add(sim.addOrder({ order_status: 'PENDING' }).order_number);
				const behind = () => stored()?.newOrdersBehind === true;
				sim.resetCounts();
				let backlogPolls = 0;
				let backlogReported = 0;
				let backlogTwice = 0;
				const seen = new Set();
				do {
					for (const e of await measured()) {
						if (!added.has(e.order_number) || e.previous_status !== null) continue;
						if (seen.has(e.order_number)) backlogTwice++;
						seen.add(e.order_number);
						backlogReported++;
					}
					backlogPolls++;
				} while (behind() && backlogPolls < backlog);
				const backlogRequests = sim.counts.list + sim.counts.get;
				const naiveState = JSON.stringify(Object.fromEntries(sim.orders.map((o) => [o.order_number, o.order_status])));
				rows.push({
					n,
					open,
					latencyMs: 0,
					runs: steadyPolls,
					baselineRequests,
					setupPolls,
					setupRequests,
					steadyMax: Math.max(...perPoll),
					steadyMean: perPoll.reduce((a, b) => a + b, 0) / perPoll.length,
					stateBytes: steadyBytes,
					events,
					rescanRequests: Math.ceil(sim.orders.length / 10),
					rescanStateBytes: naiveState.length,
					backlog,
					backlogPolls,
					backlogRequests,
					backlogMinimum: Math.ceil(backlog / 10),
					worstPoll: Math.max(...every),
					budget: BUDGET,
					ok:
						events === steadyPolls + Math.floor(steadyPolls / 2) &&
						(n < 10000 || Math.max(...perPoll) <= 4) &&
						backlogReported === backlog &&
						seen.size === backlog &&
						backlogTwice === 0 &&
						Math.max(...every) <= BUDGET,
				});
			} finally {
				session.close();
			}
		});
	}
	return rows;
}

module.exports = { benchTrigger, pollingSession };
