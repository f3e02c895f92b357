import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { getOrder } from '../../transport/orders';
import { MAX_ORDER_NUMBER, wholeNumber } from './orderBody';
import { showOnlyFor } from '../fields';

export const description: INodeProperties[] = showOnlyFor('order', 'get', [
	{
		displayName: 'Order Number',
		name: 'orderNumber',
		type: 'string',
		required: true,
		default: '',
		placeholder: '2000000001',
		description: 'Number of the order to get',
	},
]);

/** Order numbers are positive integers; anything else would only earn a 400 or 404 from 1NCE. */
export function parseOrderNumber(raw: unknown): number {
	return wholeNumber(raw, 'Order number', MAX_ORDER_NUMBER);
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const orderNumber = parseOrderNumber(this.getNodeParameter('orderNumber', itemIndex));
	return [{ json: await getOrder.call(this, orderNumber) }];
}
