import type { Sim, SimPage } from '../../transport/sims';
import { generationOf, isoTime } from '../state';
import type { SimEvent } from './simEvents';
import { BELOW_UNKNOWN, compareSim, firstRecord, iccidOf, sameCodes, simEvent } from './simEvents';
import { completeScan, endsList, orderedPages, scanOf } from './simScan';
import type { SimThresholds, SimTriggerSettings } from './simSettings';
import type { SimState, SimWorking } from './simState';
import { ignoredSimStateReason, packSimState, parseSimState } from './simState';
import type { Slot } from './simTable';
import { isExactKey, slotOf, toFingerprints } from './simTable';

export interface SimPollInput {
	/** The node's static data under SIM_STATE_KEY, as stored (never changed here). */
	stored: unknown;
	/** stateAccount().key of the credential. */
	account: string;
	/** The pages this poll read, from simNextPage() on without a gap; may be none (budget spent at once). */
	pages: SimPage[];
	settings: SimTriggerSettings;
	now: number;
}

export interface SimPollResult {
	/** The events the settings ask for, in the order their SIMs were read. */
	events: SimEvent[];
	/** The state to store; its generation is the prior one (the caller bumps it when `changed`). */
	state: SimState;
	/** The stored state differs from `state` (or there was none). */
	changed: boolean;
	/** Page the next poll reads first. */
	nextPage: number;
	/** This poll's pages reached the end of the list, completing a scan. */
	scanCompleted: boolean;
	/** For the log. */
	notes: {
		ignoredState?: string;
		/** SIMs taken in without a New SIM event while the baseline is incomplete. */
		adopted: number;
		/** SIMs dropped after two completed scans without them. */
		dropped: number;
		/** List items without a usable ICCID (a non-empty string). */
		unreadable: number;
		/** Fingerprint mode: ICCIDs found sharing a fingerprint, or read twice in a scan with different values; see docs. */
		collisions: string[];
	};
}

/** Page the next poll starts reading at. */
export function simNextPage(stored: unknown, account: string): number {
	return parseSimState(stored, account)?.scan?.nextPage ?? 1;
}

/** Below marks computed for another threshold say nothing about this one: they are learnt again, silently. */
function applyThresholds(working: SimWorking, settings: SimTriggerSettings): void {
	const { dataMb, sms } = settings.thresholds;
	const data = working.thresholds.dataMb !== dataMb;
	const text = working.thresholds.sms !== sms;
	if (!data && !text) return;
	for (const record of [...working.table.byKey.values(), ...working.table.exact.values()]) {
		if (data) record.dataBelow = BELOW_UNKNOWN;
		if (text) record.smsBelow = BELOW_UNKNOWN;
	}
	working.thresholds = { dataMb, sms };
}

/**
 * Whether this SIM, found by its fingerprint, must be kept apart by its ICCID: the fingerprint already stands
 * for another SIM. Certain when another ICCID with it was read in this poll; when it was read by an
 * earlier poll of this scan, it may be the same SIM read again (the list moved) or another one, and the two
 * are told apart only if the SIM says something other than the record.
 */
function collides(
	slot: Slot,
	sim: Sim,
	iccid: string,
	owners: Map<string, string>,
	thresholds: SimThresholds,
): boolean {
	const owner = owners.get(slot.key);
	if (owner !== undefined) return owner !== iccid;
	owners.set(slot.key, iccid);
	const record = slot.map.get(slot.key);
	if (!record?.seen) return false;
	const now = compareSim(record, sim, thresholds, '');
	return now.events.length > 0 || !sameCodes(record, now.record);
}

/**
 * One poll of the SIM trigger, worked out from the pages it read: the events, and the state to store with
 * them. Pure: no request, no clock, nothing stored is changed in place.
 */
export function simPollStep(input: SimPollInput): SimPollResult {
	const { stored, account, settings, now } = input;
	const detectedAt = isoTime(now);
	const parsed = parseSimState(stored, account);
	const ignoredState = parsed ? undefined : ignoredSimStateReason(stored, account);
	const working: SimWorking = parsed ?? {
		version: 1,
		account,
		generation: generationOf(stored),
		thresholds: settings.thresholds,
		baselineIncomplete: true,
		table: { keys: 'iccid', byKey: new Map(), exact: new Map() },
	};
	const notes: SimPollResult['notes'] = { ignoredState, adopted: 0, dropped: 0, unreadable: 0, collisions: [] };
	applyThresholds(working, settings);
	const pages = orderedPages(input.pages, working.scan?.nextPage ?? 1);
	const found: SimEvent[] = [];
	let scanCompleted = false;

	if (pages.length) {
		const sims = pages.flatMap((page) => (Array.isArray(page.sims) ? page.sims : []));
		const iccids = sims.map(iccidOf);
		if (working.table.keys === 'iccid' && iccids.some((iccid) => iccid !== undefined && !isExactKey(iccid))) {
			working.table = toFingerprints(working.table);
		}
		const table = working.table;
		const scan = scanOf(working.scan, pages, detectedAt);
		const owners = new Map<string, string>();
		const createdNow = new Set<string>();
		for (const [i, sim] of sims.entries()) {
			const iccid = iccids[i];
			if (iccid === undefined) {
				notes.unreadable++;
				continue;
			}
			let slot = slotOf(table, iccid);
			const fingerprinted = table.keys === 'fnv32' && slot.map === table.byKey;
			if (fingerprinted && collides(slot, sim, iccid, owners, settings.thresholds)) {
				// Both are new when the fingerprint itself was first read in this poll.
				const bothNew = createdNow.has(slot.key);
				slot = { map: table.exact, key: iccid };
				if (!bothNew) {
					notes.collisions.push(iccid);
					slot.map.set(iccid, firstRecord(sim, settings.thresholds));
					continue;
				}
			}
			const record = slot.map.get(slot.key);
			if (record) {
				const compared = compareSim(record, sim, settings.thresholds, detectedAt);
				slot.map.set(slot.key, compared.record);
				found.push(...compared.events);
				continue;
			}
			if (slot.map === table.byKey) createdNow.add(slot.key);
			slot.map.set(slot.key, firstRecord(sim, settings.thresholds));
			if (working.baselineIncomplete) notes.adopted++;
			else found.push(simEvent('newSim', sim, String(sim.iccid), detectedAt, settings.thresholds, null));
		}
		const last = pages[pages.length - 1];
		if (endsList(last)) {
			scanCompleted = true;
			// A list that kept its length throughout was read whole; otherwise SIMs may have been passed over.
			notes.dropped = completeScan(table, !scan.moved);
			working.lastScan = scan.startedAt;
			delete working.scan;
			if (!scan.moved) delete working.baselineIncomplete;
		} else {
			working.scan = { ...scan, nextPage: last.page + 1 };
		}
	}

	const state = packSimState(working);
	return {
		events: found.filter((event) => settings.events.has(event.event)),
		state,
		changed: JSON.stringify(state) !== JSON.stringify(stored),
		nextPage: working.scan?.nextPage ?? 1,
		scanCompleted,
		notes,
	};
}

/** SIMs the state knows. */
export function simCount(state: SimState): number {
	return state.count + Object.keys(state.exact ?? {}).length;
}
