import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/**
 * n8n turns a `usableAsTool` node into an agent tool by registering a second node type named as ours plus "Tool"
 * (`n8n-nodes-1nce.oneNceTool`); both ways an agent runs a tool execute the node under that name, and ours does not end in "Tool".
 */
export function isToolCall(context: IExecuteFunctions): boolean {
	return context.getNode().type.endsWith('Tool');
}

// n8n reads '@tool' in displayOptions as "the node type's name ends in Tool": shown on the tool variant only.
const onlyOnTool = { '@tool': [true] };

/** The opt-in of every operation that places a billed order (Create, Top Up). */
export const agentMayOrderProperty: INodeProperties = {
	displayName: 'Allow the Agent to Place Orders',
	name: 'agentMayOrder',
	type: 'boolean',
	// A fixed switch: an expression (or $fromAI) would let the agent grant itself the right to order.
	noDataExpression: true,
	default: false,
	description:
		'Whether the AI agent may place real, billed 1NCE orders with this tool. Off: every order the agent asks for is refused before anything is sent.',
	displayOptions: { show: onlyOnTool },
};

/** Create's parameters that only an agent's tool has (shown by create.operation.ts). */
export const toolProperties: INodeProperties[] = [
	agentMayOrderProperty,
	{
		displayName: 'Max Quantity per Order',
		name: 'agentMaxQuantity',
		type: 'number',
		noDataExpression: true,
		typeOptions: { minValue: 1, numberPrecision: 0 },
		default: 10,
		description:
			'The most SIMs (all products of one order together) the agent may order at once; a larger order is refused before anything is sent',
		displayOptions: { show: { ...onlyOnTool, agentMayOrder: [true] } },
	},
];

/** The opt-in of the operations that change a live SIM, fixed like the one above. */
export const agentMayChangeSimsProperty: INodeProperties = {
	displayName: 'Allow the Agent to Change SIMs',
	name: 'agentMayChangeSims',
	type: 'boolean',
	noDataExpression: true,
	default: false,
	description:
		'Whether the AI agent may change live SIMs with this tool (update, reset connectivity, send SMS). Off: each such call is refused before anything is sent.',
	displayOptions: { show: { ...onlyOnTool, resource: ['sim'], operation: ['update', 'resetConnectivity', 'sendSms'] } },
};

/** The parameter as the user typed it: an expression comes back as its text, never as what it resolves to. */
function fixedParameter(context: IExecuteFunctions, name: string, itemIndex: number, fallback: unknown): unknown {
	return context.getNodeParameter(name, itemIndex, fallback, { rawExpressions: true });
}

function refusal(context: IExecuteFunctions, itemIndex: number, message: string, description: string): NodeOperationError {
	return new NodeOperationError(context.getNode(), message, { itemIndex, description: `${description} Nothing was sent to 1NCE.` });
}

/** Refuses any order (a top-up is one) an agent asks for unless the user allowed it; runs in prepare(), so nothing is sent. */
export function checkAgentMayOrder(context: IExecuteFunctions, itemIndex: number): void {
	if (!isToolCall(context) || fixedParameter(context, 'agentMayOrder', itemIndex, false) === true) return;
	const why = 'Orders cost money, so an AI agent may only create them when "Allow the Agent to Place Orders" is turned on in the 1NCE tool node.';
	throw refusal(context, itemIndex, 'This 1NCE tool may not place orders', why);
}

/** Refuses a SIM change an agent asks for unless the user allowed it; runs in prepare(), so nothing is sent. */
export function checkToolChange(context: IExecuteFunctions, itemIndex: number): void {
	if (!isToolCall(context) || fixedParameter(context, 'agentMayChangeSims', itemIndex, false) === true) return;
	const why =
		'Updating a SIM, resetting its connectivity or sending it an SMS changes a live device, so an AI agent may only do it when "Allow the Agent to Change SIMs" is turned on in the 1NCE tool node.';
	throw refusal(context, itemIndex, 'This 1NCE tool may not change SIMs', why);
}

/** Refuses an order an agent asks for unless the user allowed it in the tool node, and one over the user's quantity limit. */
export function checkToolOrder(context: IExecuteFunctions, itemIndex: number, ordered: Array<{ quantity: number }>): void {
	if (!isToolCall(context)) return;
	checkAgentMayOrder(context, itemIndex);
	const max = fixedParameter(context, 'agentMaxQuantity', itemIndex, 10);
	if (typeof max !== 'number' || !Number.isInteger(max) || max < 1) {
		throw refusal(
			context,
			itemIndex,
			`Max Quantity per Order must be a fixed whole number of at least 1, got "${String(max)}"`,
			'The limit on what the agent may order is set in the 1NCE tool node, not by an expression.',
		);
	}
	const total = ordered.reduce((sum, row) => sum + row.quantity, 0);
	if (total > max) {
		throw refusal(
			context,
			itemIndex,
			`The agent asked for ${total} SIMs in one order; this tool allows at most ${max}`,
			'Raise "Max Quantity per Order" in the 1NCE tool node to allow larger orders.',
		);
	}
}
