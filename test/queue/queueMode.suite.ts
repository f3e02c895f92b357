/**
 * The package in n8n's queue mode (PostgreSQL, Redis/Bull, one main process and two workers), on n8n 1.x and
 * 2.x: parallel webhook executions spread over the workers, the status-change alerts trigger polling on main
 * across a main restart, and a worker killed right after 1NCE received a Create.
 * Every figure comes from the simulator's counters and n8n's own PostgreSQL tables.
 *
 * Run with `npm run test:queue` (needs PostgreSQL's initdb/pg_ctl and redis-server; not part of `npm test`).
 * One file per major (queue-mode-1.test.ts, queue-mode-2.test.ts), each with a cluster of its own, so that Jest
 * runs the two side by side: most of their time is spent waiting (minute polls, Bull's locks, killed workers).
 * N8N_E2E_MAJORS=1 (or 2) runs one major; N8N_QUEUE_KILL_TRIES sets the worker-kill tries (default 5).
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

import { startSimulator, type Simulator } from '../../dev/simulator';
import { startSink, until } from '../support/realN8n';

const { startQueueCluster } = require('../../dev/n8n/queue');
const { CREDENTIAL } = require('../../dev/n8n/instance');
const { REPO_ROOT } = require('../../dev/n8n/n8n-install');

const KILL_TRIES = Number(process.env.N8N_QUEUE_KILL_TRIES ?? 5);
const PAGE_SIZE = 10;
/** Orders the simulator starts with, all placed in 2025: outside any duplicate-guard window. */
const SEEDED = 100;
const ALERTS = '1nceStatusAlert1';

// Bull's defaults (lock 60 s, stalled check every 30 s) only change how long a stalled job waits, not
// what happens to it; shorter ones keep five kill tries per major within minutes.
const BULL_LOCKS = { QUEUE_WORKER_LOCK_DURATION: '15000', QUEUE_WORKER_LOCK_RENEW_TIME: '3000', QUEUE_WORKER_STALLED_INTERVAL: '5000' };

const credentials = { oneNceApi: { id: CREDENTIAL.id, name: CREDENTIAL.name } };
/** Create as a user drops it in: no Options set, so the duplicate guard runs with its defaults (on, 1 hour). */
const create = (position: [number, number]) => ({
	id: 'create',
	name: 'Place order',
	type: 'n8n-nodes-1nce.oneNce',
	typeVersion: 1,
	position,
	executeOnce: true,
	parameters: {
		resource: 'order',
		operation: 'create',
		products: { product: [{ productId: { __rl: true, mode: 'id', value: '1001' }, quantity: "={{ $('Webhook').first().json.body.quantity ?? 10 }}" }] },
		additionalFields: { customerReference: "={{ $('Webhook').first().json.body.ref }}" },
	},
	credentials,
});
const webhook = (webhookPath: string, webhookId: string) => ({
	id: 'webhook',
	name: 'Webhook',
	type: 'n8n-nodes-base.webhook',
	typeVersion: 2,
	position: [0, 0],
	webhookId,
	// The caller's reply waits for the worker's result (main relays it).
	parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'lastNode', options: {} },
});

/**
 * Lists every order (Return All), then places one order named after the caller's `ref`, of the caller's
 * `quantity`. Create keeps its defaults here too: the guard against placing the same order twice is on, so
 * the parallel calls each order a basket of their own (a distinct quantity) and every one of them is placed.
 * That is the realistic case (a webhook ordering what its caller asks for), and it shows the guard running in
 * 20 executions at once on two workers without skipping an order that differs; the guard's own list reads are
 * counted below. Turning the guard off instead would test a setting users rarely choose, not the default.
 */
const LIST_AND_ORDER = {
	id: '1nceQueueOrder01',
	name: 'Queue: list all, place one order',
	active: false,
	settings: { executionOrder: 'v1' },
	nodes: [
		webhook('queue-order', '0b7c0a4e-1111-4000-8000-000000000001'),
		{ id: 'list', name: 'All orders', type: 'n8n-nodes-1nce.oneNce', typeVersion: 1, position: [220, 0], parameters: { resource: 'order', operation: 'getAll', returnAll: true }, credentials },
		create([440, 0]),
	],
	connections: {
		Webhook: { main: [[{ node: 'All orders', type: 'main', index: 0 }]] },
		'All orders': { main: [[{ node: 'Place order', type: 'main', index: 0 }]] },
	},
};

/**
 * Only the Create, so the worker to kill is busy with nothing else. Create has its default settings: the guard
 * against placing the same order twice (same products, quantities and delivery address within 1 hour) is on
 * without being set; each try orders its own quantity.
 */
const ORDER_ONLY = {
	id: '1nceQueueKill001',
	name: 'Queue: place one order',
	active: false,
	settings: { executionOrder: 'v1' },
	nodes: [webhook('queue-kill', '0b7c0a4e-1111-4000-8000-000000000002'), create([220, 0])],
	connections: { Webhook: { main: [[{ node: 'Place order', type: 'main', index: 0 }]] } },
};

const refsOf = (sim: Simulator) => sim.created.map((body) => body.customer_reference as string);
const startedIn = (logs: string) => [...logs.matchAll(/Worker started execution (\d+)/g)].map((m) => m[1]);
const TERMINAL = ['success', 'error', 'crashed', 'canceled'];

type KillTry = { ref: string; orders: number; status: string; reply: number; skipped: boolean; killed: number; reran: boolean; ms: number };

/** The suite on n8n `major`.x, unless N8N_E2E_MAJORS leaves that major out. */
export function queueModeSuite(major: number): void {
	const majors = (process.env.N8N_E2E_MAJORS ?? '1,2').split(',').map(Number);
	(majors.includes(major) ? describe : describe.skip)(`n8n ${major}.x in queue mode (PostgreSQL, Redis, main + 2 workers)`, () => queueModeTests(major));
}

function queueModeTests(major: number): void {
	let sim: Simulator;
	let sink: Awaited<ReturnType<typeof startSink>>;
	let cluster: any;
	let parseFlatted: (text: string) => any;
	let t0 = 0;
	const figures: Record<string, unknown> = { major };
	const kills: KillTry[] = [];

	const executions = (workflowId: string) =>
		cluster.sql('select id::text as id, status, mode from execution_entity where "workflowId" = $1 order by id', [workflowId]);

	beforeAll(async () => {
		t0 = Date.now();
		sim = await startSimulator({ createResponse: 'location201', seed: `queue-${major}` });
		sim.seedOrders(SEEDED);
		for (const order of sim.orders) order.order_status = 'COMPLETED';
		sink = await startSink();
		cluster = await startQueueCluster({
			major,
			sim,
			alertsUrl: sink.url,
			workflows: [LIST_AND_ORDER, ORDER_ONLY],
			activate: [LIST_AND_ORDER.id, ORDER_ONLY.id],
			env: BULL_LOCKS,
			// The simulator enforces no rate limit here, so the node's own pacing (100 requests per 5 minutes per
			// process) would only slow the 20 parallel listings down.
			credential: { requestAllowance: 0 },
			log: (line: string) => process.stderr.write(`[queue] ${line}\n`),
		});
		figures.startup = cluster.timings;
		figures.settledMemoryMb = cluster.memoryMb();
		parseFlatted = createRequire(path.join(cluster.inst.dir, 'package.json'))('flatted').parse;
	}, 15 * 60_000);

	afterAll(async () => {
		figures.peakMemoryMb = cluster?.peakMemoryMb;
		await cluster?.stop();
		await sink?.close();
		await sim?.close();
		figures.kills = kills;
		figures.seconds = Math.round((Date.now() - t0) / 1000);
		const dir = path.join(REPO_ROOT, '.cache', 'queue');
		fs.mkdirSync(dir, { recursive: true });
		fs.writeFileSync(path.join(dir, `results-${major}.json`), JSON.stringify(figures, null, 2));
		process.stderr.write(`[queue] n8n ${major}.x figures: ${JSON.stringify(figures)}\n`);
	}, 5 * 60_000);

	afterEach(() => expect(sim.validationErrors).toEqual([]));

	test('20 parallel webhook calls: both workers run them, 20 orders placed once each, no page fetched twice', async () => {
		// Call i orders quantity i: 20 different baskets, so the duplicate guard (on by default) skips none.
		const refs = Array.from({ length: 20 }, (_, i) => `parallel-${major}-${i + 1}`);
		const replies = await Promise.all(refs.map((ref, i) => cluster.webhook('queue-order', { ref, quantity: i + 1 })));
		expect(replies.map((r: any) => r.status)).toEqual(refs.map(() => 200));
		expect(replies.map((r: any) => r.json?.submitted?.customer_reference).sort()).toEqual([...refs].sort());
		expect(replies.map((r: any) => r.json?.skipped)).toEqual(refs.map(() => false));

		// 1NCE's side: each reference ordered exactly once.
		expect(refsOf(sim).sort()).toEqual([...refs].sort());
		expect(sim.counts.create).toBe(20);
		figures.tokensFor20 = sim.counts.token;

		// n8n's side: 20 webhook executions, all successful, split over both workers.
		const rows = await executions(LIST_AND_ORDER.id);
		expect(rows).toHaveLength(20);
		expect(rows.every((r: any) => r.status === 'success' && r.mode === 'webhook')).toBe(true);
		const perWorker = cluster.workers.map((w: any) => startedIn(w.logs()).filter((id: string) => rows.some((r: any) => r.id === id)).length);
		figures.executionsPerWorker = perWorker;
		expect(perWorker[0] + perWorker[1]).toBe(20);
		expect(perWorker.every((n: number) => n > 0)).toBe(true);

		// Each execution's list has no order twice, and the pages fetched add up to exactly one per page per
		// execution (orders placed by the other executions meanwhile make some lists longer), plus the duplicate
		// guard's reads before each Create: page 1 (it tells the page count), then back from the newest page until
		// a page holds an order older than the window (1 hour). The seeded orders (dates in 2025) fill pages 1-10,
		// everything after them was placed by this test, so a guard that saw k orders within the window read page 1
		// and pages 10 to ceil((100 + k) / 10).
		let pages = 0;
		let guardReads = 0;
		for (const { id } of rows) {
			const [{ data }] = await cluster.sql('select data from execution_data where "executionId" = $1', [Number(id)]);
			const run = parseFlatted(data);
			const listed = run.resultData.runData['All orders'][0].data.main[0].map((item: any) => item.json.order_number);
			expect(listed.length).toBeGreaterThanOrEqual(SEEDED);
			expect(new Set(listed).size).toBe(listed.length);
			pages += Math.ceil(listed.length / PAGE_SIZE);
			const placed = run.resultData.runData['Place order'][0].data.main[0].map((item: any) => item.json);
			expect(placed).toHaveLength(1);
			expect(placed[0].skipped).toBe(false);
			const inWindow = placed[0].duplicate_check.orders_checked;
			expect(inWindow).toBeLessThan(20);
			guardReads += 1 + Math.ceil((SEEDED + inWindow) / PAGE_SIZE) - SEEDED / PAGE_SIZE + 1;
		}
		expect(sim.counts.list).toBe(pages + guardReads);
		// Page by page: pages 2 to 9 hold only seeded orders, so only the 20 listings read them, once each;
		// page 1 was read by each listing and each guard.
		const reads = (page: number) =>
			sim.requests.filter((r) => r.method === 'GET' && r.path === '/v1/orders' && r.query.page === String(page)).length;
		expect(reads(1)).toBe(40);
		for (let page = 2; page < SEEDED / PAGE_SIZE; page++) expect(reads(page)).toBe(20);
		figures.guardReadsFor20 = guardReads;
		// The token: preAuthentication stores it in the credential (PostgreSQL); executions that start before
		// it is stored each fetch their own. Recorded, and bounded by the number of executions.
		expect(sim.counts.token).toBeGreaterThanOrEqual(1);
		expect(sim.counts.token).toBeLessThanOrEqual(20);
		// Once stored, the token is shared by every execution on every worker: 10 more parallel calls fetch none.
		const tokens = sim.counts.token;
		const more = await Promise.all(
			Array.from({ length: 10 }, (_, i) => cluster.webhook('queue-order', { ref: `warm-${major}-${i + 1}`, quantity: 21 + i })),
		);
		expect(more.map((r: any) => r.status)).toEqual(more.map(() => 200));
		expect(sim.counts.token).toBe(tokens);
		expect(sim.counts.create).toBe(30);

		// The guard is no lock: two calls at the same moment with the same basket both look before either has
		// ordered, so both may place. Recorded, not asserted beyond 1 or 2.
		const same = await Promise.all(['a', 'b'].map((x) => cluster.webhook('queue-order', { ref: `same-${major}-${x}`, quantity: 50 })));
		expect(same.map((r: any) => r.status)).toEqual([200, 200]);
		const placedAtOnce = sim.counts.create - 30;
		figures.sameBasketAtOnce = { placed: placedAtOnce, skipped: same.map((r: any) => r.json?.skipped) };
		expect([1, 2]).toContain(placedAtOnce);
		expect(same.filter((r: any) => r.json?.skipped === false)).toHaveLength(placedAtOnce);
		// Once placed, the same basket again within the hour is skipped: the order 1NCE has is output instead.
		const again = await cluster.webhook('queue-order', { ref: `same-${major}-c`, quantity: 50 });
		expect(again.status).toBe(200);
		expect(again.json?.skipped).toBe(true);
		expect(again.json?.products).toEqual([{ product_id: 1001, quantity: 50 }]);
		expect(sim.counts.create).toBe(30 + placedAtOnce);
	});

	test('status-change alerts: the trigger polls on main, executions run on workers, one alert per change over 10 changes and a main restart', async () => {
		// Orders still open (the trigger stops watching COMPLETED and CANCELLED ones): those placed above.
		while (sim.orders.filter((o) => o.order_status === 'PENDING').length < 6) sim.addOrder({ order_status: 'PENDING' });
		await cluster.n8n.activateWorkflow(ALERTS);
		// Activation takes effect at start and runs the baseline poll (2.x: after start-up finished); its
		// end is the trigger's state saved in PostgreSQL.
		const saved = async () => {
			const [row] = await cluster.sql('select "staticData" as data from workflow_entity where id = $1', [ALERTS]);
			return JSON.stringify(row?.data ?? null).includes('node:Order status changed');
		};
		expect(await saved()).toBe(false);
		await cluster.restartMain();
		await until('the baseline poll saved its state', saved, 120_000);
		expect(sink.texts).toEqual([]);

		const numbers = sim.orders.filter((o) => o.order_status === 'PENDING').slice(0, 6).map((o) => o.order_number);
		const expected: string[] = [];
		const change = (n: number, to: string) => {
			const from = sim.orders.find((o) => o.order_number === n)!.order_status;
			sim.setOrderStatus(n, to);
			expected.push(`1NCE order ${n}: ${from} → ${to}`);
		};

		// 4 changes, caught by the next scheduled poll (every minute).
		for (const n of numbers.slice(0, 4)) change(n, 'IN_PROGRESS');
		await until('4 alerts', () => sink.texts.length >= 4, 150_000);

		// 3 changes while main is down: caught by the activation poll of the restarted main.
		await cluster.stopMain();
		change(numbers[0], 'SHIPPED');
		change(numbers[4], 'IN_PROGRESS');
		const added = sim.addOrder({ order_status: 'PENDING' });
		expected.push(`New 1NCE order ${added.order_number}: PENDING`);
		await cluster.startMain();
		await until('7 alerts', () => sink.texts.length >= 7, 150_000);

		// 3 more for the next scheduled poll.
		change(numbers[5], 'CANCELLED');
		change(numbers[0], 'COMPLETED');
		change(added.order_number, 'IN_PROGRESS');
		await until('10 alerts', () => sink.texts.length >= 10, 150_000);

		// Two more polls (the second starts once the first is long over) and every execution finished:
		// nothing repeated.
		const lists = sim.counts.list;
		await until('a poll after the last alert', () => sim.counts.list > lists, 150_000);
		const next = sim.requests.filter((r) => r.path === '/v1/orders' && r.method === 'GET').pop()!.at + 30_000;
		await until('the poll after that', () => sim.requests.some((r) => r.path === '/v1/orders' && r.method === 'GET' && r.at > next), 150_000);
		await until('every alerts execution finished', async () => (await executions(ALERTS)).every((r: any) => TERMINAL.includes(r.status)), 120_000);
		expect(sink.texts.sort()).toEqual(expected.sort());

		const rows = await executions(ALERTS);
		figures.alertExecutions = rows.length;
		expect(rows.length).toBeGreaterThanOrEqual(3);
		expect(rows.every((r: any) => r.status === 'success' && r.mode === 'trigger')).toBe(true);
		const onWorkers = new Set(cluster.workers.flatMap((w: any) => startedIn(w.logs())));
		expect(rows.filter((r: any) => !onWorkers.has(r.id))).toEqual([]);
		expect(startedIn(cluster.main.logs())).toEqual([]);
		await cluster.sql('select 1'); // still connected after the restarts
	});

	test(`a worker SIGKILLed right after 1NCE received a Create: what n8n does, over ${KILL_TRIES} tries`, async () => {
		// Every answer waits 1 s, so the worker is gone before the order is confirmed (1NCE still places it).
		for (let i = 1; i <= KILL_TRIES; i++) {
			const ref = `kill-${major}-${i}`;
			const tryStart = Date.now();
			const marks = cluster.workers.map((w: any) => w.logs().length);
			let killed = -1;
			const off = sim.onRequest((entry, body) => {
				if (killed >= 0 || entry.method !== 'POST' || entry.path !== '/v1/orders' || !body.includes(ref)) return;
				killed = cluster.workers.findIndex((w: any, k: number) => /Worker started execution/.test(w.logs().slice(marks[k])));
				if (killed >= 0) cluster.killWorker(killed);
			});
			sim.setLatency(1000);
			const pending = cluster.webhook('queue-kill', { ref, quantity: 100 + i }, { timeoutMs: 120_000 });
			try {
				await until(`the Create of ${ref}`, () => killed >= 0, 120_000);
				const executionId = startedIn(cluster.workers[killed].logs().slice(marks[killed])).pop();
				const survivor = cluster.workers[1 - killed];
				const status = async () => (await cluster.sql('select status from execution_entity where id = $1', [Number(executionId)]))[0]?.status;
				// Done when n8n settles the execution (a re-run finishes it; a failed job leaves it for recovery),
				// or after the lock, a stalled check and a re-run had time to happen.
				const settled = Date.now() + 90_000;
				await until(`execution ${executionId} settled`, async () => TERMINAL.includes(await status()) || Date.now() > settled, 100_000);
				const reply = await pending;
				// The killed worker's Create is still processed by 1NCE (after the 1 s delay).
				await until(`the order ${ref} placed`, () => refsOf(sim).includes(ref), 30_000);
				kills.push({
					ref,
					orders: refsOf(sim).filter((r) => r === ref).length,
					status: (await status()) ?? 'missing',
					reply: reply.status,
					skipped: reply.json?.skipped === true,
					killed,
					reran: startedIn(survivor.logs().slice(marks[1 - killed])).includes(executionId!),
					ms: Date.now() - tryStart,
				});
			} finally {
				off();
				sim.setLatency(0);
				if (killed >= 0) await cluster.startWorker(killed);
			}
		}
		const doubled = kills.filter((k) => k.orders > 1).length;
		figures.killResult = `${kills.filter((k) => k.orders === 1).length} of ${kills.length} tries placed exactly 1 order; ${doubled} placed 2`;
		process.stderr.write(`[queue] n8n ${major}.x worker kill: ${figures.killResult}\n${JSON.stringify(kills)}\n`);
		// The order reached 1NCE before the worker died, every time.
		expect(kills).toHaveLength(KILL_TRIES);
		expect(kills.every((k) => k.orders >= 1)).toBe(true);
	});

	// n8n 1.x hands the stalled job to the other worker (Bull's maxStalledCount 1), which runs the whole
	// execution again: with the guard off that placed a second order in 10 of 10 tries. With Create's defaults
	// (guard on, 1 hour) the re-run finds the first order and outputs it with skipped: true. n8n 2.x fails the
	// stalled job instead (no re-run).
	test('a worker SIGKILLed right after a Create, with Create at its default settings: orders placed = 1 per request', () => {
		expect(kills.length).toBeGreaterThan(0);
		expect(kills.map((k) => k.orders)).toEqual(kills.map(() => 1));
		// Where the execution was re-run and finished, its answer is the skipped first order.
		for (const k of kills.filter((k) => k.reran && k.status === 'success')) expect(k.skipped).toBe(true);
	});
}
