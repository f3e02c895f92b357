import { fnv1a, isCount, isRecord } from '../state';
import type { PackedSet } from './simCodec';
import { charOf, packSet, unpackSet, valueOf } from './simCodec';
import type { SimRecord } from './simEvents';

/** `iccid`: the ICCID itself, exact. `fnv32`: its 32-bit fingerprint, once ICCIDs are too far apart (see docs). */
export type KeyMode = 'iccid' | 'fnv32';

/** The SIMs as stored: the sorted keys (PackedSet), then `records`, two characters per SIM in key order. */
export interface PackedTable extends PackedSet {
	keys: KeyMode;
	/** SIMs in the packed table. */
	count: number;
	records: string;
	/** `fnv32` only: SIMs whose fingerprint is shared with another SIM, by full ICCID (records as above). */
	exact?: Record<string, string>;
}

/** The packed table in working form. */
export interface SimTable {
	keys: KeyMode;
	/** By key: the ICCID (`iccid`) or the fingerprint (`fnv32`), in decimal. */
	byKey: Map<string, SimRecord>;
	/** `fnv32` only, by ICCID: looked up before the fingerprint. */
	exact: Map<string, SimRecord>;
}

/** Whether the ICCID can be its own key: plain digits (a leading zero would be lost). */
export const isExactKey = (iccid: string): boolean => /^[1-9]\d{0,39}$/.test(iccid);

/** 32-bit fingerprint: FNV-1a, then a final mix so that ICCIDs issued in sequence spread evenly. */
export function fingerprint(iccid: string): string {
	let h = fnv1a(iccid, 0x811c9dc5);
	h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
	h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
	return String((h ^ (h >>> 16)) >>> 0);
}

/** Where a SIM's record lives: under its key, or under its ICCID in `exact`. */
export interface Slot {
	map: Map<string, SimRecord>;
	key: string;
}

/** In `iccid` mode, `iccid` must be an exact key (isExactKey). */
export function slotOf(table: SimTable, iccid: string): Slot {
	if (table.keys === 'iccid') return { map: table.byKey, key: iccid };
	return table.exact.has(iccid) ? { map: table.exact, key: iccid } : { map: table.byKey, key: fingerprint(iccid) };
}

/** Exact keys to fingerprints, one way; SIMs whose fingerprints collide are known here, and go to `exact`. */
export function toFingerprints(table: SimTable): SimTable {
	const groups = new Map<string, Array<[string, SimRecord]>>();
	for (const [key, record] of table.byKey) {
		const fp = fingerprint(key);
		groups.set(fp, [...(groups.get(fp) ?? []), [key, record]]);
	}
	const out: SimTable = { keys: 'fnv32', byKey: new Map(), exact: new Map() };
	for (const [fp, members] of groups) {
		if (members.length === 1) out.byKey.set(fp, members[0][1]);
		else for (const [iccid, record] of members) out.exact.set(iccid, record);
	}
	return out;
}

/** Two base64url characters: status·data·sms quota status, then the two below marks, seen and missed. */
export function packRecord(r: SimRecord): string {
	return (
		charOf((r.status << 4) | (r.data << 2) | r.sms) +
		charOf((r.dataBelow << 4) | (r.smsBelow << 2) | (r.seen ? 2 : 0) | (r.missed ? 1 : 0))
	);
}

export function unpackRecord(text: string): SimRecord | undefined {
	const a = valueOf(text[0] ?? '');
	const b = valueOf(text[1] ?? '');
	if (text.length !== 2 || a < 0 || b < 0 || b >> 4 > 2 || ((b >> 2) & 3) > 2) return undefined;
	return {
		status: a >> 4,
		data: (a >> 2) & 3,
		sms: a & 3,
		dataBelow: b >> 4,
		smsBelow: (b >> 2) & 3,
		seen: (b & 2) > 0,
		missed: (b & 1) > 0,
	};
}

function packWith(table: SimTable): PackedTable {
	// Keys are decimal without leading zeros: the shorter is the smaller.
	const sorted = [...table.byKey.keys()].sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
	const packed: PackedTable = {
		keys: table.keys,
		count: sorted.length,
		...packSet(sorted.map(BigInt)),
		records: sorted.map((key) => packRecord(table.byKey.get(key)!)).join(''),
	};
	if (table.exact.size) {
		packed.exact = Object.fromEntries(
			[...table.exact].sort(([a], [b]) => (a < b ? -1 : 1)).map(([i, r]) => [i, packRecord(r)]),
		);
	}
	return packed;
}

const packedLength = (p: PackedTable): number => p.gaps.length + (p.exact ? JSON.stringify(p.exact).length : 0);

/** Exact keys may take 4 characters a SIM (or what fingerprints would, if more): 10,000 SIMs stay under 64 KB. */
const EXACT_CHARS_PER_SIM = 4;

/** The table as stored: exact keys while they are short enough (above), fingerprints after. */
export function packTable(table: SimTable): PackedTable {
	const packed = packWith(table);
	if (table.keys === 'fnv32' || packedLength(packed) <= EXACT_CHARS_PER_SIM * packed.count) return packed;
	const hashed = packWith(toFingerprints(table));
	return packedLength(hashed) < packedLength(packed) ? hashed : packed;
}

/** The stored table in working form; undefined when it cannot be read. */
export function unpackTable(state: PackedTable): SimTable | undefined {
	const { keys: mode, count, k, records } = state;
	if ((mode !== 'iccid' && mode !== 'fnv32') || !isCount(count) || !isCount(k) || k > 128) return undefined;
	if (typeof state.gaps !== 'string' || typeof records !== 'string' || records.length !== 2 * count) return undefined;
	let keys: bigint[];
	try {
		keys = unpackSet(state, count);
	} catch {
		return undefined;
	}
	const table: SimTable = { keys: mode, byKey: new Map(), exact: new Map() };
	for (let i = 0; i < keys.length; i++) {
		const record = unpackRecord(records.slice(2 * i, 2 * i + 2));
		if (!record || (mode === 'fnv32' && keys[i] >= 2n ** 32n)) return undefined;
		table.byKey.set(keys[i].toString(), record);
	}
	if (state.exact !== undefined) {
		if (mode !== 'fnv32' || !isRecord(state.exact)) return undefined;
		for (const [iccid, text] of Object.entries(state.exact)) {
			const record = typeof text === 'string' ? unpackRecord(text) : undefined;
			if (!record) return undefined;
			table.exact.set(iccid, record);
		}
	}
	return table;
}
