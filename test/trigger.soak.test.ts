/**
 * Soak: 320 polls of the 1NCE Trigger in n8n's engine over a simulator whose orders change status and
 * arrive at random (now and then in bursts far beyond one poll's budget), while 429s, 403 throttles, 5xx,
 * dropped connections, garbled answers, rate-limit cut-offs and requests that never end are injected at
 * random, some polls overlap, and the request budget changes. After every poll: the events equal the change
 * between the last saved state and the new one (no duplicate, no gap), a failed poll left the stored state
 * byte for byte as it was, no page was read twice, and the poll sent at most its budget of order requests.
 * At the end, with the world standing still, the state catches up with every order: nothing was lost.
 * Time is virtual: retry waits and the gaps between polls move Date.now without taking wall-clock time.
 */
import { OneNceApi } from '../credentials/OneNceApi.credentials';
import { OneNceTrigger } from '../nodes/OneNce/OneNceTrigger.node';
import { STATE_KEY } from '../nodes/OneNce/trigger/state';
import { startSimulator, type FaultKind, type Simulator } from '../dev/simulator';
import { setClock } from '../nodes/OneNce/transport/processState';

const mockClock = { offset: 0 };
jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual('n8n-workflow');
	const wait = async (ms: number) => void (mockClock.offset += ms);
	return { ...actual, sleep: wait, sleepWithAbort: wait };
});
const realNow = Date.now.bind(Date);
jest.spyOn(Date, 'now').mockImplementation(() => realNow() + mockClock.offset);

const { createEngine } = require('../dev/engine/n8n-engine');
const { createPrng } = require('../dev/simulator/prng');

const POLLS = 320;
const PAGES_PER_SCAN_SLICE = 4;
const FINALS = new Set(['COMPLETED', 'CANCELLED']);
const OPEN_STATUSES = ['PENDING', 'IN_PROGRESS', 'SHIPPED', 'ON_HOLD', 'Awaiting customs'];
const FAULTS: FaultKind[] = [429, '403throttle', 500, 502, 503, 'reset', 'resetAfterProcessing', 'malformed'];
const BUDGETS = [5, 8, 20];

const engine = createEngine({ nodeTypes: { oneNceTrigger: new OneNceTrigger() }, credentialTypes: [new OneNceApi()] });
let sim: Simulator;

beforeAll(async () => {
	sim = await startSimulator({ seed: 'trigger-soak' });
	// Request timeouts 30 times shorter (1 s for a read): a hung poll ends within its own round, so none of its
	// retries lands in a later round's request count.
	setClock({ speed: 30 });
});
afterAll(async () => {
	setClock();
	await sim.close().catch(() => undefined);
	engine.shutdown();
});

type Snapshot = Map<number, string>;
type Event = [number, string | null, string];

function snapshot(): Snapshot {
	return new Map(sim.orders.map((o) => [o.order_number, o.order_status]));
}

/**
 * Every transition a poll must have made, from the states saved before and after it and the orders as they
 * were: a watched order whose recorded status changed (or that left the watch list as final), and every
 * order between the old and the new highest number as new.
 */
function transitions(before: any, after: any, world: Snapshot): Event[] {
	if (!before || !after) return [];
	const out: Event[] = [];
	for (const [key, entry] of Object.entries(before.watching as Record<string, { status: string }>)) {
		const number = Number(key);
		const now = after.watching[key];
		if (now ? now.status !== entry.status : world.get(number) !== entry.status) out.push([number, entry.status, world.get(number)!]);
	}
	for (const [number, status] of world) {
		if (number > before.highestOrder && number <= after.highestOrder) out.push([number, null, status]);
	}
	return out.sort((x, y) => x[0] - y[0]);
}

it(`${POLLS} polls with random changes, bursts, faults, overlaps and hangs: every transition exactly once, within the budget`, async () => {
	const rng = createPrng('trigger-soak');
	const credentials = engine.store.add('soak', 'oneNceApi', {
		...sim.credentialData(),
		// Waits take no time here (sleep is mocked), so the host-wide pacing of 100 per 5 minutes is off.
		requestAllowance: 0,
	});
	sim.seedOrders(150);
	sim.orders.forEach((order, i) => {
		order.order_status = i >= 135 ? rng.pick(OPEN_STATUSES) : rng.chance(0.9) ? 'COMPLETED' : 'CANCELLED';
	});

	let stored: string | undefined; // static data as n8n last saved it (JSON)
	const tally = {
		events: 0,
		newOrders: 0,
		failures: 0,
		halfWay: 0,
		unsaved: 0,
		scanPolls: 0,
		filtered: 0,
		budgetCut: 0,
		overlaps: 0,
		hangs: 0,
		lost: 0,
		duplicated: 0,
		maxRequests: 0,
	};
	const hung: Array<Promise<unknown>> = [];
	const stateIn = (json: string | undefined) => (json ? JSON.parse(json)['node:Trigger']?.[STATE_KEY] : undefined);

	const pollOnce = async (parameters: object, staticData: object) =>
		await engine.poll({
			node: { name: 'Trigger', type: 'n8n-nodes-1nce.oneNceTrigger', parameters, credentials },
			staticData,
		});

	const round = async (index: number, settle: boolean) => {
		mockClock.offset += 60_000;
		if (!settle) {
			// The world moves on between polls.
			const open = sim.orders.filter((o) => !FINALS.has(o.order_status));
			for (let k = rng.int(0, 4); k > 0 && open.length; k--) {
				const order = rng.pick(open);
				sim.setOrderStatus(order.order_number, rng.chance(0.5) ? rng.pick([...FINALS]) : rng.pick(OPEN_STATUSES));
			}
			if (rng.chance(0.2)) for (let k = rng.int(1, 3); k > 0; k--) sim.addOrder({ order_status: rng.pick(OPEN_STATUSES) });
			if (rng.chance(0.03)) for (let k = rng.int(40, 250); k > 0; k--) sim.addOrder({ order_status: rng.pick(OPEN_STATUSES) });
		}

		// Faults: none for the baseline and the settling, then noise, storms, hard cut-offs and hung requests.
		const mode =
			index === 0 || settle ? 'none' : rng.weighted([['none', 3], ['noise', 4], ['storm', 2], ['cut', 2], ['hang', 0.3]] as const);
		if (mode === 'noise') sim.setRandomFaults({ rate: 0.08, kinds: FAULTS, paths: ['/v1/orders*'] });
		if (mode === 'storm') sim.setRandomFaults({ rate: 0.6, kinds: FAULTS, paths: ['/v1/orders*'] });
		if (mode === 'cut') sim.setRateLimit({ limit: rng.int(0, 3), windowMs: 3_600_000 });
		if (mode === 'hang') sim.injectFault({ kind: 'hang', path: '/v1/orders' });

		const statuses = !settle && rng.chance(0.3) ? ['SHIPPED', 'COMPLETED'] : [];
		const includeNewOrders = settle || rng.chance(0.7);
		const scanDue = !settle && rng.chance(0.15); // a full scan interval so short that a full scan is always due
		const budget = settle ? 20 : rng.pick(BUDGETS);
		const parameters = {
			statuses,
			otherStatuses: statuses.length ? 'on_hold' : '',
			includeNewOrders,
			options: {
				fullScanIntervalHours: scanDue ? 1e-9 : settle ? 0 : 24,
				fullScanPagesPerPoll: PAGES_PER_SCAN_SLICE,
				requestsPerPoll: budget,
			},
		};

		const before = snapshot();
		const staticData = stored ? JSON.parse(stored) : {};
		const prior = staticData['node:Trigger']?.[STATE_KEY];
		sim.resetCounts();
		let result: any;
		let failure: any;
		if (mode === 'hang') {
			// A request that does not answer: while that poll waits, another poll leaves it alone; it ends by its timeout.
			hung.push(pollOnce(parameters, JSON.parse(JSON.stringify(staticData))).catch((error: unknown) => error));
			while (!sim.requests.some((r) => r.fault === 'hang')) await new Promise((resolve) => setTimeout(resolve, 2));
			expect((await pollOnce(parameters, staticData)).result).toBeNull();
			tally.hangs++;
			// The hung poll ends by its timeout (its copy of the state is dropped), so its requests stay out of
			// this round's count.
			await hung[hung.length - 1];
			mockClock.offset += 16 * 60_000;
			sim.resetCounts();
		}
		const overlap = !settle && mode !== 'hang' && rng.chance(0.1);
		try {
			if (overlap) {
				// Two Poll Times in the same minute: the second finds the first running and returns at once.
				const [one, two] = await Promise.all([pollOnce(parameters, staticData), pollOnce(parameters, staticData)]);
				expect(two.result).toBeNull();
				result = one.result;
				tally.overlaps++;
			} else ({ result } = await pollOnce(parameters, staticData));
		} catch (error) {
			failure = error;
		}
		sim.setRandomFaults(null);
		sim.clearFaults();
		sim.setRateLimit(null);
		const sent = sim.requests.filter((r) => r.path.startsWith('/v1/orders'));
		tally.maxRequests = Math.max(tally.maxRequests, sent.length);
		expect(sent.length).toBeLessThanOrEqual(budget);
		const served = sent.filter((r) => r.path === '/v1/orders' && r.status === 200 && r.fault === undefined);
		const pages = served.map((r) => Number(r.query.page));
		expect(new Set(pages).size).toBe(pages.length);

		if (failure) {
			expect(failure.name).toBe('NodeApiError');
			expect(JSON.stringify(staticData)).toBe(stored ?? '{}');
			tally.failures++;
			if (served.length > 0) tally.halfWay++;
			return;
		}

		const events: any[] = result ? result[0].map((item: { json: unknown }) => item.json) : [];
		const after = staticData['node:Trigger']?.[STATE_KEY];
		const all = transitions(prior, after, before);
		const wanted = all
			.filter(([, previous]) => previous !== null || includeNewOrders)
			.filter(([, , status]) => !statuses.length || [...statuses, 'ON_HOLD'].includes(status.toUpperCase()));
		const got: Event[] = events.map((e) => [e.order_number, e.previous_status, e.order_status]);
		const key = (e: Event) => e.join('|');
		const gotKeys = new Set(got.map(key));
		const wantedKeys = new Set(wanted.map(key));
		tally.lost += wanted.filter((e) => !gotKeys.has(key(e))).length;
		tally.duplicated += got.filter((e) => !wantedKeys.has(key(e))).length;
		expect(got).toEqual(wanted);
		for (const event of events) expect(event.order.order_status).toBe(event.order_status);
		tally.events += events.length;
		tally.newOrders += events.filter((e) => e.previous_status === null).length;
		tally.filtered += all.length - wanted.length;
		if (prior?.fullScan || scanDue) tally.scanPolls++;
		if (after?.newOrdersBehind || after?.nextWatchCheck !== undefined) tally.budgetCut++;

		// Older n8n saves static data only when a poll emits: half the quiet polls are lost.
		if (events.length > 0 || rng.chance(0.5) || !stored || settle) stored = JSON.stringify(staticData);
		else tally.unsaved++;
	};

	for (let index = 0; index < POLLS; index++) await round(index, false);
	// The world stands still: within a few polls the state knows every order as it is.
	for (let index = 0; index < 40; index++) await round(index, true);
	const final = stateIn(stored);
	expect(final.highestOrder).toBe(sim.orders[sim.orders.length - 1].order_number);
	expect(final.newOrdersBehind).toBeUndefined();
	const open = sim.orders.filter((o) => !FINALS.has(o.order_status));
	expect(Object.fromEntries(Object.entries(final.watching).map(([k, v]: [string, any]) => [k, v.status]))).toEqual(
		Object.fromEntries(open.map((o) => [String(o.order_number), o.order_status])),
	);

	await sim.close(); // ends the hung requests: those polls fail, and nothing of theirs is stored
	await Promise.all(hung);
	expect(sim.validationErrors).toEqual([]);
	// The soak exercised what it claims to.
	expect(tally).toMatchObject({ lost: 0, duplicated: 0 });
	expect(tally.events).toBeGreaterThan(150);
	expect(tally.newOrders).toBeGreaterThan(100);
	expect(tally.filtered).toBeGreaterThan(20);
	expect(tally.failures).toBeGreaterThan(20);
	expect(tally.halfWay).toBeGreaterThan(10);
	expect(tally.unsaved).toBeGreaterThan(10);
	expect(tally.scanPolls).toBeGreaterThan(20);
	expect(tally.budgetCut).toBeGreaterThan(10);
	expect(tally.overlaps).toBeGreaterThan(10);
	expect(tally.hangs).toBeGreaterThan(0);
	console.log(`trigger soak: ${JSON.stringify(tally)}`);
}, 300_000);
