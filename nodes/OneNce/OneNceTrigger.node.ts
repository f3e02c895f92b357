import type { INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { ORDER_PROPERTIES } from './trigger/orderProperties';
import { pollOrderTrigger } from './trigger/orderTrigger';
import { SIM_EVENT_OPTIONS, SIM_PROPERTIES } from './trigger/sim/simProperties';
import { isSimEvent, SIM_EVENTS } from './trigger/sim/simSettings';
import { pollSimTrigger } from './trigger/sim/simTrigger';

// The event's name; for orders, whether new orders fire too.
const SUBTITLE = `={{ ({ ${Object.entries(SIM_EVENTS)
	.map(([value, name]) => `${value}: "${name}"`)
	.join(', ')} })[$parameter["event"]] || ($parameter["includeNewOrders"] ? "Order status changed or new order" : "Order status changed") }}`;

export class OneNceTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: '1NCE Trigger',
		name: 'oneNceTrigger',
		icon: { light: 'file:oneNce.svg', dark: 'file:oneNce.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: SUBTITLE,
		description: 'Starts the workflow when a 1NCE order changes status, or a SIM changes status or quota or appears',
		documentationUrl: 'https://help.1nce.com/dev-hub/reference/getordersusingget',
		defaults: { name: '1NCE Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'oneNceApi', required: true }],
		properties: [
			{
				displayName: 'Event',
				name: 'event',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Order Status Changed',
						value: 'orderStatusChanged',
						description: 'One item per order whose status differs from the last one seen',
					},
					...SIM_EVENT_OPTIONS,
				],
				default: 'orderStatusChanged',
			},
			...ORDER_PROPERTIES,
			...SIM_PROPERTIES,
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const event = this.getNodeParameter('event', 'orderStatusChanged') as string;
		if (isSimEvent(event)) return await pollSimTrigger(this, event);
		return await pollOrderTrigger(this);
	}
}
