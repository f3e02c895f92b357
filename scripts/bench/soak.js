// Fault soaks: random 429/403/5xx/dropped connections/garbled answers; every loss or repeat is counted.
'use strict';

const path = require('node:path');
const { root } = require('../bootstrap');
const { withSimulator, engineFor, servedPages, duplicates } = require('./world');
const { pollingSession } = require('./trigger');

/** Faults on order POSTs for the Create soaks: refusals 1NCE answers unprocessed, and failures after which the order may exist. */
const CREATE_FAULTS = {
	rate: 0.4,
	kinds: [429, 500, 503, 'reset', 'resetAfterProcessing', 'malformed'],
	methods: ['POST'],
	paths: ['/v1/orders'],
	retryAfter: 0,
};

const LIST_FAULTS = [429, '403throttle', 500, 502, 503, 'reset', 'malformed'];
const FINALS = new Set(['COMPLETED', 'CANCELLED']);
const OPEN = ['PENDING', 'IN_PROGRESS', 'SHIPPED', 'ON_HOLD'];

function prng(seed) {
	return require(path.join(root, 'dev/simulator/prng')).createPrng(seed);
}

async function soakGetMany({ runs, n }) {
	return await withSimulator({ seed: 'soak-get-many' }, async (sim) => {
		sim.seedOrders(n);
		const tally = { runs, n, failedRuns: 0, pagesTwice: 0, ordersMissing: 0, ordersTwice: 0, faults: 0 };
		for (let run = 0; run < runs; run++) {
			const { engine, runOrders } = engineFor(sim);
			sim.resetCounts();
			sim.setRandomFaults({ rate: 0.15, kinds: LIST_FAULTS, paths: ['/v1/orders'], retryAfter: 0 });
			const result = await runOrders({ operation: 'getAll', returnAll: true });
			sim.setRandomFaults(null);
			engine.shutdown();
			tally.faults += sim.requests.filter((r) => r.fault !== undefined).length;
			tally.pagesTwice += duplicates(servedPages(sim));
			if (result.error) {
				tally.failedRuns++;
				continue;
			}
			const numbers = result.json('1NCE').map((o) => o.order_number);
			tally.ordersTwice += duplicates(numbers);
			const seen = new Set(numbers);
			tally.ordersMissing += sim.orders.filter((o) => !seen.has(o.order_number)).length;
		}
		return tally;
	});
}

async function soakCreate({ runs }) {
	return await withSimulator({ seed: 'soak-create', createResponse: 'created201' }, async (sim) => {
		const tally = { runs, failedRuns: 0, ordersCreatedTwice: 0, postsSentTwice: 0, ordersPlaced: 0 };
		const { engine, runOrders } = engineFor(sim);
		for (let run = 0; run < runs; run++) {
			sim.resetCounts();
			const createdBefore = sim.created.length;
			sim.setRandomFaults(CREATE_FAULTS);
			const result = await runOrders({
				operation: 'create',
				// A new basket each run: the duplicate guard (on by default) would rightly skip a repeat.
				products: { product: [{ productId: 1001, quantity: 1 + run }] },
				additionalFields: { customerReference: `soak-${run}` },
			});
			sim.setRandomFaults(null);
			if (result.error) tally.failedRuns++;
			const posts = sim.requests.filter((r) => r.method === 'POST' && r.path === '/v1/orders').length;
			const placed = sim.created.length - createdBefore;
			tally.ordersPlaced += placed;
			if (posts > 1) tally.postsSentTwice++;
			if (placed > 1) tally.ordersCreatedTwice++;
		}
		engine.shutdown();
		return tally;
	});
}

/**
 * Events a trigger poll must emit: what its state changed, measured against the orders as they were. A watched
 * order whose recorded status changed (or that left as final), and every order between the old and the new
 * highest number as new. A poll cut short by its request budget changes less, and the rest comes later.
 */
function expectedEvents(before, after, world) {
	const out = [];
	if (!before || !after) return out;
	for (const [key, entry] of Object.entries(before.watching)) {
		const now = after.watching[key];
		const status = world.get(Number(key));
		if (now ? now.status !== entry.status : status !== entry.status) out.push(`${key}:${entry.status}:${status}`);
	}
	for (const [number, status] of world) {
		if (number > before.highestOrder && number <= after.highestOrder) out.push(`${number}:null:${status}`);
	}
	return out;
}

async function soakTrigger({ polls }) {
	return await withSimulator({ seed: 'soak-trigger' }, async (sim) => {
		const rng = prng('soak-trigger');
		sim.seedOrders(80);
		sim.orders.forEach((order, i) => {
			order.order_status = i >= 65 ? rng.pick(OPEN) : 'COMPLETED';
		});
		const session = pollingSession(sim);
		const { parseState, STATE_KEY, stateAccount } = require(path.join(root, 'dist/nodes/OneNce/trigger/state'));
		const account = stateAccount({ baseUrl: sim.url, username: sim.username });
		const stateIn = (json) => parseState(JSON.parse(json)['node:Trigger']?.[STATE_KEY], account);
		const tally = {
			polls,
			events: 0,
			failedPolls: 0,
			eventsLost: 0,
			eventsDuplicated: 0,
			stateChangedByFailure: 0,
			bursts: 0,
			maxRequestsPerPoll: 0,
			budget: 20,
			overBudget: 0,
		};
		try {
			for (let round = 0; round < polls; round++) {
				const open = sim.orders.filter((o) => !FINALS.has(o.order_status));
				for (let k = rng.int(0, 3); k > 0 && open.length; k--) {
					sim.setOrderStatus(rng.pick(open).order_number, rng.chance(0.4) ? 'COMPLETED' : rng.pick(OPEN));
				}
				if (rng.chance(0.2)) sim.addOrder({ order_status: rng.pick(OPEN) });
				if (round > 0 && rng.chance(0.03)) {
					// A burst of new orders beyond one poll's budget: caught up over the next polls.
					for (let k = rng.int(40, 250); k > 0; k--) sim.addOrder({ order_status: rng.pick(OPEN) });
					tally.bursts++;
				}
				sim.resetCounts();
				const before = new Map(sim.orders.map((o) => [o.order_number, o.order_status]));
				const storedBefore = session.stored;
				// Mostly background noise; now and then a storm that outlasts the retries and fails the poll.
				const rate = round === 0 ? 0 : rng.chance(0.15) ? 0.8 : 0.12;
				sim.setRandomFaults({ rate, kinds: LIST_FAULTS, paths: ['/v1/orders'], retryAfter: 0 });
				let events;
				try {
					events = await session.poll();
				} catch {
					tally.failedPolls++;
					if (session.afterFailure !== storedBefore) tally.stateChangedByFailure++;
					continue;
				} finally {
					sim.setRandomFaults(null);
					const sent = sim.requests.filter((r) => r.path.startsWith('/v1/orders')).length;
					tally.maxRequestsPerPoll = Math.max(tally.maxRequestsPerPoll, sent);
					if (sent > tally.budget) tally.overBudget++;
				}
				const got = events.map((e) => `${e.order_number}:${e.previous_status}:${e.order_status}`);
				const wanted = expectedEvents(stateIn(storedBefore), stateIn(session.stored), before);
				const remaining = [...got];
				for (const key of wanted) {
					const at = remaining.indexOf(key);
					if (at === -1) tally.eventsLost++;
					else remaining.splice(at, 1);
				}
				tally.eventsDuplicated += remaining.length;
				tally.events += got.length;
			}
		} finally {
			session.close();
		}
		return tally;
	});
}

module.exports = { soakGetMany, soakCreate, soakTrigger, CREATE_FAULTS };
