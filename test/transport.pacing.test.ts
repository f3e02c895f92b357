// pacing.ts on its own: which paths count, and how sends are booked within the allowance.
import { bookSend, holdOff, isPaced, PACING_WINDOW_MS, resetPacing, settle } from '../nodes/OneNce/transport/pacing';
import { packageClock } from '../nodes/OneNce/transport/timing';

beforeEach(() => {
	resetPacing();
	packageClock.speed = 1;
});
afterAll(() => {
	packageClock.speed = 1;
});

test.each([
	['/v1/orders', true],
	['/v1/orders/2000000001', true],
	['/v1/products', true],
	['/oauth/token', false],
	['/v1/sims', false],
	['/v1/ordersx', false],
])('%s is paced: %s', (path, paced) => {
	expect(isPaced(path)).toBe(paced);
});

test('the first `allowance` sends go at once; the next waits about a window', () => {
	for (let i = 0; i < 5; i++) expect(bookSend('https://a', 5, Infinity)).toMatchObject({ waitMs: 0 });
	const next = bookSend('https://a', 5, Infinity);
	expect(next.waitMs).toBeGreaterThan(PACING_WINDOW_MS * 0.99);
	expect(next.waitMs).toBeLessThan(PACING_WINDOW_MS * 1.02);
});

test('base URLs have separate budgets', () => {
	for (let i = 0; i < 5; i++) bookSend('https://a', 5, Infinity);
	expect(bookSend('https://b', 5, Infinity)).toMatchObject({ waitMs: 0 });
});

test('a send that would wait longer than allowed is refused and not booked', () => {
	for (let i = 0; i < 2; i++) bookSend('https://a', 2, Infinity);
	const refused = bookSend('https://a', 2, 1000);
	expect(refused).toMatchObject({ refused: true });
	// Not booked: the next send with patience waits for the same slot, not one further on.
	expect(bookSend('https://a', 2, Infinity).waitMs).toBeCloseTo(refused.waitMs, -2);
});

test('a send is counted from when it was answered, not when it was booked', () => {
	packageClock.speed = 60_000;
	const first = bookSend('https://a', 1, Infinity);
	const bookedAt = 'slot' in first ? first.slot!.at : 0;
	// Let some package time pass (real time is compressed 60,000 times: 1 ms is a minute).
	const until = Date.now() + 3;
	while (Date.now() < until);
	settle('https://a', 'slot' in first ? first.slot : undefined);
	expect('slot' in first && first.slot!.at).toBeGreaterThan(bookedAt);
});

test('allowance 0 turns pacing off', () => {
	for (let i = 0; i < 500; i++) expect(bookSend('https://a', 0, 0)).toEqual({ waitMs: 0 });
});

test('after a throttle, nothing is sent until the hold ends', () => {
	holdOff('https://a', 60_000);
	const booking = bookSend('https://a', 100, Infinity);
	expect(booking.waitMs).toBeGreaterThan(59_000);
});

test('the package clock compresses waits: at speed 60 a window is 5 s of real time', () => {
	packageClock.speed = 60;
	bookSend('https://a', 1, Infinity);
	const next = bookSend('https://a', 1, Infinity);
	expect(next.waitMs).toBeGreaterThan(4_900);
	expect(next.waitMs).toBeLessThan(5_200);
});
