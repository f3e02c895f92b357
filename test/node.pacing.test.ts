// 1NCE's limit (100 order and product requests per 5 minutes per IP) under time compression: the simulator
// enforces it with a 5-second window, the package's own durations run 60 times faster (5 minutes = 5 s).
// Pacing: every 1NCE node in the process books its sends per base URL, so none is throttled. Without pacing,
// a firewall-style 403 (no Retry-After) is waited out for a whole window and the listing still completes.
import { setClock } from '../nodes/OneNce/transport/processState';
import { listedPages, useHarness, usePackageSpeed } from './support/fixtures';

const WINDOW_MS = 5_000;
const LIMIT = 10;

const harness = useHarness();
usePackageSpeed(300_000 / WINDOW_MS);

const listAll = { operation: 'getAll', returnAll: true };

function throttled(sim: ReturnType<typeof harness>['sim']) {
	return sim.requests.filter((r) => r.status === 429 || r.status === 403).length;
}

describe('pacing: no throttled answer in normal operation', () => {
	test.each([429, 403] as const)('Return All of 150 orders (15 pages) under a limit of 10 per window (%i flavour)', async (status) => {
		const { sim, run, addCredential } = harness();
		sim.seedOrders(150);
		sim.setRateLimit({ limit: LIMIT, windowMs: WINDOW_MS, status });
		const result = await run(listAll, { credentials: addCredential({ requestAllowance: LIMIT }) });
		expect(result.nodeError('1NCE')).toBeUndefined();
		expect(result.json('1NCE')).toHaveLength(150);
		expect(throttled(sim)).toBe(0);
		expect(listedPages(sim).sort((a, b) => a - b)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
	});

	test('two workflows on one host share one allowance: neither is throttled', async () => {
		const { sim, run, addCredential } = harness();
		sim.seedOrders(80);
		sim.setRateLimit({ limit: LIMIT, windowMs: WINDOW_MS, status: 403 });
		// Two credentials (two workflows' own), one base URL: one budget.
		const [a, b] = await Promise.all([
			run(listAll, { credentials: addCredential({ requestAllowance: LIMIT }) }),
			run(listAll, { credentials: addCredential({ requestAllowance: LIMIT }) }),
		]);
		expect(a.json('1NCE')).toHaveLength(80);
		expect(b.json('1NCE')).toHaveLength(80);
		expect(throttled(sim)).toBe(0);
		expect(sim.counts.list).toBe(16);
	});
});

describe('firewall throttling (403 without Retry-After) is waited out like 429', () => {
	test('pacing off: Return All of 150 orders waits through the block, keeps its pages and completes', async () => {
		const { sim, run, addCredential } = harness();
		// A window longer than the 14 s the package used to wait before giving up.
		const windowMs = 20_000;
		setClock({ speed: 300_000 / windowMs });
		sim.seedOrders(150);
		sim.setRateLimit({ limit: LIMIT, windowMs, status: 403 });
		const result = await run(listAll, { credentials: addCredential({ requestAllowance: 0 }) });
		expect(result.nodeError('1NCE')).toBeUndefined();
		expect(result.json('1NCE').map((order) => order.order_number)).toEqual(sim.orders.map((o) => o.order_number));
		expect(throttled(sim)).toBeGreaterThan(0);
		// Every page was answered once: nothing read before the block was read again.
		const answered = sim.requests.filter((r) => r.path === '/v1/orders' && r.status === 200).map((r) => Number(r.query.page));
		expect(answered.sort((x, y) => x - y)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
	});

	test('Create refused by the firewall: says nothing was placed, claims no wait', async () => {
		const { sim, runError } = harness();
		sim.injectFault({ kind: '403throttle', method: 'POST', path: '/v1/orders' });
		const error = await runError({ operation: 'create', products: { product: [{ productId: 1001, quantity: 1 }] } });
		expect(error.message).toBe("1NCE's firewall refused the order request (403): most likely its rate limit, not a permission problem");
		expect(error.description).toMatch(/^Nothing was placed/);
		expect(`${error.message} ${error.description}`).not.toMatch(/waited|kept blocking|did not clear/);
		expect(sim.created).toHaveLength(0);
	});
});
