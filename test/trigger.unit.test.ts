/**
 * Pure tests of the trigger's pieces (no HTTP, no n8n): state, settings, change detection, page planning,
 * and whole polls over an in-memory order list that behaves like 1NCE's (sorted by order number, 10 a page).
 */
import type { Transition } from '../nodes/OneNce/trigger/changes';
import { detectChanges, selectEvents, statusOf } from '../nodes/OneNce/trigger/changes';
import { PageBook } from '../nodes/OneNce/trigger/pageBook';
import { findEnd, locate, nextStep, type PlanGoal } from '../nodes/OneNce/trigger/pagePlan';
import { pollOrders, sampleEvent, type TriggerIo } from '../nodes/OneNce/trigger/poll';
import { buildSettings, parseStatusList, type RawTriggerSettings } from '../nodes/OneNce/trigger/settings';
import { pageOf, parseState, stateBytes, statusSignature, type TriggerState } from '../nodes/OneNce/trigger/state';
import type { Order, OrderPage } from '../nodes/OneNce/transport/orders';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createPrng } = require('../dev/simulator/prng');

const FIRST = 2000000001;
const FINALS = new Set(['COMPLETED', 'CANCELLED']);
const isFinal = (s: string) => FINALS.has(s.toUpperCase());

interface MemoryApi {
	orders: Order[];
	pageCalls: number[];
	orderCalls: number[];
	io: TriggerIo;
	/** Runs before each page is served (to change the list while a poll runs). */
	beforePage?: (page: number) => void;
}

/** Orders numbered from FIRST; `open` of the newest are IN_PROGRESS, the rest COMPLETED. */
function makeOrders(count: number, open = 0): Order[] {
	return Array.from({ length: count }, (_, i) => ({
		order_number: FIRST + i,
		order_status: i >= count - open ? 'IN_PROGRESS' : 'COMPLETED',
		order_type: 'ADDITIONAL_ORDER',
	}));
}

function memoryApi(orders: Order[], { headers = true } = {}): MemoryApi {
	const api: MemoryApi = {
		orders,
		pageCalls: [],
		orderCalls: [],
		io: {
			fetchPage: async (page: number): Promise<OrderPage> => {
				api.beforePage?.(page);
				api.pageCalls.push(page);
				const slice = api.orders.slice((page - 1) * 10, page * 10).map((o) => structuredClone(o));
				const totalPages = Math.ceil(api.orders.length / 10);
				return headers
					? { page, orders: slice, totalPages, totalCount: api.orders.length, isLast: page >= totalPages }
					: { page, orders: slice, isLast: slice.length < 10 };
			},
			fetchOrder: async (n: number) => {
				api.orderCalls.push(n);
				const order = api.orders.find((o) => o.order_number === n);
				return order ? structuredClone(order) : undefined;
			},
		},
	};
	return api;
}

function settings(raw: RawTriggerSettings = {}) {
	return buildSettings({ includeNewOrders: true, fullScanIntervalHours: 0, ...raw });
}

function setStatus(api: MemoryApi, n: number, status: string) {
	const order = api.orders.find((o) => o.order_number === n);
	if (!order) throw new Error(`no order ${n}`);
	order.order_status = status;
}

function addOrders(api: MemoryApi, count: number, status = 'PENDING') {
	for (let i = 0; i < count; i++) {
		const last = api.orders.length ? Number(api.orders[api.orders.length - 1].order_number) : FIRST - 1;
		api.orders.push({ order_number: last + 1, order_status: status });
	}
}

function bookOf(api: MemoryApi, pages: number[]): Promise<PageBook> {
	const book = new PageBook();
	return pages.reduce(async (prev, p) => {
		await prev;
		book.add(await api.io.fetchPage(p));
	}, Promise.resolve()).then(() => book);
}

const brief = (t: Transition) => [t.order_number, t.previous_status, t.order_status];

describe('state', () => {
	const good: TriggerState = { v: 1, n: 20, last: FIRST + 19, w: [[FIRST + 18, 'PENDING', 18]], f: 'x', r: 5 };

	it('reads a valid state as a copy and rejects anything else', () => {
		const parsed = parseState(good)!;
		expect(parsed).toEqual(good);
		parsed.w[0][1] = 'CHANGED';
		expect(good.w[0][1]).toBe('PENDING');
		expect(parseState({ ...good, s: [3, 9] })!.s).toEqual([3, 9]);
		for (const bad of [undefined, null, 'x', [], { ...good, v: 2 }, { ...good, n: -1 }, { ...good, w: [[1, 2, 3]] }, { ...good, s: [1] }]) {
			expect(parseState(bad)).toBeUndefined();
		}
	});

	it('maps indices to pages and signs status sets regardless of order and case', () => {
		expect([pageOf(-1), pageOf(0), pageOf(9), pageOf(10), pageOf(9999)]).toEqual([1, 1, 1, 2, 1000]);
		expect(statusSignature(['COMPLETED', 'cancelled'])).toBe(statusSignature([' CANCELLED', 'completed']));
		expect(statusSignature(['COMPLETED'])).not.toBe(statusSignature(['COMPLETED', 'CANCELLED']));
		expect(stateBytes({ a: 'é' })).toBe(10);
	});
});

describe('settings', () => {
	it('merges chosen and typed statuses, case-insensitively', () => {
		expect(parseStatusList(' shipped, ON_HOLD ,,shipped')).toEqual(['SHIPPED', 'ON_HOLD']);
		const s = buildSettings({ statuses: ['COMPLETED'], otherStatuses: 'on_hold', includeNewOrders: true });
		expect([...s.filter.statuses]).toEqual(['COMPLETED', 'ON_HOLD']);
		expect(s.filter.includeNewOrders).toBe(true);
	});

	it('has documented defaults and refuses nonsense before any request', () => {
		const s = buildSettings({});
		expect([...s.finals]).toEqual(['COMPLETED', 'CANCELLED']);
		expect(s.scanIntervalMs).toBe(24 * 3_600_000);
		expect(s.scanPagesPerPoll).toBe(10);
		expect([...buildSettings({ finalStatuses: ' , ' }).finals]).toEqual(['COMPLETED', 'CANCELLED']);
		expect([...buildSettings({ finalStatuses: 'done,Shipped' }).finals]).toEqual(['DONE', 'SHIPPED']);
		expect(buildSettings({ fullScanIntervalHours: 0 }).scanIntervalMs).toBe(0);
		expect(() => buildSettings({ fullScanIntervalHours: -1 })).toThrow(/Full Scan Interval/);
		expect(() => buildSettings({ fullScanIntervalHours: 'soon' })).toThrow(/Full Scan Interval/);
		expect(() => buildSettings({ fullScanPagesPerPoll: 0 })).toThrow(/Pages per Poll/);
		expect(() => buildSettings({ fullScanPagesPerPoll: 2.5 })).toThrow(/Pages per Poll/);
	});
});

describe('change detection', () => {
	const obs = (order: Order, index: number, inTail = false) => [Number(order.order_number), { order, index, inTail }] as const;

	it('reports each changed watched order, drops orders that became final, keeps positions', () => {
		const result = detectChanges({
			watched: [
				[10, 'PENDING', 0],
				[11, 'IN_PROGRESS', 1],
				[12, 'SHIPPED', 2],
			],
			last: 12,
			observed: new Map([
				obs({ order_number: 10, order_status: 'PENDING' }, 0),
				obs({ order_number: 11, order_status: 'SHIPPED' }, 1),
				obs({ order_number: 12, order_status: 'COMPLETED' }, 2),
			]),
			gone: new Set(),
			isFinal,
		});
		expect(result.transitions.map(brief)).toEqual([
			[11, 'IN_PROGRESS', 'SHIPPED'],
			[12, 'SHIPPED', 'COMPLETED'],
		]);
		expect(result.watched).toEqual([
			[10, 'PENDING', 0],
			[11, 'SHIPPED', 1],
		]);
		expect(result.last).toBe(12);
	});

	it('reports new orders only from the complete tail and watches re-opened ones silently', () => {
		const result = detectChanges({
			watched: [[20, 'PENDING', 5]],
			last: 21,
			observed: new Map([
				obs({ order_number: 3, order_status: 'IN_PROGRESS' }, 0), // was final (not watched): re-opened
				obs({ order_number: 4, order_status: 'COMPLETED' }, 1),
				obs({ order_number: 22, order_status: 'PENDING' }, 6, true),
				obs({ order_number: 23, order_status: 'COMPLETED' }, 7, true),
				obs({ order_number: 30, order_status: 'PENDING' }, 9, false), // outside the tail: next poll
			]),
			gone: new Set(),
			isFinal,
		});
		expect(result.transitions.map(brief)).toEqual([
			[22, null, 'PENDING'],
			[23, null, 'COMPLETED'],
		]);
		expect(result.watched.map((w) => w[0])).toEqual([3, 20, 22]);
		expect(result.last).toBe(23);
	});

	it('forgets orders that are gone and keeps unseen ones unchanged', () => {
		const result = detectChanges({
			watched: [
				[1, 'A', 0],
				[2, 'B', 1],
			],
			last: 2,
			observed: new Map(),
			gone: new Set([1]),
			isFinal,
		});
		expect(result.watched).toEqual([[2, 'B', 1]]);
		expect(result.transitions).toEqual([]);
	});

	it('treats odd statuses as data', () => {
		expect(statusOf({ order_status: 'ON_HOLD' })).toBe('ON_HOLD');
		expect(statusOf({})).toBe('');
		expect(statusOf({ order_status: null as unknown as string })).toBe('');
		expect(statusOf({ order_status: 7 as unknown as string })).toBe('7');
	});

	it('filters events by new status (any case) and by new-order choice', () => {
		const transitions: Transition[] = [
			{ order_number: 1, previous_status: 'PENDING', order_status: 'shipped', order: {} },
			{ order_number: 2, previous_status: null, order_status: 'SHIPPED', order: {} },
			{ order_number: 3, previous_status: 'SHIPPED', order_status: 'COMPLETED', order: {} },
		];
		const at = '2025-01-01T00:00:00.000Z';
		const numbers = (statuses: string[], includeNewOrders: boolean) =>
			selectEvents(transitions, { statuses: new Set(statuses), includeNewOrders }, at).map((e) => e.order_number);
		expect(numbers([], true)).toEqual([1, 2, 3]);
		expect(numbers([], false)).toEqual([1, 3]);
		expect(numbers(['SHIPPED'], true)).toEqual([1, 2]);
		expect(numbers(['SHIPPED'], false)).toEqual([1]);
		expect(selectEvents(transitions.slice(0, 1), { statuses: new Set(), includeNewOrders: false }, at)[0]).toEqual({
			order_number: 1,
			previous_status: 'PENDING',
			order_status: 'shipped',
			detected_at: at,
			order: {},
		});
	});
});

describe('page planning', () => {
	it('finds an order on its page with one read, and searches when the list shifted', async () => {
		const api = memoryApi(makeOrders(500));
		const book = await bookOf(api, [31]);
		expect(locate(book, FIRST + 305, 31)).toEqual({ located: { page: 31, index: 305 } });
		// 40 older orders deleted: the order moved four pages down.
		api.orders.splice(10, 40);
		const shifted = new PageBook();
		let step = locate(shifted, FIRST + 305, 31);
		const probes: number[] = [];
		while ('probe' in step) {
			probes.push(step.probe);
			shifted.add(await api.io.fetchPage(step.probe));
			step = locate(shifted, FIRST + 305, 31);
		}
		expect(step).toEqual({ located: { page: 27, index: 265 } });
		expect(probes[0]).toBe(31);
		expect(probes.length).toBeLessThanOrEqual(5);
	});

	it('proves an order absent between two adjacent pages, inside a page, or after the end', async () => {
		const api = memoryApi(makeOrders(100));
		api.orders.splice(45, 1); // order FIRST + 45 deleted
		const book = await bookOf(api, [5]);
		expect(locate(book, FIRST + 45, 5)).toEqual({ located: { absent: true, page: 5 } });
		expect(locate(book, FIRST + 1000, 10)).toEqual({ probe: 10 });
		book.add(await api.io.fetchPage(10));
		expect(locate(book, FIRST + 1000, 10)).toEqual({ located: { absent: true, page: 10 } });
		const edge = memoryApi(makeOrders(40));
		edge.orders.splice(20, 1); // the first order of page 3 deleted
		const edgeBook = await bookOf(edge, [2, 3]);
		expect(locate(edgeBook, FIRST + 20, 3)).toEqual({ located: { absent: true, page: 3 } });
	});

	it('finds the last page from X-Total-Pages, or by galloping and halving without it', async () => {
		for (const count of [0, 7, 10, 95, 100, 1234]) {
			for (const headers of [true, false]) {
				const api = memoryApi(makeOrders(count), { headers });
				const book = new PageBook();
				let step = findEnd(book, 1);
				while ('probe' in step) {
					book.add(await api.io.fetchPage(step.probe));
					step = findEnd(book, 1);
				}
				expect([count, headers, step.end]).toEqual([count, headers, Math.ceil(count / 10)]);
				if (headers) expect(api.pageCalls.length).toBeLessThanOrEqual(2);
				else expect(api.pageCalls.length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(count / 10 + 2)) + 2);
			}
		}
	});

	it('plans the hint pages, then the tail, then the scan slice below it', async () => {
		const api = memoryApi(makeOrders(1005));
		const goal: PlanGoal = {
			boundary: { number: FIRST + 999, hintPage: 100 },
			find: [
				{ number: FIRST + 995, hintPage: 100 },
				{ number: FIRST + 500, hintPage: 51 },
			],
			sweep: { top: 'belowTail', count: 3 },
		};
		const book = new PageBook();
		const reasons: string[] = [];
		let step = nextStep(book, goal);
		while (step.kind === 'fetch') {
			reasons.push(`${step.page}:${step.reason}`);
			book.add(await api.io.fetchPage(step.page));
			step = nextStep(book, goal);
		}
		expect(reasons).toEqual(['100:hint', '51:hint', '101:tail', '99:sweep', '98:sweep', '97:sweep']);
		expect(step).toEqual({
			kind: 'done',
			resolution: {
				located: new Map([
					[FIRST + 999, { page: 100, index: 999 }],
					[FIRST + 995, { page: 100, index: 995 }],
					[FIRST + 500, { page: 51, index: 500 }],
				]),
				tail: { from: 100, to: 101 },
				swept: { from: 99, to: 97 },
			},
		});
	});

	it('reports pages that contradict the sort order', async () => {
		const api = memoryApi(makeOrders(30));
		[api.orders[3], api.orders[4]] = [api.orders[4], api.orders[3]];
		const book = await bookOf(api, [1]);
		expect(nextStep(book, { find: [{ number: FIRST + 3, hintPage: 1 }] })).toEqual({
			kind: 'inconsistent',
			reason: 'page 1 is not sorted by order number',
		});
	});
});

describe('polls over an in-memory list', () => {
	const NOW = Date.UTC(2025, 0, 1);

	async function run(api: MemoryApi, prior: TriggerState | undefined, raw: RawTriggerSettings = {}, now = NOW) {
		api.pageCalls.length = 0;
		api.orderCalls.length = 0;
		return await pollOrders(prior, settings(raw), api.io, now);
	}

	it('records a baseline without events, then reports changes and new orders exactly once', async () => {
		const api = memoryApi(makeOrders(95, 12));
		const first = await run(api, undefined);
		expect(first.events).toEqual([]);
		expect(first.baseline).toBe(true);
		expect(first.state.w.map((w) => w[0] - FIRST)).toEqual(Array.from({ length: 12 }, (_, i) => 83 + i));
		expect(first.state).toMatchObject({ n: 95, last: FIRST + 94, r: NOW });

		setStatus(api, FIRST + 90, 'SHIPPED');
		setStatus(api, FIRST + 94, 'COMPLETED');
		addOrders(api, 7);
		const second = await run(api, first.state);
		expect(second.events.map((e) => [e.order_number - FIRST, e.previous_status, e.order_status])).toEqual([
			[90, 'IN_PROGRESS', 'SHIPPED'],
			[94, 'IN_PROGRESS', 'COMPLETED'],
			...Array.from({ length: 7 }, (_, i) => [95 + i, null, 'PENDING']),
		]);
		expect(second.events[0].detected_at).toBe(new Date(NOW).toISOString());
		expect(second.state.n).toBe(102);

		const third = await run(api, second.state);
		expect(third.events).toEqual([]);
		expect(third.state).toEqual(second.state);
	});

	it('collapses two changes between polls into one event (A→B→C gives A→C)', async () => {
		const api = memoryApi(makeOrders(30, 3));
		const base = await run(api, undefined);
		setStatus(api, FIRST + 29, 'SHIPPED');
		setStatus(api, FIRST + 29, 'ON_HOLD');
		const next = await run(api, base.state);
		expect(next.events.map((e) => [e.previous_status, e.order_status])).toEqual([['IN_PROGRESS', 'ON_HOLD']]);
	});

	it('meets the targets at 10,000 orders with 30 open among the newest: ≤ 5 pages a poll, state < 2 KB', async () => {
		const api = memoryApi(makeOrders(10_000, 30));
		let state = (await run(api, undefined)).state;
		// Finish the baseline's reconciliation (10 pages a poll) before measuring steady state.
		let polls = 0;
		while (state.s) {
			state = (await run(api, state)).state;
			polls++;
		}
		expect(polls).toBe(99);
		setStatus(api, FIRST + 9985, 'SHIPPED');
		addOrders(api, 3);
		const steady = await run(api, state);
		expect(steady.events).toHaveLength(4);
		expect(api.pageCalls.length).toBeLessThanOrEqual(5);
		expect(stateBytes({ orderWatch: steady.state })).toBeLessThan(2048);
		const quiet = await run(api, steady.state);
		expect(api.pageCalls.length).toBeLessThanOrEqual(5);
		expect(quiet.events).toEqual([]);
	});

	it('works without page headers (reads on to a short or empty page)', async () => {
		const api = memoryApi(makeOrders(60, 5), { headers: false });
		const base = await run(api, undefined);
		expect(base.state).toMatchObject({ n: 60, last: FIRST + 59 });
		setStatus(api, FIRST + 57, 'SHIPPED');
		const next = await run(api, base.state);
		expect(next.events.map((e) => e.order_number - FIRST)).toEqual([57]);
		// Page 6 is full, so page 7 is read to learn that nothing follows.
		expect(api.pageCalls).toEqual([6, 7]);
		addOrders(api, 4);
		const more = await run(api, next.state);
		expect(more.events.map((e) => e.order_number - FIRST)).toEqual([60, 61, 62, 63]);
	});

	it('finds watched and new orders after older orders were deleted, and schedules a reconciliation', async () => {
		const api = memoryApi(makeOrders(300, 10));
		const base = await run(api, undefined, { fullScanPagesPerPoll: 30 });
		expect(base.state.s).toBeUndefined();
		api.orders.splice(20, 25); // 25 old (completed) orders disappear: everything after moves down
		setStatus(api, FIRST + 295, 'SHIPPED');
		addOrders(api, 12);
		const next = await run(api, base.state);
		expect(next.fullScan).toBeUndefined();
		expect(next.events.map((e) => [e.order_number - FIRST, e.previous_status])).toEqual([
			[295, 'IN_PROGRESS'],
			...Array.from({ length: 12 }, (_, i) => [300 + i, null]),
		]);
		expect(next.state.n).toBe(287);
		expect(next.state.w.find((w) => w[0] === FIRST + 299)![2]).toBe(274);
		expect(next.state.s?.[0]).toBeGreaterThan(0);
		// Positions are right again: the next poll reads only the hint pages.
		setStatus(api, FIRST + 299, 'COMPLETED');
		const after = await run(api, next.state, { fullScanIntervalHours: 0, fullScanPagesPerPoll: 1 });
		expect(after.events.map((e) => e.order_number - FIRST)).toEqual([299]);
	});

	it('reads a watched order directly when the list no longer shows it', async () => {
		const api = memoryApi(makeOrders(50, 5));
		const base = await run(api, undefined);
		const removed = api.orders.splice(46, 1)[0];
		const next = await run(api, base.state);
		expect(api.orderCalls).toEqual([removed.order_number]);
		expect(next.state.w.map((w) => w[0])).not.toContain(removed.order_number);
		expect(next.events).toEqual([]);
	});

	it('falls back to reading every page when pages contradict the sort order', async () => {
		const api = memoryApi(makeOrders(80, 4));
		const base = await run(api, undefined);
		setStatus(api, FIRST + 78, 'SHIPPED');
		[api.orders[76], api.orders[77]] = [api.orders[77], api.orders[76]];
		const next = await run(api, base.state);
		expect(next.fullScan).toMatch(/not sorted/);
		expect(next.events.map((e) => e.order_number - FIRST)).toEqual([78]);
		expect(api.pageCalls.slice(-8)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
		expect(next.state.r).toBe(NOW);
	});

	it('spreads the reconciliation over polls and watches an order that left a final status', async () => {
		const api = memoryApi(makeOrders(200, 5));
		const base = await run(api, undefined, { fullScanPagesPerPoll: 5 });
		expect(base.state.s).toEqual([15, NOW]);
		setStatus(api, FIRST + 3, 'IN_PROGRESS'); // re-opened (not watched: its previous status is unknown)
		let state = base.state;
		const hours = 1;
		let now = NOW;
		for (let poll = 0; poll < 3; poll++) {
			now += 60_000;
			const out = await run(api, state, { fullScanPagesPerPoll: 5, fullScanIntervalHours: hours }, now);
			expect(out.events).toEqual([]);
			state = out.state;
		}
		expect(state.s).toBeUndefined();
		expect(state.r).toBe(NOW);
		expect(state.w.map((w) => w[0])).toContain(FIRST + 3);
		setStatus(api, FIRST + 3, 'SHIPPED');
		now += 60_000;
		const out = await run(api, state, { fullScanPagesPerPoll: 5, fullScanIntervalHours: hours }, now);
		expect(out.events.map((e) => [e.order_number - FIRST, e.previous_status, e.order_status])).toEqual([
			[3, 'IN_PROGRESS', 'SHIPPED'],
		]);
		// Not due yet: only the hint pages (1 for the re-opened order, 20 for the newest).
		expect(new Set(api.pageCalls)).toEqual(new Set([1, 20]));
		// An hour after the last scan started, the next one starts.
		const due = await run(api, out.state, { fullScanPagesPerPoll: 5, fullScanIntervalHours: hours }, NOW + 3_600_000);
		expect(due.state.s).toEqual([14, NOW + 3_600_000]);
	});

	it('drops orders whose status became final by a settings change and finds newly open ones', async () => {
		const api = memoryApi(makeOrders(40, 4));
		setStatus(api, FIRST + 37, 'SHIPPED');
		setStatus(api, FIRST + 2, 'CANCELLED');
		const base = await run(api, undefined);
		expect(base.state.w.map((w) => w[0] - FIRST)).toEqual([36, 37, 38, 39]);
		const next = await run(api, base.state, { finalStatuses: 'COMPLETED,SHIPPED' });
		expect(next.events).toEqual([]);
		expect(next.state.w.map((w) => w[0] - FIRST)).toEqual([2, 36, 38, 39]);
		expect(next.state.f).toBe(statusSignature(['COMPLETED', 'SHIPPED']));
	});

	it('restarts a running reconciliation from the top when the final statuses change', async () => {
		const api = memoryApi(makeOrders(200, 5));
		const base = await run(api, undefined, { fullScanPagesPerPoll: 5 });
		const partway = (await run(api, base.state, { fullScanPagesPerPoll: 5 })).state;
		expect(partway.s).toEqual([10, NOW]);
		setStatus(api, FIRST + 150, 'SHIPPED'); // page 16, already scanned
		const restarted = await run(api, partway, { fullScanPagesPerPoll: 5, finalStatuses: 'COMPLETED' }, NOW + 1);
		expect(restarted.state.s).toEqual([14, NOW + 1]);
		expect(restarted.state.w.map((w) => w[0])).toContain(FIRST + 150);
	});

	it('does not lose an order added while a poll reads its pages', async () => {
		const api = memoryApi(makeOrders(27, 3));
		const base = await run(api, undefined);
		let added = false;
		api.beforePage = (page) => {
			// After the tail page (3) was read short, more orders arrive and fill pages 3 and 4.
			if (page !== 3 && !added && api.pageCalls.includes(3)) {
				addOrders(api, 8);
				added = true;
			}
		};
		setStatus(api, FIRST + 5, 'IN_PROGRESS'); // forces page 1 to be read after page 3 (re-opened orders are not)
		const watchedLow: TriggerState = { ...base.state, w: [[FIRST + 5, 'COMPLETED', 5], ...base.state.w] };
		const next = await run(api, watchedLow);
		api.beforePage = undefined;
		expect(added).toBe(true);
		const later = await run(api, next.state);
		const newOrders = [...next.events, ...later.events].filter((e) => e.previous_status === null);
		expect(newOrders.map((e) => e.order_number - FIRST)).toEqual([27, 28, 29, 30, 31, 32, 33, 34]);
	});

	it('returns the newest order as a sample, with its previous status when watched', async () => {
		const api = memoryApi(makeOrders(35, 2));
		expect((await sampleEvent(undefined, api.io, NOW))!.order_number).toBe(FIRST + 34);
		expect(api.pageCalls).toEqual([1, 4]);
		const base = await run(api, undefined);
		api.pageCalls.length = 0;
		const sample = await sampleEvent(base.state, api.io, NOW);
		expect(sample).toMatchObject({ order_number: FIRST + 34, previous_status: 'IN_PROGRESS', order_status: 'IN_PROGRESS' });
		expect(api.pageCalls).toEqual([4]);
		expect(await sampleEvent(undefined, memoryApi([]).io, NOW)).toBeUndefined();
	});

	it('emits exactly the transitions between saved states over random changes, with unsaved quiet polls', async () => {
		for (const headers of [true, false]) {
			const rng = createPrng(`unit-soak-${headers}`);
			const api = memoryApi(makeOrders(120, 15), { headers });
			const statuses = ['PENDING', 'IN_PROGRESS', 'SHIPPED', 'ON_HOLD', 'COMPLETED', 'CANCELLED'];
			const raw: RawTriggerSettings = { fullScanPagesPerPoll: 3, fullScanIntervalHours: 0.5 };
			let now = NOW;
			let saved: TriggerState | undefined;
			let snapshot = new Map<number, string>();
			for (let poll = 0; poll < 400; poll++) {
				const open = api.orders.filter((o) => !isFinal(String(o.order_status)));
				for (let k = rng.int(0, 4); k > 0 && open.length; k--) {
					const order = rng.pick(open);
					order.order_status = rng.chance(0.5) ? rng.pick(['COMPLETED', 'CANCELLED']) : rng.pick(statuses);
				}
				// Now and then a burst of new orders that spans pages.
				if (rng.chance(0.25)) addOrders(api, rng.chance(0.1) ? rng.int(10, 25) : rng.int(1, 3), rng.pick(statuses));
				now += 60_000;
				const out = await run(api, saved, raw, now);
				const current = new Map(api.orders.map((o) => [Number(o.order_number), String(o.order_status)]));
				const expected: Array<[number, string | null, string]> = [];
				if (saved) {
					for (const [n, status] of current) {
						const before = snapshot.get(n);
						if (before === undefined) expected.push([n, null, status]);
						else if (!isFinal(before) && before !== status) expected.push([n, before, status]);
					}
				}
				expect(out.events.map((e) => [e.order_number, e.previous_status, e.order_status])).toEqual(expected);
				// Older n8n saves static data only when a poll emits: half the quiet polls are "not saved".
				if (out.events.length || !saved || rng.chance(0.5)) {
					saved = out.state;
					snapshot = current;
				}
			}
		}
	});
});
