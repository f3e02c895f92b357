/**
 * The package in a real n8n, as a user has it: the packed tarball installed into n8n's nodes folder (the
 * Community Nodes install), a credential and the example workflows imported with the n8n CLI, run with
 * `n8n execute`, and the 1NCE Trigger active in a running `n8n start` that is restarted between changes.
 * Runs on the newest n8n 1.x (Node 20) and 2.x (Node 24); both are installed into .cache/ on first use.
 * One file per major (real-n8n-1.e2e.test.ts, real-n8n-2.e2e.test.ts), so that Jest runs the two side by side: most of
 * their time is spent waiting for n8n's minute-long poll schedule. N8N_E2E_MAJORS=1 (or 2) runs one major; N8N_E2E_KEEP=1 keeps the n8n user folders in the temp directory.
 * The trigger part waits for one scheduled poll: n8n allows nothing shorter than a minute (2.x refuses any
 * seconds field but a fixed second; 1.x refuses a wildcard there), so the example's "every minute" is kept.
 */
import fs from 'node:fs';

import { startSimulator, type Simulator } from '../../dev/simulator';
import { startSink, until } from '../support/realN8n';
import { SIM_EVENTS_WORKFLOW_ID, simEventsWorkflow } from './simEventsWorkflow';
import { SIM_WORKFLOW_ID, simOperationsWorkflow } from './simWorkflow';

const { prepareInstance } = require('../../dev/n8n/instance');
const { freePort } = require('../../dev/n8n/n8n-cli');
const { signInOwner } = require('../../dev/n8n/editor');


const manualGet = (orderNumber: number, credential: { id: string; name: string }) => ({
	id: '1nceGetMissing01',
	name: 'Get a missing order',
	active: false,
	settings: {},
	nodes: [
		{ id: 'm', name: 'Run now', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		{
			id: 'g',
			name: 'Get order',
			type: 'n8n-nodes-1nce.oneNce',
			typeVersion: 1,
			position: [220, 0],
			parameters: { resource: 'order', operation: 'get', orderNumber: String(orderNumber) },
			credentials: { oneNceApi: credential },
		},
	],
	connections: { 'Run now': { main: [[{ node: 'Get order', type: 'main', index: 0 }]] } },
});

/** Create with Retry On Fail on (node Settings), as saved by the editor. */
const createWithRetry = (credential: { id: string; name: string }) => ({
	id: '1nceCreateRetry1',
	name: 'Create with Retry On Fail',
	active: false,
	settings: {},
	nodes: [
		{ id: 'm', name: 'Run now', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		{
			id: 'c',
			name: 'Order SIMs',
			type: 'n8n-nodes-1nce.oneNce',
			typeVersion: 1,
			position: [220, 0],
			retryOnFail: true,
			maxTries: 3,
			waitBetweenTries: 10,
			parameters: {
				resource: 'order',
				operation: 'create',
				products: { product: [{ productId: 1001, quantity: 3 }] },
				additionalFields: { customerReference: 'retry-on-fail' },
			},
			credentials: { oneNceApi: credential },
		},
	],
	connections: { 'Run now': { main: [[{ node: 'Order SIMs', type: 'main', index: 0 }]] } },
});

/** A trigger that reports status changes only (not new orders), posting each to `url`. */
const changesOnly = (credential: { id: string; name: string }, url: string) => ({
	id: '1nceChangesOnly1',
	name: 'Status changes only',
	active: false,
	settings: { executionOrder: 'v1' },
	nodes: [
		{
			id: 't',
			name: 'Changed',
			type: 'n8n-nodes-1nce.oneNceTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, event: 'orderStatusChanged', includeNewOrders: false },
			credentials: { oneNceApi: credential },
		},
		{
			id: 'p',
			name: 'Post',
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			position: [240, 0],
			parameters: {
				method: 'POST',
				url,
				sendBody: true,
				specifyBody: 'json',
				jsonBody: '={{ JSON.stringify({ text: `${$json.order_number}: ${$json.previous_status} → ${$json.order_status}` }) }}',
				options: {},
			},
		},
	],
	connections: { Changed: { main: [[{ node: 'Post', type: 'main', index: 0 }]] } },
});

/** n8n 2.x's durable scheduler and poll cursors (2.36+), where n8n is going; 1.x has neither. */
const DURABLE_ENV = {
	N8N_SCHEDULER_ENABLED: 'true',
	N8N_SCHEDULER_POLL_TRIGGERS_ENABLED: 'true',
	N8N_POLLER_DURABLE_CURSORS_ENABLED: 'true',
	N8N_USE_WORKFLOW_PUBLICATION_SERVICE: 'true',
};

/**
 * A new version of a running workflow, made through n8n's REST API the way the editor makes it: the trigger moved
 * on the canvas (so n8n records a new version) and the workflow renamed, with no static data in the request.
 * 1.x activates the saved version of an active workflow at once; 2.x saves a draft, which Publish activates.
 */
async function newVersion(baseUrl: string, id: string, major: number) {
	const { cookie } = await signInOwner(baseUrl);
	const call = async (method: string, path: string, body?: object) => {
		const response = await fetch(`${baseUrl}/rest/workflows/${id}${path}`, {
			method,
			headers: { 'content-type': 'application/json', cookie },
			body: body && JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok) throw new Error(`${method} /rest/workflows/${id}${path}: ${response.status} ${text.slice(0, 500)}`);
		return JSON.parse(text).data;
	};
	const current = await call('GET', '');
	const nodes = current.nodes.map((node: any) => (node.id === 't' ? { ...node, position: [node.position[0], node.position[1] + 40] } : node));
	const saved = await call('PATCH', '', {
		name: `${current.name}, version 2`,
		nodes,
		connections: current.connections,
		settings: current.settings,
		versionId: current.versionId,
	});
	expect(saved.versionId).not.toBe(current.versionId);
	const running = major >= 2 ? await call('POST', '/activate', { versionId: saved.versionId }) : saved;
	expect(running.activeVersionId).toBe(saved.versionId);
}

/** The suite on n8n `major`.x, unless N8N_E2E_MAJORS leaves that major out. */
export function realN8nSuite(major: number): void {
	const majors = (process.env.N8N_E2E_MAJORS ?? '1,2').split(',').map(Number);
	(majors.includes(major) ? describe : describe.skip)(`real n8n ${major}.x`, () => {
		let sim: Simulator;
		let sink: Awaited<ReturnType<typeof startSink>>;
		/** Where the workflow with one trigger per SIM event posts (simEventsWorkflow). */
		let events: Awaited<ReturnType<typeof startSink>>;
		let instance: any;

		beforeAll(async () => {
			sim = await startSimulator({ createResponse: 'location201', seed: `e2e-${major}` });
			// More orders than one would put in a Limit: the open reorder ends up on the last of 5 pages.
			sim.seedOrders(45);
			for (const order of sim.orders) order.order_status = 'COMPLETED';
			// Fewer spare (Disabled) SIMs than the example's threshold of 50.
			sim.seedSims(300, { enabledShare: 0.9 });
			sink = await startSink();
			events = await startSink();
			instance = await prepareInstance({ major, sim, alertsUrl: sink.url });
			await instance.n8n.importWorkflow([
				manualGet(999, instance.credential),
				createWithRetry(instance.credential),
				simEventsWorkflow(instance.credential, events.url),
			]);
		});

		afterAll(async () => {
			await sink?.close();
			await events?.close();
			await sim?.close();
			// About 50-80 MB each (sqlite, the editor's static cache); N8N_E2E_KEEP=1 keeps them for a look.
			if (instance && !process.env.N8N_E2E_KEEP) fs.rmSync(instance.userFolder, { recursive: true, force: true });
		});

		afterEach(() => expect(sim.validationErrors).toEqual([]));

		it('runs the SIM reordering rule: counts SIMs by status, finds no open reorder, orders the picked product once', async () => {
			const spare = sim.sims.filter((s) => s.status === 'Disabled').length;
			const run = await instance.n8n.execute(instance.workflows['sim-reordering']);
			expect(run.error).toBeUndefined();
			expect(run.ok).toBe(true);
			expect(run.output('Count SIMs')).toEqual([
				{ total: 300, by_status: { Enabled: 300 - spare, Disabled: spare }, requests: 3 },
			]);
			expect(sim.resourceCounts.simList).toBe(3);
			expect(run.output('Decide')).toEqual([{ spare, threshold: 50, total: 300, open_reorders: [], reorder: true }]);
			const [created] = run.output('Order SIMs');
			expect(created).toMatchObject({ status_code: 201, order_number: 2000000046, skipped: false });
			expect(sim.created).toEqual([
				{ products: [{ productId: 1001, quantity: 100 }], customer_reference: expect.stringMatching(/^auto-reorder \d{4}-\d\d-\d\d$/) },
			]);
			expect(sink.texts).toEqual([`1NCE reorder placed: 100 SIMs (${spare} spare, threshold 50), order 2000000046`]);
			sink.texts.length = 0;
		});

		it('reuses the stored token, does not reorder while the order is open, and the guard skips a repeat', async () => {
			const run = await instance.n8n.execute(instance.workflows['sim-reordering']);
			expect(run.ok).toBe(true);
			expect(run.output('Recent reorders').map((order: any) => order.order_number)).toEqual([2000000046]);
			expect(run.output('Decide')[0]).toMatchObject({ open_reorders: [2000000046], reorder: false });
			expect(run.output('Enough SIMs or reorder open')).toHaveLength(1);
			expect(sim.created).toHaveLength(1);
			expect(sim.counts.token).toBe(1);
			const [stored] = await instance.n8n.exportCredentials();
			expect(stored.data.accessToken).toEqual(expect.any(String));
			expect(stored.data.accessToken.length).toBeGreaterThan(100);

			// Delivered within the day while spare SIMs are still low: the same order again is skipped, not placed.
			sim.setOrderStatus(2000000046, 'COMPLETED');
			const listsBefore = sim.counts.list;
			const again = await instance.n8n.execute(instance.workflows['sim-reordering']);
			expect(again.ok).toBe(true);
			expect(again.output('Order SIMs')[0]).toMatchObject({ order_number: 2000000046, skipped: true });
			expect(sim.created).toHaveLength(1);
			// Recent reorders: page 1 and the last page; the guard: at most 2 more.
			expect(sim.counts.list - listsBefore).toBeLessThanOrEqual(4);
			expect(sink.texts).toEqual(['1NCE reorder skipped: order 2000000046 with the same products was placed less than 24 h ago']);
			sink.texts.length = 0;
			sim.setOrderStatus(2000000046, 'PENDING');
		});

		it('waits out a 429 inside n8n and shows a readable error for a missing order', async () => {
			sim.injectFault({ kind: 429, retryAfter: 1, path: '/v1/orders' });
			const listed = await instance.n8n.execute(instance.workflows['sim-reordering']);
			expect(listed.error).toBeUndefined();
			expect(listed.ok).toBe(true);
			expect(listed.output('Recent reorders')).toHaveLength(1);
			const throttled = sim.requests.findIndex((r) => r.status === 429);
			expect(throttled).toBeGreaterThanOrEqual(0);
			// The same page asked again after the 429, and answered.
			expect(sim.requests.slice(throttled + 1)).toContainEqual(
				expect.objectContaining({ method: 'GET', path: '/v1/orders', query: sim.requests[throttled].query, status: 200 }),
			);
			expect(sim.created).toHaveLength(1);

			const missing = await instance.n8n.execute('1nceGetMissing01');
			expect(missing.ok).toBe(false);
			// n8n 1.x and 2.x both keep the node's own error: its class, its node and its readable message.
			expect(missing.error).toMatchObject({ name: 'NodeApiError', message: 'Order 999 was not found', httpCode: '404' });
			expect(missing.error.node.name).toBe('Get order');
			expect(missing.stdout).not.toContain(sim.password);
			expect(sim.counts.token).toBe(1);
		});

		it('fires the order and SIM alerts, the SIM top-up and every SIM event exactly once per change, across an n8n restart', async () => {
			const { n8n } = instance;
			try {
				// The SIMs changed below: enabled ones from the middle (the SIM operations test uses the first and last).
				const enabled = sim.sims.filter((s) => s.status === 'Enabled' && s.activation_date);
				const [a, b, c, y] = enabled.slice(10, 14).map((s) => s.iccid);
				const label = (iccid: string) => {
					const { label: given } = sim.sims.find((s) => s.iccid === iccid)!;
					return given ? ` (${given})` : '';
				};
				for (const iccid of [a, b, c, y]) sim.setSimQuota(iccid, { data: 400, sms: 200 });
				// Y was topped up earlier today: the example's guard must not top it up again.
				const earlier = sim.addOrder({
					order_type: 'TOPUP',
					order_status: 'COMPLETED',
					products: [{ product_id: 2001, quantity: 1 }],
					sims: [{ iccid: y, _links: [{ rel: 'self', href: `https://api.1nce.com/api/v1/sims/${y}` }] }],
				});
				const topupsBefore = sim.topups.length;
				for (const id of [instance.workflows['status-change-alerts'], instance.workflows['sim-alerts'], instance.workflows['sim-topup-low-data'], SIM_EVENTS_WORKFLOW_ID]) {
					await n8n.activateWorkflow(id);
				}
				const isSim = (text: string) => text.startsWith('1NCE SIM');
				const simTexts = () => sink.texts.filter(isSim);
				const orderTexts = () => sink.texts.filter((text) => !isSim(text));
				// Baselines: one poll per trigger, 3 pages of 300 SIMs for each of the 9 SIM triggers.
				const simTriggers = 9;
				const port = await freePort();
				const listsBefore = sim.counts.list;
				const simListsBefore = sim.resourceCounts.simList;
				let server = await n8n.start({ port });
				try {
					// Activation (done before start() resolves) runs the first poll: it records the baseline and emits nothing.
					// Counted requests can include a page asked twice; the baselines are done once the SIM list has also
					// gone quiet (a trigger that read the SIMs only after the changes below would take them as its baseline).
					const lastSimList = () => sim.requests.filter((r) => r.method === 'GET' && /^\/v1\/sims\/?$/.test(r.path)).pop()?.at ?? 0;
					await until(
						'the baseline polls',
						() =>
							sim.counts.list > listsBefore &&
							sim.resourceCounts.simList >= simListsBefore + 3 * simTriggers &&
							Date.now() - lastSimList() > 5_000,
						75_000,
					);
					await new Promise((resolve) => setTimeout(resolve, 1000));
					expect(sink.texts).toEqual([]);
					expect(events.texts).toEqual([]);
					sim.setOrderStatus(2000000046, 'SHIPPED');
					sim.updateSim(a, { status: 'Disabled' });
					sim.setSimQuota(b, { data: 0 });
					sim.setSimQuota(y, { data: 30 });
					await until(
						'the first alerts',
						() => orderTexts().length >= 1 && simTexts().length >= 4 && events.texts.length >= 5,
						75_000,
					);
					await new Promise((resolve) => setTimeout(resolve, 1000));
				} finally {
					await server.stop();
				}
				expect(orderTexts()[0]).toBe('1NCE order 2000000046: PENDING → SHIPPED');
				expect(sim.topups.slice(topupsBefore)).toEqual([{ iccid: b, payment_method: 'banktransfer', order_number: expect.any(Number) }]);
				const topup = sim.topups[topupsBefore];
				expect(simTexts().sort()).toEqual(
					[
						`1NCE SIM ${a}${label(a)}: disabled`,
						`1NCE SIM ${b}${label(b)}: data quota exhausted`,
						`1NCE SIM ${b} is low on data: topped up, order ${topup.order_number}`,
						`1NCE SIM ${y} is low on data again; not topped up, order ${earlier.order_number} did that less than 24 h ago`,
					].sort(),
				);
				expect(events.texts.sort()).toEqual(
					[
						`simStatusChanged ${a} Enabled Disabled`,
						`dataQuotaStatusChanged ${b} 0 2`,
						`dataQuotaStatusChanged ${y} 0 1`,
						`dataQuotaBelow ${b} 50 0`,
						`dataQuotaBelow ${y} 50 30`,
					].sort(),
				);

				// Changed while n8n is down: caught by the first poll after the restart, and nothing earlier again.
				sim.setOrderStatus(2000000046, 'COMPLETED');
				const added = sim.addOrder({ order_status: 'PENDING' });
				sim.updateSim(a, { status: 'Enabled' });
				sim.setSimQuota(c, { sms: 0 });
				const fresh = sim.addSim({});
				const expectedOrders = [
					'1NCE order 2000000046: PENDING → SHIPPED',
					`1NCE order 2000000046: SHIPPED → COMPLETED`,
					`New 1NCE order ${added.order_number}: PENDING`,
					// The order trigger sees the example's top-up order (in its first poll after the top-up, before or after the restart).
					`New 1NCE order ${topup.order_number}: PENDING`,
				];
				server = await n8n.start({ port });
				try {
					await until(
						'the alerts missed while stopped',
						() => orderTexts().length >= expectedOrders.length && events.texts.length >= 9,
						75_000,
					);
					await new Promise((resolve) => setTimeout(resolve, 2000));
				} finally {
					await server.stop();
				}
				// Only these events are new; the ones before the restart are not sent again.
				expect(events.texts.slice(5).sort()).toEqual(
					[
						`simStatusChanged ${a} Disabled Enabled`,
						`smsQuotaStatusChanged ${c} 0 2`,
						`smsQuotaBelow ${c} 10 0`,
						`newSim ${fresh.iccid}`,
					].sort(),
				);
				expect(events.texts).toHaveLength(9);
				expect(orderTexts().sort()).toEqual(expectedOrders.sort());
				// Re-enabling is filtered out, and nothing else is low on data: no new SIM message, no second top-up.
				expect(simTexts()).toHaveLength(4);
				expect(sim.topups).toHaveLength(topupsBefore + 1);
				expect(sim.counts.token).toBe(1);
				// The triggers' state is in the database, where the restarted n8n found it.
				const exported = await n8n.exportWorkflows();
				const alerts = exported.find((w: any) => w.id === instance.workflows['status-change-alerts']);
				expect(Object.keys(alerts.staticData ?? {})).toContain('node:Order status changed');
				const simAlerts = exported.find((w: any) => w.id === instance.workflows['sim-alerts']);
				expect(Object.keys(simAlerts.staticData ?? {})).toEqual(expect.arrayContaining(['node:SIM status changed', 'node:Data quota status changed']));

				// Leave the SIMs as the later tests expect them (300, none of these active).
				sim.removeSim(fresh.iccid);
				await n8n.run(major >= 2 ? ['unpublish:workflow', '--all'] : ['update:workflow', '--all', '--active=false']);
				sink.texts.length = 0;
			} catch (error) {
				// What did arrive, for the failure report.
				console.log(JSON.stringify({ posted: sink.texts, events: events.texts, topups: sim.topups }, null, 1));
				throw error;
			}
		});

		it('Retry On Fail after a dropped connection once 1NCE placed the order: exactly one order', async () => {
			const createdBefore = sim.created.length;
			const postsBefore = sim.requests.filter((r) => r.method === 'POST' && r.path === '/v1/orders').length;
			sim.injectFault({ kind: 'resetAfterProcessing', method: 'POST', path: '/v1/orders' });
			const run = await instance.n8n.execute('1nceCreateRetry1');
			expect(run.ok).toBe(false);
			expect(sim.requests.filter((r) => r.method === 'POST' && r.path === '/v1/orders')).toHaveLength(postsBefore + 1);
			expect(sim.created.slice(createdBefore)).toEqual([{ products: [{ productId: 1001, quantity: 3 }], customer_reference: 'retry-on-fail' }]);
			expect(run.error).toMatchObject({ name: 'NodeApiError', message: 'Could not reach 1NCE' });
			expect(run.error.description).toMatch(/n8n ran the node again \(Retry On Fail\).*not sent again/);
			expect(run.error.description).toMatch(/may or may not have been placed/);
		});
		it('one event per change across a restart after quiet polls, a deactivation and reactivation, a duplicate, an import as a new workflow, a new version and an import over the same id (2.x: durable scheduler on)', async () => {
			const { n8n } = instance;
			const changes = await startSink();
			const copied = await startSink();
			const importedSink = await startSink();
			const deactivate = (id: string) =>
				major >= 2 ? n8n.run(['unpublish:workflow', `--id=${id}`]) : n8n.run(['update:workflow', `--id=${id}`, '--active=false']);
			try {
				const env = major >= 2 ? DURABLE_ENV : {};
				// Only these workflows poll from here on, so every list request is theirs.
				await deactivate(instance.workflows['status-change-alerts']);
				await n8n.importWorkflow([changesOnly(instance.credential, changes.url)]);
				await n8n.activateWorkflow('1nceChangesOnly1', { env });
				const port = await freePort();
				const polled = async (what: string, before = sim.counts.list) => {
					await until(what, () => sim.counts.list > before, 75_000);
					// The poll ends (and n8n saves) shortly after its last request.
					await new Promise((resolve) => setTimeout(resolve, 3000));
				};
				const listed = sim.counts.list;
				let server = await n8n.start({ port, env });
				let added;
				let otherOrder;
				try {
					await polled('the baseline', listed);
					added = sim.addOrder({ order_status: 'PENDING' });
					// Open until the import at the end: every workflow watches it by then.
					otherOrder = sim.addOrder({ order_status: 'PENDING' });
					// A quiet poll takes the new order in: Include New Orders is off, so nothing is posted.
					await polled('a quiet poll that sees the new order');
				} finally {
					await server.stop();
				}
				expect(changes.texts).toEqual([]);

				// While n8n is down: the order ships, the workflow is deactivated and activated again, duplicated with its
				// static data (as the editor's Duplicate does) into a workflow posting elsewhere, and its export imported
				// as a new workflow (another id) posting to a third place.
				sim.setOrderStatus(added.order_number, 'SHIPPED');
				await deactivate('1nceChangesOnly1');
				await n8n.activateWorkflow('1nceChangesOnly1', { env });
				const exported = (await n8n.exportWorkflows()).find((w: any) => w.id === '1nceChangesOnly1');
				const duplicate = { ...changesOnly(instance.credential, copied.url), id: '1nceChangesCopy1', name: 'Status changes only copy' };
				const imported = {
					...exported,
					id: '1nceImportedCopy',
					name: 'Status changes only, imported',
					nodes: exported.nodes.map((node: any) => (node.name === 'Post' ? { ...node, parameters: { ...node.parameters, url: importedSink.url } } : node)),
				};
				await n8n.importWorkflow([{ ...duplicate, staticData: exported.staticData }, imported]);
				await n8n.activateWorkflow('1nceChangesCopy1', { env });
				await n8n.activateWorkflow('1nceImportedCopy', { env });
				server = await n8n.start({ port, env });
				let backup: any;
				const started = Date.now();
				try {
					await until('the change made while n8n was down', () => changes.texts.length >= 1, 150_000);
					// A scheduled poll of each workflow (every minute): the copies' baselines are taken by then.
					await until('a minute of polls', () => Date.now() - started > 62_000, 75_000);
					await polled('one more poll');
					// The copies record their own baselines: the change happened before they existed.
					expect(copied.texts).toEqual([]);
					expect(importedSink.texts).toEqual([]);
					// A backup of the imported workflow, taken before the next change (the export carries its static data).
					backup = (await n8n.exportWorkflows()).find((w: any) => w.id === '1nceImportedCopy');
					// A new version of the running workflow, as the editor makes it: saved (1.x, where saving an active
					// workflow activates the new version at once) or saved as a draft and published (2.x). The editor's
					// request carries no static data, so n8n keeps the stored state.
					await newVersion(server.url, '1nceChangesOnly1', major);
					sim.setOrderStatus(added.order_number, 'COMPLETED');
					await until(
						'the next change, in all three',
						() => changes.texts.length >= 2 && copied.texts.length >= 1 && importedSink.texts.length >= 1,
						150_000,
					);
					await polled('one more poll');
				} finally {
					await server.stop();
				}
				const text = (from: string, to: string, order: any = added) => `${order.order_number}: ${from} → ${to}`;
				expect(changes.texts).toEqual([text('PENDING', 'SHIPPED'), text('SHIPPED', 'COMPLETED')]);
				expect(copied.texts).toEqual([text('SHIPPED', 'COMPLETED')]);
				expect(importedSink.texts).toEqual([text('SHIPPED', 'COMPLETED')]);

				// Import over the same workflow ids (`n8n import:workflow` of a file carrying an existing id, as when restoring
				// a backup), while n8n is down and after the other order shipped: the first workflow's export without its
				// static data, the copy's fresh export with it, and the backup taken above (older static data) over the
				// imported one.
				sim.setOrderStatus(otherOrder.order_number, 'SHIPPED');
				const ids = ['1nceChangesOnly1', '1nceChangesCopy1', '1nceImportedCopy'];
				const exports = async () => {
					const all = await n8n.exportWorkflows();
					return ids.map((id) => all.find((w: any) => w.id === id));
				};
				const [first, copy] = await exports();
				const { staticData: kept, ...withoutState } = first;
				// 2.x with durable cursors keeps the trigger's state in n8n's poller state: the export carries none.
				if (major < 2) expect(kept).toBeTruthy();
				else expect([kept, copy.staticData, backup.staticData]).toEqual([null, null, null]);
				await n8n.importWorkflow([withoutState, copy, backup]);
				// n8n deactivates every workflow it imports (1.x and 2.x), and writes only the fields the file holds.
				const afterImport = await exports();
				expect(afterImport.map((w: any) => [w.active, w.activeVersionId ?? null])).toEqual(ids.map(() => [false, null]));
				expect(afterImport.map((w: any) => w.staticData)).toEqual([kept, copy.staticData, backup.staticData]);
				// Activated again, as a user would after an import.
				for (const id of ids) await n8n.activateWorkflow(id, { env });
				server = await n8n.start({ port, env });
				const other = (from: string, to: string) => text(from, to, otherOrder);
				const all = () => [changes.texts, copied.texts, importedSink.texts];
				try {
					await until('the change made across the import, in all three', () => all().every((t) => t.includes(other('PENDING', 'SHIPPED'))), 150_000);
					sim.setOrderStatus(otherOrder.order_number, 'COMPLETED');
					await until('the next change, in all three', () => all().every((t) => t.includes(other('SHIPPED', 'COMPLETED'))), 150_000);
					await polled('one more poll');
				} finally {
					// With N8N_E2E_KEEP=1, n8n's output of this phase stays in the kept user folder.
					if (process.env.N8N_E2E_KEEP) fs.writeFileSync(`${instance.userFolder}/phase3.log`, server.logs());
					await server.stop();
				}
				const after = [other('PENDING', 'SHIPPED'), other('SHIPPED', 'COMPLETED')];
				expect(changes.texts.slice(2)).toEqual(after);
				expect(copied.texts.slice(1)).toEqual(after);
				// The backup is older than the change reported after it: 1.x takes the file's static data and reports that
				// change again; 2.x's durable cursor (n8n's poller state, which an import leaves alone) does not.
				const repeated = major >= 2 ? [] : [text('SHIPPED', 'COMPLETED')];
				expect(importedSink.texts.slice(1)).toEqual([...repeated, ...after]);
			} finally {
				await changes.close();
				await copied.close();
				await importedSink.close();
			}
		});

		// Last: its Top Up places an order, which would shift the order numbers the tests above expect.
		it('runs every SIM operation in one workflow: the reads answer with the simulator\'s SIMs, each change is sent once', async () => {
			const enabled = sim.sims.filter((s) => s.status === 'Enabled' && s.activation_date);
			const read = enabled[0];
			const write = enabled[enabled.length - 1];
			sim.setSimConnectivity(read.iccid, 'ONLINE');
			sim.setSimQuota(read.iccid, { data: 42.5, sms: 17 });
			sim.addSimEvent(read.iccid, { event_type: 'e2e marker' });
			sim.addMoSms(read.iccid, { payload: 'first from the device' });
			const sms = sim.addMoSms(read.iccid, { payload: 'second from the device' });
			const before = {
				sims: structuredClone(sim.sims),
				requests: sim.requests.length,
				topups: sim.topups.length,
				orders: sim.orders.length,
				smsLeft: write.current_quota_SMS,
			};
			const usage = { start: '2026-11-01', end: '2026-11-03' };
			await instance.n8n.importWorkflow([simOperationsWorkflow({ credential: instance.credential, read: read.iccid, write: write.iccid, smsId: sms.id, usage })]);

			const run = await instance.n8n.execute(SIM_WORKFLOW_ID);
			expect(run.error).toBeUndefined();
			expect(run.ok).toBe(true);

			const readBefore = before.sims.find((s) => s.iccid === read.iccid)!;
			const spare = before.sims.filter((s) => s.status === 'Disabled').length;
			expect(run.output('Get Many SIMs')).toEqual(before.sims.slice(0, 5));
			expect(run.output('Count by Status')).toEqual([{ total: 300, by_status: { Enabled: 300 - spare, Disabled: spare }, requests: 3 }]);
			expect(run.output('Get')).toEqual([readBefore]);
			expect(run.output('Get Status')).toEqual([
				expect.objectContaining({
					iccid: read.iccid,
					status: 'ONLINE',
					location: expect.objectContaining({ iccid: read.iccid, imsi: read.imsi }),
					services: ['GPRS', 'SMS'],
					pdp_context: expect.objectContaining({ ue_ip_address: read.ip_address }),
				}),
			]);
			expect(run.output('Get Connectivity Info')).toEqual([
				expect.objectContaining({ iccid: read.iccid, subscriber_info: expect.objectContaining({ current_location_retrieved: true }), ussd_info: { success: true } }),
			]);
			const quota = (volume: number, total: number, status: any) => ({
				iccid: read.iccid,
				volume,
				total_volume: total,
				expiry_date: expect.any(String),
				last_volume_added: total,
				last_status_change_date: status.threshold_reached_date,
				threshold_percentage: 20,
			});
			expect(run.output('Get Data Quota')).toEqual([{ ...quota(42.5, 500, readBefore.quota_status), peak_throughput: 1_000_000 }]);
			expect(run.output('Get SMS Quota')).toEqual([quota(17, 250, readBefore.quota_status_SMS)]);
			const [used] = run.output('Get Usage');
			expect(used).toMatchObject({ iccid: read.iccid, start_dt: usage.start, end_dt: usage.end });
			expect(used.stats.map((day: any) => [day.date, day.data.traffic_type.unit, day.sms.traffic_type.unit])).toEqual(
				['01', '02', '03'].map((d) => [`2026-11-${d}T00:00:00.000Z`, 'MB', 'SMS']),
			);
			const events = run.output('Get Events');
			expect(events).toHaveLength(3);
			expect(events[0]).toMatchObject({ iccid: read.iccid, event_type: 'e2e marker' });
			expect(events.map((e: any) => e.timestamp)).toEqual(events.map((e: any) => e.timestamp).sort().reverse());
			expect(run.output('Get Many SMS')).toEqual(sim.smsOf(read.iccid));
			expect(run.output('Get Many SMS').map((m: any) => m.payload)).toEqual(['first from the device', 'second from the device']);
			expect(run.output('Get SMS')).toEqual([sms]);

			// The changes, on another SIM: each reached the simulator exactly once.
			const writeBefore = before.sims.find((s) => s.iccid === write.iccid)!;
			expect(run.output('Update')).toEqual([
				{
					iccid: write.iccid,
					status: 'Disabled',
					label: 'stolen',
					imei_lock: true,
					changed: ['status', 'label', 'imei_lock'],
					previous: { status: 'Enabled', label: writeBefore.label, imei_lock: false },
				},
			]);
			expect(write).toMatchObject({ status: 'Disabled', label: 'stolen', imei_lock: true });
			expect(run.output('Reset Connectivity')).toEqual([{ iccid: write.iccid, reset: 'queued' }]);
			expect(run.output('Send SMS')).toEqual([{ iccid: write.iccid, payload: 'e2e ping', dcs: 0, sent: true }]);
			expect(sim.smsOf(write.iccid)).toEqual([expect.objectContaining({ payload: 'e2e ping', sms_type: { id: 1 } })]);
			expect(write.current_quota_SMS).toBe(before.smsLeft - 1);

			const topups = sim.topups.slice(before.topups);
			expect(topups).toEqual([{ iccid: write.iccid, payment_method: 'banktransfer', order_number: expect.any(Number) }]);
			const orderNumber = topups[0].order_number;
			expect(sim.orders.slice(before.orders)).toEqual([
				expect.objectContaining({ order_number: orderNumber, order_type: 'TOPUP', sims: [expect.objectContaining({ iccid: write.iccid })] }),
			]);
			expect(run.output('Top Up')).toEqual([
				expect.objectContaining({
					iccid: write.iccid,
					status_code: 201,
					order_number: orderNumber,
					location: `${sim.url}/v1/orders/${orderNumber}`,
					skipped: false,
				}),
			]);

			const sent = sim.requests.slice(before.requests);
			const changes = sent.filter((r) => r.method !== 'GET' && r.path !== '/oauth/token').map((r) => `${r.method} ${r.path}`);
			const path = `/v1/sims/${write.iccid}`;
			expect(changes).toEqual([`PUT ${path}`, `POST ${path}/reset`, `POST ${path}/sms`, `POST ${path}/topup`]);
			// Top Up's guard (on by default) read the orders before the top-up was sent.
			const firstOrderRead = sent.findIndex((r) => r.method === 'GET' && r.path === '/v1/orders');
			expect(firstOrderRead).toBeGreaterThan(sent.findIndex((r) => r.method === 'POST' && r.path === `${path}/sms`));
			expect(firstOrderRead).toBeLessThan(sent.findIndex((r) => r.method === 'POST' && r.path === `${path}/topup`));
		});
	});
}
