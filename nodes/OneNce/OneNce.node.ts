import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as order from './actions/order';
import { router } from './actions/router';

export class OneNce implements INodeType {
	description: INodeTypeDescription = {
		displayName: '1NCE',
		name: 'oneNce',
		icon: { light: 'file:oneNce.svg', dark: 'file:oneNce.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'List, get and place orders with the 1NCE IoT SIM Management API',
		documentationUrl: 'https://help.1nce.com/dev-hub/reference/getordersusingget',
		defaults: { name: '1NCE' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'oneNceApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Order', value: 'order' }],
				default: 'order',
			},
			...order.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
