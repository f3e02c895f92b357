// 1NCE Trigger: order requests per steady-state poll and stored bytes, against re-listing every order per poll.
'use strict';

const path = require('node:path');
const { root } = require('../bootstrap');
const { withSimulator, engineFor } = require('./world');

const PARAMETERS = { statuses: [], otherStatuses: '', includeNewOrders: true, options: {} };

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

async function benchTrigger({ sizes, open, steadyPolls }) {
	const { stateBytes, parseState, STATE_KEY } = require(path.join(root, 'dist/nodes/OneNce/trigger/state'));
	const rows = [];
	for (const n of sizes) {
		await withSimulator({ seed: `bench-trigger-${n}` }, async (sim) => {
			sim.seedOrders(n);
			sim.orders.forEach((order, i) => {
				order.order_status = i >= n - open ? 'IN_PROGRESS' : 'COMPLETED';
			});
			const session = pollingSession(sim);
			try {
				sim.resetCounts();
				await session.poll();
				const baselineRequests = sim.counts.list + sim.counts.get;
				// The first reconciliation scan is spread over polls; steady state starts when it is done.
				let setupPolls = 1;
				const scanning = () => parseState(JSON.parse(session.stored)['node:Trigger']?.[STATE_KEY])?.s !== undefined;
				while (scanning() && setupPolls < n) {
					await session.poll();
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
					events += (await session.poll()).length;
					perPoll.push(sim.counts.list + sim.counts.get);
				}
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
					stateBytes: stateBytes(JSON.parse(session.stored)['node:Trigger']),
					events,
					rescanRequests: Math.ceil(sim.orders.length / 10),
					rescanStateBytes: naiveState.length,
					ok: events === steadyPolls + Math.floor(steadyPolls / 2) && (n < 10000 || Math.max(...perPoll) <= 5),
				});
			} finally {
				session.close();
			}
		});
	}
	return rows;
}

module.exports = { benchTrigger, pollingSession };
