// Top Up (POST /v1/sims/{iccid}/topup), a billed order, under n8n's own node settings, run by n8n's engine: the
// same never-twice discipline as Create (node.createOnce.test.ts). The simulator records every top-up it placed
// (`topups`) and puts its TOPUP order in the order list, where Get Many and the order trigger see it.
import { OneNceApi } from '../credentials/OneNceApi.credentials';
import { OneNce } from '../nodes/OneNce/OneNce.node';
import { OneNceTrigger } from '../nodes/OneNce/OneNceTrigger.node';
import type { Simulator } from '../dev/simulator';
import { useHarness, type NodeSettings, type RunOptions } from './support/fixtures';

const harness = useHarness();

// waitBetweenTries 1: n8n reads 0 as its default of a second.
const retry: NodeSettings = { retryOnFail: true, maxTries: 3, waitBetweenTries: 1 };
const retryAndContinue: NodeSettings = { ...retry, onError: 'continueRegularOutput' };

const topUpFromItems = { resource: 'sim', operation: 'topUp', iccid: '={{ $json.iccid }}' };
const guardOff = { ...topUpFromItems, options: { skipIfRecentlyPlaced: false } };

const topUpPosts = (sim: Simulator) => sim.requests.filter((r) => r.method === 'POST' && /^\/v1\/sims\/[^/]+\/topup$/.test(r.path));
const toppedUp = (sim: Simulator) => sim.topups.map((topup) => topup.iccid);

/** Three SIMs; their ICCIDs. */
function seed(sim: Simulator): string[] {
	sim.seedSims(3);
	return sim.sims.map((s) => s.iccid as string);
}

async function topUp(parameters: Record<string, unknown>, options: RunOptions) {
	return await harness().run(parameters, options);
}

describe('Retry On Fail never tops up twice', () => {
	test.each([
		['the connection dropped after 1NCE placed the top-up', 'resetAfterProcessing' as const, 'Could not reach 1NCE'],
		['1NCE answered 500', 500 as const, '1NCE service error (500): Internal server error'],
	])('%s: one POST, the node fails saying it was not sent again', async (_, kind, message) => {
		const { sim } = harness();
		const [iccid] = seed(sim);
		sim.injectFault({ kind, method: 'POST', path: '/v1/sims/{iccid}/topup' });
		const result = await topUp(topUpFromItems, { input: [{ iccid }], settings: retry });
		expect(topUpPosts(sim)).toHaveLength(1);
		expect(toppedUp(sim)).toEqual(kind === 500 ? [] : [iccid]);
		const error = result.nodeError('1NCE');
		expect(error.message).toBe(message);
		expect(error.description).toMatch(/n8n ran the node again \(Retry On Fail\).*not sent again/);
		expect(error.description).toMatch(/The order may or may not have been placed/);
	});

	test('a success is not repeated either: the second item fails, n8n retries, the first keeps its one top-up', async () => {
		const { sim } = harness();
		const [first, second] = seed(sim);
		sim.injectFault({ kind: 500, method: 'POST', path: `/v1/sims/${second}/topup` });
		const result = await topUp(topUpFromItems, { input: [{ iccid: first }, { iccid: second }], settings: retry });
		expect(topUpPosts(sim).map((r) => r.status)).toEqual([201, 500]);
		expect(toppedUp(sim)).toEqual([first]);
		const error = result.nodeError('1NCE');
		expect(error.context.itemIndex).toBe(1);
		expect(error.description).toContain(
			`Already placed in this run before the failure (1): item 0: 1NCE answered HTTP 201 (order number ${sim.topups[0].order_number}).`,
		);
	});
});

// Only a failure whose POST may have reached 1NCE is remembered as sent; n8n's Retry On Fail sends any other again.
describe('a failure before the top-up reached 1NCE is retried by Retry On Fail', () => {
	test('a 500 on the token: nothing sent, the next try logs in and tops up once', async () => {
		const { sim } = harness();
		const [iccid] = seed(sim);
		sim.injectFault({ kind: 500, path: '/oauth/token' });
		const result = await topUp(guardOff, { input: [{ iccid }], settings: retry });
		expect(result.nodeError('1NCE')).toBeUndefined();
		expect(sim.counts.token).toBe(2);
		expect(topUpPosts(sim).map((r) => r.status)).toEqual([201]);
		expect(toppedUp(sim)).toEqual([iccid]);
	});

	test('a 429 on the POST: refused unprocessed, so the next try tops up once', async () => {
		const { sim } = harness();
		const [iccid] = seed(sim);
		sim.injectFault({ kind: 429, method: 'POST', path: '/v1/sims/{iccid}/topup', retryAfter: 0 });
		const result = await topUp(topUpFromItems, { input: [{ iccid }], settings: retry });
		expect(result.nodeError('1NCE')).toBeUndefined();
		expect(topUpPosts(sim).map((r) => r.status)).toEqual([429, 201]);
		expect(toppedUp(sim)).toEqual([iccid]);
	});

	test('a 429 without Retry On Fail: the message says nothing was placed, sending again is safe, and names the SIM limit', async () => {
		const { sim } = harness();
		const [iccid] = seed(sim);
		sim.injectFault({ kind: 429, method: 'POST', path: '/v1/sims/{iccid}/topup', retryAfter: 0 });
		const error = (await topUp(topUpFromItems, { input: [{ iccid }] })).nodeError('1NCE');
		expect(error.message).toBe('1NCE refused the order request: rate limit reached (429)');
		expect(error.description).toMatch(/^Nothing was placed: .*Sending it again is safe: Retry On Fail does\. .*10 SIM requests per second/);
		expect(sim.topups).toHaveLength(0);
	});

	test('a refused connection on the POST: nothing placed, the next try tops up once', async () => {
		const { sim, addCredential } = harness();
		const [iccid] = seed(sim);
		// A stored token, so the POST is the try's first request; 1NCE listens again only when n8n retries the node.
		const credentials = addCredential({ accessToken: sim.issueToken() });
		const original = OneNce.prototype.execute;
		let tries = 0;
		OneNce.prototype.execute = async function (this: any) {
			if (++tries === 2) await sim.acceptConnections();
			return await original.call(this);
		};
		sim.refuseConnections();
		try {
			const result = await topUp(guardOff, { input: [{ iccid }], settings: retry, credentials });
			expect(result.nodeError('1NCE')).toBeUndefined();
			expect(tries).toBe(2);
			expect(topUpPosts(sim).map((r) => r.status)).toEqual([201]);
			expect(toppedUp(sim)).toEqual([iccid]);
		} finally {
			OneNce.prototype.execute = original;
			await sim.acceptConnections();
		}
	});
});

describe('On Error → Continue and several items', () => {
	test('a malformed ICCID, a 500, a success: an error item each for the first two, pairedItem kept, nothing sent twice', async () => {
		const { sim } = harness();
		const [first, second] = seed(sim);
		sim.injectFault({ kind: 500, method: 'POST', path: `/v1/sims/${first}/topup` });
		const input = [{ iccid: '12345' }, { iccid: first }, { iccid: second }];
		const result = await topUp(topUpFromItems, { input, settings: retryAndContinue });
		// n8n re-runs the node after an output whose first item is an error item: the 500 is not sent again.
		expect(topUpPosts(sim).map((r) => r.status)).toEqual([500, 201]);
		expect(toppedUp(sim)).toEqual([second]);
		const items = result.items('1NCE');
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items[0].json.error).toBe('ICCID must be 18 to 22 digits, got "12345"');
		expect(items[1].json.details).toMatch(/not sent again/);
		expect(items[2].json).toMatchObject({ iccid: second, status_code: 201, order_number: sim.topups[0].order_number });
	});

	test('continueOnFail (the older setting) keeps pairedItem as well', async () => {
		const { sim } = harness();
		const [first] = seed(sim);
		const result = await topUp(topUpFromItems, { input: [{ iccid: 'x' }, { iccid: first }], continueOnFail: true });
		expect(result.items('1NCE').map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(toppedUp(sim)).toEqual([first]);
	});

	test('distinct ICCIDs: one top-up each, each item linked to its own new order, which Get Many lists as TOPUP', async () => {
		const { sim, run } = harness();
		const iccids = seed(sim);
		const result = await topUp(topUpFromItems, { input: iccids.map((iccid) => ({ iccid })), settings: retry });
		expect(toppedUp(sim)).toEqual(iccids);
		const out = result.json('1NCE');
		expect(out.map((json) => json.order_number)).toEqual(sim.topups.map((topup) => topup.order_number));
		expect(out[0].location).toBe(`${sim.url}/v1/orders/${sim.topups[0].order_number}`);
		expect(out.every((json) => json.payment_method === 'banktransfer' && json.skipped === false)).toBe(true);
		const listed = (await run({ operation: 'getAll', returnAll: true })).json('1NCE');
		const topUpOrders = listed.filter((order) => order.order_type === 'TOPUP');
		expect(topUpOrders.map((order) => order.order_number).sort()).toEqual(out.map((json) => json.order_number).sort());
		expect(topUpOrders.map((order) => order.sims[0].iccid).sort()).toEqual([...iccids].sort());
	});

	test('the same ICCID twice in one run: two top-ups (each item is its own, as with Create); a second run within the hour is skipped', async () => {
		const { sim } = harness();
		const [iccid] = seed(sim);
		await topUp(topUpFromItems, { input: [{ iccid }, { iccid }], settings: retry });
		expect(toppedUp(sim)).toEqual([iccid, iccid]);
		const again = await topUp(topUpFromItems, { input: [{ iccid }], settings: retry });
		expect(again.json('1NCE')[0]).toMatchObject({ skipped: true, order_type: 'TOPUP', order_number: sim.topups[1].order_number });
		expect(topUpPosts(sim)).toHaveLength(2);
	});
});

describe('the duplicate guard (on by default, 1 hour)', () => {
	test('turned off, the same SIM is topped up in each run', async () => {
		const { sim } = harness();
		const [iccid] = seed(sim);
		await topUp(guardOff, { input: [{ iccid }] });
		await topUp(guardOff, { input: [{ iccid }] });
		expect(toppedUp(sim)).toEqual([iccid, iccid]);
	});

	test("a bulk top-up listing the SIM counts, found by the ICCID with its check digit; another SIM's top-up and an older one do not", async () => {
		const { sim } = harness();
		const [iccid, other] = seed(sim);
		const withLuhn = sim.sims[0].iccid_with_luhn as string;
		const link = (id: string) => ({ iccid: id, _links: [{ rel: 'self', href: `https://api.1nce.com/api/v1/sims/${id}` }] });
		sim.addOrder({ order_type: 'TOPUP', order_date: new Date(Date.now() - 600_000).toISOString(), sims: [link(other)] });
		const bulk = sim.addOrder({ order_type: 'BULK_TOPUP', order_date: new Date(Date.now() - 300_000).toISOString(), sims: [link(other), link(iccid)] });
		const skipped = await topUp(topUpFromItems, { input: [{ iccid: withLuhn }] });
		expect(skipped.json('1NCE')[0]).toMatchObject({ skipped: true, order_number: bulk.order_number });
		const placed = await topUp({ ...topUpFromItems, options: { recentHours: 0.01 } }, { input: [{ iccid: withLuhn }] });
		expect(placed.json('1NCE')[0]).toMatchObject({ skipped: false, status_code: 201 });
		expect(sim.topups).toHaveLength(1);
	});
});

describe('refused before any request', () => {
	test.each(['8988280666', '89882806660000000O1', ''])('a malformed ICCID "%s" is refused and nothing is sent', async (iccid) => {
		const { sim } = harness();
		seed(sim);
		const error = await harness().runError(topUpFromItems, { input: [{ iccid }], settings: retry });
		expect(error.message).toMatch(/^ICCID must be 18 to 22 digits/);
		expect(sim.counts.total).toBe(0);
	});

	test('a malformed ICCID in item 1 stops item 0 from being topped up too', async () => {
		const { sim } = harness();
		const [iccid] = seed(sim);
		const error = await harness().runError(topUpFromItems, { input: [{ iccid }, { iccid: '42' }] });
		expect(error.context.itemIndex).toBe(1);
		expect(sim.counts.total).toBe(0);
	});
});

describe('the new order', () => {
	test('Include the New Order reads it once: a TOPUP order for this SIM', async () => {
		const { sim } = harness();
		const [iccid] = seed(sim);
		const result = await topUp({ ...topUpFromItems, paymentMethod: 'creditcard', options: { includeOrder: true } }, { input: [{ iccid }] });
		const json = result.json('1NCE')[0];
		expect(json.order).toMatchObject({ order_number: json.order_number, order_type: 'TOPUP', sims: [{ iccid }] });
		expect(sim.topups).toEqual([{ iccid, payment_method: 'creditcard', order_number: json.order_number }]);
	});

	test('a failed read of the new order leaves the top-up standing and is not retried into a second top-up', async () => {
		const { sim } = harness();
		const [iccid] = seed(sim);
		sim.injectFault({ kind: 403, method: 'GET', path: /^\/v1\/orders\/\d+$/ });
		const result = await topUp({ ...topUpFromItems, options: { skipIfRecentlyPlaced: false, includeOrder: true } }, { input: [{ iccid }], settings: retry });
		expect(result.nodeError('1NCE')).toBeUndefined();
		expect(result.json('1NCE')[0]).toMatchObject({ status_code: 201, order: null, order_error: expect.stringMatching(/403/) });
		expect(sim.topups).toHaveLength(1);
	});
});

const { createEngine } = require('../dev/engine/n8n-engine');

describe('the order trigger', () => {
	const triggerEngine = createEngine({ nodeTypes: { oneNceTrigger: new OneNceTrigger() }, credentialTypes: [new OneNceApi()] });
	afterAll(() => triggerEngine.shutdown());

	test('reports the top-up as a new order (Include New Orders)', async () => {
		const { sim } = harness();
		const [iccid] = seed(sim);
		sim.seedOrders(5);
		const credentials = triggerEngine.store.add('trigger', 'oneNceApi', sim.credentialData());
		const staticData = {};
		const poll = async () => {
			const node = { name: 'Trigger', type: 'n8n-nodes-1nce.oneNceTrigger', parameters: { includeNewOrders: true }, credentials };
			const { result } = await triggerEngine.poll({ node, staticData, mode: 'trigger' });
			return result === null ? [] : result[0].map((item: { json: any }) => item.json);
		};
		expect(await poll()).toEqual([]);
		const placed = (await topUp(topUpFromItems, { input: [{ iccid }] })).json('1NCE')[0];
		const events = await poll();
		expect(events.map((event: any) => [event.order_number, event.order.order_type, event.order.sims[0].iccid])).toEqual([
			[placed.order_number, 'TOPUP', iccid],
		]);
	});
});

const { asAiTool } = require('../dev/engine/agent-tools');

describe.each(['toolObject', 'engineRequest'])('Top Up as an AI tool, called via %s', (mode) => {
	const fromAi = `={{ $fromAI('iccid', 'the SIM to top up', 'string') }}`;

	async function callAsAgent(parameters: Record<string, unknown>, iccid: string, more: object = {}) {
		const { engine, credentials } = harness();
		const nodes = [
			{ name: 'Chat', type: 'testInput', parameters: { items: JSON.stringify([{ chatInput: 'top up my SIM' }]) } },
			{ name: 'Agent', type: 'testAgent', parameters: { mode, toolNode: '1NCE', toolCalls: JSON.stringify([{ iccid, ...more }]) } },
			{ name: '1NCE', type: 'n8n-nodes-1nce.oneNceTool', parameters: { resource: 'sim', operation: 'topUp', iccid: fromAi, ...parameters }, credentials },
		];
		const connections = {
			Chat: { main: [[{ node: 'Agent', type: 'main', index: 0 }]] },
			'1NCE': { ai_tool: [[{ node: 'Agent', type: 'ai_tool', index: 0 }]] },
		};
		const result = await engine.run({ nodes, connections, settings: { executionOrder: 'v1' } });
		const toolRuns: Array<{ error?: { message: string } }> = result.runData['1NCE'] ?? [];
		const said = mode === 'toolObject' ? String(result.json('Agent')[0]?.error ?? '') : String(toolRuns.find((run) => run.error)?.error?.message ?? '');
		return { said, answers: result.json('Agent'), error: result.error };
	}

	test('without "Allow the Agent to Place Orders" nothing is sent, nor with the switch set by an expression; turned on, one top-up', async () => {
		const { sim } = harness();
		const [iccid] = seed(sim);
		expect((await callAsAgent({}, iccid)).said).toMatch(/This 1NCE tool may not place orders/);
		const selfGranted = await callAsAgent({ agentMayOrder: `={{ $fromAI('allowed', 'x', 'boolean') }}` }, iccid, { allowed: true });
		expect(selfGranted.said).toMatch(/This 1NCE tool may not place orders/);
		expect(sim.counts.total).toBe(0);

		const placed = await callAsAgent({ agentMayOrder: true }, iccid);
		expect(placed.error).toBeUndefined();
		expect(placed.answers[0].response[0]).toMatchObject({ iccid, status_code: 201 });
		expect(toppedUp(sim)).toEqual([iccid]);
	});

	test('the duplicate guard stays on for the agent even when turned off', async () => {
		const { sim } = harness();
		const [iccid] = seed(sim);
		const allowed = { agentMayOrder: true, options: { skipIfRecentlyPlaced: false } };
		await callAsAgent(allowed, iccid);
		const again = await callAsAgent(allowed, iccid);
		expect(again.answers[0].response[0]).toMatchObject({ skipped: true, order_type: 'TOPUP' });
		expect(toppedUp(sim)).toEqual([iccid]);
	});
});

test('the plain node shows the opt-in only on the tool variant', () => {
	const tool = asAiTool(new OneNce()).description.properties as Array<{ name: string; displayOptions?: any }>;
	const optIns = tool.filter((p) => p.name === 'agentMayOrder');
	expect(optIns.map((p) => p.displayOptions.show.operation)).toEqual([['create'], ['topUp']]);
	expect(optIns.every((p) => p.displayOptions.show['@tool'][0] === true)).toBe(true);
});
