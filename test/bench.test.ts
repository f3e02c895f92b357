/**
 * The benchmark's small configuration (`npm run bench -- --quick`), run as the user runs it, so the bench
 * cannot rot. Asserts the request-count invariants from its results file; never a timing.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..');

interface GetManyRow {
	n: number;
	oursList: number;
	oursToken: number;
	orders: number;
	pagesTwice: number;
	naiveList: number;
	naiveToken: number;
	baseline: string;
}

interface Results {
	baseline: { name: string; label: string };
	getMany: GetManyRow[];
	rateLimit: { n: number; orders: number; error: string | null; pagesServed: number; pagesTwice: number; throttled: number };
	trigger: Array<{ n: number; runs: number; events: number; steadyMax: number; rescanRequests: number; ok: boolean }>;
	soaks: Array<{ name: string; tally: Record<string, number>; mustBeZero: string[] }>;
	guard: Array<{ n: number; pace: string; hours: number; inWindow: number; list: number; outcome: string; ok: boolean }>;
	createRetryOnFail: Record<string, number>;
	simTrigger: Array<{
		n: number;
		ok: boolean;
		ours: { baselineRequests: number; steadyRequestsMax: number; throttled: number; events: number; expectedEvents: number; bytes: number };
		naive: { steadyRequestsMax: number; different: number; changed: number; failedPolls: number; bytes: number } | null;
	}>;
	broken: string[];
}

let out: string;
let exitCode: number | null;
let stdout = '';
let results: Results;

beforeAll(async () => {
	out = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-1nce-bench-'));
	const child = spawn(process.execPath, ['scripts/bench.js', '--quick', '--out', out], {
		cwd: root,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stderr = '';
	child.stdout.on('data', (chunk) => (stdout += chunk));
	child.stderr.on('data', (chunk) => (stderr += chunk));
	exitCode = await new Promise((resolve) => child.on('close', resolve));
	if (!fs.existsSync(path.join(out, 'latest.json'))) {
		throw new Error(`the bench wrote no results (exit ${exitCode}):\n${stdout}\n${stderr}`);
	}
	results = JSON.parse(fs.readFileSync(path.join(out, 'latest.json'), 'utf8'));
}, 300_000);

afterAll(() => {
	if (out) fs.rmSync(out, { recursive: true, force: true });
});

test('the quick bench exits 0 and reports no broken invariant', () => {
	expect(results.broken).toEqual([]);
	expect(exitCode).toBe(0);
	expect(stdout).toContain('All request-count invariants hold.');
	// It says which naive way it compared with.
	expect(stdout).toContain(`Naive way: ${results.baseline.label}`);
	// The quick configuration writes no committed figures.
	expect(fs.readdirSync(out)).toEqual(['latest.json']);
});

test('Get Many, Return All: ceil(N/10) list requests, 1 token request, every order once', () => {
	expect(results.getMany.map((r) => r.n)).toEqual([100, 1000]);
	for (const row of results.getMany) {
		expect(row).toMatchObject({
			oursList: Math.ceil(row.n / 10),
			oursToken: 1,
			orders: row.n,
			pagesTwice: 0,
			// The naive way (HTTP Request node or page loop) stops at the first empty page.
			naiveList: Math.ceil(row.n / 10) + 1,
			naiveToken: 1,
			baseline: results.baseline.name,
		});
	}
});

test('Return All under the rate limit waits out the 429s and fetches no page twice', () => {
	const rl = results.rateLimit;
	expect(rl.error).toBeNull();
	expect(rl.orders).toBe(rl.n);
	expect(rl.pagesServed).toBe(Math.ceil(rl.n / 10));
	expect(rl.pagesTwice).toBe(0);
	expect(rl.throttled).toBeGreaterThan(0);
});

test('Trigger: steady polls cost fewer requests than a full re-scan and report every change', () => {
	expect(results.trigger.map((r) => r.n)).toEqual([100, 1000]);
	for (const row of results.trigger) {
		expect(row.ok).toBe(true);
		expect(row.steadyMax).toBeLessThan(row.rescanRequests);
	}
});

test("Create's duplicate guard: the whole window within 11 list requests, 2 when a page holds it, a refusal only past the cap", () => {
	expect(results.guard.length).toBeGreaterThanOrEqual(8);
	for (const row of results.guard) {
		expect(row).toMatchObject({ ok: true });
		expect(row.list).toBeLessThanOrEqual(11);
		// Page 1, then back from the last page (holding n % 10 orders) to the first page with an order older than the window.
		const lastPage = row.n % 10 || 10;
		const back = row.inWindow < lastPage ? 1 : 1 + Math.ceil((row.inWindow - lastPage + 1) / 10);
		const pages = Math.ceil(row.n / 10);
		const needed = Math.min(1 + back, pages);
		if (needed <= 11) expect(row).toMatchObject({ list: needed, outcome: 'placed' });
		else expect(row).toMatchObject({ list: 11, outcome: 'refused' });
		if (row.outcome === 'refused') expect(row.inWindow).toBeGreaterThan(90);
	}
	expect(results.guard.map((row) => row.n)).toEqual(expect.arrayContaining([100, 2521]));
});

test('Create with Retry On Fail under faults: no order placed twice, nothing resent once it may have reached 1NCE', () => {
	expect(results.createRetryOnFail).toMatchObject({ ordersPlacedTwice: 0, resentAfterMayHaveReached: 0 });
	expect(results.createRetryOnFail.ordersPlaced).toBeGreaterThan(0);
});

test('Fault soaks: nothing lost, repeated or created twice', () => {
	expect(results.soaks).toHaveLength(3);
	for (const soak of results.soaks) {
		expect(soak.mustBeZero.length).toBeGreaterThan(0);
		for (const key of soak.mustBeZero) expect({ soak: soak.name, [key]: soak.tally[key] }).toEqual({ soak: soak.name, [key]: 0 });
	}
	const names = results.soaks.map((s) => s.name).join('\n');
	expect(names).toMatch(/Get Many soak/);
	expect(names).toMatch(/Create soak/);
	expect(names).toMatch(/Trigger soak/);
});

test('SIM trigger: one list request per 100 SIMs a poll, no 429, every drop below the threshold reported; the naive way reads every SIM', () => {
	expect(results.simTrigger.map((r) => r.n)).toEqual([100]);
	for (const row of results.simTrigger) {
		const pages = Math.ceil(row.n / 100);
		expect(row.ok).toBe(true);
		// Baseline: the list and a token; then the list alone.
		expect(row.ours).toMatchObject({ baselineRequests: pages + 1, steadyRequestsMax: pages, throttled: 0 });
		expect(row.ours.events).toBe(row.ours.expectedEvents);
		expect(row.ours.events).toBeGreaterThan(0);
		// The naive way when n8n 1.x is cached: a token, the list until an empty page, and one quota request per SIM.
		if (row.naive) {
			expect(row.naive.steadyRequestsMax).toBe(1 + pages + 1 + row.n);
			expect(row.naive.failedPolls).toBe(0);
			expect(row.naive.different).toBe(row.naive.changed);
			expect(row.naive.bytes).toBeGreaterThan(row.ours.bytes);
		}
	}
});
