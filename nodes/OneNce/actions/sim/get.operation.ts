import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { getSim } from '../../transport/sims';
import { showOnlyFor } from '../displayOptions';

export const description: INodeProperties[] = showOnlyFor('sim', 'get', [
	{
		displayName: 'ICCID',
		name: 'iccid',
		type: 'string',
		required: true,
		default: '',
		placeholder: '8988280666000000001',
		description: 'ICCID of the SIM, with or without its check digit',
	},
]);

/** ICCIDs are 18 to 22 digits; anything else would only earn a 404 and spend a request. */
export function parseIccid(raw: unknown): string {
	const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.replace(/\s+/g, '') : '';
	if (!/^\d{18,22}$/.test(text)) throw new Error(`ICCID must be 18 to 22 digits, got "${String(raw ?? '')}"`);
	return text;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const iccid = parseIccid(this.getNodeParameter('iccid', itemIndex));
	return [{ json: await getSim.call(this, iccid) }];
}
