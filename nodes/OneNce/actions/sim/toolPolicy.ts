import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { fixedParameter, isToolCall } from '../order/toolPolicy';

/** The operations that change a live SIM: an agent runs them only when the user allowed it (as Create's orders). */
export const SIM_CHANGES = ['update', 'resetConnectivity', 'sendSms'];

export const simToolProperties: INodeProperties[] = [
	{
		displayName: 'Allow the Agent to Change SIMs',
		name: 'agentMayChangeSims',
		type: 'boolean',
		// A fixed switch: an expression (or $fromAI) would let the agent grant itself the right.
		noDataExpression: true,
		default: false,
		description:
			'Whether the AI agent may change live SIMs with this tool (update, reset connectivity, send SMS). Off: each such call is refused before anything is sent.',
		displayOptions: { show: { '@tool': [true], resource: ['sim'], operation: SIM_CHANGES } },
	},
];

/** Refuses a SIM change an agent asks for unless the tool node allows it; runs in prepare(), before any request. */
export function checkToolChange(context: IExecuteFunctions, itemIndex: number): void {
	if (!isToolCall(context) || fixedParameter(context, 'agentMayChangeSims', itemIndex, false) === true) return;
	throw new NodeOperationError(context.getNode(), 'This 1NCE tool may not change SIMs', {
		itemIndex,
		description:
			'Updating a SIM, resetting its connectivity or sending it an SMS changes a live device, so an AI agent may only do it when "Allow the Agent to Change SIMs" is turned on in the 1NCE tool node. Nothing was sent to 1NCE.',
	});
}
