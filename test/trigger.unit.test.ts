/**
 * Pure tests of the trigger's pieces (no HTTP, no n8n): state, settings, change detection, page planning,
 * and whole polls over an in-memory order list that behaves like 1NCE's (sorted by order number, 10 a page).
 */
import type { Transition } from '../nodes/OneNce/trigger/changes';
import { detectChanges, selectEvents, statusOf } from '../nodes/OneNce/trigger/changes';
import { PageBook } from '../nodes/OneNce/trigger/pageBook';
import { findEnd, locate, nextStep, type PlanGoal } from '../nodes/OneNce/trigger/pagePlan';
import { pollOrders } from '../nodes/OneNce/trigger/poll';
import { sampleEvent } from '../nodes/OneNce/trigger/sample';
import type { TriggerIo } from '../nodes/OneNce/trigger/io';
import { AttemptBudgetSpent, DeadlineReached, msBeforeDeadline } from '../nodes/OneNce/transport/retry';
import { setClock } from '../nodes/OneNce/transport/processState';
import { packageNow, TIMEOUTS } from '../nodes/OneNce/transport/timing';
import { POLL_MAX_WAIT_MS, pollBudget, SPENT, triggerIo, unlessSpent } from '../nodes/OneNce/trigger/io';
import { LEASE_SLACK_MS, LONGEST_ATTEMPT_MS, POLL_DEADLINE_MS, POLL_LEASE_MS } from '../nodes/OneNce/trigger/pollLock';
import { buildSettings, parseStatusList, type RawTriggerSettings } from '../nodes/OneNce/trigger/settings';
import {
	ignoredStateReason,
	pageOf,
	parseState,
	stateAccount,
	stateBytes,
	statusSignature,
	watchedList,
	type TriggerState,
} from '../nodes/OneNce/trigger/state';
import type { Order, OrderPage } from '../nodes/OneNce/transport/orders';
import type { IPollFunctions } from 'n8n-workflow';

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
	/** Requests the current poll may still send (like the transport's shared attempt budget). */
	budget: { remaining: number };
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
		budget: { remaining: Infinity },
		io: {
			fetchPage: async (page: number): Promise<OrderPage> => {
				if (api.budget.remaining-- <= 0) throw new AttemptBudgetSpent();
				api.beforePage?.(page);
				api.pageCalls.push(page);
				const slice = api.orders.slice((page - 1) * 10, page * 10).map((o) => structuredClone(o));
				const totalPages = Math.ceil(api.orders.length / 10);
				return headers
					? { page, orders: slice, totalPages, totalCount: api.orders.length, isLast: page >= totalPages }
					: { page, orders: slice, isLast: slice.length < 10 };
			},
			fetchOrder: async (n: number) => {
				if (api.budget.remaining-- <= 0) throw new AttemptBudgetSpent();
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

const account = (baseUrl: string, username: string) => stateAccount({ baseUrl, username });
const ACCOUNT = account('http://127.0.0.1:1', 'user');

describe('state', () => {
	const good: TriggerState = {
		version: 2,
		account: ACCOUNT.key,
		generation: 3,
		orderCount: 20,
		highestOrder: FIRST + 19,
		watching: { [FIRST + 18]: { status: 'PENDING', index: 18 } },
		finalStatuses: 'x',
		lastFullScan: '2025-01-01T00:00:00.000Z',
	};

	it('reads a valid state as a copy and rejects anything else', () => {
		const parsed = parseState(good, ACCOUNT)!;
		expect(parsed).toEqual(good);
		parsed.watching[FIRST + 18].status = 'CHANGED';
		expect(good.watching[FIRST + 18].status).toBe('PENDING');
		const scan = { nextPage: 3, startedAt: '2025-01-01T00:00:00.000Z' };
		expect(parseState({ ...good, fullScan: scan }, ACCOUNT)!.fullScan).toEqual(scan);
		for (const bad of [
			undefined,
			null,
			'x',
			[],
			{ ...good, version: 3 },
			{ ...good, orderCount: -1 },
			{ ...good, watching: { 7: { status: 1, index: 2 } } },
			{ ...good, watching: { abc: { status: 'A', index: 2 } } },
			{ ...good, fullScan: { nextPage: 1 } },
			{ ...good, lastFullScan: 'yesterday' },
		]) {
			expect(parseState(bad, ACCOUNT)).toBeUndefined();
		}
	});

	it('belongs to one account: another base URL or user gets no state', () => {
		expect(parseState(good, account('http://127.0.0.1:1/', 'user'))).toBeDefined();
		expect(parseState(good, account('http://127.0.0.1:2', 'user'))).toBeUndefined();
		expect(parseState(good, account('http://127.0.0.1:1', 'other'))).toBeUndefined();
		expect(account('https://api.1nce.com/management-api', 'u').key).toMatch(/^[0-9a-z]{8,14}$/);
	});

	it('uses the transport\'s account key: one account however its base URL is written', () => {
		const key = account('https://api.1nce.com/management-api', 'u').key;
		for (const written of ['', '  https://API.1nce.com/management-api/ ', 'https://api.1nce.com/management-api?x=1#y']) {
			expect(account(written, ' u ').key).toBe(key);
		}
	});

	it('still takes a state bound with the earlier key form, and rebinds it to the current one', () => {
		// Written the way the earlier form (base URL as typed, lower case) and the current one (normalised) differ.
		for (const baseUrl of ['', 'https://api.1nce.com/Management-API', 'https://api.1nce.com/management-api?x=1']) {
			const current = account(baseUrl, 'user');
			expect(current.formerKey).not.toBe(current.key);
			const stored = { ...good, account: current.formerKey };
			expect(parseState(stored, current)).toEqual({ ...good, account: current.key });
			expect(parseState(stored, account('https://other.example', 'user'))).toBeUndefined();
		}
	});

	it('does not use the compact state of the unpublished 0.1.0 ({v: 1}): a new baseline is recorded', () => {
		const v1 = { v: 1, n: 20, last: FIRST + 19, w: [[FIRST + 18, 'PENDING', 18]], f: 'x', r: 0, s: [3, 0] };
		expect(parseState(v1, ACCOUNT)).toBeUndefined();
		expect(ignoredStateReason(v1, ACCOUNT)).toBe('it is unreadable');
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
		expect(s.fullScanIntervalMs).toBe(24 * 3_600_000);
		expect(s.fullScanPagesPerPoll).toBe(10);
		expect([...buildSettings({ finalStatuses: ' , ' }).finals]).toEqual(['COMPLETED', 'CANCELLED']);
		expect([...buildSettings({ finalStatuses: 'done,Shipped' }).finals]).toEqual(['DONE', 'SHIPPED']);
		expect(buildSettings({ fullScanIntervalHours: 0 }).fullScanIntervalMs).toBe(0);
		expect(() => buildSettings({ fullScanIntervalHours: -1 })).toThrow(/Full Scan Interval/);
		expect(() => buildSettings({ fullScanIntervalHours: 'soon' })).toThrow(/Full Scan Interval/);
		expect(() => buildSettings({ fullScanPagesPerPoll: 0 })).toThrow(/Pages per Poll/);
		expect(() => buildSettings({ fullScanPagesPerPoll: 2.5 })).toThrow(/Pages per Poll/);
	});
});

describe('poll deadline and lease', () => {
	it('a poll has ended, its last attempt included, well before another poll may take over its lease', () => {
		expect(POLL_DEADLINE_MS).toBe(10 * 60_000);
		expect(POLL_LEASE_MS).toBe(15 * 60_000);
		// An attempt sent just before the deadline: a token request first, then the page, each up to its timeout.
		expect(LONGEST_ATTEMPT_MS).toBeGreaterThanOrEqual(TIMEOUTS.tokenMs + TIMEOUTS.readMs);
		expect(POLL_DEADLINE_MS + LONGEST_ATTEMPT_MS).toBeLessThan(POLL_LEASE_MS);
		expect(LEASE_SLACK_MS).toBe(POLL_LEASE_MS - POLL_DEADLINE_MS - LONGEST_ATTEMPT_MS);
		expect(LEASE_SLACK_MS).toBeGreaterThanOrEqual(60_000);
		// A single request's wait budget fits too (a poll of one throttled request).
		expect(POLL_MAX_WAIT_MS + LONGEST_ATTEMPT_MS).toBeLessThan(POLL_DEADLINE_MS);
	});

	it('each poll\'s budget carries its deadline, counted from when it is made', () => {
		const before = packageNow();
		const budget = pollBudget(20);
		expect(budget.deadline).toBeGreaterThanOrEqual(before + POLL_DEADLINE_MS);
		expect(budget.deadline).toBeLessThanOrEqual(packageNow() + POLL_DEADLINE_MS);
		expect(msBeforeDeadline(budget)).toBeLessThanOrEqual(POLL_DEADLINE_MS);
		expect(msBeforeDeadline(budget)).toBeGreaterThan(POLL_DEADLINE_MS - 60_000);
	});

	it('msBeforeDeadline counts real time left, none without a deadline, 0 once passed', () => {
		expect(msBeforeDeadline({ maxWaitMs: 0 })).toBe(Infinity);
		expect(msBeforeDeadline({ maxWaitMs: 0, deadline: packageNow() - 1 })).toBe(0);
		setClock({ speed: 100 });
		try {
			const left = msBeforeDeadline({ maxWaitMs: 0, deadline: packageNow() + 60_000 });
			expect(left).toBeGreaterThan(500);
			expect(left).toBeLessThanOrEqual(600);
		} finally {
			setClock();
		}
	});

	it('a deadline ends a poll\'s reads as a spent request budget does', async () => {
		expect(new DeadlineReached()).toBeInstanceOf(AttemptBudgetSpent);
		expect(await unlessSpent(Promise.reject(new DeadlineReached()))).toBe(SPENT);
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
			fullScan: { top: 'belowTail', count: 3 },
		};
		const book = new PageBook();
		const reasons: string[] = [];
		let step = nextStep(book, goal);
		while (step.kind === 'fetch') {
			reasons.push(`${step.page}:${step.reason}`);
			book.add(await api.io.fetchPage(step.page));
			step = nextStep(book, goal);
		}
		expect(reasons).toEqual(['100:hint', '51:hint', '101:tail', '99:fullScan', '98:fullScan', '97:fullScan']);
		expect(step).toEqual({
			kind: 'done',
			resolution: {
				located: new Map([
					[FIRST + 999, { page: 100, index: 999 }],
					[FIRST + 995, { page: 100, index: 995 }],
					[FIRST + 500, { page: 51, index: 500 }],
				]),
				tail: { from: 100, to: 101, complete: true },
				scanned: { from: 99, to: 97 },
			},
		});
	});

	it('says what the pages read so far settle, so a poll cut short by its budget keeps it', async () => {
		const api = memoryApi(makeOrders(1005));
		const goal: PlanGoal = {
			boundary: { number: FIRST + 949, hintPage: 95 },
			find: [{ number: FIRST + 500, hintPage: 51 }],
			fullScan: { top: 'belowTail', count: 3 },
		};
		const book = await bookOf(api, [95, 96, 97]);
		const step = nextStep(book, goal);
		expect(step).toMatchObject({ kind: 'fetch', page: 51, reason: 'hint' });
		if (step.kind !== 'fetch') throw new Error('expected a fetch');
		expect(step.resolution.located.get(FIRST + 949)).toEqual({ page: 95, index: 949 });
		expect(step.resolution.located.has(FIRST + 500)).toBe(false);
		// Pages 95 to 97 were read without a gap: the tail so far, not complete.
		expect(step.resolution.tail).toEqual({ from: 95, to: 97, complete: false });
		expect(step.resolution.scanned).toBeUndefined();
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
	const ids = (state: TriggerState | undefined) => watchedList(state!).map((w) => w[0]);
	const at = (state: TriggerState | undefined, n: number) => state!.watching[String(n)];

	async function run(api: MemoryApi, prior: TriggerState | undefined, raw: RawTriggerSettings = {}, now = NOW) {
		api.pageCalls.length = 0;
		api.orderCalls.length = 0;
		const s = settings(raw);
		api.budget.remaining = s.requestsPerPoll;
		return await pollOrders({ prior, settings: s, io: api.io, now, account: ACCOUNT.key });
	}

	it('records a baseline without events, then reports changes and new orders exactly once', async () => {
		const api = memoryApi(makeOrders(95, 12));
		const first = await run(api, undefined);
		expect(first.events).toEqual([]);
		expect(first.baseline).toBe(true);
		expect(ids(first.state).map((n) => n - FIRST)).toEqual(Array.from({ length: 12 }, (_, i) => 83 + i));
		expect(first.state).toMatchObject({ version: 2, account: ACCOUNT.key, orderCount: 95, highestOrder: FIRST + 94 });
		expect(first.state!.lastFullScan).toBe(new Date(NOW).toISOString());

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
		expect(second.state!.orderCount).toBe(102);

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

	it('meets the targets at 10,000 orders with 30 open among the newest: ≤ 4 pages a poll, state < 2 KB', async () => {
		const api = memoryApi(makeOrders(10_000, 30));
		let state = (await run(api, undefined)).state;
		// Finish the baseline's full scan (10 pages a poll) before measuring regular polls.
		let polls = 0;
		while (state!.fullScan) {
			state = (await run(api, state)).state;
			polls++;
		}
		expect(polls).toBe(99);
		setStatus(api, FIRST + 9985, 'SHIPPED');
		addOrders(api, 3);
		const steady = await run(api, state);
		expect(steady.events).toHaveLength(4);
		expect(api.pageCalls.length).toBeLessThanOrEqual(4);
		expect(stateBytes({ orderWatch: steady.state })).toBeLessThan(2048);
		const quiet = await run(api, steady.state);
		expect(api.pageCalls.length).toBeLessThanOrEqual(4);
		expect(quiet.events).toEqual([]);
	});

	it('works without page headers (reads on to a short or empty page)', async () => {
		const api = memoryApi(makeOrders(60, 5), { headers: false });
		const base = await run(api, undefined);
		expect(base.state).toMatchObject({ orderCount: 60, highestOrder: FIRST + 59 });
		setStatus(api, FIRST + 57, 'SHIPPED');
		const next = await run(api, base.state);
		expect(next.events.map((e) => e.order_number - FIRST)).toEqual([57]);
		// Page 6 is full, so page 7 is read to learn that nothing follows.
		expect(api.pageCalls).toEqual([6, 7]);
		addOrders(api, 4);
		const more = await run(api, next.state);
		expect(more.events.map((e) => e.order_number - FIRST)).toEqual([60, 61, 62, 63]);
	});

	it('finds watched and new orders after older orders were deleted, and starts a full scan', async () => {
		const api = memoryApi(makeOrders(300, 10));
		const base = await run(api, undefined, { fullScanPagesPerPoll: 30, requestsPerPoll: 40 });
		expect(base.state!.fullScan).toBeUndefined();
		api.orders.splice(20, 25); // 25 old (completed) orders disappear: everything after moves down
		setStatus(api, FIRST + 295, 'SHIPPED');
		addOrders(api, 12);
		const next = await run(api, base.state);
		expect(next.recoveryStarted).toBeUndefined();
		expect(next.events.map((e) => [e.order_number - FIRST, e.previous_status])).toEqual([
			[295, 'IN_PROGRESS'],
			...Array.from({ length: 12 }, (_, i) => [300 + i, null]),
		]);
		expect(next.state!.orderCount).toBe(287);
		expect(at(next.state, FIRST + 299).index).toBe(274);
		expect(next.state!.fullScan?.nextPage).toBeGreaterThan(0);
		// Positions are right again: the next poll reads only the hint pages.
		setStatus(api, FIRST + 299, 'COMPLETED');
		const after = await run(api, next.state, { fullScanIntervalHours: 0, fullScanPagesPerPoll: 1 });
		expect(after.events.map((e) => e.order_number - FIRST)).toEqual([299]);
	});

	it('reads a watched order directly when the list no longer shows it, and checks the answer', async () => {
		const api = memoryApi(makeOrders(50, 5));
		const base = await run(api, undefined);
		const removed = api.orders.splice(46, 1)[0];
		const next = await run(api, base.state);
		expect(api.orderCalls).toEqual([removed.order_number]);
		expect(ids(next.state)).not.toContain(removed.order_number);
		expect(next.events).toEqual([]);

		// An answer for another order than asked is an error, and nothing is stored from it.
		const other = memoryApi(makeOrders(50, 5));
		const otherBase = await run(other, undefined);
		other.orders.splice(46, 1);
		other.io.fetchOrder = async () => ({ order_number: FIRST + 3, order_status: 'SHIPPED' });
		await expect(run(other, otherBase.state)).rejects.toThrow(/order 2000000047 with order 2000000004/);
	});

	it('turns pages that contradict the sort order into a recovery read across polls within the budget', async () => {
		const api = memoryApi(makeOrders(800, 4));
		const base = await run(api, undefined, { fullScanPagesPerPoll: 5 });
		let state = base.state;
		while (state!.fullScan) state = (await run(api, state, { fullScanPagesPerPoll: 5 })).state;
		setStatus(api, FIRST + 798, 'SHIPPED');
		[api.orders[796], api.orders[797]] = [api.orders[797], api.orders[796]];
		addOrders(api, 3);
		const events: Array<[number, string | null, string]> = [];
		const first = await run(api, state);
		expect(first.recoveryStarted).toMatch(/not sorted/);
		state = first.state;
		events.push(...first.events.map((e): [number, string | null, string] => [e.order_number - FIRST, e.previous_status, e.order_status]));
		let polls = 1;
		expect(api.pageCalls.length + api.orderCalls.length).toBeLessThanOrEqual(20);
		while (state!.recovery) {
			const out = await run(api, state);
			expect(api.pageCalls.length + api.orderCalls.length).toBeLessThanOrEqual(20);
			events.push(...out.events.map((e): [number, string | null, string] => [e.order_number - FIRST, e.previous_status, e.order_status]));
			state = out.state;
			polls++;
		}
		expect(polls).toBe(5); // 81 pages, 20 a poll (the first poll spent 2 before it noticed)
		expect(events).toEqual([
			[798, 'IN_PROGRESS', 'SHIPPED'],
			[800, null, 'PENDING'],
			[801, null, 'PENDING'],
			[802, null, 'PENDING'],
		]);
		expect(state).toMatchObject({ orderCount: 803, highestOrder: FIRST + 802 });
		expect((await run(api, state)).events).toEqual([]);
	});

	it('catches up a backlog of 1,200 new orders within the budget per poll, each reported once', async () => {
		const api = memoryApi(makeOrders(500, 30));
		let state = (await run(api, undefined, { fullScanIntervalHours: 0 })).state;
		addOrders(api, 1200);
		const reported: number[] = [];
		let polls = 0;
		let requests = 0;
		do {
			const out = await run(api, state);
			requests += api.pageCalls.length + api.orderCalls.length;
			expect(api.pageCalls.length + api.orderCalls.length).toBeLessThanOrEqual(20);
			reported.push(...out.events.filter((e) => e.previous_status === null).map((e) => e.order_number));
			state = out.state;
			polls++;
		} while (state!.newOrdersBehind && polls < 50);
		expect(reported).toEqual(Array.from({ length: 1200 }, (_, i) => FIRST + 500 + i));
		expect(polls).toBeLessThanOrEqual(10);
		expect(requests).toBeLessThanOrEqual(200);
	});

	it('spends at most the budget on a state that claims 5,000 watched orders, and works through them', async () => {
		const api = memoryApi(makeOrders(6000, 0));
		const base = (await run(api, undefined, { fullScanIntervalHours: 0, requestsPerPoll: 100, fullScanPagesPerPoll: 100 })).state!;
		const watching: TriggerState['watching'] = {};
		for (let i = 1000; i < 6000; i++) watching[FIRST + i] = { status: 'IN_PROGRESS', index: i };
		let state: TriggerState | undefined = { ...base, watching };
		const seen = new Set<number>();
		let polls = 0;
		while (Object.keys(state!.watching).length && polls < 60) {
			const out = await run(api, state);
			expect(api.pageCalls.length + api.orderCalls.length).toBeLessThanOrEqual(20);
			for (const e of out.events) {
				expect(seen.has(e.order_number)).toBe(false);
				seen.add(e.order_number);
			}
			state = out.state;
			polls++;
		}
		expect(seen.size).toBe(5000);
		expect(polls).toBeLessThanOrEqual(30);
	});

	it('reports orders without a whole-number order_number, and skips them in a sample', async () => {
		const api = memoryApi(makeOrders(25, 3));
		const base = await run(api, undefined);
		api.orders.push({ order_number: 'abc' as unknown as number, order_status: 'PENDING' });
		api.orders.push({ order_number: 2.5 as unknown as number, order_status: 'PENDING' });
		const next = await run(api, base.state);
		expect(next.unnumbered).toEqual(['abc', 2.5]);
		const skipped: unknown[][] = [];
		const sample = await sampleEvent(base.state, api.io, NOW, (unnumbered) => skipped.push(unnumbered));
		expect(sample).toMatchObject({ order_number: FIRST + 24 });
		expect(skipped).toEqual([['abc', 2.5]]);
	});

	it('a sample whose newest page holds only such orders reads the page below; none at all fails', async () => {
		const api = memoryApi(makeOrders(30, 3));
		api.orders.push({ order_number: 'abc' as unknown as number, order_status: 'PENDING' });
		const sample = await sampleEvent(undefined, api.io, NOW);
		expect(sample).toMatchObject({ order_number: FIRST + 29 });
		expect(api.pageCalls).toEqual([1, 4, 3]);
		const none = memoryApi([{ order_number: 1.5 as unknown as number, order_status: 'PENDING' }]);
		await expect(sampleEvent(undefined, none.io, NOW)).rejects.toThrow(/not a whole number .* and no order with one/);
	});

	it('spreads the full scan over polls and watches an order that left a final status', async () => {
		const api = memoryApi(makeOrders(200, 5));
		const base = await run(api, undefined, { fullScanPagesPerPoll: 5 });
		expect(base.state!.fullScan).toEqual({ nextPage: 15, startedAt: new Date(NOW).toISOString() });
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
		expect(state!.fullScan).toBeUndefined();
		expect(state!.lastFullScan).toBe(new Date(NOW).toISOString());
		expect(ids(state)).toContain(FIRST + 3);
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
		expect(due.state!.fullScan).toEqual({ nextPage: 14, startedAt: new Date(NOW + 3_600_000).toISOString() });
	});

	it('drops orders whose status became final by a settings change and finds newly open ones', async () => {
		const api = memoryApi(makeOrders(40, 4));
		setStatus(api, FIRST + 37, 'SHIPPED');
		setStatus(api, FIRST + 2, 'CANCELLED');
		const base = await run(api, undefined);
		expect(ids(base.state).map((n) => n - FIRST)).toEqual([36, 37, 38, 39]);
		const next = await run(api, base.state, { finalStatuses: 'COMPLETED,SHIPPED' });
		expect(next.events).toEqual([]);
		expect(ids(next.state).map((n) => n - FIRST)).toEqual([2, 36, 38, 39]);
		expect(next.state!.finalStatuses).toBe(statusSignature(['COMPLETED', 'SHIPPED']));
	});

	it('restarts a running full scan from the top when the final statuses change', async () => {
		const api = memoryApi(makeOrders(200, 5));
		const base = await run(api, undefined, { fullScanPagesPerPoll: 5 });
		const partway = (await run(api, base.state, { fullScanPagesPerPoll: 5 })).state;
		expect(partway!.fullScan?.nextPage).toBe(10);
		setStatus(api, FIRST + 150, 'SHIPPED'); // page 16, already scanned
		const restarted = await run(api, partway, { fullScanPagesPerPoll: 5, finalStatuses: 'COMPLETED' }, NOW + 1);
		expect(restarted.state!.fullScan).toEqual({ nextPage: 14, startedAt: new Date(NOW + 1).toISOString() });
		expect(ids(restarted.state)).toContain(FIRST + 150);
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
		const watchedLow: TriggerState = {
			...base.state!,
			watching: { ...base.state!.watching, [FIRST + 5]: { status: 'COMPLETED', index: 5 } },
		};
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

	it('emits each transition once over random changes and backlogs, within the budget, with unsaved quiet polls', async () => {
		for (const headers of [true, false]) {
			const rng = createPrng(`unit-soak-${headers}`);
			const api = memoryApi(makeOrders(120, 15), { headers });
			const statuses = ['PENDING', 'IN_PROGRESS', 'SHIPPED', 'ON_HOLD', 'COMPLETED', 'CANCELLED'];
			const raw: RawTriggerSettings = { fullScanPagesPerPoll: 3, fullScanIntervalHours: 0.5, requestsPerPoll: 8 };
			let now = NOW;
			let saved: TriggerState | undefined;
			const check = (out: Awaited<ReturnType<typeof run>>, world: Map<number, string>) => {
				expectDiffMatchesEvents(saved, out.state, out.transitions, world);
				expect(api.pageCalls.length + api.orderCalls.length).toBeLessThanOrEqual(8);
			};
			for (let poll = 0; poll < 400; poll++) {
				const open = api.orders.filter((o) => !isFinal(String(o.order_status)));
				for (let k = rng.int(0, 4); k > 0 && open.length; k--) {
					const order = rng.pick(open);
					order.order_status = rng.chance(0.5) ? rng.pick(['COMPLETED', 'CANCELLED']) : rng.pick(statuses);
				}
				// Now and then a burst of new orders that spans pages, sometimes more than a poll can read.
				if (rng.chance(0.25)) addOrders(api, rng.chance(0.1) ? rng.int(10, 120) : rng.int(1, 3), rng.pick(statuses));
				now += 60_000;
				const world = new Map(api.orders.map((o) => [Number(o.order_number), String(o.order_status)]));
				const out = await run(api, saved, raw, now);
				check(out, world);
				// Older n8n saves static data only when a poll emits: half the quiet polls are "not saved".
				if (out.events.length || !saved || rng.chance(0.5)) saved = out.state;
			}
			// Once the world stands still, the state catches up with it completely.
			for (let poll = 0; poll < 40; poll++) {
				now += 60_000;
				const world = new Map(api.orders.map((o) => [Number(o.order_number), String(o.order_status)]));
				const out = await run(api, saved, { ...raw, fullScanIntervalHours: 0 }, now);
				check(out, world);
				saved = out.state;
			}
			expect(saved!.highestOrder).toBe(Number(api.orders[api.orders.length - 1].order_number));
			const open = api.orders.filter((o) => !isFinal(String(o.order_status)));
			expect(saved!.watching).toEqual(
				Object.fromEntries(open.map((o) => [String(o.order_number), { status: o.order_status, index: api.orders.indexOf(o) }])),
			);
		}
	});
});

/**
 * The transitions of a poll are exactly what its state changed, measured against the world as it was
 * read: a watched order whose recorded status changed (or that left as final), and every order between the
 * old and the new highest number as new. Nothing is reported that the saved state already recorded.
 */
function expectDiffMatchesEvents(
	before: TriggerState | undefined,
	after: TriggerState | undefined,
	transitions: Transition[],
	world: Map<number, string>,
) {
	if (!before || !after) {
		expect(transitions).toEqual([]);
		return;
	}
	const expected: Array<[number, string | null, string]> = [];
	for (const [key, entry] of Object.entries(before.watching)) {
		const number = Number(key);
		const now = after.watching[key];
		if (now ? now.status !== entry.status : world.has(number) && world.get(number) !== entry.status) {
			expected.push([number, entry.status, world.get(number)!]);
		}
	}
	if (!after.baselineIncomplete && !before.baselineIncomplete) {
		for (const [number, status] of world) {
			if (number > before.highestOrder && number <= after.highestOrder) expected.push([number, null, status]);
		}
	}
	expected.sort((a, b) => a[0] - b[0]);
	expect(transitions.map((t) => [t.order_number, t.previous_status, t.order_status])).toEqual(expected);
}

// What 1NCE answers an order read with, through the transport: a missing order is an answer (the failure's kind
// says not-found), any other failure fails the poll.
describe("the trigger's order read", () => {
	function io(answer: { statusCode: number; body: unknown }) {
		const context = {
			getNode: () => ({ name: '1NCE Trigger', type: 'n8n-nodes-1nce.oneNceTrigger', typeVersion: 1, position: [0, 0], parameters: {} }),
			getCredentials: async () => ({ baseUrl: 'http://127.0.0.1:9/management-api', username: 'u', password: 'p', requestAllowance: 0 }),
			helpers: { httpRequestWithAuthentication: async () => ({ headers: {}, ...answer }) },
		} as unknown as IPollFunctions;
		return triggerIo(context, pollBudget(5));
	}

	test('a missing order reads as none', async () => {
		await expect(io({ statusCode: 404, body: { message: 'Order not found' } }).fetchOrder(FIRST)).resolves.toBeUndefined();
	});

	test('a refused read fails', async () => {
		await expect(io({ statusCode: 400, body: { message: 'bad order number' } }).fetchOrder(FIRST)).rejects.toThrow(
			'1NCE rejected the request: bad order number',
		);
	});
});
