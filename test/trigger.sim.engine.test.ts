/**
 * The 1NCE Trigger's SIM events polled through n8n's real PollContext against the simulator: each event once
 * per change, the baseline, thresholds crossed down and back, a scan spread over polls, restarts under each
 * way n8n keeps static data, copies and account changes, manual runs, throttled and failed pages, settings
 * refused before any request, and the request and size targets at 10,000 SIMs.
 */
import { OneNceApi } from '../credentials/OneNceApi.credentials';
import { OneNceTrigger } from '../nodes/OneNce/OneNceTrigger.node';
import { OWNER_KEY } from '../nodes/OneNce/trigger/persistence';
import { SIM_STATE_KEY } from '../nodes/OneNce/trigger/sim/simState';
import { STATE_KEY } from '../nodes/OneNce/trigger/state';
import { startSimulator, simRateLimitOf, type Simulator } from '../dev/simulator';
import { copyStaticData as copy, pollHost, type PollHost, type Saving } from './support/pollHost';
import { TRIGGER_EVENTS } from './support/triggerEvents';
import { resetProcessState, setClock } from '../nodes/OneNce/transport/processState';

const { createEngine } = require('../dev/engine/n8n-engine');

const engine = createEngine({ nodeTypes: { oneNceTrigger: new OneNceTrigger() }, credentialTypes: [new OneNceApi()] });
// The package's own durations (the SIM pacing window of 1 s, backoff) run 50 times faster; the simulator's SIM
// limit is compressed alike.
const SPEED = 50;
beforeAll(() => setClock({ speed: SPEED }));
afterAll(() => {
	setClock();
	engine.shutdown();
});

let sim: Simulator;
let credentials: object;
let credentialId = 0;

beforeEach(async () => {
	resetProcessState();
	sim = await startSimulator({ simRateLimit: simRateLimitOf(SPEED) });
	credentials = engine.store.add(String(++credentialId), 'oneNceApi', sim.credentialData());
});

afterEach(async () => {
	await sim.close();
	expect(sim.validationErrors).toEqual([]);
});

type StaticData = Record<string, any>;
type Params = Record<string, unknown>;
const simState = (data: StaticData) => data['node:Trigger']?.[SIM_STATE_KEY];
const simListRequests = () => sim.requests.filter((r) => r.method === 'GET' && r.path === '/v1/sims');
const pagesRead = () => simListRequests().map((r) => Number(r.query.page));

/** The trigger in one workflow of an n8n keeping static data as `saving` says (support/pollHost.ts). */
function host(parameters: Params, saving: Saving = 'onEmit', workflowId = 'wf-sims'): PollHost {
	return pollHost(engine, { name: 'Trigger', type: 'n8n-nodes-1nce.oneNceTrigger', parameters, credentials }, saving, workflowId);
}

const brief = (events: any[]) => events.map((e) => [e.event, e.iccid]);

describe('description', () => {
	it('offers the SIM events in the Event picker after the default Order Status Changed, thresholds only for their event', () => {
		const { description } = new OneNceTrigger();
		const event = description.properties.find((p) => p.name === 'event')!;
		expect(event.default).toBe('orderStatusChanged');
		const names = (event.options ?? []).map((o) => ('name' in o ? o.name : ''));
		expect(names).toEqual(TRIGGER_EVENTS.map(([, name]) => name));
		const shownFor = (name: string) => description.properties.find((p) => p.name === name)?.displayOptions?.show?.event;
		expect(shownFor('dataQuotaBelowMb')).toEqual(['dataQuotaBelow']);
		expect(shownFor('smsQuotaBelow')).toEqual(['smsQuotaBelow']);
		expect(shownFor('statuses')).toEqual(['orderStatusChanged']);
	});
});

describe('each event, once per change', () => {
	const cases: Array<[string, Params, (iccid: string) => void, Record<string, unknown>]> = [
		['simStatusChanged', {}, (iccid) => sim.updateSim(iccid, { status: 'Disabled' }), { previous_status: 'Enabled', status: 'Disabled' }],
		['dataQuotaStatusChanged', {}, (iccid) => sim.setSimQuota(iccid, { data: 50 }), { previous_quota_status: 0, quota_status: 1 }],
		['smsQuotaStatusChanged', {}, (iccid) => sim.setSimQuota(iccid, { sms: 0 }), { previous_quota_status: 0, quota_status: 2 }],
		['dataQuotaBelow', { dataQuotaBelowMb: 150 }, (iccid) => sim.setSimQuota(iccid, { data: 120 }), { threshold: 150, quota: 120 }],
		['smsQuotaBelow', { smsQuotaBelow: 20 }, (iccid) => sim.setSimQuota(iccid, { sms: 5 }), { threshold: 20, quota: 5 }],
	];

	it.each(cases)('%s: nothing at the baseline, one item for the change, nothing on the next poll', async (event, extra, change, fields) => {
		sim.seedSims(250, { enabledShare: 1 });
		const target = sim.sims[180];
		sim.setSimQuota(target.iccid, { data: 400, sms: 200 });
		const n8n = host({ event, ...extra });
		expect(await n8n.poll()).toEqual([]);
		expect(simState(n8n.database)).toMatchObject({ version: 1, generation: 1 });
		expect(n8n.database['node:Trigger'][OWNER_KEY]).toBe('wf-sims');
		// Other SIMs change in ways this event does not watch: no item for them.
		sim.updateSim(sim.sims[3].iccid, { label: 'renamed' });
		change(target.iccid);
		const [item, ...rest] = await n8n.poll();
		expect(rest).toEqual([]);
		expect(item).toMatchObject({ event, iccid: target.iccid, ...fields });
		expect(item.sim).toMatchObject({ iccid: target.iccid, label: target.label });
		expect(Date.parse(item.detected_at)).not.toBeNaN();
		expect(await n8n.poll()).toEqual([]);
		expect(n8n.results.at(-1)).toBeNull();
	});

	it('newSim: a SIM added to the account, once; the baseline SIMs are not new', async () => {
		sim.seedSims(150);
		const n8n = host({ event: 'newSim' });
		expect(await n8n.poll()).toEqual([]);
		const added = sim.addSim({ label: 'fresh' });
		expect(brief(await n8n.poll())).toEqual([['newSim', added.iccid]]);
		expect(await n8n.poll()).toEqual([]);
	});

	it('an event not picked is recorded, never reported later when the trigger is switched to it', async () => {
		sim.seedSims(50, { enabledShare: 1 });
		const n8n = host({ event: 'newSim' });
		await n8n.poll();
		sim.updateSim(sim.sims[7].iccid, { status: 'Disabled' });
		expect(await n8n.poll()).toEqual([]);
		const switched = host({ event: 'simStatusChanged' });
		switched.seed(n8n.database);
		expect(await switched.poll()).toEqual([]);
	});
});

describe('quota below a threshold', () => {
	it('fires once on the way down, not while it stays below, again only after it was back above', async () => {
		sim.seedSims(20);
		const iccid = sim.sims[4].iccid;
		sim.setSimQuota(iccid, { data: 300 });
		const n8n = host({ event: 'dataQuotaBelow', dataQuotaBelowMb: 100 });
		await n8n.poll();
		sim.setSimQuota(iccid, { data: 90 });
		expect(brief(await n8n.poll())).toEqual([['dataQuotaBelow', iccid]]);
		sim.setSimQuota(iccid, { data: 40 });
		expect(await n8n.poll()).toEqual([]);
		sim.setSimQuota(iccid, { data: 250 });
		expect(await n8n.poll()).toEqual([]);
		sim.setSimQuota(iccid, { data: 10 });
		expect(await n8n.poll()).toMatchObject([{ event: 'dataQuotaBelow', iccid, quota: 10, threshold: 100 }]);
	});

	it('a SIM already below at the baseline, or when the threshold is raised, does not fire', async () => {
		sim.seedSims(20);
		const [low, mid] = [sim.sims[2].iccid, sim.sims[9].iccid];
		sim.setSimQuota(low, { data: 20 });
		sim.setSimQuota(mid, { data: 150 });
		const n8n = host({ event: 'dataQuotaBelow', dataQuotaBelowMb: 100 });
		await n8n.poll();
		expect(await n8n.poll()).toEqual([]);
		const raised = host({ event: 'dataQuotaBelow', dataQuotaBelowMb: 200 });
		raised.seed(n8n.database);
		expect(await raised.poll()).toEqual([]);
		sim.setSimQuota(mid, { data: 300 });
		await raised.poll();
		sim.setSimQuota(mid, { data: 180 });
		expect(brief(await raised.poll())).toEqual([['dataQuotaBelow', mid]]);
	});
});

describe('a list longer than one poll’s requests', () => {
	it('carries the scan over polls, takes the whole baseline silently, then reports each change once', async () => {
		sim.seedSims(450, { enabledShare: 1 });
		const n8n = host({ event: 'simStatusChanged', options: { requestsPerPoll: 2 } });
		const scan: number[][] = [];
		for (let i = 0; i < 3; i++) {
			sim.resetCounts();
			expect(await n8n.poll()).toEqual([]);
			scan.push(pagesRead());
		}
		expect(scan).toEqual([[1, 2], [3, 4], [5]]);
		expect(simState(n8n.database).baselineIncomplete).toBeUndefined();
		// A change on the last page is reported when that page is read, two polls on.
		sim.updateSim(sim.sims[440].iccid, { status: 'Disabled' });
		expect(await n8n.poll()).toEqual([]);
		expect(await n8n.poll()).toEqual([]);
		expect(brief(await n8n.poll())).toEqual([['simStatusChanged', sim.sims[440].iccid]]);
		for (let i = 0; i < 3; i++) expect(await n8n.poll()).toEqual([]);
	});

	it('never reports a SIM as new because the list moved under a scan', async () => {
		sim.seedSims(450);
		const n8n = host({ event: 'newSim', options: { requestsPerPoll: 2 } });
		for (let i = 0; i < 3; i++) await n8n.poll();
		// SIMs removed in front while the scan runs move others onto pages already read; added ones are new.
		const added: string[] = [];
		for (let i = 0; i < 9; i++) {
			sim.removeSim(sim.sims[i * 7].iccid);
			if (i % 3 === 0) added.push(sim.addSim().iccid);
			const events = await n8n.poll();
			expect(events.every((e) => added.includes(e.iccid))).toBe(true);
			events.forEach((e) => added.splice(added.indexOf(e.iccid), 1, `reported ${e.iccid}`));
		}
		for (let i = 0; i < 6; i++) await n8n.poll();
		expect(added.every((entry) => entry.startsWith('reported '))).toBe(true);
	});

	it('the worst poll at 10,000 SIMs: the whole list in one poll within the default requests, under 64 KB of state', async () => {
		sim.seedSims(10_000);
		const n8n = host({ event: 'dataQuotaBelow', dataQuotaBelowMb: 50 });
		await n8n.poll();
		expect(simListRequests()).toHaveLength(100);
		expect(simState(n8n.database).scan).toBeUndefined();
		const bytes = Buffer.byteLength(JSON.stringify(n8n.database['node:Trigger']));
		expect(bytes).toBeLessThan(64 * 1024);
		sim.resetCounts();
		sim.setSimQuota(sim.sims[9_876].iccid, { data: 400 });
		await n8n.poll();
		sim.setSimQuota(sim.sims[9_876].iccid, { data: 5 });
		expect(brief(await n8n.poll())).toEqual([['dataQuotaBelow', sim.sims[9_876].iccid]]);
		expect(simListRequests()).toHaveLength(200);
	});
});

describe('exactly once across restarts', () => {
	describe.each(['onEmit', 'reloadEveryPoll'] as const)('n8n saving static data %s', (saving) => {
		it('keeps a quiet poll’s "back above" so that the next drop fires after a restart (empty execution)', async () => {
			sim.seedSims(30);
			const iccid = sim.sims[12].iccid;
			sim.setSimQuota(iccid, { data: 60 });
			const n8n = host({ event: 'dataQuotaBelow', dataQuotaBelowMb: 100 }, saving);
			await n8n.poll();
			sim.setSimQuota(iccid, { data: 300 });
			expect(await n8n.poll()).toEqual([]);
			expect(n8n.results.at(-1)).toEqual([[]]);
			n8n.restart();
			sim.setSimQuota(iccid, { data: 70 });
			expect(brief(await n8n.poll())).toEqual([['dataQuotaBelow', iccid]]);
			n8n.restart();
			expect(await n8n.poll()).toEqual([]);
		});

		it('moves a scan spread over polls on across restarts, and a quiet full read ends without an execution', async () => {
			sim.seedSims(450);
			const n8n = host({ event: 'newSim', options: { requestsPerPoll: 2 } }, saving);
			for (let i = 0; i < 3; i++) {
				await n8n.poll();
				n8n.restart();
			}
			expect(simState(n8n.database).baselineIncomplete).toBeUndefined();
			const added = sim.addSim();
			const seen: string[] = [];
			for (let i = 0; i < 3; i++) {
				seen.push(...(await n8n.poll()).map((e) => e.iccid));
				n8n.restart();
			}
			expect(seen).toEqual([added.iccid]);
		});
	});

	it('with Save State Without Items "Never": no empty execution, and the drop after a restart goes unreported', async () => {
		sim.seedSims(30);
		const iccid = sim.sims[12].iccid;
		sim.setSimQuota(iccid, { data: 60 });
		const n8n = host({ event: 'dataQuotaBelow', dataQuotaBelowMb: 100, options: { saveStateWithoutItems: 'never' } });
		await n8n.poll();
		sim.setSimQuota(iccid, { data: 300 });
		expect(await n8n.poll()).toEqual([]);
		expect(n8n.results.at(-1)).toBeNull();
		n8n.restart();
		sim.setSimQuota(iccid, { data: 70 });
		expect(await n8n.poll()).toEqual([]);
	});

	it('with durable poll cursors: no empty execution, and the drop after a restart fires', async () => {
		sim.seedSims(30);
		const iccid = sim.sims[12].iccid;
		sim.setSimQuota(iccid, { data: 60 });
		const n8n = host({ event: 'dataQuotaBelow', dataQuotaBelowMb: 100 }, 'durable');
		await n8n.poll();
		sim.setSimQuota(iccid, { data: 300 });
		expect(await n8n.poll()).toEqual([]);
		expect(n8n.results.at(-1)).toBeNull();
		sim.setSimQuota(iccid, { data: 70 });
		expect(brief(await n8n.poll())).toEqual([['dataQuotaBelow', iccid]]);
	});
});

describe('state that is not this trigger’s', () => {
	it('a copy of the workflow records its own baseline rather than report what the original saw', async () => {
		sim.seedSims(40, { enabledShare: 1 });
		const original = host({ event: 'simStatusChanged' });
		await original.poll();
		sim.updateSim(sim.sims[5].iccid, { status: 'Disabled' });
		const copied = host({ event: 'simStatusChanged' }, 'onEmit', 'wf-copy');
		copied.seed(original.database);
		expect(await copied.poll()).toEqual([]);
		expect(copied.database['node:Trigger'][OWNER_KEY]).toBe('wf-copy');
		expect(brief(await original.poll())).toEqual([['simStatusChanged', sim.sims[5].iccid]]);
	});

	it('a state built for another account is a new baseline', async () => {
		sim.seedSims(40, { enabledShare: 1 });
		const n8n = host({ event: 'simStatusChanged' });
		await n8n.poll();
		const other = copy(n8n.database);
		other['node:Trigger'][SIM_STATE_KEY].account = 'someone else';
		n8n.seed(other);
		sim.updateSim(sim.sims[5].iccid, { status: 'Disabled' });
		expect(await n8n.poll()).toEqual([]);
		expect(simState(n8n.database).account).not.toBe('someone else');
	});

	it('leaves the order trigger’s state alone', async () => {
		sim.seedSims(10);
		const n8n = host({ event: 'newSim' });
		n8n.seed({ 'node:Trigger': { [STATE_KEY]: { kept: true } } });
		await n8n.poll();
		expect(n8n.database['node:Trigger'][STATE_KEY]).toEqual({ kept: true });
	});
});

describe('manual run (Fetch Test Event)', () => {
	it('shows a SIM of the first page as the event reports it, preferring one for which it would fire; stores nothing', async () => {
		sim.seedSims(150);
		const low = sim.sims[42].iccid;
		sim.sims.forEach((s) => sim.setSimQuota(s.iccid, { data: 400 }));
		sim.setSimQuota(low, { data: 30 });
		const n8n = host({ event: 'dataQuotaBelow', dataQuotaBelowMb: 100 });
		const [sample, ...rest] = await n8n.poll('manual');
		expect(rest).toEqual([]);
		expect(sample).toMatchObject({ event: 'dataQuotaBelow', iccid: low, threshold: 100, quota: 30, sim: { iccid: low } });
		expect(pagesRead()).toEqual([1]);
		expect(n8n.database).toEqual({});
	});

	it('no SIMs: nothing', async () => {
		sim.seedSims(0);
		expect(await host({ event: 'newSim' }).poll('manual')).toEqual([]);
	});
});

describe('failures', () => {
	it('a throttled page is asked again: nothing lost, nothing twice', async () => {
		sim.seedSims(350, { enabledShare: 1 });
		const n8n = host({ event: 'simStatusChanged' });
		await n8n.poll();
		sim.updateSim(sim.sims[250].iccid, { status: 'Disabled' });
		sim.injectFault({ kind: 429, method: 'GET', path: '/v1/sims', retryAfter: 0 });
		sim.resetCounts();
		expect(brief(await n8n.poll())).toEqual([['simStatusChanged', sim.sims[250].iccid]]);
		expect(pagesRead()).toEqual([1, 1, 2, 3, 4]);
		expect(await n8n.poll()).toEqual([]);
	});

	it('a page that keeps failing fails the poll and stores nothing; the next poll reports the change once', async () => {
		sim.seedSims(350, { enabledShare: 1 });
		const n8n = host({ event: 'simStatusChanged' });
		await n8n.poll();
		const before = copy(n8n.database);
		sim.updateSim(sim.sims[10].iccid, { status: 'Disabled' });
		// Page 1 answers (its change is seen), then page 3 fails beyond the retries.
		const stop = sim.onRequest((entry) => {
			if (entry.path === '/v1/sims' && entry.query.page === '3') sim.injectFault({ kind: 500, path: '/v1/sims' });
		});
		await expect(n8n.poll()).rejects.toThrow();
		stop();
		expect(n8n.database).toEqual(before);
		expect(brief(await n8n.poll())).toEqual([['simStatusChanged', sim.sims[10].iccid]]);
		expect(await n8n.poll()).toEqual([]);
	});

	it.each([
		[{ event: 'dataQuotaBelow', dataQuotaBelowMb: -1 }, /Data Quota Below must be 0 or a positive number/],
		[{ event: 'smsQuotaBelow', smsQuotaBelow: '' }, /SMS Quota Below needs a threshold/],
		[{ event: 'newSim', options: { requestsPerPoll: 1 } }, /Requests per Poll must be a whole number from 2/],
	])('%j is refused before any request', async (parameters, message) => {
		sim.seedSims(5);
		await expect(host(parameters).poll()).rejects.toThrow(message);
		expect(sim.requests).toEqual([]);
	});
});
