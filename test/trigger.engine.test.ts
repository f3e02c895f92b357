/**
 * The 1NCE Trigger polled through n8n's real PollContext against the simulator: baseline, transitions, new
 * orders, filters, manual runs, final statuses, failures that must leave the state untouched, and the
 * request and size targets at 10,000 orders.
 */
import { OneNceApi } from '../credentials/OneNceApi.credentials';
import { OneNceTrigger } from '../nodes/OneNce/OneNceTrigger.node';
import { STATE_KEY, stateBytes } from '../nodes/OneNce/trigger/state';
import { listedPages } from './support/fixtures';
import { TRIGGER_EVENTS } from './support/triggerEvents';
import { startSimulator, type Simulator } from '../dev/simulator';

// Waits (429 Retry-After, 5xx backoff) take no wall-clock time here; the transport's wait budget is still
// counted from the delays it asks for, so "beyond the budget" behaves as in production.
const waits: number[] = [];
jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual('n8n-workflow');
	return {
		...actual,
		sleep: async (ms: number) => void waits.push(ms),
		sleepWithAbort: async (ms: number) => void waits.push(ms),
	};
});

const { createEngine } = require('../dev/engine/n8n-engine');
const { Container } = require('@n8n/di');
const { Logger } = require('@n8n/backend-common');

const engine = createEngine({ nodeTypes: { oneNceTrigger: new OneNceTrigger() }, credentialTypes: [new OneNceApi()] });
afterAll(() => engine.shutdown());

let sim: Simulator;
let credentials: object;
let credentialId = 0;

beforeEach(async () => {
	sim = await startSimulator();
	credentials = engine.store.add(String(++credentialId), 'oneNceApi', {
		...sim.credentialData(),
		// Waits take no time here (sleep is mocked), so the host-wide pacing of 100 per 5 minutes is off.
		requestAllowance: 0,
	});
	waits.length = 0;
});

afterEach(async () => {
	await sim.close();
	expect(sim.validationErrors).toEqual([]);
});

type Params = Record<string, unknown>;
type StaticData = Record<string, any>;

/** One poll in n8n's engine; returns the emitted items' JSON ([] when the poll returned null). */
async function poll(staticData: StaticData, parameters: Params = {}, mode: 'trigger' | 'manual' = 'trigger') {
	const { result } = await engine.poll({
		node: { name: 'Trigger', type: 'n8n-nodes-1nce.oneNceTrigger', parameters, credentials },
		staticData,
		mode,
	});
	if (result === null) return [];
	expect(result).toHaveLength(1);
	return result[0].map((item: { json: any }) => item.json);
}

async function pollError(staticData: StaticData, parameters: Params = {}) {
	try {
		await poll(staticData, parameters);
	} catch (error) {
		return error as any;
	}
	throw new Error('Expected the poll to fail');
}

/** What n8n would store: static data as JSON (it holds n8n's observable proxies, which structuredClone refuses). */
const copy = (staticData: StaticData): StaticData => JSON.parse(JSON.stringify(staticData));

const stateOf = (staticData: StaticData) => staticData['node:Trigger']?.[STATE_KEY];
const watchedNumbers = (staticData: StaticData) => Object.keys(stateOf(staticData).watching).map(Number);

/** `count` seeded orders: the newest `open` IN_PROGRESS, all older ones COMPLETED. */
function seed(count: number, open: number) {
	sim.seedOrders(count);
	sim.orders.forEach((order, i) => {
		order.order_status = i >= count - open ? 'IN_PROGRESS' : 'COMPLETED';
	});
	return sim.orders.map((o) => o.order_number);
}

const brief = (events: any[]) => events.map((e) => [e.order_number, e.previous_status, e.order_status]);

/** Page numbers of list requests since the last call. */
function pagesSince(): number[] {
	const pages = listedPages(sim);
	sim.resetCounts();
	return pages;
}

describe('description', () => {
	it('is a polling trigger on the oneNceApi credential with the 1NCE icon', () => {
		const { description } = new OneNceTrigger();
		expect(description).toMatchObject({
			name: 'oneNceTrigger',
			displayName: '1NCE Trigger',
			group: ['trigger'],
			polling: true,
			inputs: [],
			outputs: ['main'],
			credentials: [{ name: 'oneNceApi', required: true }],
			icon: { light: 'file:oneNce.svg', dark: 'file:oneNce.dark.svg' },
		});
		expect(description.subtitle).toBeTruthy();
		expect(description.usableAsTool).toBeUndefined();
		const names = description.properties.map((p) => p.name);
		// Order fields first (the default event, unchanged for existing workflows), then the SIM events' own.
		expect(names).toEqual(['event', 'statuses', 'otherStatuses', 'includeNewOrders', 'options', 'dataQuotaBelowMb', 'smsQuotaBelow', 'options']);
		const event = description.properties[0];
		expect(event.default).toBe('orderStatusChanged');
		expect(event.options?.map((o) => ('value' in o ? o.value : undefined))).toEqual(TRIGGER_EVENTS.map(([value]) => value));
	});
});

describe('polls', () => {
	it('records a baseline without events, then emits each change once, shaped as documented', async () => {
		const numbers = seed(45, 6);
		const staticData: StaticData = {};
		expect(await poll(staticData)).toEqual([]);
		const baseline = stateOf(staticData);
		expect(baseline).toMatchObject({ version: 2, generation: 1, orderCount: 45, highestOrder: numbers[44] });
		expect(watchedNumbers(staticData)).toEqual(numbers.slice(39));

		sim.setOrderStatus(numbers[40], 'SHIPPED');
		pagesSince();
		const events = await poll(staticData);
		expect(brief(events)).toEqual([[numbers[40], 'IN_PROGRESS', 'SHIPPED']]);
		expect(Object.keys(events[0])).toEqual(['order_number', 'previous_status', 'order_status', 'detected_at', 'order']);
		expect(new Date(events[0].detected_at).toISOString()).toBe(events[0].detected_at);
		expect(events[0].order).toEqual(sim.orders[40]);
		// The pages of the open orders (4 and 5) and nothing else.
		expect(pagesSince().sort()).toEqual([4, 5]);

		expect(await poll(staticData)).toEqual([]);
	});

	it('collapses A→B→C between two polls into one event A→C', async () => {
		const numbers = seed(20, 2);
		const staticData: StaticData = {};
		await poll(staticData);
		sim.setOrderStatus(numbers[19], 'SHIPPED');
		sim.setOrderStatus(numbers[19], 'DELIVERED_TO_PARTNER');
		expect(brief(await poll(staticData))).toEqual([[numbers[19], 'IN_PROGRESS', 'DELIVERED_TO_PARTNER']]);
	});

	it('reports new orders only when asked, and watches them either way', async () => {
		seed(12, 1);
		const quiet: StaticData = {};
		const loud: StaticData = {};
		await poll(quiet);
		await poll(loud, { includeNewOrders: true });
		const added = sim.addOrder();
		const finished = sim.addOrder({ order_status: 'COMPLETED' });
		expect(await poll(quiet)).toEqual([]);
		expect(brief(await poll(loud, { includeNewOrders: true }))).toEqual([
			[added.order_number, null, 'PENDING'],
			[finished.order_number, null, 'COMPLETED'],
		]);
		sim.setOrderStatus(added.order_number, 'IN_PROGRESS');
		expect(brief(await poll(quiet))).toEqual([[added.order_number, 'PENDING', 'IN_PROGRESS']]);
		expect(brief(await poll(loud, { includeNewOrders: true }))).toEqual([[added.order_number, 'PENDING', 'IN_PROGRESS']]);
	});

	it('fires only for the chosen statuses (listed or typed, any case) and still tracks the others', async () => {
		const numbers = seed(30, 4);
		const parameters = { statuses: ['SHIPPED'], otherStatuses: 'on_hold', includeNewOrders: true };
		const staticData: StaticData = {};
		await poll(staticData, parameters);
		sim.setOrderStatus(numbers[26], 'SHIPPED');
		sim.setOrderStatus(numbers[27], 'ON_HOLD');
		sim.setOrderStatus(numbers[28], 'PENDING');
		const added = sim.addOrder();
		expect(brief(await poll(staticData, parameters))).toEqual([
			[numbers[26], 'IN_PROGRESS', 'SHIPPED'],
			[numbers[27], 'IN_PROGRESS', 'ON_HOLD'],
		]);
		// The filtered changes were recorded: moving on to a chosen status reports the latest previous status.
		sim.setOrderStatus(numbers[28], 'SHIPPED');
		sim.setOrderStatus(added.order_number, 'SHIPPED');
		expect(brief(await poll(staticData, parameters))).toEqual([
			[numbers[28], 'PENDING', 'SHIPPED'],
			[added.order_number, 'PENDING', 'SHIPPED'],
		]);
	});

	it('treats unknown statuses and fields as data', async () => {
		const numbers = seed(5, 1);
		const staticData: StaticData = {};
		await poll(staticData);
		Object.assign(sim.orders[4], { order_status: 'awaiting customs ✈', tracking: { carrier: 'DHL' } });
		const [event] = await poll(staticData);
		expect(event).toMatchObject({ order_number: numbers[4], order_status: 'awaiting customs ✈' });
		expect(event.order.tracking).toEqual({ carrier: 'DHL' });
	});

	it('stops watching an order in a final status; the final statuses can be changed', async () => {
		const numbers = seed(25, 3);
		const staticData: StaticData = {};
		const parameters = { options: { fullScanIntervalHours: 0 } };
		await poll(staticData, parameters);
		sim.setOrderStatus(numbers[22], 'CANCELLED');
		sim.setOrderStatus(numbers[23], 'SHIPPED');
		expect(brief(await poll(staticData, parameters))).toEqual([
			[numbers[22], 'IN_PROGRESS', 'CANCELLED'],
			[numbers[23], 'IN_PROGRESS', 'SHIPPED'],
		]);
		expect(watchedNumbers(staticData)).toEqual([numbers[23], numbers[24]]);
		// Leaving a final status is not seen by ordinary polls (documented).
		sim.setOrderStatus(numbers[22], 'IN_PROGRESS');
		expect(await poll(staticData, parameters)).toEqual([]);

		const custom = { options: { fullScanIntervalHours: 0, finalStatuses: 'completed, shipped' } };
		const other: StaticData = {};
		await poll(other, custom);
		expect(watchedNumbers(other)).toEqual([numbers[22], numbers[24]]);
	});

	it('returns the newest order as a sample in a manual run without touching the state', async () => {
		const numbers = seed(31, 2);
		const staticData: StaticData = {};
		const [fresh] = await poll(staticData, {}, 'manual');
		expect(fresh).toMatchObject({ order_number: numbers[30], previous_status: null, order_status: 'IN_PROGRESS' });
		expect(stateOf(staticData)).toBeUndefined();
		await poll(staticData);
		const before = copy(staticData);
		sim.setOrderStatus(numbers[30], 'SHIPPED');
		pagesSince();
		const [sample] = await poll(staticData, {}, 'manual');
		expect(sample).toMatchObject({ order_number: numbers[30], previous_status: 'IN_PROGRESS', order_status: 'SHIPPED' });
		expect(pagesSince()).toEqual([4]);
		expect(staticData).toEqual(before);
		// The change the sample showed is still reported by the next real poll.
		expect(brief(await poll(staticData))).toEqual([[numbers[30], 'IN_PROGRESS', 'SHIPPED']]);
		sim.seedOrders(0);
		expect(await poll({}, {}, 'manual')).toEqual([]);
	});

	describe('a manual run among orders whose order_number is not a whole number (the spec types it number)', () => {
		// n8n's PollContext logs through this Logger: the warning is read from it.
		let warnings: jest.SpyInstance;
		beforeEach(() => {
			warnings = jest.spyOn(Container.get(Logger), 'warn').mockImplementation(() => undefined);
		});
		afterEach(() => warnings.mockRestore());
		const warned = () => warnings.mock.calls.map((call) => String(call[0]));

		it('samples the newest order that has one, warns about the others, and stores nothing', async () => {
			const numbers = seed(25, 2);
			sim.addOrder({ order_number: numbers[24] + 0.5 }); // sorted last, on page 3 with valid orders
			const staticData: StaticData = {};
			const [sample] = await poll(staticData, {}, 'manual');
			expect(sample).toMatchObject({ order_number: numbers[24], previous_status: null, order_status: 'IN_PROGRESS' });
			expect(warned()).toEqual([expect.stringMatching(/skipped 1 order\(s\) whose order_number is not a whole number \(e\.g\. \d+\.5\)/)]);
			expect(stateOf(staticData)).toBeUndefined();
		});

		it('when the newest page holds only such orders, samples from the page below it', async () => {
			const numbers = seed(30, 2);
			sim.addOrder({ order_number: numbers[29] + 0.25 });
			sim.addOrder({ order_number: numbers[29] + 0.5 });
			pagesSince();
			const [sample] = await poll({}, {}, 'manual');
			expect(sample).toMatchObject({ order_number: numbers[29], order_status: 'IN_PROGRESS' });
			expect(pagesSince()).toEqual([1, 4, 3]);
			expect(warned()).toEqual([expect.stringMatching(/skipped 2 order\(s\)/)]);
		});

		it('fails only when no order has one', async () => {
			sim.seedOrders(0);
			sim.addOrder({ order_number: 1.5 });
			sim.addOrder({ order_number: 2.5 });
			await expect(poll({}, {}, 'manual')).rejects.toThrow(/2 order\(s\) whose order_number is not a whole number .* and no order with one/);
		});
	});

	it('refuses bad options before sending any request', async () => {
		seed(3, 1);
		const error = await pollError({}, { options: { fullScanIntervalHours: -2 } });
		expect(error.name).toBe('NodeOperationError');
		expect(error.message).toMatch(/Full Scan Interval/);
		expect(sim.counts.total).toBe(0);
	});
});

describe('failures leave the stored state untouched and the next poll catches up', () => {
	async function prepared() {
		const numbers = seed(60, 25); // open orders on pages 4 to 6
		const staticData: StaticData = {};
		await poll(staticData, { includeNewOrders: true });
		sim.setOrderStatus(numbers[36], 'SHIPPED');
		sim.setOrderStatus(numbers[59], 'COMPLETED');
		const added = sim.addOrder();
		const expected = [
			[numbers[36], 'IN_PROGRESS', 'SHIPPED'],
			[numbers[59], 'IN_PROGRESS', 'COMPLETED'],
			[added.order_number, null, 'PENDING'],
		];
		sim.resetCounts();
		return { staticData, expected, before: copy(staticData) };
	}

	it('429 beyond the wait budget half-way through the pages', async () => {
		const { staticData, expected, before } = await prepared();
		// Two list requests pass, the third is throttled for an hour: far beyond a poll's 40 s budget.
		sim.setRateLimit({ limit: 2, windowMs: 3_600_000 });
		const error = await pollError(staticData, { includeNewOrders: true });
		expect(error.name).toBe('NodeApiError');
		expect(error.httpCode).toBe('429');
		expect(sim.requests.filter((r) => r.status === 200 && r.path === '/v1/orders')).toHaveLength(2);
		expect(staticData).toEqual(before);
		sim.setRateLimit(null);
		expect(brief(await poll(staticData, { includeNewOrders: true }))).toEqual(expected);
	});

	it.each([
		['500', 500],
		['502', 502],
		['dropped connection', 'reset'],
		['malformed JSON', 'malformed'],
	] as const)('%s on every retry', async (_name, kind) => {
		const { staticData, expected, before } = await prepared();
		sim.injectFault({ kind, path: '/v1/orders', times: 5 });
		const error = await pollError(staticData, { includeNewOrders: true });
		expect(error.name).toBe('NodeApiError');
		expect(staticData).toEqual(before);
		expect(brief(await poll(staticData, { includeNewOrders: true }))).toEqual(expected);
	});

	it('a 429 with Retry-After that fits the budget is waited out within the poll', async () => {
		const { staticData, expected } = await prepared();
		sim.injectFault({ kind: 429, path: '/v1/orders', retryAfter: 7, times: 2 });
		expect(brief(await poll(staticData, { includeNewOrders: true }))).toEqual(expected);
		expect(waits).toEqual([7000, 7000]);
	});

	it('a quiet poll whose state n8n does not save changes nothing for the next one', async () => {
		const numbers = seed(40, 5);
		const staticData: StaticData = {};
		await poll(staticData);
		// Older n8n saves static data only when a poll emits: the quiet poll's state is thrown away.
		sim.addOrder(); // not reported (new orders not asked for), but watched by the unsaved state
		sim.setOrderStatus(numbers[36], 'ON_HOLD');
		const saved = copy(staticData);
		expect(await poll(staticData, { statuses: ['SHIPPED'] })).toEqual([]);
		const restored: StaticData = saved;
		sim.setOrderStatus(numbers[36], 'SHIPPED');
		sim.setOrderStatus(numbers[37], 'SHIPPED');
		expect(brief(await poll(restored, { statuses: ['SHIPPED'] }))).toEqual([
			[numbers[36], 'IN_PROGRESS', 'SHIPPED'],
			[numbers[37], 'IN_PROGRESS', 'SHIPPED'],
		]);
	});
});

describe('positions', () => {
	it('finds watched and new orders after older orders disappeared from the list', async () => {
		const numbers = seed(200, 8);
		const staticData: StaticData = {};
		const parameters = { includeNewOrders: true, options: { fullScanPagesPerPoll: 20 } };
		await poll(staticData, parameters);
		sim.orders.splice(30, 15); // not expected of 1NCE, but then everything after moves down
		sim.setOrderStatus(numbers[195], 'SHIPPED');
		const added = sim.addOrder();
		expect(brief(await poll(staticData, parameters))).toEqual([
			[numbers[195], 'IN_PROGRESS', 'SHIPPED'],
			[added.order_number, null, 'PENDING'],
		]);
		const state = stateOf(staticData);
		expect(state.orderCount).toBe(186);
		expect(state.watching[numbers[199]].index).toBe(184);
		expect(state.fullScan).toBeDefined(); // a full scan was started
	});

	// Thousands of spec-validated pages: about a minute alone on 2 cores, longer beside other suites.
	it('at 10,000 orders with 30 open among the newest: ≤ 4 order requests a poll and < 2 KB of static data', async () => {
		const numbers = seed(10_000, 30);
		const staticData: StaticData = {};
		const parameters = { includeNewOrders: true, options: { fullScanPagesPerPoll: 100 } };
		await poll(staticData, parameters);
		// The baseline reads the newest pages at once and the older ones over the next polls.
		let scanPolls = 0;
		while (stateOf(staticData).fullScan) {
			expect(await poll(staticData, parameters)).toEqual([]);
			scanPolls++;
		}
		// 1,000 pages, 20 requests a poll: the newest page, the pages of open orders, the rest for the scan.
		expect(scanPolls).toBeGreaterThanOrEqual(50);
		expect(scanPolls).toBeLessThanOrEqual(60);
		expect(watchedNumbers(staticData)).toHaveLength(30);

		sim.resetCounts();
		expect(await poll(staticData, parameters)).toEqual([]);
		expect(sim.counts.list).toBeLessThanOrEqual(4);
		sim.setOrderStatus(numbers[9990], 'SHIPPED');
		sim.addOrder();
		sim.resetCounts();
		expect(await poll(staticData, parameters)).toHaveLength(2);
		expect(sim.counts.list).toBeLessThanOrEqual(4);
		// Readable names, still under 2 KB with 30 open orders.
		expect(Object.keys(stateOf(staticData))).toEqual(
			expect.arrayContaining(['version', 'account', 'generation', 'orderCount', 'highestOrder', 'watching', 'lastFullScan']),
		);
		expect(stateBytes(staticData['node:Trigger'])).toBeLessThan(2048);
	}, 240_000);
});
