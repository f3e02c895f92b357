// pacing.ts on its own: which paths count, and how sends are booked within the allowance; then apiRequest
// over pacing with a stand-in for n8n's HTTP helper and Jest's clock (no network, nothing timing-dependent).
import type { IExecuteFunctions } from 'n8n-workflow';

import type { Slot } from '../nodes/OneNce/transport/pacing';
import type { LaneKey } from '../nodes/OneNce/transport/pacing';
import { bookSend, holdOff, ORDERS_WINDOW, PACING_WINDOW_MS, release, settle, SIMS_WINDOW, startSend, windowOf } from '../nodes/OneNce/transport/pacing';
import { resetProcessState, setClock } from '../nodes/OneNce/transport/processState';
import { apiRequest } from '../nodes/OneNce/transport/request';
import { getSim } from '../nodes/OneNce/transport/sims';

beforeEach(() => {
	resetProcessState();
	setClock();
});
afterAll(() => {
	setClock();
});

/** The orders window of two base URLs. */
const A: LaneKey = { window: ORDERS_WINDOW, baseUrl: 'https://a' };
const B: LaneKey = { window: ORDERS_WINDOW, baseUrl: 'https://b' };

test.each([
	['/v1/orders', 'orders'],
	['/v1/orders/2000000001', 'orders'],
	['/v1/products', 'orders'],
	['/oauth/token', undefined],
	['/v1/sims', 'sims'],
	['/v1/sims/8988280666000000001', 'sims'],
	['/v1/ordersx', undefined],
])('%s is paced in the window: %s', (path, window) => {
	expect(windowOf(path)?.name).toBe(window);
});

test('the first `allowance` sends go at once; the next waits about a window', () => {
	for (let i = 0; i < 5; i++) expect(bookSend(A, 5, Infinity)).toMatchObject({ waitMs: 0 });
	const next = bookSend(A, 5, Infinity);
	expect(next.waitMs).toBeGreaterThan(PACING_WINDOW_MS * 0.99);
	expect(next.waitMs).toBeLessThan(PACING_WINDOW_MS * 1.02);
});

test('base URLs have separate budgets', () => {
	for (let i = 0; i < 5; i++) bookSend(A, 5, Infinity);
	expect(bookSend(B, 5, Infinity)).toMatchObject({ waitMs: 0 });
});

test('a send that would wait longer than allowed is refused and not booked', () => {
	for (let i = 0; i < 2; i++) bookSend(A, 2, Infinity);
	const refused = bookSend(A, 2, 1000);
	expect(refused).toMatchObject({ refused: true });
	// Not booked: the next send with patience waits for the same slot, not one further on.
	expect(bookSend(A, 2, Infinity).waitMs).toBeCloseTo(refused.waitMs, -2);
});

test('a send is counted from when it was answered, not when it was booked', () => {
	setClock({ speed: 60_000 });
	const first = bookSend(A, 1, Infinity);
	const bookedAt = 'slot' in first ? first.slot!.at : 0;
	// Let some package time pass (real time is compressed 60,000 times: 1 ms is a minute).
	const until = Date.now() + 3;
	while (Date.now() < until);
	settle('slot' in first ? first.slot : undefined);
	expect('slot' in first && first.slot!.at).toBeGreaterThan(bookedAt);
});

test('allowance 0 turns pacing off', () => {
	for (let i = 0; i < 500; i++) expect(bookSend(A, 0, 0)).toEqual({ waitMs: 0 });
});

test('after a throttle, nothing is sent until the hold ends', () => {
	holdOff(A, 60_000);
	const booking = bookSend(A, 100, Infinity);
	expect(booking.waitMs).toBeGreaterThan(59_000);
});

test('the package clock compresses waits: at speed 60 a window is 5 s of real time', () => {
	setClock({ speed: 60 });
	bookSend(A, 1, Infinity);
	const next = bookSend(A, 1, Infinity);
	expect(next.waitMs).toBeGreaterThan(4_900);
	expect(next.waitMs).toBeLessThan(5_200);
});

// A window plus the client's margin (1 %): the spacing pacing keeps between a send and the one `allowance` later.
const SPACING_MS = PACING_WINDOW_MS * 1.01;
const T0 = Date.parse('2025-06-02T09:00:00Z');

function slotOf(booking: ReturnType<typeof bookSend>): Slot {
	if (!('slot' in booking) || !booking.slot) throw new Error(`not booked: ${JSON.stringify(booking)}`);
	return booking.slot;
}

describe('on a controlled clock', () => {
	let now = T0;
	const advance = (ms: number) => {
		now += ms;
		jest.setSystemTime(now);
	};
	beforeEach(() => {
		now = T0;
		jest.useFakeTimers({ now });
	});
	afterEach(() => {
		jest.useRealTimers();
	});

	describe('a retry after its own hold (bug D)', () => {
		test('still waits out a longer hold another request set after its own', () => {
			const own = holdOff(A, 10_000);
			advance(1_000);
			holdOff(A, 60_000); // another request's throttled answer: held until T0 + 61 s
			advance(9_000); // this request's own hold is over
			expect(bookSend(A, 100, Infinity, own).waitMs).toBe(51_000);
		});

		test('still waits out a longer hold set before its own', () => {
			holdOff(A, 60_000);
			const own = holdOff(A, 10_000);
			advance(10_000);
			expect(bookSend(A, 100, Infinity, own).waitMs).toBe(50_000);
		});

		test('does not wait its own hold twice (a timer may fire a little early)', () => {
			const own = holdOff(A, 10_000);
			advance(9_999);
			expect(bookSend(A, 100, Infinity, own).waitMs).toBe(0);
			// Anyone else still waits for the hold.
			expect(bookSend(A, 100, Infinity).waitMs).toBe(1);
		});

		test('a booking made before a hold began waits it out too', () => {
			const waiting = slotOf(bookSend(A, 1, Infinity));
			const behind = slotOf(bookSend(A, 1, Infinity));
			expect(startSend(waiting, Infinity)).toEqual({ waitMs: 0 });
			settle(waiting);
			holdOff(A, 2 * PACING_WINDOW_MS);
			advance(SPACING_MS);
			expect(startSend(behind, Infinity)).toEqual({ waitMs: 2 * PACING_WINDOW_MS - SPACING_MS });
		});
	});

	describe('bookings handed out move with a late answer (bug E)', () => {
		test('the send one window later waits until a window after the answer of the one before', () => {
			const first = slotOf(bookSend(A, 1, Infinity));
			const second = bookSend(A, 1, Infinity);
			expect(second.waitMs).toBe(SPACING_MS);
			expect(startSend(first, Infinity)).toEqual({ waitMs: 0 });
			advance(20_000);
			settle(first); // answered 20 s after it was sent: 1NCE may have counted it as late as now
			expect(slotOf(second).at).toBe(T0 + 20_000 + SPACING_MS);
			// Its caller wakes when first told, checks again, and waits the difference.
			advance(SPACING_MS - 20_000);
			expect(startSend(slotOf(second), Infinity)).toEqual({ waitMs: 20_000 });
			advance(20_000);
			expect(startSend(slotOf(second), Infinity)).toEqual({ waitMs: 0 });
		});

		test('under a burst only the sends the late answer limits move, in booking order', () => {
			const [a, b, c, d] = Array.from({ length: 4 }, () => slotOf(bookSend(A, 2, Infinity)));
			expect([c.at, d.at]).toEqual([T0 + SPACING_MS, T0 + SPACING_MS]);
			startSend(a, Infinity);
			startSend(b, Infinity);
			settle(b);
			advance(20_000);
			settle(a);
			// c still follows b by a window; d now follows a's late answer by one.
			expect([c.at, d.at]).toEqual([T0 + SPACING_MS, T0 + 20_000 + SPACING_MS]);
			// The next booking queues behind d.
			expect(slotOf(bookSend(A, 2, Infinity)).at).toBe(T0 + 2 * SPACING_MS);
		});

		test('a send that goes later than booked counts from when it went', () => {
			const first = slotOf(bookSend(A, 1, Infinity));
			const second = slotOf(bookSend(A, 1, Infinity));
			advance(5_000); // a busy host: the first send's caller only now gets to send it
			expect(startSend(first, Infinity)).toEqual({ waitMs: 0 });
			expect(second.at).toBe(T0 + 5_000 + SPACING_MS);
		});

		test('a send moved past its caller\'s patience is given up and no longer counts', () => {
			const first = slotOf(bookSend(A, 1, Infinity));
			const second = bookSend(A, 1, SPACING_MS);
			startSend(first, Infinity);
			advance(20_000);
			settle(first);
			advance(SPACING_MS - 20_000);
			expect(startSend(slotOf(second), 19_999)).toEqual({ refused: true, waitMs: 20_000 });
			expect(bookSend(A, 1, Infinity).waitMs).toBe(20_000);
		});

		test('a booking released before sending no longer counts', () => {
			slotOf(bookSend(A, 1, Infinity));
			const second = slotOf(bookSend(A, 1, Infinity));
			release(second);
			expect(bookSend(A, 1, Infinity).waitMs).toBe(SPACING_MS);
		});
	});

	describe('apiRequest', () => {
		type Answer = { statusCode: number; headers: Record<string, string>; body: unknown };
		/** One send as 1NCE saw it: `at` when it was sent, `counted` the latest it can have arrived (its answer). */
		type Seen = { at: number; counted: number };

		/** A context whose HTTP helper answers the n-th send with answers[n] after delays[n] ms (200 [] at once by default). */
		function context(allowance: number, answers: Answer[], delays: number[]) {
			const seen: Seen[] = [];
			const ok: Answer = { statusCode: 200, headers: {}, body: [] };
			const httpRequestWithAuthentication = async () => {
				const index = seen.length;
				const at = Date.now();
				const delay = delays[index] ?? 0;
				seen.push({ at, counted: at + delay });
				if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
				return answers[index] ?? ok;
			};
			const ctx = {
				getNode: () => ({ id: '1', name: '1NCE', type: 'n8n-nodes-1nce.oneNce', typeVersion: 1, position: [0, 0], parameters: {} }),
				getCredentials: async () => ({ baseUrl: 'http://127.0.0.1:9', requestAllowance: allowance }),
				helpers: { httpRequestWithAuthentication },
			} as unknown as IExecuteFunctions;
			return { ctx, seen };
		}

		async function runAll(ctx: IExecuteFunctions, count: number, untilMs: number) {
			const outcomes = Array.from({ length: count }, () =>
				apiRequest.call(ctx, { method: 'GET', path: '/v1/orders' }).then(
					(response) => response.statusCode,
					(error: Error) => error.message,
				),
			);
			await jest.advanceTimersByTimeAsync(untilMs);
			return await Promise.all(outcomes);
		}

		test('a retry after its own 429 does not go out during a longer hold another request set after it (bug D)', async () => {
			// Both sent at once; the first is told to retry after 10 s, the second, answered 1 s later, after 60 s.
			const throttled = (seconds: number): Answer => ({ statusCode: 429, headers: { 'retry-after': String(seconds) }, body: {} });
			const { ctx, seen } = context(100, [throttled(10), throttled(60)], [0, 1_000]);
			expect(await runAll(ctx, 2, 120_000)).toEqual([200, 200]);
			expect(seen).toHaveLength(4);
			// Nothing is sent while the host is held (until T0 + 61 s).
			for (const send of seen.slice(2)) expect(send.at).toBeGreaterThanOrEqual(T0 + 61_000);
		});

		test('no more than the allowance reaches 1NCE within a window when an answer comes late (bug E)', async () => {
			// Allowance 2, four requests at once: the first send's answer takes 20 s, so 1NCE may have counted it
			// only then; the fourth, booked a window after it, must move with it.
			const { ctx, seen } = context(2, [], [20_000]);
			expect(await runAll(ctx, 4, 2 * SPACING_MS)).toEqual([200, 200, 200, 200]);
			const arrivals = seen.map((send) => send.counted).sort((x, y) => x - y);
			expect(arrivals).toHaveLength(4);
			for (let i = 0; i + 2 < arrivals.length; i++) {
				expect(arrivals[i + 2] - arrivals[i]).toBeGreaterThanOrEqual(PACING_WINDOW_MS);
			}
		});

		test('a request whose budget another request emptied while it waited for its turn sends nothing and gives its turn back', async () => {
			// Allowance 1: the second order request waits a window behind the first. Meanwhile a SIM request of the
			// same budget (a poll's) takes the last attempt.
			const { ctx, seen } = context(1, [], []);
			const budget = { maxWaitMs: 2 * SPACING_MS, attempts: { remaining: 2 } };
			const outcomes: Record<string, string> = {};
			const run = (name: string, path: string, own?: typeof budget) =>
				void apiRequest.call(ctx, { method: 'GET', path }, own).then(
					() => (outcomes[name] = 'sent'),
					(error: Error) => (outcomes[name] = error.name),
				);
			run('first', '/v1/orders', budget);
			run('waiting', '/v1/orders', budget);
			await jest.advanceTimersByTimeAsync(0);
			run('sim', '/v1/sims/8988280666000000001', budget);
			await jest.advanceTimersByTimeAsync(SPACING_MS + 1_000);
			expect(outcomes).toEqual({ first: 'sent', sim: 'sent', waiting: 'AttemptBudgetSpent' });
			expect(seen).toHaveLength(2);
			// Its turn counts no more: a request of another execution goes at once, a window after the first send.
			run('later', '/v1/orders');
			await jest.advanceTimersByTimeAsync(1_000);
			expect(outcomes.later).toBe('sent');
			expect(seen).toHaveLength(3);
		});

		describe('SIM requests, in the SIM window (10 per second)', () => {
			const sim = (iccid: number): Answer => ({ statusCode: 200, headers: {}, body: { iccid: String(iccid) } });
			const iccids = Array.from({ length: 11 }, (_, i) => String(8988280666000000000 + i));

			test('a throttled SIM answer holds every SIM request of the host until its Retry-After', async () => {
				const throttled: Answer = { statusCode: 429, headers: { 'retry-after': '10' }, body: {} };
				const { ctx, seen } = context(100, [throttled, sim(1), sim(2)], []);
				const first = getSim.call(ctx, iccids[0]);
				await jest.advanceTimersByTimeAsync(1_000);
				const second = getSim.call(ctx, iccids[1]);
				await jest.advanceTimersByTimeAsync(20_000);
				await Promise.all([first, second]);
				expect(seen).toHaveLength(3);
				for (const send of seen.slice(1)) expect(send.at).toBeGreaterThanOrEqual(T0 + 10_000);
			});

			/** The most sends that may have reached 1NCE within one window: each arrived between `at` and `counted`. */
			const busiest = (seen: Seen[], windowMs: number) =>
				Math.max(...seen.map(({ at: end }) => seen.filter((send) => send.at <= end && send.counted > end - windowMs).length));

			test('a burst moves with a late answer: never 11 within a second, however early that answer arrived', async () => {
				const burst = Array.from({ length: 20 }, (_, i) => String(8988280666000000100 + i));
				const { ctx, seen } = context(100, burst.map((_, i) => sim(i)), [5_000]);
				const all = Promise.all(burst.map(async (iccid) => await getSim.call(ctx, iccid)));
				await jest.advanceTimersByTimeAsync(10_000);
				await all;
				expect(seen).toHaveLength(20);
				expect(busiest(seen, SIMS_WINDOW.spanMs)).toBeLessThanOrEqual(SIMS_WINDOW.allowance!);
			});
		});
	});
});
