/**
 * Soak: 320 polls of the 1NCE Trigger in n8n's engine over a simulator whose orders change status and
 * arrive at random, while 429s, 403 throttles, 5xx, dropped connections, garbled answers and rate-limit
 * cut-offs are injected at random. After every poll: the events equal the transitions visible between the
 * last saved poll and this one (no duplicate, no gap), a failed poll left the stored state byte for byte as
 * it was, and the pages read stay within the plan's budget.
 */
import { OneNceApi } from '../credentials/OneNceApi.credentials';
import { OneNceTrigger } from '../nodes/OneNce/OneNceTrigger.node';
import { STATE_KEY } from '../nodes/OneNce/trigger/state';
import { startSimulator, type FaultKind, type Simulator } from '../dev/simulator';

// Retry waits take no wall-clock time; the transport still counts them against its budget.
jest.mock('n8n-workflow', () => ({
	...jest.requireActual('n8n-workflow'),
	sleep: async () => {},
	sleepWithAbort: async () => {},
}));

const { createEngine } = require('../dev/engine/n8n-engine');
const { createPrng } = require('../dev/simulator/prng');

const POLLS = 320;
const PAGES_PER_SCAN_SLICE = 4;
const FINALS = new Set(['COMPLETED', 'CANCELLED']);
const OPEN_STATUSES = ['PENDING', 'IN_PROGRESS', 'SHIPPED', 'ON_HOLD', 'Awaiting customs'];
const FAULTS: FaultKind[] = [429, '403throttle', 500, 502, 503, 'reset', 'resetAfterProcessing', 'malformed'];

const engine = createEngine({ nodeTypes: { oneNceTrigger: new OneNceTrigger() }, credentialTypes: [new OneNceApi()] });
let sim: Simulator;

beforeAll(async () => {
	sim = await startSimulator({ seed: 'trigger-soak' });
});
afterAll(async () => {
	await sim.close();
	engine.shutdown();
});

type Snapshot = Map<number, string>;
type Event = [number, string | null, string];

const pageOf = (index: number) => Math.floor(index / 10) + 1;

function snapshot(): Snapshot {
	return new Map(sim.orders.map((o) => [o.order_number, o.order_status]));
}

/** What the trigger must report: every order whose status differs from the last saved poll, unless it was final. */
function transitions(saved: Snapshot, now: Snapshot): Event[] {
	const out: Event[] = [];
	for (const [number, status] of now) {
		const before = saved.get(number);
		if (before === undefined) out.push([number, null, status]);
		else if (!FINALS.has(before) && before !== status) out.push([number, before, status]);
	}
	return out;
}

it(`${POLLS} polls with random changes and faults: every transition exactly once, failed polls change nothing`, async () => {
	const rng = createPrng('trigger-soak');
	const credentials = engine.store.add('soak', 'oneNceApi', {
		username: sim.username,
		password: sim.password,
		baseUrl: sim.url,
		accessToken: '',
		// Waits take no time here (sleep is mocked), so the host-wide pacing of 100 per 5 minutes is off.
		requestAllowance: 0,
	});
	sim.seedOrders(150);
	sim.orders.forEach((order, i) => {
		order.order_status = i >= 135 ? rng.pick(OPEN_STATUSES) : rng.chance(0.9) ? 'COMPLETED' : 'CANCELLED';
	});

	let stored: string | undefined; // static data as n8n last saved it (JSON)
	let saved: Snapshot | undefined; // the orders as the saved poll saw them
	const tally = { events: 0, newOrders: 0, failures: 0, halfWay: 0, unsaved: 0, scanPolls: 0, filtered: 0 };

	for (let round = 0; round < POLLS; round++) {
		// The world moves on between polls.
		const open = sim.orders.filter((o) => !FINALS.has(o.order_status));
		for (let k = rng.int(0, 4); k > 0 && open.length; k--) {
			const order = rng.pick(open);
			sim.setOrderStatus(order.order_number, rng.chance(0.5) ? rng.pick([...FINALS]) : rng.pick(OPEN_STATUSES));
		}
		if (rng.chance(0.2)) for (let k = rng.int(1, 3); k > 0; k--) sim.addOrder({ order_status: rng.pick(OPEN_STATUSES) });
		if (rng.chance(0.02)) for (let k = rng.int(12, 25); k > 0; k--) sim.addOrder();

		// Faults: none for the baseline, then background noise, storms and hard rate-limit cut-offs.
		const mode = round === 0 ? 'none' : rng.weighted([['none', 3], ['noise', 4], ['storm', 2], ['cut', 2]] as const);
		if (mode === 'noise') sim.setRandomFaults({ rate: 0.08, kinds: FAULTS, paths: ['/v1/orders'] });
		if (mode === 'storm') sim.setRandomFaults({ rate: 0.6, kinds: FAULTS, paths: ['/v1/orders'] });
		if (mode === 'cut') sim.setRateLimit({ limit: rng.int(0, 3), windowMs: 3_600_000 });

		const statuses = rng.chance(0.3) ? ['SHIPPED', 'COMPLETED'] : [];
		const includeNewOrders = rng.chance(0.7);
		const scanDue = rng.chance(0.15); // a reconciliation interval so short that a scan is always due
		const parameters = {
			statuses,
			otherStatuses: statuses.length ? 'on_hold' : '',
			includeNewOrders,
			options: { fullScanIntervalHours: scanDue ? 1e-9 : 24, fullScanPagesPerPoll: PAGES_PER_SCAN_SLICE },
		};

		const before = snapshot();
		const indexOf = new Map(sim.orders.map((o, i) => [o.order_number, i]));
		const staticData = stored ? JSON.parse(stored) : {};
		const prior = staticData['node:Trigger']?.[STATE_KEY];
		sim.resetCounts();
		let result: any;
		let failure: any;
		try {
			({ result } = await engine.poll({
				node: { name: 'Trigger', type: 'n8n-nodes-1nce.oneNceTrigger', parameters, credentials },
				staticData,
			}));
		} catch (error) {
			failure = error;
		}
		sim.setRandomFaults(null);
		sim.clearFaults();
		sim.setRateLimit(null);
		const served = sim.requests.filter((r) => r.path === '/v1/orders' && r.status === 200 && r.fault === undefined);
		expect(sim.counts.get).toBe(0); // nothing vanished, so no order is read on its own

		if (failure) {
			expect(failure.name).toBe('NodeApiError');
			expect(JSON.stringify(staticData)).toBe(stored ?? '{}');
			tally.failures++;
			if (served.length > 0) tally.halfWay++;
			continue;
		}

		const events: any[] = result ? result[0].map((item: { json: unknown }) => item.json) : [];
		const all = saved ? transitions(saved, before) : [];
		const wanted = all
			.filter(([, previous]) => previous !== null || includeNewOrders)
			.filter(([, , status]) => !statuses.length || [...statuses, 'ON_HOLD'].includes(status.toUpperCase()));
		expect(events.map((e) => [e.order_number, e.previous_status, e.order_status])).toEqual(wanted);
		for (const event of events) expect(event.order.order_status).toBe(event.order_status);
		tally.events += events.length;
		tally.newOrders += events.filter((e) => e.previous_status === null).length;
		tally.filtered += all.length - wanted.length;

		// Request budget: never a page twice; without a scan exactly the pages of open orders plus the tail.
		const pages = served.map((r) => Number(r.query.page));
		expect(new Set(pages).size).toBe(pages.length);
		if (prior) {
			const planned = new Set<number>();
			for (const [number, status] of saved ?? []) if (!FINALS.has(status)) planned.add(pageOf(indexOf.get(number)!));
			for (let page = pageOf(prior.n - 1); page <= pageOf(sim.orders.length - 1); page++) planned.add(page);
			const scanning = prior.s !== undefined || scanDue;
			if (scanning) {
				tally.scanPolls++;
				expect(pages.length).toBeLessThanOrEqual(planned.size + PAGES_PER_SCAN_SLICE);
				for (const page of planned) expect(pages).toContain(page);
			} else {
				expect(new Set(pages)).toEqual(planned);
			}
		} else {
			expect(pages.length).toBeLessThanOrEqual(1 + PAGES_PER_SCAN_SLICE);
		}

		// Older n8n saves static data only when a poll emits: half the quiet polls are lost.
		if (events.length > 0 || rng.chance(0.5) || !saved) {
			stored = JSON.stringify(staticData);
			saved = before;
		} else tally.unsaved++;
	}

	expect(sim.validationErrors).toEqual([]);
	// The soak exercised what it claims to.
	expect(tally.events).toBeGreaterThan(150);
	expect(tally.newOrders).toBeGreaterThan(30);
	expect(tally.filtered).toBeGreaterThan(20);
	expect(tally.failures).toBeGreaterThan(20);
	expect(tally.halfWay).toBeGreaterThan(10);
	expect(tally.unsaved).toBeGreaterThan(10);
	expect(tally.scanPolls).toBeGreaterThan(20);
}, 180_000);
