/**
 * Pure tests of the SIM trigger's core (no HTTP, no n8n): the packed state, the events, and whole polls over
 * an in-memory SIM list of 100 a page whose pages shift while a scan runs.
 */
import type { Sim, SimPage } from '../nodes/OneNce/transport/sims';
import { stateAccount, stateBytes } from '../nodes/OneNce/trigger/state';
import { packSet, unpackSet } from '../nodes/OneNce/trigger/sim/simCodec';
import type { SimEvent, SimRecord } from '../nodes/OneNce/trigger/sim/simEvents';
import { simCount, simNextPage, simPollStep, type SimPollResult } from '../nodes/OneNce/trigger/sim/simPoll';
import { endsList } from '../nodes/OneNce/trigger/sim/simScan';
import {
	buildSimSettings,
	SIM_EVENTS,
	type SimEventType,
	type SimTriggerSettings,
} from '../nodes/OneNce/trigger/sim/simSettings';
import { parseSimState, SIM_STATE_KEY, type SimState } from '../nodes/OneNce/trigger/sim/simState';
import { fingerprint, packRecord, unpackRecord } from '../nodes/OneNce/trigger/sim/simTable';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createPrng } = require('../dev/simulator/prng');

const ACCOUNT = stateAccount({ baseUrl: 'http://127.0.0.1:1', username: 'user' }).key;
const BLOCK = 8988228066600000000n;
const T0 = Date.parse('2026-01-01T00:00:00.000Z');
/** Two ICCIDs with one fingerprint (found by search; see docs/sim-trigger.md on collisions). */
const TWINS = ['8988228066636466995', '8988228066645589683'];

const iccidAt = (i: number): string => String(BLOCK + BigInt(i));

function makeSim(iccid: string, over: Partial<Sim> = {}): Sim {
	return {
		iccid,
		status: 'Enabled',
		current_quota: 500,
		quota_status: { id: 0, description: 'more than 20%' },
		current_quota_SMS: 250,
		quota_status_SMS: { id: 0 },
		label: `L-${iccid.slice(-4)}`,
		...over,
	};
}

/** A SIM list served 100 a page with 1NCE's headers. */
class SimList {
	constructor(public sims: Sim[]) {}

	page(page: number): SimPage {
		const sims = this.sims.slice((page - 1) * 100, page * 100).map((sim) => structuredClone(sim));
		const totalPages = Math.ceil(this.sims.length / 100);
		return { page, sims, totalPages, totalCount: this.sims.length, isLast: page >= totalPages };
	}

	find(iccid: string): Sim {
		const sim = this.sims.find((s) => s.iccid === iccid);
		if (!sim) throw new Error(`no SIM ${iccid}`);
		return sim;
	}
}

const ALL = buildSimSettings({ events: Object.keys(SIM_EVENTS), dataQuotaBelowMb: 100, smsQuotaBelow: 10 });

interface Poller {
	stored: unknown;
	polls: SimPollResult[];
	clock: number;
}

/** One poll as a node would run it: pages from simNextPage() on, at most `budget`, then the pure step. */
function poll(
	list: SimList,
	poller: Poller,
	{
		budget = Infinity,
		settings = ALL,
		before,
	}: { budget?: number; settings?: SimTriggerSettings; before?: (page: number) => void } = {},
): SimPollResult {
	const pages: SimPage[] = [];
	let page = simNextPage(poller.stored, ACCOUNT);
	while (pages.length < budget) {
		before?.(page);
		const read = list.page(page);
		pages.push(read);
		if (endsList(read)) break;
		page++;
	}
	poller.clock += 60_000;
	const result = simPollStep({ stored: poller.stored, account: ACCOUNT, pages, settings, now: poller.clock });
	// What n8n stores is JSON.
	if (result.changed) poller.stored = JSON.parse(JSON.stringify(result.state));
	poller.polls.push(result);
	return result;
}

const newPoller = (): Poller => ({ stored: undefined, polls: [], clock: T0 });
const kinds = (events: SimEvent[]) => events.map((e) => `${e.event}:${e.iccid}`);

describe('packed sets (simCodec)', () => {
	test.each([
		['empty', []],
		['one', [BLOCK]],
		['a block', Array.from({ length: 500 }, (_, i) => BLOCK + BigInt(i))],
		['blocks far apart', [1n, 2n, 3n, 10n ** 19n, 10n ** 19n + 1n, 2n ** 70n]],
		['zero', [0n, 1n, 5n]],
	])('%s comes back as it went in', (_name, values) => {
		const packed = packSet(values);
		expect(unpackSet(JSON.parse(JSON.stringify(packed)), values.length)).toEqual(values);
	});

	test('random 32-bit values come back, at about 21 bits each for 10,000', () => {
		const prng = createPrng('codec');
		const values = [...new Set(Array.from({ length: 10_000 }, () => BigInt(prng.int(0, 2 ** 32 - 1))))].sort((a, b) =>
			a < b ? -1 : 1,
		);
		const packed = packSet(values);
		expect(unpackSet(packed, values.length)).toEqual(values);
		expect((packed.gaps.length * 6) / values.length).toBeLessThan(22);
	});

	test('consecutive ICCIDs cost one bit each', () => {
		const packed = packSet(Array.from({ length: 6000 }, (_, i) => BLOCK + BigInt(i)));
		expect(packed.gaps.length).toBe(1000);
	});

	test('a damaged text is refused, not misread', () => {
		const packed = packSet([1n, 2n, 3n]);
		expect(() => unpackSet({ ...packed, gaps: '' }, 3)).toThrow();
		expect(() => unpackSet({ ...packed, gaps: '!!' }, 3)).toThrow();
		expect(() => unpackSet({ ...packed, first: undefined }, 3)).toThrow();
	});
});

describe('SIM records', () => {
	test('every record packs to two characters and back', () => {
		for (let status = 0; status < 4; status++) {
			for (let data = 0; data < 4; data++) {
				for (let below = 0; below < 3; below++) {
					const record: SimRecord = {
						status,
						data,
						sms: 3 - data,
						dataBelow: below,
						smsBelow: 2 - below,
						seen: status % 2 === 0,
						missed: data % 2 === 1,
					};
					const text = packRecord(record);
					expect(text).toHaveLength(2);
					expect(unpackRecord(text)).toEqual(record);
				}
			}
		}
		expect(packRecord({ status: 0, data: 0, sms: 0, dataBelow: 1, smsBelow: 1, seen: false, missed: false })).toBe(
			'AU',
		);
		expect(unpackRecord('A_')).toBeUndefined();
	});
});

describe('settings', () => {
	test('a Below event needs its threshold, and thresholds are 0 or more', () => {
		expect(() => buildSimSettings({ events: ['dataQuotaBelow'] })).toThrow('Data Quota Below needs a threshold');
		expect(() => buildSimSettings({ events: ['smsQuotaBelow'], smsQuotaBelow: -1 })).toThrow('0 or a positive number');
		expect(() => buildSimSettings({ events: ['nope'] })).toThrow('Unknown SIM event');
		expect(() => buildSimSettings({ events: ['toString'] })).toThrow('Unknown SIM event');
		expect(buildSimSettings({ events: 'newSim' }).thresholds).toEqual({ dataMb: null, sms: null });
	});
});

describe('events', () => {
	function steady(count = 3) {
		const list = new SimList(Array.from({ length: count }, (_, i) => makeSim(iccidAt(i))));
		const poller = newPoller();
		const first = poll(list, poller);
		return { list, poller, first };
	}

	test('the first poll is a baseline: no event, state bound to the account', () => {
		const { poller, first } = steady();
		expect(first.events).toEqual([]);
		expect(first.notes.adopted).toBe(3);
		expect(first.scanCompleted).toBe(true);
		expect(first.state).toMatchObject({ version: 1, account: ACCOUNT, keys: 'iccid', count: 3, first: iccidAt(0) });
		expect(first.state.baselineIncomplete).toBeUndefined();
		expect(parseSimState(poller.stored, ACCOUNT)).toBeDefined();
		expect(parseSimState(poller.stored, stateAccount({ baseUrl: 'http://127.0.0.1:1', username: 'other' }).key)).toBeUndefined();
	});

	test('SIM Status Changed fires once, with the status before', () => {
		const { list, poller } = steady();
		list.find(iccidAt(1)).status = 'Disabled';
		const changed = poll(list, poller);
		expect(changed.events).toEqual([
			expect.objectContaining({
				event: 'simStatusChanged',
				iccid: iccidAt(1),
				previous_status: 'Enabled',
				status: 'Disabled',
			}),
		]);
		expect(changed.events[0].sim).toMatchObject({
			iccid: iccidAt(1),
			status: 'Disabled',
			label: `L-${iccidAt(1).slice(-4)}`,
		});
		expect(poll(list, poller).events).toEqual([]);
		list.find(iccidAt(1)).status = 'Enabled';
		expect(poll(list, poller).events).toEqual([
			expect.objectContaining({ previous_status: 'Disabled', status: 'Enabled' }),
		]);
	});

	test('a status outside the spec is a change too; leaving it, the status before is null', () => {
		const { list, poller } = steady();
		list.find(iccidAt(0)).status = 'Suspended';
		expect(poll(list, poller).events).toEqual([
			expect.objectContaining({ event: 'simStatusChanged', previous_status: 'Enabled', status: 'Suspended' }),
		]);
		list.find(iccidAt(0)).status = 'disabled';
		expect(poll(list, poller).events).toEqual([
			expect.objectContaining({ event: 'simStatusChanged', previous_status: null, status: 'disabled' }),
		]);
		list.find(iccidAt(0)).status = 'Disabled';
		expect(poll(list, poller).events).toEqual([]);
	});

	test('Data and SMS Quota Status Changed carry the ids before and after', () => {
		const { list, poller } = steady();
		list.find(iccidAt(0)).quota_status = { id: 1 };
		list.find(iccidAt(2)).quota_status_SMS = { id: 2 };
		expect(poll(list, poller).events).toEqual([
			expect.objectContaining({
				event: 'dataQuotaStatusChanged',
				iccid: iccidAt(0),
				previous_quota_status: 0,
				quota_status: 1,
			}),
			expect.objectContaining({
				event: 'smsQuotaStatusChanged',
				iccid: iccidAt(2),
				previous_quota_status: 0,
				quota_status: 2,
			}),
		]);
		expect(poll(list, poller).events).toEqual([]);
	});

	test('a field missing or outside the spec tells nothing: no event, the record keeps its value', () => {
		const { list, poller } = steady();
		const sim = list.find(iccidAt(0));
		delete sim.status;
		sim.quota_status = { id: 7 };
		sim.current_quota = 'lots';
		expect(poll(list, poller).events).toEqual([]);
		sim.status = 'Disabled';
		sim.quota_status = { id: 1 };
		expect(kinds(poll(list, poller).events)).toEqual([
			`simStatusChanged:${iccidAt(0)}`,
			`dataQuotaStatusChanged:${iccidAt(0)}`,
		]);
	});

	test('Data Quota Below fires on the way down, once, and again only after the SIM was back above', () => {
		const { list, poller } = steady();
		const sim = list.find(iccidAt(0));
		const step = (mb: number) => {
			sim.current_quota = mb;
			return poll(list, poller).events.filter((e) => e.event === 'dataQuotaBelow');
		};
		expect(step(99.5)).toEqual([expect.objectContaining({ iccid: iccidAt(0), threshold: 100, quota: 99.5 })]);
		expect(step(50)).toEqual([]);
		expect(step(0)).toEqual([]);
		expect(step(100)).toEqual([]);
		expect(step(80)).toHaveLength(1);
		expect(step(200)).toEqual([]);
		expect(step(1)).toHaveLength(1);
	});

	test('SMS Quota Below works the same on current_quota_SMS', () => {
		const { list, poller } = steady();
		list.find(iccidAt(2)).current_quota_SMS = 9;
		expect(poll(list, poller).events).toEqual([
			expect.objectContaining({ event: 'smsQuotaBelow', iccid: iccidAt(2), threshold: 10, quota: 9 }),
		]);
		list.find(iccidAt(2)).current_quota_SMS = 3;
		expect(poll(list, poller).events).toEqual([]);
	});

	test('a changed threshold is learnt again without events: SIMs already below it do not fire', () => {
		const { list, poller } = steady();
		list.find(iccidAt(0)).current_quota = 300;
		const higher = buildSimSettings({ events: ['dataQuotaBelow'], dataQuotaBelowMb: 400 });
		expect(poll(list, poller, { settings: higher }).events).toEqual([]);
		list.find(iccidAt(0)).current_quota = 250;
		expect(poll(list, poller, { settings: higher }).events).toEqual([]);
		list.find(iccidAt(1)).current_quota = 399;
		expect(kinds(poll(list, poller, { settings: higher }).events)).toEqual([`dataQuotaBelow:${iccidAt(1)}`]);
	});

	test('New SIM fires once for a SIM that appears, and its first values are taken without other events', () => {
		const { list, poller } = steady();
		list.sims.splice(1, 0, makeSim(iccidAt(1000), { status: 'Disabled', current_quota: 1 }));
		expect(kinds(poll(list, poller).events)).toEqual([`newSim:${iccidAt(1000)}`]);
		expect(poll(list, poller).events).toEqual([]);
	});

	test('events left out by the settings are still recorded, so never reported later', () => {
		const { list, poller } = steady();
		list.find(iccidAt(0)).status = 'Disabled';
		const onlyNew = buildSimSettings({ events: ['newSim'] });
		expect(poll(list, poller, { settings: onlyNew }).events).toEqual([]);
		expect(poll(list, poller).events).toEqual([]);
	});

	test('items without a usable ICCID are counted and skipped', () => {
		const { list, poller } = steady();
		list.sims.push({ status: 'Enabled' } as Sim, { iccid: 8988 } as unknown as Sim, makeSim(' '));
		const result = poll(list, poller);
		expect(result.notes.unreadable).toBe(3);
		expect(result.events).toEqual([]);
	});

	test('an empty account completes its scan at once', () => {
		const poller = newPoller();
		const result = poll(new SimList([]), poller);
		expect(result).toMatchObject({ events: [], scanCompleted: true, nextPage: 1 });
		expect(result.state.count).toBe(0);
		const later = poll(new SimList([makeSim(iccidAt(5))]), poller);
		expect(kinds(later.events)).toEqual([`newSim:${iccidAt(5)}`]);
	});
});

describe('stored state', () => {
	test('another account or an unreadable state means a new baseline, with the reason', () => {
		const list = new SimList([makeSim(iccidAt(0))]);
		const poller = newPoller();
		poll(list, poller);
		const other = simPollStep({
			stored: poller.stored,
			account: 'other',
			pages: [list.page(1)],
			settings: ALL,
			now: T0,
		});
		expect(other.notes.ignoredState).toBe('it was built for another account (Base URL or user changed)');
		expect(other.notes.adopted).toBe(1);
		expect(other.state.account).toBe('other');
		expect(other.state.generation).toBe((poller.stored as SimState).generation);
		const damaged = { ...(poller.stored as SimState), records: 'A' };
		expect(
			simPollStep({ stored: damaged, account: ACCOUNT, pages: [], settings: ALL, now: T0 }).notes.ignoredState,
		).toBe('it is unreadable');
	});

	test('a poll that read nothing changes nothing; a quiet poll that completes a scan reports a change', () => {
		const list = new SimList([makeSim(iccidAt(0))]);
		const poller = newPoller();
		poll(list, poller);
		expect(simPollStep({ stored: poller.stored, account: ACCOUNT, pages: [], settings: ALL, now: T0 }).changed).toBe(
			false,
		);
		expect(poll(list, poller).changed).toBe(true);
	});

	test('pages must follow on from nextPage', () => {
		const list = new SimList(Array.from({ length: 250 }, (_, i) => makeSim(iccidAt(i))));
		expect(() =>
			simPollStep({ stored: undefined, account: ACCOUNT, pages: [list.page(2)], settings: ALL, now: T0 }),
		).toThrow('page 1');
		expect(() =>
			simPollStep({ stored: undefined, account: ACCOUNT, pages: [list.page(1), list.page(3)], settings: ALL, now: T0 }),
		).toThrow('without a gap');
	});
});

describe('resumable scan', () => {
	function spread(count: number) {
		const list = new SimList(Array.from({ length: count }, (_, i) => makeSim(iccidAt(i))));
		const poller = newPoller();
		return { list, poller };
	}

	test('a scan spread over polls carries on where it stopped and reports changes as their pages are read', () => {
		const { list, poller } = spread(1000);
		const baseline = [1, 2, 3, 4].map(() => poll(list, poller, { budget: 3 }));
		expect(baseline.map((r) => r.nextPage)).toEqual([4, 7, 10, 1]);
		expect(baseline.map((r) => r.scanCompleted)).toEqual([false, false, false, true]);
		expect(baseline.flatMap((r) => r.events)).toEqual([]);
		list.find(iccidAt(950)).status = 'Disabled';
		list.find(iccidAt(50)).status = 'Disabled';
		const first = poll(list, poller, { budget: 3 });
		expect(kinds(first.events)).toEqual([`simStatusChanged:${iccidAt(50)}`]);
		expect(poll(list, poller, { budget: 3 }).events).toEqual([]);
		expect(poll(list, poller, { budget: 3 }).events).toEqual([]);
		expect(kinds(poll(list, poller, { budget: 3 }).events)).toEqual([`simStatusChanged:${iccidAt(950)}`]);
	});

	test('SIMs added in front while a scan runs push SIMs onto pages read again: nothing is reported twice or falsely', () => {
		const { list, poller } = spread(500);
		while (!poll(list, poller, { budget: 2 }).scanCompleted);
		list.find(iccidAt(450)).status = 'Disabled';
		const added: string[] = [];
		const results = [];
		do {
			results.push(
				poll(list, poller, {
					budget: 2,
					before: () => {
						const iccid = iccidAt(2000 + added.length);
						added.push(iccid);
						list.sims.unshift(makeSim(iccid));
					},
				}),
			);
		} while (!results[results.length - 1].scanCompleted);
		const events = results.flatMap((r) => r.events);
		expect(events.filter((e) => e.event === 'simStatusChanged').map((e) => e.iccid)).toEqual([iccidAt(450)]);
		const reportedNew = events.filter((e) => e.event === 'newSim').map((e) => e.iccid);
		expect(new Set(reportedNew).size).toBe(reportedNew.length);
		// Added in front of pages already read: found by the next scan, each once.
		while (!poll(list, poller).scanCompleted);
		const later = poller.polls.slice(-1).flatMap((r) => r.events);
		expect([...reportedNew, ...later.map((e) => e.iccid)].sort()).toEqual([...added].sort());
		expect(later.every((e) => e.event === 'newSim')).toBe(true);
	});

	test('SIMs removed while a scan runs pull a SIM onto a page already read: it is not lost, not new, not changed', () => {
		const { list, poller } = spread(500);
		while (!poll(list, poller, { budget: 2 }).scanCompleted);
		// Removing one SIM before page 3 moves the SIM at index 200 onto page 2, which this scan has read.
		const skipped = list.sims[200].iccid as string;
		const first = poll(list, poller, { budget: 2 });
		list.sims.splice(10, 1);
		const rest = [poll(list, poller, { budget: 2 }), poll(list, poller, { budget: 2 })];
		expect(rest[1].scanCompleted).toBe(true);
		expect([first, ...rest].flatMap((r) => r.events)).toEqual([]);
		expect(rest[1].notes.dropped).toBe(0);
		// Still known: the next scan reads it without calling it new; a change of it is reported.
		list.find(skipped).status = 'Disabled';
		const next = [poll(list, poller), poll(list, poller)];
		expect(next.flatMap((r) => kinds(r.events))).toEqual([`simStatusChanged:${skipped}`]);
		// The removed SIM goes after a second completed scan without it, silently.
		expect(next[0].notes.dropped + next[1].notes.dropped).toBe(1);
		expect(simCount(next[1].state)).toBe(499);
	});

	test('a SIM passed over by two scans in a row, each while the list moved, is kept: not dropped, not new', () => {
		const { list, poller } = spread(300);
		poll(list, poller);
		const passedOver = list.sims[200].iccid as string;
		const scanPassingOver = () => {
			const first = poll(list, poller, { budget: 2 });
			list.sims.splice(0, 1);
			const last = poll(list, poller, { budget: 2 });
			expect([first.scanCompleted, last.scanCompleted]).toEqual([false, true]);
			return [first, last];
		};
		const a = scanPassingOver();
		list.sims.unshift(makeSim(iccidAt(9000)));
		const b = scanPassingOver();
		expect(list.sims.findIndex((s) => s.iccid === passedOver)).toBe(199);
		const c = [poll(list, poller), poll(list, poller)];
		const all = [...a, ...b, ...c];
		expect(all.flatMap((r) => kinds(r.events))).toEqual([`newSim:${iccidAt(9000)}`]);
		// The two SIMs really removed go once two scans of a list standing still missed them.
		expect(all.map((r) => r.notes.dropped)).toEqual([0, 0, 0, 0, 0, 2]);
	});

	test('a SIM that leaves is dropped after two scans without it; coming back it is a New SIM', () => {
		const { list, poller } = spread(3);
		poll(list, poller);
		const [gone] = list.sims.splice(1, 1);
		expect(poll(list, poller).notes.dropped).toBe(0);
		expect(poll(list, poller).notes.dropped).toBe(1);
		list.sims.push(gone);
		expect(kinds(poll(list, poller).events)).toEqual([`newSim:${gone.iccid}`]);
	});

	test('a baseline during which the list changed length stays open: a SIM it passed over is not reported as new', () => {
		const { list, poller } = spread(300);
		const passedOver = list.sims[200].iccid as string;
		poll(list, poller, { budget: 2 });
		list.sims.splice(0, 1);
		const end = poll(list, poller, { budget: 2 });
		expect(end.scanCompleted).toBe(true);
		expect(end.state.baselineIncomplete).toBe(true);
		const second = poll(list, poller);
		expect(second.events).toEqual([]);
		expect(second.notes.adopted).toBe(1);
		expect(second.state.baselineIncomplete).toBeUndefined();
		list.sims.push(makeSim(iccidAt(7000)));
		expect(kinds(poll(list, poller).events)).toEqual([`newSim:${iccidAt(7000)}`]);
		expect(kinds(poller.polls.flatMap((r) => r.events))).not.toContain(`newSim:${passedOver}`);
	});

	test.each([
		['exact keys', []],
		// One ICCID that is not plain digits puts the state on fingerprints.
		['fingerprints', [makeSim('8988X')]],
	])(
		'soak with %s: SIMs added, removed and changed between pages; every event is true, none lost or doubled',
		(keys, extra) => {
			const prng = createPrng('sim-soak');
			const list = new SimList([...Array.from({ length: 450 }, (_, i) => makeSim(iccidAt(i * 3))), ...extra]);
			const poller = newPoller();
			const original = new Set(list.sims.map((s) => s.iccid));
			while (!poll(list, poller, { budget: 2 }).scanCompleted);
			expect(poller.polls.flatMap((r) => r.events)).toEqual([]);
			const told = new Map(list.sims.map((s) => [s.iccid as string, s.status as string]));
			const added = new Set<string>();
			let next = 5000;
			const mutate = () => {
				const roll = prng.next();
				if (roll < 0.1) {
					const iccid = iccidAt(next++);
					added.add(iccid);
					list.sims.splice(prng.int(0, list.sims.length), 0, makeSim(iccid));
				} else if (roll < 0.2 && list.sims.length > 200) {
					list.sims.splice(prng.int(0, list.sims.length - 1), 1);
				} else if (roll < 0.5) {
					const sim = prng.pick(list.sims);
					sim.status = sim.status === 'Enabled' ? 'Disabled' : 'Enabled';
				}
			};
			const check = (events: SimEvent[]) => {
				for (const e of events) {
					if (e.event === 'newSim') {
						expect(original.has(e.iccid) || told.has(e.iccid)).toBe(false);
						expect(added.has(e.iccid)).toBe(true);
						told.set(e.iccid, e.sim.status as string);
					} else if (e.event === 'simStatusChanged') {
						expect(e.previous_status).toBe(told.get(e.iccid));
						told.set(e.iccid, e.status as string);
					}
				}
			};
			for (let i = 0; i < 120; i++) check(poll(list, poller, { budget: 2, before: mutate }).events);
			let completed = 0;
			while (completed < 3) {
				const quiet = poll(list, poller, { budget: 2 });
				check(quiet.events);
				if (quiet.scanCompleted) completed++;
			}
			for (const sim of list.sims) expect([sim.iccid, told.get(sim.iccid as string)]).toEqual([sim.iccid, sim.status]);
			const final = poller.polls[poller.polls.length - 1].state;
			expect(final.keys).toBe(keys === 'exact keys' ? 'iccid' : 'fnv32');
			expect(simCount(final)).toBe(list.sims.length);
			expect(poller.polls.flatMap((r) => r.notes.collisions)).toEqual([]);
		},
	);
});

describe('fingerprints', () => {
	test('the twins share a fingerprint', () => {
		expect(fingerprint(TWINS[0])).toBe(fingerprint(TWINS[1]));
	});

	/** A list in fingerprint mode: one ICCID that is not plain digits switches the state over. */
	const odd = makeSim('8988X');

	test('twins read in the same poll are told apart by their full ICCIDs; neither gets a false event', () => {
		const list = new SimList([makeSim(TWINS[0]), makeSim(TWINS[1], { status: 'Disabled' }), odd]);
		const poller = newPoller();
		const first = poll(list, poller);
		expect(first.state.keys).toBe('fnv32');
		expect(Object.keys(first.state.exact ?? {})).toEqual([TWINS[1]]);
		expect(poll(list, poller).events).toEqual([]);
		list.find(TWINS[1]).status = 'Enabled';
		expect(kinds(poll(list, poller).events)).toEqual([`simStatusChanged:${TWINS[1]}`]);
		list.find(TWINS[0]).status = 'Disabled';
		expect(kinds(poll(list, poller).events)).toEqual([`simStatusChanged:${TWINS[0]}`]);
	});

	test('twins read by different polls of a scan: the second is kept apart once they differ, with a note and no false event', () => {
		const filler = Array.from({ length: 99 }, (_, i) => makeSim(iccidAt(i)));
		const list = new SimList([makeSim(TWINS[0]), ...filler, makeSim(TWINS[1]), odd]);
		const poller = newPoller();
		while (!poll(list, poller, { budget: 1 }).scanCompleted);
		// Alike so far: one fingerprint stands for both. Now one of them changes.
		list.find(TWINS[1]).status = 'Disabled';
		const scan = [poll(list, poller, { budget: 1 }), poll(list, poller, { budget: 1 })];
		expect(scan.flatMap((r) => r.events)).toEqual([]);
		expect(scan[1].notes.collisions).toEqual([TWINS[1]]);
		// From then on each is followed on its own.
		list.find(TWINS[1]).status = 'Enabled';
		list.find(TWINS[0]).status = 'Disabled';
		const after = [poll(list, poller, { budget: 1 }), poll(list, poller, { budget: 1 })];
		expect(after.flatMap((r) => kinds(r.events))).toEqual([
			`simStatusChanged:${TWINS[0]}`,
			`simStatusChanged:${TWINS[1]}`,
		]);
	});

	test('twins that appear together are both New SIMs', () => {
		const list = new SimList([odd]);
		const poller = newPoller();
		poll(list, poller);
		list.sims.push(makeSim(TWINS[1]), makeSim(TWINS[0]));
		const appeared = poll(list, poller);
		expect(kinds(appeared.events)).toEqual([`newSim:${TWINS[1]}`, `newSim:${TWINS[0]}`]);
		expect(appeared.notes.collisions).toEqual([]);
		expect(poll(list, poller).events).toEqual([]);
	});

	test('switching from exact keys keeps twins apart (their ICCIDs are known at that moment)', () => {
		const list = new SimList([makeSim(TWINS[0]), makeSim(TWINS[1])]);
		const poller = newPoller();
		expect(poll(list, poller).state.keys).toBe('iccid');
		list.sims.push(odd);
		const switched = poll(list, poller);
		expect(switched.events).toEqual([expect.objectContaining({ event: 'newSim', iccid: '8988X' })]);
		expect(Object.keys(switched.state.exact ?? {}).sort()).toEqual([...TWINS].sort());
		list.find(TWINS[0]).status = 'Disabled';
		expect(kinds(poll(list, poller).events)).toEqual([`simStatusChanged:${TWINS[0]}`]);
	});
});

describe('state size', () => {
	const random19 = (prng: { int: (a: number, b: number) => number }) =>
		`89${String(prng.int(0, 99_999_999)).padStart(8, '0')}${String(prng.int(0, 999_999_999)).padStart(9, '0')}`;

	function sizeAt(iccids: string[]): { bytes: number; state: SimState } {
		const list = new SimList(iccids.map((iccid) => makeSim(iccid)));
		const poller = newPoller();
		const result = poll(list, poller);
		return { bytes: stateBytes({ [SIM_STATE_KEY]: result.state }), state: result.state };
	}

	test.each([100, 1000, 10_000])(
		'%i SIMs: within 64 KB with ICCIDs spread at random (fingerprints), of one issuer and in blocks (exact)',
		(count) => {
			const prng = createPrng(`size-${count}`);
			const spreadOut = sizeAt(Array.from({ length: count }, () => random19(prng)));
			const inBlocks = sizeAt(Array.from({ length: count }, (_, i) => iccidAt(i < count / 2 ? i : 10_000_000 + i)));
			expect(spreadOut.state.keys).toBe('fnv32');
			expect(inBlocks.state.keys).toBe('iccid');
			expect(spreadOut.bytes).toBeLessThanOrEqual(64 * 1024);
			expect(inBlocks.bytes).toBeLessThan(spreadOut.bytes);
			expect(simCount(spreadOut.state)).toBe(count);
			// ICCIDs of one issuer, drawn at random from ten billion: at 10,000 they lie close enough for exact keys.
			const sameIssuer = sizeAt(
				Array.from({ length: count }, () => `898822806${String(prng.int(0, 9_999_999_999)).padStart(10, '0')}`),
			);
			expect(sameIssuer.state.keys).toBe(count === 10_000 ? 'iccid' : 'fnv32');
			expect(sameIssuer.bytes).toBeLessThanOrEqual(64 * 1024);
		},
	);

	test('10,000 SIMs mid-scan, all below both thresholds and disabled, stay within 64 KB', () => {
		const prng = createPrng('size-worst');
		const list = new SimList(
			Array.from({ length: 10_000 }, () =>
				makeSim(random19(prng), {
					status: 'Disabled',
					current_quota: 1,
					current_quota_SMS: 1,
					quota_status: { id: 2 },
					quota_status_SMS: { id: 2 },
				}),
			),
		);
		const poller = newPoller();
		poll(list, poller);
		const mid = poll(list, poller, { budget: 50 });
		expect(mid.nextPage).toBe(51);
		expect(stateBytes({ [SIM_STATE_KEY]: mid.state })).toBeLessThanOrEqual(64 * 1024);
	});

	test('every event type is a picker entry', () => {
		const types: SimEventType[] = [
			'simStatusChanged',
			'dataQuotaStatusChanged',
			'smsQuotaStatusChanged',
			'dataQuotaBelow',
			'smsQuotaBelow',
			'newSim',
		];
		expect(Object.keys(SIM_EVENTS).sort()).toEqual([...types].sort());
	});
});
