/**
 * The Request Allowance in queue mode, set as the README says: pacing is per n8n process, so main + 2 workers
 * share 1NCE's 100 order and product requests per 5 minutes by each taking ⌊100 / 3⌋ = 33. Against a
 * simulator that enforces that limit per IP address (every process sends from 127.0.0.1), a workload that asks
 * for far more than 100 requests at once, spread over all three processes, gets no throttled answer.
 *
 * Time is compressed consistently: the simulator's window is 5 minutes / SPEED, and dev/n8n/package-clock.js
 * runs the package's own clock SPEED times faster in main and in both workers (the test checks that each of
 * them logged it). n8n's own timers and 1NCE's Retry-After stay real.
 *
 * That the test can fail: N8N_QUEUE_ALLOWANCE=100 (the credential's default) runs the same workload with the
 * allowance a single process would use, and the assertion of 0 throttled answers fails (51 and 69 throttled on
 * 1.x and 2.x; figures in the README, *Running n8n in queue mode*).
 *
 * One file per major (allowance-1.test.ts, allowance-2.test.ts), each with a cluster of its own, so that Jest can
 * run it beside the other queue files. N8N_E2E_MAJORS=1 (or 2) runs one major.
 */
import path from 'node:path';

import { startSimulator, type Simulator } from '../../dev/simulator';
import { until } from '../support/realN8n';

const { startQueueCluster } = require('../../dev/n8n/queue');
const { CREDENTIAL } = require('../../dev/n8n/instance');

/** Main (the trigger's polls) and two workers (the executions). */
const PROCESSES = 3;
const LIMIT = 100;
/** What the README tells a user to set: ⌊100 / processes⌋. */
const SHARE = Math.floor(LIMIT / PROCESSES);
const ALLOWANCE = Number(process.env.N8N_QUEUE_ALLOWANCE ?? SHARE);
/** 1NCE's 5-minute window in 30 s, on both sides. */
const SPEED = 10;
const WINDOW_MS = 300_000 / SPEED;
/** 40 pages: the trigger's first poll reads them all, more than main's allowance. */
const ORDERS = 400;
/** Webhook executions at once, each 1 product request and 10 order pages: 132 requests for the two workers. */
const CALLS = 12;
const TRIGGER = 'Orders watched';

const credentials = { oneNceApi: { id: CREDENTIAL.id, name: CREDENTIAL.name } };

/**
 * On main, every minute: the first poll takes in all 40 pages, the next ones read the 40 pages of watched orders,
 * each up to 50 requests (its budget), more than main's share of a window.
 */
const WATCH = {
	id: '1nceQueueWatch01',
	name: 'Queue allowance: watch orders',
	active: false,
	settings: { executionOrder: 'v1' },
	nodes: [
		{
			id: 'watch',
			name: TRIGGER,
			type: 'n8n-nodes-1nce.oneNceTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {
				pollTimes: { item: [{ mode: 'everyMinute' }] },
				event: 'orderStatusChanged',
				options: { fullScanPagesPerPoll: ORDERS / 10, requestsPerPoll: 50 },
			},
			credentials,
		},
	],
	connections: {},
};

/** On the workers: the product list, then the first 100 orders (10 pages); the caller gets the orders. */
const LIST = {
	id: '1nceQueueList001',
	name: 'Queue allowance: products and 100 orders',
	active: false,
	settings: { executionOrder: 'v1' },
	nodes: [
		{
			id: 'webhook',
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: '0b7c0a4e-2222-4000-8000-000000000001',
			parameters: { httpMethod: 'POST', path: 'queue-allowance', responseMode: 'lastNode', responseData: 'allEntries', options: {} },
		},
		{ id: 'products', name: 'Products', type: 'n8n-nodes-1nce.oneNce', typeVersion: 1, position: [220, 0], parameters: { resource: 'product', operation: 'getAll' }, credentials },
		{
			id: 'orders',
			name: 'Orders',
			type: 'n8n-nodes-1nce.oneNce',
			typeVersion: 1,
			position: [440, 0],
			executeOnce: true,
			parameters: { resource: 'order', operation: 'getAll', returnAll: false, limit: 100 },
			credentials,
		},
	],
	connections: {
		Webhook: { main: [[{ node: 'Products', type: 'main', index: 0 }]] },
		Products: { main: [[{ node: 'Orders', type: 'main', index: 0 }]] },
	},
};

const startedIn = (logs: string) => [...logs.matchAll(/Worker started execution (\d+)/g)].map((m) => m[1]);
const isPaced = (p: string) => /^\/v1\/(orders|products)(\/|$)/.test(p);

/** The most requests 1NCE admitted within any one window. */
function busiestWindow(times: number[]): number {
	let most = 0;
	for (let i = 0, j = 0; i < times.length; i++) {
		while (times[i] - times[j] >= WINDOW_MS) j++;
		most = Math.max(most, i - j + 1);
	}
	return most;
}

/** The suite on n8n `major`.x, unless N8N_E2E_MAJORS leaves that major out. */
export function allowanceSuite(major: number): void {
	const majors = (process.env.N8N_E2E_MAJORS ?? '1,2').split(',').map(Number);
	(majors.includes(major) ? describe : describe.skip)(`n8n ${major}.x in queue mode: the Request Allowance for main + 2 workers`, () => allowanceTests(major));
}

function allowanceTests(major: number): void {
	let sim: Simulator;
	let cluster: any;
	const figures: Record<string, unknown> = { major, allowance: ALLOWANCE, speed: SPEED };

	beforeAll(async () => {
		sim = await startSimulator({ seed: `allowance-${major}`, rateLimit: { limit: LIMIT, windowMs: WINDOW_MS } });
		sim.seedOrders(ORDERS);
		for (const order of sim.orders) order.order_status = 'IN_PROGRESS';
		cluster = await startQueueCluster({
			major,
			sim,
			workflows: [WATCH, LIST],
			activate: [WATCH.id, LIST.id],
			env: { NODE_OPTIONS: `--require ${path.resolve(__dirname, '../../dev/n8n/package-clock.js')}`, ONENCE_PACKAGE_SPEED: String(SPEED) },
			credential: { requestAllowance: ALLOWANCE },
			log: (line: string) => process.stderr.write(`[queue] ${line}\n`),
		});
	}, 15 * 60_000);

	afterAll(async () => {
		await cluster?.stop();
		await sim?.close();
		process.stderr.write(`[queue] n8n ${major}.x allowance figures: ${JSON.stringify(figures)}\n`);
	}, 5 * 60_000);

	afterEach(() => expect(sim.validationErrors).toEqual([]));

	test(`allowance ${ALLOWANCE} per process: main's trigger and ${CALLS} webhook executions on 2 workers, 0 throttled`, async () => {
		const saved = async () => {
			const [row] = await cluster.sql('select "staticData" as data from workflow_entity where id = $1', [WATCH.id]);
			return JSON.stringify(row?.data ?? null).includes(`node:${TRIGGER}`);
		};
		// The first poll, at activation, is over once it saved its state. The webhook calls go out the moment
		// the next one (a minute later at most) sends its first request, so that main's burst and both workers'
		// fall within one window.
		await until("the trigger's first poll saved its state", saved, 3 * 60_000);
		const t0 = Date.now();
		let polling = false;
		const off = sim.onRequest((entry) => (polling ||= entry.query.sort === 'order_number'));
		await until("the trigger's next poll", () => polling, 90_000).finally(off);
		figures.waitedForPollSeconds = Math.round((Date.now() - t0) / 1000);
		const t1 = Date.now();
		const replies = await Promise.all(Array.from({ length: CALLS }, (_, i) => cluster.webhook('queue-allowance', { call: i })));
		figures.seconds = Math.round((Date.now() - t1) / 1000);

		const paced = sim.requests.filter((r) => isPaced(r.path));
		const throttled = paced.filter((r) => r.status === 429 || r.status === 403);
		const byMain = paced.filter((r) => r.query.sort === 'order_number');
		const admitted = paced.filter((r) => r.status === 200).map((r) => r.at);
		const rows = await cluster.sql('select id::text as id, status from execution_entity where "workflowId" = $1', [LIST.id]);
		Object.assign(figures, {
			requests: paced.length,
			byMain: byMain.length,
			byWorkers: paced.length - byMain.length,
			throttled: throttled.length,
			busiestWindow: busiestWindow(admitted),
			executionsPerWorker: cluster.workers.map((w: any) => startedIn(w.logs()).filter((id: string) => rows.some((r: any) => r.id === id)).length),
		});
		process.stderr.write(`[queue] n8n ${major}.x allowance ${ALLOWANCE}: ${JSON.stringify(figures)}\n`);

		// Every process ran the package on the compressed clock.
		for (const proc of [cluster.main, ...cluster.workers]) expect(proc.logs()).toContain(`[1nce package clock] x${SPEED}`);
		// The work: every call listed its 100 orders; main's trigger read all 40 pages and saved its state.
		expect(replies.map((r: any) => r.status)).toEqual(replies.map(() => 200));
		expect(replies.map((r: any) => (Array.isArray(r.json) ? r.json.length : r.json))).toEqual(replies.map(() => 100));
		expect(rows.map((r: any) => r.status)).toEqual(rows.map(() => 'success'));
		expect(rows).toHaveLength(CALLS);
		expect((figures.executionsPerWorker as number[]).every((n) => n > 0)).toBe(true);
		expect(new Set(byMain.map((r) => r.query.page)).size).toBe(ORDERS / 10);
		// Far more than 1NCE's limit was asked for at once, main more than its share; the three processes sent
		// together (some window holds more than two shares) ...
		expect(paced.length).toBeGreaterThan(LIMIT + LIMIT / 2);
		expect(byMain.length).toBeGreaterThan(SHARE);
		expect(figures.busiestWindow).toBeGreaterThan(2 * SHARE);
		// ... and not one request was throttled.
		expect(throttled.length).toBe(0);
	});
}
