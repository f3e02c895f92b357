import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as order from './actions/order';
import { searchProducts } from './actions/order/productField';
import * as product from './actions/product';
import { router } from './actions/router';
import * as sim from './actions/sim';

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
				options: [
					{ name: 'Order', value: 'order' },
					{ name: 'Product', value: 'product' },
					{ name: 'SIM', value: 'sim' },
				],
				default: 'order',
			},
			...order.description,
			...product.description,
			...sim.description,
		],
	};

	methods = { listSearch: { searchProducts } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
