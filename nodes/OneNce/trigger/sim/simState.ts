import { ignoredReason, isCount, isRecord, isTime } from '../state';
import type { SimThresholds } from './simSettings';
import type { PackedTable, SimTable } from './simTable';
import { packTable, unpackTable } from './simTable';

/** Key of the SIM trigger's state inside the node's static data (the order trigger's is `orderWatch`). */
export const SIM_STATE_KEY = 'simWatch';

/** A scan of the whole SIM list under way, spread over polls. */
export interface SimScanProgress {
	/** Page the next poll reads first. */
	nextPage: number;
	startedAt: string;
	/** X-Total-Count of the scan's first page, when sent. */
	totalCount?: number;
	/** A later page reported another X-Total-Count: the list changed while the scan ran. */
	moved?: true;
}

/** What the SIM trigger keeps in static data: named fields, and the SIMs packed (PackedTable). */
export interface SimState extends PackedTable {
	version: 1;
	/** stateAccount().key of the credential the state was built for (no secret in it). */
	account: string;
	/** Incremented on every write; a poll that finds it changed since it started does not write. */
	generation: number;
	/** The thresholds the below-threshold marks were computed for. */
	thresholds: SimThresholds;
	/** New SIMs are taken in without an event: no scan has yet read the whole list while it stood still. */
	baselineIncomplete?: true;
	scan?: SimScanProgress;
	/** When the last completed scan started. */
	lastScan?: string;
}

type SimFields = Omit<SimState, keyof PackedTable>;

/** The state in working form: the table unpacked, every other field as stored. */
export interface SimWorking extends SimFields {
	table: SimTable;
}

/** The named fields in a fixed order, so that two states that say the same serialise the same. */
const inOrder = (fields: SimFields): SimFields => ({
	version: 1,
	account: fields.account,
	generation: fields.generation,
	thresholds: fields.thresholds,
	...(fields.baselineIncomplete ? { baselineIncomplete: true as const } : {}),
	...(fields.scan ? { scan: fields.scan } : {}),
	...(fields.lastScan ? { lastScan: fields.lastScan } : {}),
});

const isThreshold = (value: unknown): value is number | null =>
	value === null || (typeof value === 'number' && Number.isFinite(value) && value >= 0);

function parseScan(value: unknown): SimScanProgress | undefined | false {
	if (value === undefined) return undefined;
	const { nextPage, startedAt, totalCount, moved } = (value ?? {}) as Record<string, unknown>;
	if (!isCount(nextPage) || nextPage < 1 || !isTime(startedAt)) return false;
	if (totalCount !== undefined && !isCount(totalCount)) return false;
	return {
		nextPage,
		startedAt,
		...(totalCount === undefined ? {} : { totalCount }),
		...(moved === true ? { moved } : {}),
	};
}

function parseWorking(state: unknown): SimWorking | undefined {
	if (!isRecord(state) || state.version !== 1 || typeof state.account !== 'string' || !isCount(state.generation)) return undefined;
	const thresholds = state.thresholds;
	if (!isRecord(thresholds) || !isThreshold(thresholds.dataMb) || !isThreshold(thresholds.sms)) return undefined;
	const scan = parseScan(state.scan);
	if (scan === false || (state.lastScan !== undefined && !isTime(state.lastScan))) return undefined;
	const table = unpackTable(state as unknown as PackedTable);
	if (!table) return undefined;
	const { dataMb, sms } = thresholds;
	const baselineIncomplete = state.baselineIncomplete === true || undefined;
	return { ...inOrder({ ...(state as SimFields), thresholds: { dataMb, sms }, baselineIncomplete, scan }), table };
}

/**
 * The stored state in working form if it belongs to `account`; undefined when there is none, it is unreadable
 * (edited by hand, another version) or it was built for another account: the poll then takes a new baseline.
 */
export function parseSimState(raw: unknown, account: string): SimWorking | undefined {
	const working = parseWorking(raw);
	return working?.account === account ? working : undefined;
}

export function ignoredSimStateReason(raw: unknown, account: string): string | undefined {
	const working = parseWorking(raw);
	return ignoredReason(raw, !!working, working?.account === account);
}

/** The state as stored. */
export function packSimState({ table, ...fields }: SimWorking): SimState {
	return { ...inOrder(fields), ...packTable(table) };
}

/**
 * Whether `next` says anything `stored` does not, generation and last scan's start aside: a baseline, a record
 * changed, a scan moved on. Losing one could cost or repeat an event, or keep a scan from ever finishing.
 */
export function simMustSurvive(stored: unknown, next: SimState): boolean {
	const meaning = (state: object) => JSON.stringify({ ...state, generation: undefined, lastScan: undefined });
	return meaning(next) !== meaning(stored as object);
}
