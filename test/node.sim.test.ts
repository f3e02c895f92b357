// SIMs (read-only): Get Many with Return All / Limit at 100 per request, status and label filters applied by the
// node, Count by Status at ⌈N/100⌉ requests paced within 10 per second, and Get by ICCID.
import { useHarness } from './support/fixtures';

const harness = useHarness({ simRateLimit: { limit: 10, windowMs: 1000 } });

async function sims(parameters: Record<string, unknown>) {
	const result = await harness().run({ resource: 'sim', operation: 'getAll', ...parameters });
	expect(result.nodeError('1NCE')).toBeUndefined();
	return result;
}

const simPages = () =>
	harness()
		.sim.requests.filter((r) => r.path === '/v1/sims')
		.map((r) => [Number(r.query.page), Number(r.query.pageSize)]);

describe('Get Many SIMs', () => {
	test.each([
		[250, { limit: 50 }, 50, 1],
		[250, { limit: 150 }, 150, 2],
		[250, { returnAll: true }, 250, 3],
		[0, { returnAll: true }, 0, 1],
	])('%i SIMs, %j: %i items in %i requests of 100', async (count, parameters, items, requests) => {
		const { sim } = harness();
		sim.seedSims(count);
		const result = await sims(parameters);
		expect(result.json('1NCE').map((s) => s.iccid)).toEqual(sim.sims.slice(0, items).map((s) => s.iccid));
		expect(sim.resourceCounts.simList).toBe(requests);
		expect(simPages().every(([, size]) => size === 100)).toBe(true);
		expect(result.items('1NCE').every((item) => item.pairedItem?.item === 0)).toBe(true);
	});

	test('status and label filters (case ignored); a Limit counts matching SIMs', async () => {
		const { sim } = harness();
		sim.seedSims(600);
		const wanted = sim.sims.filter((s) => s.status === 'Disabled' && s.label === 'spare');
		expect(wanted.length).toBeGreaterThan(5);
		const result = await sims({ limit: 5, filters: { status: ['Disabled'], label: ' SPARE ' } });
		expect(result.json('1NCE').map((s) => s.iccid)).toEqual(wanted.slice(0, 5).map((s) => s.iccid));
		const all = await sims({ returnAll: true, filters: { status: ['Disabled'], label: 'spare' } });
		expect(all.json('1NCE')).toHaveLength(wanted.length);
	});

	test('does not spend the orders allowance', async () => {
		const { sim } = harness();
		sim.seedSims(300);
		sim.setRateLimit({ limit: 0, windowMs: 300_000 });
		await sims({ returnAll: true });
		expect(sim.counts).toMatchObject({ list: 0, get: 0, create: 0 });
		expect(sim.requests.filter((r) => r.status === 429)).toEqual([]);
	});
});

describe('Count by Status', () => {
	test('1,000 SIMs: one item with the totals, 10 requests, each page once', async () => {
		const { sim } = harness();
		sim.seedSims(1_000, { enabledShare: 0.7 });
		const result = await sims({ output: 'countByStatus' });
		const enabled = sim.sims.filter((s) => s.status === 'Enabled').length;
		expect(result.json('1NCE')).toEqual([{ total: 1_000, by_status: { Enabled: enabled, Disabled: 1_000 - enabled }, requests: 10 }]);
		expect(sim.resourceCounts.simList).toBe(10);
		expect(simPages().map(([page]) => page).sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
	});

	test('10,000 SIMs under 1NCE\'s 10 requests per second: ⌈N/100⌉ = 100 requests, none throttled', async () => {
		const { sim } = harness();
		sim.seedSims(10_000);
		const result = await sims({ output: 'countByStatus' });
		expect(result.json('1NCE')[0].total).toBe(10_000);
		expect(sim.resourceCounts.simList).toBe(100);
		expect(sim.requests.filter((r) => r.status !== 200 && r.path !== '/oauth/token')).toEqual([]);
	}, 60_000);

	test('with a label filter it counts that label only; both documented statuses are always present', async () => {
		const { sim } = harness();
		sim.seedSims(120, { enabledShare: 1, labels: ['spare', 'meter'] });
		const spare = sim.sims.filter((s) => s.label === 'spare').length;
		const result = await sims({ output: 'countByStatus', filters: { label: 'spare' } });
		expect(result.json('1NCE')).toEqual([{ total: spare, by_status: { Enabled: spare, Disabled: 0 }, requests: 2 }]);
	});
});

describe('Get SIM by ICCID', () => {
	test('with or without the check digit', async () => {
		const { sim, run } = harness();
		sim.seedSims(5);
		const target = sim.sims[3];
		for (const iccid of [target.iccid, ` ${target.iccid_with_luhn} `]) {
			const result = await run({ resource: 'sim', operation: 'get', iccid });
			expect(result.json('1NCE')).toEqual([target]);
		}
		expect(sim.resourceCounts.simGet).toBe(2);
	});

	test('an unknown ICCID gives a readable 404', async () => {
		const { runError } = harness();
		const error = await runError({ resource: 'sim', operation: 'get', iccid: '8988280666000999999' });
		expect(error.message).toBe('SIM 8988280666000999999 was not found');
	});

	test('an empty ICCID is refused by n8n itself (a required parameter), so nothing is sent', async () => {
		const { sim, run } = harness();
		await expect(run({ resource: 'sim', operation: 'get', iccid: '' })).rejects.toThrow(/workflow has issues/);
		expect(sim.counts.total).toBe(0);
	});

	test.each(['abc', '12345', '8988 2806 66x0 0000 001'])('ICCID %j is refused before any request', async (iccid) => {
		const { sim, run } = harness();
		const result = await run({ resource: 'sim', operation: 'get', iccid });
		expect(result.nodeError('1NCE').message).toMatch(/^ICCID must be 18 to 22 digits/);
		expect(sim.counts.total).toBe(0);
	});
});

describe('SIM rate limit', () => {
	test('a 429 that does not clear names the SIM limit (10 per second), not the orders allowance', async () => {
		const { sim, runError } = harness();
		sim.seedSims(5);
		sim.injectFault({ kind: 429, path: '/v1/sims', retryAfter: 0, times: Infinity });
		const error = await runError({ resource: 'sim', operation: 'getAll', returnAll: true });
		expect(error.message).toMatch(/rate limit reached \(429\)/);
		expect(error.description).toMatch(/10 SIM requests per second/);
		expect(error.description).not.toMatch(/order requests/);
	});
});

describe('SIM listings end whatever the pages say (the page reader of order listings)', () => {
	// Beyond this many requests the proxy refuses: a listing without bounds fails instead of running for hours.
	const REFUSE_AFTER = 40;

	/** A proxy answering every SIM page with `answer(page)`; returns its url and the pages asked for. */
	async function pages(answer: (page: number) => { headers?: Record<string, string>; body: unknown }) {
		const { proxy, addCredential } = harness();
		const asked: number[] = [];
		const url = await proxy(undefined, (request) => {
			if (request.path !== '/v1/sims') return undefined;
			const page = Number(request.query.get('page'));
			asked.push(page);
			if (asked.length > REFUSE_AFTER) return { status: 400, body: { message: `listing ran past ${REFUSE_AFTER} requests` } };
			return { status: 200, ...answer(page) };
		});
		return { credentials: addCredential({ baseUrl: url }), asked };
	}

	test.each([
		['Return All', { returnAll: true }, []],
		['Count by Status', { output: 'countByStatus' }, [{ total: 0, by_status: { Enabled: 0, Disabled: 0 }, requests: 1 }]],
	])('%s: an empty first page with X-Total-Pages 1000000 is an empty list, in one request', async (_name, parameters, output) => {
		const { credentials, asked } = await pages(() => ({ headers: { 'X-Total-Pages': '1000000' }, body: [] }));
		const result = await harness().run({ resource: 'sim', operation: 'getAll', ...parameters }, { credentials });
		expect(result.nodeError('1NCE')).toBeUndefined();
		expect(result.json('1NCE')).toEqual(output);
		expect(asked).toEqual([1]);
	});

	test('a page that repeats the previous one (no page headers) ends the list there', async () => {
		const { sim } = harness();
		sim.seedSims(100);
		const { credentials, asked } = await pages(() => ({ body: sim.sims.slice(0, 100) }));
		const result = await harness().run({ resource: 'sim', operation: 'getAll', output: 'countByStatus' }, { credentials });
		expect(result.nodeError('1NCE')).toBeUndefined();
		expect(result.json('1NCE')[0]).toMatchObject({ total: 100, requests: 2 });
		expect(asked).toEqual([1, 2]);
	});

	test('a repeated page under X-Total-Pages 20 stops the reading and is not counted twice', async () => {
		const { sim } = harness();
		sim.seedSims(100);
		const { credentials, asked } = await pages(() => ({ headers: { 'X-Total-Pages': '20' }, body: sim.sims.slice(0, 100) }));
		const result = await harness().run({ resource: 'sim', operation: 'getAll', returnAll: true }, { credentials });
		expect(result.nodeError('1NCE')).toBeUndefined();
		expect(result.json('1NCE').map((s) => s.iccid)).toEqual(sim.sims.map((s) => s.iccid));
		// Pages 2 to 4 are in flight together; no page is started once one repeats the page before it.
		expect(asked.length).toBeLessThanOrEqual(4);
	});

	test('full pages with X-Total-Pages 1000000 fail at once with a clear error (the listing cap)', async () => {
		const { sim, runError } = harness();
		sim.seedSims(100);
		const { credentials, asked } = await pages((page) => ({
			headers: { 'X-Total-Pages': '1000000' },
			body: sim.sims.slice(0, 100).map((s) => ({ ...s, iccid: `${page}-${s.iccid}` })),
		}));
		const error = await runError({ resource: 'sim', operation: 'getAll', returnAll: true }, { credentials });
		expect(error.message).toBe('1NCE kept sending pages: the SIM listing stopped at 10000 pages (1000000 SIMs) without reaching the end');
		expect(asked).toEqual([1]);
	});

	test('X-Total-Count ends the list even when X-Total-Pages says more', async () => {
		const { sim } = harness();
		sim.seedSims(150);
		const { credentials, asked } = await pages((page) => ({
			headers: { 'X-Total-Pages': '1000000', 'X-Total-Count': '150' },
			body: sim.sims.slice((page - 1) * 100, page * 100),
		}));
		const result = await harness().run({ resource: 'sim', operation: 'getAll', output: 'countByStatus' }, { credentials });
		expect(result.json('1NCE')[0]).toMatchObject({ total: 150, requests: 2 });
		expect(asked).toEqual([1, 2]);
	});
});
