import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { getOrder } from '../../transport/orders';

export const description: INodeProperties[] = [
	{
		displayName: 'Order Number',
		name: 'orderNumber',
		type: 'string',
		required: true,
		default: '',
		placeholder: '2000000001',
		description: 'Number of the order to get',
		displayOptions: { show: { resource: ['order'], operation: ['get'] } },
	},
];

/** Order numbers are positive integers; anything else would only earn a 400 or 404 from 1NCE. */
export function parseOrderNumber(raw: unknown): number {
	const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
	if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text)) || Number(text) < 1) {
		throw new Error(`Order number must be a positive whole number, got "${String(raw ?? '')}"`);
	}
	return Number(text);
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const orderNumber = parseOrderNumber(this.getNodeParameter('orderNumber', itemIndex));
	return [{ json: await getOrder.call(this, orderNumber) }];
}
