// How n8n runs a `usableAsTool` node for an AI agent, for the engine in n8n-engine.js.
//
// The tool variant: the n8n CLI (packages/cli/src/node-types.ts, getByNameAndVersion) answers a type name
// ending in "Tool" that no package defines with the base node type, extended (not copied) into a tool: the
// description gets the name + "Tool", no inputs, one `ai_tool` output and the "Tool Description" parameters
// (convertNodeToAiTool); execute() stays the node's own. The CLI is not a dependency here, so asAiTool()
// rebuilds that conversion; everything that then runs the tool is n8n-core's.
//
// The agent: a stand-in for n8n's AI Agent node that, instead of asking a model, makes the tool calls its
// `toolCalls` parameter lists, in one of the two ways n8n's agents call tools:
// - 'toolObject': asks n8n-core for its connected tools (getInputConnectionData → createNodeAsTool) and invokes
//   them; n8n-core's handler runs the tool node's execute() in a SupplyDataContext with the call's arguments
//   as its ai_tool input (the Tools Agent before version 3).
// - 'engineRequest': returns an EngineRequest naming the tool node; n8n-core's WorkflowExecute runs the tool
//   node like any node, with the arguments as its input, then runs the agent again with the results
//   (Tools Agent version 3, n8n 2.x's agent).
'use strict';

const { NodeConnectionTypes } = require('n8n-workflow');

/** The tool variant of `nodeType` as n8n registers it: same behaviour, a tool's description. */
function asAiTool(nodeType) {
	const base = nodeType.description;
	const hasOperations = base.properties.some((p) => p.name === 'resource' || p.name === 'operation');
	const toolDescription = {
		displayName: 'Description',
		name: 'toolDescription',
		type: 'string',
		default: base.description,
		required: true,
		...(hasOperations ? { displayOptions: { show: { descriptionType: ['manual'] } } } : {}),
	};
	const descriptionType = {
		displayName: 'Tool Description',
		name: 'descriptionType',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Set Automatically', value: 'auto' },
			{ name: 'Set Manually', value: 'manual' },
		],
		default: 'auto',
	};
	const description = Object.create(base, {
		name: { value: `${base.name}Tool` },
		displayName: { value: `${base.displayName} Tool` },
		inputs: { value: [] },
		outputs: { value: [NodeConnectionTypes.AiTool] },
		usableAsTool: { value: undefined },
		properties: { value: [...(hasOperations ? [descriptionType] : []), toolDescription, ...base.properties] },
	});
	return Object.create(nodeType, { description: { value: description } });
}

/** One tool call's outcome as the agent saw it: the tool's answer, or the error it reported. */
function outcome(toolCallId, response, error) {
	return error === undefined ? { toolCallId, response } : { toolCallId, error };
}

class TestAgent {
	constructor() {
		this.description = {
			displayName: 'Test Agent',
			name: 'testAgent',
			group: ['transform'],
			version: 1,
			description: 'Calls its connected tools as an AI agent would',
			defaults: { name: 'Test Agent' },
			inputs: [NodeConnectionTypes.Main, { type: NodeConnectionTypes.AiTool, displayName: 'Tool', required: true }],
			outputs: [NodeConnectionTypes.Main],
			properties: [
				{ displayName: 'Mode', name: 'mode', type: 'string', default: 'toolObject' },
				{ displayName: 'Tool Calls', name: 'toolCalls', type: 'json', default: '[]' },
				{ displayName: 'Tool Node', name: 'toolNode', type: 'string', default: '' },
			],
		};
	}

	async execute(response) {
		const raw = this.getNodeParameter('toolCalls', 0);
		const calls = typeof raw === 'string' ? JSON.parse(raw) : raw;
		if (this.getNodeParameter('mode', 0) === 'engineRequest') {
			if (response?.actionResponses?.length) {
				// The tool node's task data: its output under ai_tool, or the error it ended with.
				const results = response.actionResponses.map(({ action, data }) =>
					outcome(action.id, data.data?.ai_tool?.[0]?.map((item) => item.json), data.error?.message),
				);
				return [results.map((json) => ({ json }))];
			}
			const nodeName = this.getNodeParameter('toolNode', 0);
			return {
				actions: calls.map((input, index) => ({
					actionType: 'ExecutionNodeAction',
					nodeName,
					input,
					type: NodeConnectionTypes.AiTool,
					id: `call-${index + 1}`,
					metadata: { itemIndex: 0 },
				})),
				metadata: {},
			};
		}
		const [tool] = await this.getInputConnectionData(NodeConnectionTypes.AiTool, 0);
		const results = [];
		for (const [index, args] of calls.entries()) {
			try {
				results.push(outcome(`call-${index + 1}`, JSON.parse(await tool.invoke(args))));
			} catch (error) {
				// A real agent hands a tool's error to the model as the call's answer.
				results.push(outcome(`call-${index + 1}`, undefined, error.message));
			}
		}
		return [results.map((json) => ({ json: { tool: tool.name, ...json } }))];
	}
}

module.exports = { asAiTool, TestAgent };
