/**
 * The 1NCE Trigger as n8n really schedules polls and as a hostile host behaves, in n8n's engine against the
 * simulator: overlapping polls, a poll finishing after a newer one, a backlog under the enforced rate limit,
 * a state claiming thousands of watched orders, a credential switched to another account, a hung request.
 * Time is virtual: retry waits and the gaps between polls move Date.now (which the simulator's rate limiter
 * and the trigger read) without taking wall-clock time.
 */
import http from 'node:http';

import { OneNceApi } from '../credentials/OneNceApi.credentials';
import { OneNceTrigger } from '../nodes/OneNce/OneNceTrigger.node';
import { stateAccount, STATE_KEY, statusSignature } from '../nodes/OneNce/trigger/state';
import { startSimulator, type Simulator } from '../dev/simulator';
import { setClock } from '../nodes/OneNce/transport/processState';
import { packageNow } from '../nodes/OneNce/transport/timing';
import { LONGEST_ATTEMPT_MS, POLL_DEADLINE_MS, POLL_LEASE_MS } from '../nodes/OneNce/trigger/pollLock';

const mockClock = { offset: 0 };
jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual('n8n-workflow');
	const wait = async (ms: number) => void (mockClock.offset += ms);
	return { ...actual, sleep: wait, sleepWithAbort: wait };
});
const realNow = Date.now.bind(Date);
jest.spyOn(Date, 'now').mockImplementation(() => realNow() + mockClock.offset);
const advance = (ms: number) => void (mockClock.offset += ms);

const { createEngine } = require('../dev/engine/n8n-engine');

const engine = createEngine({ nodeTypes: { oneNceTrigger: new OneNceTrigger() }, credentialTypes: [new OneNceApi()] });
afterAll(() => engine.shutdown());

const BUDGET = 20;
let sim: Simulator;
let credentials: object;
let credentialId = 0;
const closers: Array<() => Promise<void>> = [];

const credentialFor = (target: Simulator, baseUrl = target.url) =>
	engine.store.add(`budget-${++credentialId}`, 'oneNceApi', {
		username: target.username,
		password: target.password,
		baseUrl,
		accessToken: '',
	});

beforeEach(async () => {
	sim = await startSimulator();
	credentials = credentialFor(sim);
});

afterEach(async () => {
	await Promise.all(closers.splice(0).map((close) => close()));
	await sim.close();
	expect(sim.validationErrors).toEqual([]);
});

type StaticData = Record<string, any>;
type Event = { order_number: number; previous_status: string | null; order_status: string };

async function poll(staticData: StaticData, parameters: Record<string, unknown> = {}, using = credentials): Promise<Event[]> {
	const { result } = await engine.poll({
		node: { name: 'Trigger', type: 'n8n-nodes-1nce.oneNceTrigger', parameters, credentials: using },
		staticData,
	});
	return result === null ? [] : result[0].map((item: { json: Event }) => item.json);
}

const stateOf = (staticData: StaticData) => staticData['node:Trigger']?.[STATE_KEY];
const brief = (events: Event[]) => events.map((e) => [e.order_number, e.previous_status, e.order_status]);
const copy = (staticData: StaticData): StaticData => JSON.parse(JSON.stringify(staticData));
/** Order requests (list and single order, throttled ones included) the simulator saw since the last call. */
function orderRequests(target = sim): number {
	const count = target.requests.filter((r) => r.path.startsWith('/v1/orders')).length;
	target.resetCounts();
	return count;
}

function seed(count: number, open: number, target = sim) {
	target.seedOrders(count);
	target.orders.forEach((order, i) => {
		order.order_status = i >= count - open ? 'IN_PROGRESS' : 'COMPLETED';
	});
	return target.orders.map((o) => o.order_number);
}

/**
 * A loopback proxy in front of the simulator that can hold back the answer to one order-list request (sent
 * on at once, so it shows the orders as they were) until released.
 */
async function holdingProxy(target: string) {
	let arm: ((held: () => void) => void) | undefined;
	const server = http.createServer((req, res) => {
		const upstream = http.request(`${target}${req.url}`, { method: req.method, headers: { ...req.headers, host: new URL(target).host } }, (answer) => {
			const body: Buffer[] = [];
			answer.on('data', (chunk: Buffer) => body.push(chunk));
			answer.on('end', () => {
				const send = () => {
					res.writeHead(answer.statusCode ?? 502, answer.headers);
					res.end(Buffer.concat(body));
				};
				const holder = req.url?.startsWith('/v1/orders') ? arm : undefined;
				if (holder) {
					arm = undefined;
					holder(send);
				} else send();
			});
		});
		upstream.on('error', () => res.destroy());
		req.pipe(upstream);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	const close = () =>
		new Promise<void>((resolve) => {
			server.close(() => resolve());
			server.closeAllConnections();
		});
	closers.push(close);
	return {
		url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
		/** Resolves, with the function that sends it, once the next order-list answer is held. */
		holdNext: () => new Promise<() => void>((resolve) => (arm = resolve)),
	};
}

describe('overlapping polls', () => {
	it('two polls started together: one reads, the other returns at once, and the change is emitted once', async () => {
		const numbers = seed(40, 5);
		const staticData: StaticData = {};
		await poll(staticData);
		sim.setOrderStatus(numbers[37], 'SHIPPED');
		const [first, second] = await Promise.all([poll(staticData), poll(staticData)]);
		expect(brief([...first, ...second])).toEqual([[numbers[37], 'IN_PROGRESS', 'SHIPPED']]);
		expect(await poll(staticData)).toEqual([]);
	});

	it('a poll finishing after a newer one neither overwrites its state nor emits again', async () => {
		const numbers = seed(40, 5);
		const proxy = await holdingProxy(sim.url);
		const viaProxy = credentialFor(sim, proxy.url);
		const staticData: StaticData = {};
		await poll(staticData, {}, viaProxy);
		sim.setOrderStatus(numbers[36], 'SHIPPED');
		const held = proxy.holdNext();
		const late = poll(staticData, {}, viaProxy);
		const send = await held; // the late poll has read page 4 (order 36 shipped, 37 still in progress)
		sim.setOrderStatus(numbers[37], 'SHIPPED');
		advance(16 * 60_000); // the late poll's hold on the trigger has outlived its lease
		const newer = await poll(staticData, {}, viaProxy);
		expect(brief(newer)).toEqual([
			[numbers[36], 'IN_PROGRESS', 'SHIPPED'],
			[numbers[37], 'IN_PROGRESS', 'SHIPPED'],
		]);
		const stored = copy(staticData);
		send();
		expect(await late).toEqual([]);
		expect(copy(staticData)).toEqual(stored);
		expect(await poll(staticData, {}, viaProxy)).toEqual([]);
	});

	it('a failed poll lets go of the trigger: the next poll runs', async () => {
		const numbers = seed(40, 5);
		const staticData: StaticData = {};
		await poll(staticData);
		sim.setOrderStatus(numbers[38], 'SHIPPED');
		sim.injectFault({ kind: 500, path: '/v1/orders', times: 5 });
		await expect(poll(staticData)).rejects.toMatchObject({ name: 'NodeApiError' });
		expect(brief(await poll(staticData))).toEqual([[numbers[38], 'IN_PROGRESS', 'SHIPPED']]);
	});

	it('a request that never answers times out: the poll fails, state untouched, and the next poll runs at once', async () => {
		setClock({ speed: 300 }); // the 30 s read timeout in 100 ms (from the start: pacing keeps package time)
		try {
			const numbers = seed(40, 5);
			const staticData: StaticData = {};
			await poll(staticData);
			const before = JSON.stringify(staticData);
			sim.setOrderStatus(numbers[39], 'SHIPPED');
			sim.injectFault({ kind: 'hang', path: '/v1/orders', times: Infinity });
			const error = await poll(staticData).catch((failure: unknown) => failure as any);
			expect(error).toMatchObject({ name: 'NodeApiError', message: '1NCE did not answer within 30 s' });
			expect(JSON.stringify(staticData)).toBe(before);
			sim.clearFaults();
			expect(brief(await poll(staticData))).toEqual([[numbers[39], 'IN_PROGRESS', 'SHIPPED']]);
		} finally {
			setClock();
		}
	});

	it('a poll stuck on a request that never ends does not block the trigger beyond its lease', async () => {
		const numbers = seed(40, 5);
		const staticData: StaticData = {};
		await poll(staticData);
		sim.setOrderStatus(numbers[39], 'SHIPPED');
		sim.injectFault({ kind: 'hang', path: '/v1/orders' });
		const stuck = poll(staticData).catch((error: unknown) => error);
		while (!sim.requests.some((r) => r.fault === 'hang')) await new Promise((resolve) => setTimeout(resolve, 5));
		// While it may still be working, a new poll leaves it alone; once its lease is over, polls go on.
		expect(await poll(staticData)).toEqual([]);
		advance(16 * 60_000);
		expect(brief(await poll(staticData))).toEqual([[numbers[39], 'IN_PROGRESS', 'SHIPPED']]);
		await sim.close(); // ends the hung request: that poll fails, and its results are not stored
		await stuck;
		expect(await poll(staticData).catch(() => 'sim closed')).toBe('sim closed');
	});
});

describe('a deadline per poll', () => {
	it('a poll whose requests keep hanging stops by its deadline, well inside its lease; the next polls report the rest, each once', async () => {
		setClock({ speed: 150 }); // the 30 s read timeout in 200 ms, the 10-minute deadline in 4 s
		let unsubscribe = () => {};
		try {
			const numbers = seed(40, 5);
			const staticData: StaticData = {};
			const parameters = { includeNewOrders: true, options: { requestsPerPoll: 100 } };
			await poll(staticData, parameters);
			sim.setOrderStatus(numbers[38], 'SHIPPED');
			const added = Array.from({ length: 600 }, () => sim.addOrder().order_number);
			// The first request for each page never answers (until its timeout); the retry is answered. Without a
			// deadline the poll's 100 attempts would read 50 pages, each costing a timeout and a backoff: far
			// beyond the lease.
			const hung = new Set<string>();
			unsubscribe = sim.onRequest((entry) => {
				if (entry.method !== 'GET' || entry.path !== '/v1/orders') return;
				const page = String(entry.query.page);
				if (hung.has(page)) return;
				hung.add(page);
				sim.injectFault({ kind: 'hang', path: '/v1/orders', times: 1 });
			});
			orderRequests();
			const started = packageNow();
			const events: Event[] = await poll(staticData, parameters);
			const took = packageNow() - started;
			unsubscribe();
			expect(took).toBeLessThan(POLL_DEADLINE_MS + LONGEST_ATTEMPT_MS);
			expect(took).toBeLessThan(POLL_LEASE_MS);
			// The deadline stopped it, not the request budget; it stored how far it got.
			expect(orderRequests()).toBeLessThan(100);
			expect(stateOf(staticData).newOrdersBehind).toBe(true);
			const firstNew = events.filter((e) => e.previous_status === null).length;
			expect(firstNew).toBeGreaterThan(0);
			expect(firstNew).toBeLessThan(added.length);
			let polls = 0;
			while (stateOf(staticData).newOrdersBehind && polls < 20) {
				advance(60_000);
				events.push(...(await poll(staticData, parameters)));
				polls++;
			}
			expect(events.filter((e) => e.previous_status === null).map((e) => e.order_number)).toEqual(added);
			expect(brief(events.filter((e) => e.previous_status !== null))).toEqual([[numbers[38], 'IN_PROGRESS', 'SHIPPED']]);
			expect(await poll(staticData, parameters)).toEqual([]);
		} finally {
			unsubscribe();
			setClock();
		}
	});

	it('a rate-limit wait that would end after the deadline is not begun: the poll ends, the next one reports', async () => {
		const numbers = seed(40, 5);
		const staticData: StaticData = {};
		await poll(staticData);
		sim.setOrderStatus(numbers[39], 'SHIPPED');
		// The poll's first order request arrives 20 s before its deadline and is throttled for 30 s.
		let first = true;
		const unsubscribe = sim.onRequest((entry) => {
			if (!first || !entry.path.startsWith('/v1/orders')) return;
			first = false;
			advance(POLL_DEADLINE_MS - 20_000);
			sim.injectFault({ kind: 429, path: '/v1/orders', retryAfter: 30 });
		});
		try {
			orderRequests();
			const before = copy(stateOf(staticData));
			const started = Date.now();
			expect(await poll(staticData)).toEqual([]);
			expect(Date.now() - started).toBeLessThan(POLL_DEADLINE_MS);
			expect(orderRequests()).toBe(1);
			// As after a spent request budget with nothing read: the same orders, the same statuses, marked to go on.
			const after = stateOf(staticData);
			expect(after).toMatchObject({ orderCount: before.orderCount, highestOrder: before.highestOrder, watching: before.watching });
			expect(after.newOrdersBehind).toBe(true);
		} finally {
			unsubscribe();
		}
		advance(60_000);
		expect(brief(await poll(staticData))).toEqual([[numbers[39], 'IN_PROGRESS', 'SHIPPED']]);
		expect(await poll(staticData)).toEqual([]);
	});
});

describe('a request budget per poll', () => {
	it('catches up 1,200 new orders under the enforced rate limit, every event once, within the budget', async () => {
		seed(200, 30);
		const staticData: StaticData = {};
		const parameters = { includeNewOrders: true };
		await poll(staticData, parameters);
		while (stateOf(staticData).fullScan) await poll(staticData, parameters);
		advance(300_000);
		sim.setRateLimit({ limit: 100, windowMs: 300_000 }); // 1NCE's: 100 order requests per 5 minutes
		const added = Array.from({ length: 1200 }, () => sim.addOrder().order_number);
		orderRequests();
		const reported: number[] = [];
		const perPoll: number[] = [];
		do {
			advance(60_000); // Poll Times: every minute
			const events = await poll(staticData, parameters);
			perPoll.push(orderRequests());
			reported.push(...events.filter((e) => e.previous_status === null).map((e) => e.order_number));
		} while (stateOf(staticData).newOrdersBehind && perPoll.length < 30);
		expect(reported).toEqual(added);
		expect(Math.max(...perPoll)).toBeLessThanOrEqual(BUDGET);
		expect(perPoll.length).toBeLessThanOrEqual(10);
		expect(sim.requests.filter((r) => r.status === 429)).toEqual([]);
	});

	// Thousands of spec-validated pages: about a minute alone on 2 cores, longer beside other suites.
	it('spends at most the budget per poll on a state claiming 5,000 watched orders, each change reported once', async () => {
		const numbers = seed(6000, 0);
		// A stored state claiming 5,000 orders in progress, all completed meanwhile.
		const claimed = {
			version: 2,
			account: stateAccount({ baseUrl: sim.url, username: sim.username }).key,
			generation: 0,
			orderCount: 6000,
			highestOrder: numbers[5999],
			watching: Object.fromEntries(numbers.slice(1000).map((n, i) => [String(n), { status: 'IN_PROGRESS', index: 1000 + i }])),
			finalStatuses: statusSignature(['COMPLETED', 'CANCELLED']),
			lastFullScan: new Date(Date.now()).toISOString(),
		};
		const staticData: StaticData = { 'node:Trigger': { [STATE_KEY]: claimed } };
		orderRequests();
		const seen = new Map<number, number>();
		const perPoll: number[] = [];
		while (perPoll.length < 40) {
			advance(60_000);
			for (const e of await poll(staticData)) seen.set(e.order_number, (seen.get(e.order_number) ?? 0) + 1);
			perPoll.push(orderRequests());
			if (Object.keys(stateOf(staticData).watching).length === 0) break;
		}
		expect(Math.max(...perPoll)).toBeLessThanOrEqual(BUDGET);
		expect(seen.size).toBe(5000);
		expect([...seen.values()].every((count) => count === 1)).toBe(true);
		expect(perPoll.length).toBeLessThanOrEqual(30);
	}, 240_000);
});

describe('state belongs to one account', () => {
	it('a credential switched to another account starts a new baseline and reports that account\'s new orders', async () => {
		seed(300, 10);
		const other = await startSimulator();
		closers.push(() => other.close());
		seed(40, 3, other);
		const otherCredentials = credentialFor(other);
		const staticData: StaticData = {};
		const parameters = { includeNewOrders: true };
		await poll(staticData, parameters);
		const first = stateOf(staticData).account;

		expect(await poll(staticData, parameters, otherCredentials)).toEqual([]);
		expect(stateOf(staticData)).toMatchObject({ orderCount: 40, highestOrder: other.orders[39].order_number });
		expect(stateOf(staticData).account).not.toBe(first);
		expect(JSON.stringify(stateOf(staticData))).not.toContain(other.password);

		const added = other.addOrder();
		other.setOrderStatus(other.orders[39].order_number, 'SHIPPED');
		expect(brief(await poll(staticData, parameters, otherCredentials))).toEqual([
			[other.orders[39].order_number, 'IN_PROGRESS', 'SHIPPED'],
			[added.order_number, null, 'PENDING'],
		]);
		expect(other.validationErrors).toEqual([]);
	});
});
