// Create called by an AI agent: the 1NCE node as n8n's tool variant (type `n8n-nodes-1nce.oneNceTool`),
// connected to an agent that calls it in both ways n8n's agents do (dev/engine/agent-tools.js): through the
// tool object n8n-core builds from it, and through an engine request WorkflowExecute carries out. The agent's
// arguments reach the node's parameters through $fromAI, as n8n puts them there.
import { NodeHelpers } from 'n8n-workflow';

import { OneNce } from '../nodes/OneNce/OneNce.node';
import { orderPosts, useHarness } from './support/fixtures';

const { asAiTool } = require('../dev/engine/agent-tools');

const harness = useHarness();

const fromAi = (key: string, type: string) => `={{ $fromAI('${key}', 'what the agent chose', '${type}') }}`;

/** Create as a tool whose quantity (and, given `rows`, that many product rows) the agent chooses. */
const createTool = (rows = 1, extra: Record<string, unknown> = {}) => ({
	resource: 'order',
	operation: 'create',
	products: {
		product: Array.from({ length: rows }, () => ({ productId: 1001, quantity: fromAi('quantity', 'number') })),
	},
	...extra,
});

type Mode = 'toolObject' | 'engineRequest';

/** What the agent learnt from each call (answer or error), the run's error, and the 1NCE node's error. */
async function callAsAgent(mode: Mode, parameters: Record<string, unknown>, calls: object[], settings: object = {}) {
	const { engine, credentials } = harness();
	const nodes = [
		{ name: 'Chat', type: 'testInput', parameters: { items: JSON.stringify([{ chatInput: 'order SIMs' }]) } },
		{ name: 'Agent', type: 'testAgent', parameters: { mode, toolNode: '1NCE', toolCalls: JSON.stringify(calls) } },
		{ name: '1NCE', type: 'n8n-nodes-1nce.oneNceTool', parameters, credentials, ...settings },
	];
	const connections = {
		Chat: { main: [[{ node: 'Agent', type: 'main', index: 0 }]] },
		'1NCE': { ai_tool: [[{ node: 'Agent', type: 'ai_tool', index: 0 }]] },
	};
	const result = await engine.run({ nodes, connections, settings: { executionOrder: 'v1' } });
	const toolRuns: Array<{ error?: { message: string } }> = result.runData['1NCE'] ?? [];
	return { answers: result.json('Agent'), error: result.error, toolError: toolRuns.find((run) => run.error)?.error };
}

/** The refusal as the agent or the workflow sees it, depending on how the tool was called. */
function refusal(mode: Mode, outcome: Awaited<ReturnType<typeof callAsAgent>>): string {
	if (mode === 'toolObject') return String(outcome.answers[0]?.error ?? '');
	// The engine runs the tool as a node: its error stops the run before the agent is resumed.
	expect(outcome.answers).toEqual([]);
	return `${outcome.toolError?.message ?? ''}\n${String((outcome.error as { description?: string })?.description ?? '')}`;
}

describe.each<Mode>(['toolObject', 'engineRequest'])('Create as an AI tool, called via %s', (mode) => {
	test('without "Allow the Agent to Place Orders" nothing is sent; turned on, the order is placed once', async () => {
		const { sim } = harness();
		const refused = await callAsAgent(mode, createTool(), [{ quantity: 5 }]);
		expect(refusal(mode, refused)).toMatch(/This 1NCE tool may not place orders[\s\S]*Nothing was sent to 1NCE/);
		expect(sim.counts.total).toBe(0);

		const placed = await callAsAgent(mode, createTool(1, { agentMayOrder: true }), [{ quantity: 5 }]);
		expect(placed.error).toBeUndefined();
		expect(orderPosts(sim)).toHaveLength(1);
		expect(sim.created.map((body) => body.products)).toEqual([[{ productId: 1001, quantity: 5 }]]);
		const answer = placed.answers[0].response[0];
		expect(answer).toMatchObject({ status_code: 200, submitted: { products: [{ productId: 1001, quantity: 5 }] } });
	});

	test('the duplicate check stays on for the agent even when turned off: an equal order within the hour is output, skipped', async () => {
		const { sim } = harness();
		const allowed = createTool(1, { agentMayOrder: true, options: { skipIfRecentlyPlaced: false } });
		await callAsAgent(mode, allowed, [{ quantity: 4 }]);
		const again = await callAsAgent(mode, allowed, [{ quantity: 4 }]);
		expect(again.error).toBeUndefined();
		expect(again.answers[0].response[0]).toMatchObject({ skipped: true, products: [{ product_id: 1001, quantity: 4 }] });
		expect(orderPosts(sim)).toHaveLength(1);
	});

	test('Retry On Fail on the tool node after the connection dropped once 1NCE had the order: one order', async () => {
		const { sim } = harness();
		sim.injectFault({ kind: 'resetAfterProcessing', method: 'POST', path: '/v1/orders' });
		const retry = { retryOnFail: true, maxTries: 3, waitBetweenTries: 1 };
		await callAsAgent(mode, createTool(1, { agentMayOrder: true }), [{ quantity: 3 }], retry);
		expect(sim.created).toHaveLength(1);
		expect(orderPosts(sim)).toHaveLength(1);
	});

	test('more than Max Quantity per Order, counted over all rows, is refused before any request; the max itself is placed', async () => {
		const { sim } = harness();
		const allowed = { agentMayOrder: true, agentMaxQuantity: 10 };
		const over = await callAsAgent(mode, createTool(2, allowed), [{ quantity: 6 }]);
		expect(refusal(mode, over)).toMatch(/asked for 12 SIMs in one order; this tool allows at most 10[\s\S]*Nothing was sent/);
		expect(sim.counts.total).toBe(0);

		const atMax = await callAsAgent(mode, createTool(2, allowed), [{ quantity: 5 }]);
		expect(atMax.error).toBeUndefined();
		expect(orderPosts(sim)).toHaveLength(1);
	});

	test('the default limit is 10, and no expression can grant the agent the right to order or set its limit', async () => {
		const { sim } = harness();
		const overDefault = await callAsAgent(mode, createTool(1, { agentMayOrder: true }), [{ quantity: 11 }]);
		expect(refusal(mode, overDefault)).toMatch(/asked for 11 SIMs in one order; this tool allows at most 10/);
		const selfGranted = { agentMayOrder: fromAi('allowed', 'boolean') };
		const granted = await callAsAgent(mode, createTool(1, selfGranted), [{ quantity: 1, allowed: true }]);
		expect(refusal(mode, granted)).toMatch(/This 1NCE tool may not place orders/);
		const selfLimited = { agentMayOrder: true, agentMaxQuantity: fromAi('limit', 'number') };
		const limited = await callAsAgent(mode, createTool(1, selfLimited), [{ quantity: 1, limit: 1000 }]);
		expect(refusal(mode, limited)).toMatch(/Max Quantity per Order must be a fixed whole number/);
		expect(sim.counts.total).toBe(0);
	});
});

describe('the plain 1NCE node', () => {
	const plain = new OneNce().description;
	const tool: typeof plain = asAiTool(new OneNce()).description;
	const node = { id: 'n', name: '1NCE', type: 'n8n-nodes-1nce.oneNce', typeVersion: 1, position: [0, 0] as [number, number], parameters: {} };
	// What n8n keeps of a node's parameters (the Workflow class does this on load): only those displayed.
	const kept = (description: typeof plain, parameters: Record<string, unknown>) =>
		NodeHelpers.getNodeParameters(description.properties, parameters as never, true, false, node, description);

	test('has none of the tool-only parameters, and places an order over the tool limit without any opt-in', async () => {
		const create = { resource: 'order', operation: 'create', agentMayOrder: true };
		expect(kept(plain, create)).not.toHaveProperty('agentMayOrder');
		expect(kept(tool, { ...create, agentMayOrder: false })).toMatchObject({ agentMayOrder: false });
		expect(kept(tool, { ...create, agentMayOrder: false })).not.toHaveProperty('agentMaxQuantity');
		expect(kept(tool, create)).toMatchObject({ agentMayOrder: true, agentMaxQuantity: 10 });

		const { sim, run } = harness();
		// Even tool settings left in its stored parameters (say, from a copied tool node) change nothing.
		const stored = { agentMayOrder: false, agentMaxQuantity: 1 };
		const result = await run({ operation: 'create', products: { product: [{ productId: 1001, quantity: 50 }] }, ...stored });
		expect(result.nodeError('1NCE')).toBeUndefined();
		expect(sim.created.map((body) => body.products[0].quantity)).toEqual([50]);
	});
});
