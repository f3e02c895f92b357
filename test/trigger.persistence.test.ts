/**
 * What the 1NCE Trigger learns must outlive the process, under each way n8n keeps a poll trigger's static data
 * (bug G): n8n 1.x and 2.x without durable cursors write it only when a poll returns something (and after
 * activation); 2.x's scheduler without durable cursors reloads it before every poll; 2.x with durable cursors
 * commits every poll. Polled through n8n's real PollContext against the simulator.
 */
import { OneNceApi } from '../credentials/OneNceApi.credentials';
import { OneNceTrigger } from '../nodes/OneNce/OneNceTrigger.node';
import { OWNER_KEY } from '../nodes/OneNce/trigger/persistence';
import { STATE_KEY } from '../nodes/OneNce/trigger/state';
import { listedPages } from './support/fixtures';
import { copyStaticData as copy, pollHost, type PollHost, type Saving } from './support/pollHost';
import { startSimulator, type Simulator } from '../dev/simulator';

jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual('n8n-workflow');
	return { ...actual, sleep: async () => {}, sleepWithAbort: async () => {} };
});

const { createEngine } = require('../dev/engine/n8n-engine');

const engine = createEngine({ nodeTypes: { oneNceTrigger: new OneNceTrigger() }, credentialTypes: [new OneNceApi()] });
afterAll(() => engine.shutdown());

let sim: Simulator;
let credentials: object;
let credentialId = 0;

beforeEach(async () => {
	sim = await startSimulator();
	credentials = engine.store.add(String(++credentialId), 'oneNceApi', { ...sim.credentialData(), requestAllowance: 0 });
});

afterEach(async () => {
	await sim.close();
	expect(sim.validationErrors).toEqual([]);
});

type Params = Record<string, unknown>;
const brief = (events: any[]) => events.map((e) => [e.order_number, e.previous_status, e.order_status]);

function host(saving: Saving, parameters: Params = {}, workflowId = 'wf-1nce'): PollHost {
	return pollHost(engine, { name: 'Trigger', type: 'n8n-nodes-1nce.oneNceTrigger', parameters, credentials }, saving, workflowId);
}

/** `count` orders, the newest `open` of them IN_PROGRESS, the rest COMPLETED. */
function seed(count: number, open: number) {
	sim.seedOrders(count);
	sim.orders.forEach((order, i) => (order.order_status = i >= count - open ? 'IN_PROGRESS' : 'COMPLETED'));
	return sim.orders.map((o) => o.order_number);
}

describe.each(['onEmit', 'reloadEveryPoll'] as const)('n8n saving static data %s', (saving) => {
	it('reports the change of a new order taken in by a quiet poll, after a restart (default settings)', async () => {
		seed(25, 2);
		const n8n = host(saving);
		expect(await n8n.poll()).toEqual([]);
		const added = sim.addOrder({ order_status: 'PENDING' });
		// Not asked for (Include New Orders is off): no item, but an empty execution makes n8n save the order.
		expect(await n8n.poll()).toEqual([]);
		expect(n8n.results.at(-1)).toEqual([[]]);
		sim.setOrderStatus(added.order_number, 'SHIPPED');
		n8n.restart();
		expect(brief(await n8n.poll())).toEqual([[added.order_number, 'PENDING', 'SHIPPED']]);
		expect(await n8n.poll()).toEqual([]);
		expect(n8n.results.at(-1)).toBeNull();
	});

	it('reports a change back to a filtered-out status after a restart', async () => {
		const numbers = seed(25, 2);
		const n8n = host(saving, { statuses: ['IN_PROGRESS'] });
		await n8n.poll();
		sim.setOrderStatus(numbers[24], 'PENDING');
		expect(await n8n.poll()).toEqual([]);
		n8n.restart();
		sim.setOrderStatus(numbers[24], 'IN_PROGRESS');
		expect(brief(await n8n.poll())).toEqual([[numbers[24], 'PENDING', 'IN_PROGRESS']]);
	});

	it('returns nothing from a poll that learned nothing', async () => {
		seed(25, 2);
		const n8n = host(saving);
		await n8n.poll();
		await n8n.poll();
		await n8n.poll();
		expect(n8n.results.slice(1)).toEqual([null, null]);
	});

	it('with Save State Without Items "Never", returns nothing and the change is lost after a restart', async () => {
		seed(25, 2);
		const n8n = host(saving, { options: { saveStateWithoutItems: 'never' } });
		await n8n.poll();
		const added = sim.addOrder({ order_status: 'PENDING' });
		expect(await n8n.poll()).toEqual([]);
		expect(n8n.results.at(-1)).toBeNull();
		sim.setOrderStatus(added.order_number, 'SHIPPED');
		n8n.restart();
		expect(await n8n.poll()).toEqual([]);
	});

	it('moves a full scan on across restarts, and finishes it', async () => {
		seed(300, 3);
		const n8n = host(saving, { options: { fullScanPagesPerPoll: 5, requestsPerPoll: 10 } });
		await n8n.poll();
		const started = n8n.database['node:Trigger'][STATE_KEY].fullScan;
		expect(started).toBeDefined();
		for (let i = 0; i < 8 && n8n.database['node:Trigger'][STATE_KEY].fullScan; i++) {
			sim.resetCounts();
			await n8n.poll();
			n8n.restart();
			// Each poll reads pages the previous one did not: the scan's place was saved.
			expect(listedPages(sim).some((page) => page < started.nextPage)).toBe(true);
		}
		expect(n8n.database['node:Trigger'][STATE_KEY].fullScan).toBeUndefined();
	});
});

describe('n8n with durable poll cursors', () => {
	it('commits quiet polls itself: no empty execution, and the change is reported after a restart', async () => {
		seed(25, 2);
		const n8n = host('durable');
		await n8n.poll();
		const added = sim.addOrder({ order_status: 'PENDING' });
		expect(await n8n.poll()).toEqual([]);
		expect(n8n.results.slice(1)).toEqual([null]);
		sim.setOrderStatus(added.order_number, 'SHIPPED');
		expect(brief(await n8n.poll())).toEqual([[added.order_number, 'PENDING', 'SHIPPED']]);
	});
});

describe('a copy of the workflow (Duplicate, or an import as a new workflow)', () => {
	it('records its own baseline instead of reporting again what the original saw', async () => {
		const numbers = seed(25, 2);
		const original = host('onEmit');
		await original.poll();
		expect(original.database['node:Trigger'][OWNER_KEY]).toBe('wf-1nce');
		sim.setOrderStatus(numbers[24], 'SHIPPED');
		expect(brief(await original.poll())).toEqual([[numbers[24], 'IN_PROGRESS', 'SHIPPED']]);

		// The copy carries the state saved before the change: read as its own, it would report it again.
		const stale = host('onEmit');
		await stale.poll();
		sim.setOrderStatus(numbers[23], 'SHIPPED');
		const copy = stale.copyTo('wf-copy');
		expect(await copy.poll()).toEqual([]);
		expect(copy.database['node:Trigger'][OWNER_KEY]).toBe('wf-copy');
		sim.setOrderStatus(numbers[23], 'COMPLETED');
		expect(brief(await copy.poll())).toEqual([[numbers[23], 'SHIPPED', 'COMPLETED']]);
		// The original goes on as before.
		expect(brief(await stale.poll())).toEqual([[numbers[23], 'IN_PROGRESS', 'COMPLETED']]);
	});

	it('keeps a state stored by a release that did not record its workflow', async () => {
		const numbers = seed(25, 2);
		const old = host('onEmit');
		await old.poll();
		const data = copy(old.database);
		delete data['node:Trigger'][OWNER_KEY];
		const upgraded = host('onEmit');
		upgraded.seed(data);
		sim.setOrderStatus(numbers[24], 'SHIPPED');
		expect(brief(await upgraded.poll())).toEqual([[numbers[24], 'IN_PROGRESS', 'SHIPPED']]);
	});
});
