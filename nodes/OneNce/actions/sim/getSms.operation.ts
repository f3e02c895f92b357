import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { getSimSms } from '../../transport/simDetails';
import { showOnlyFor } from '../fields';
import { iccidField, iccidOf } from './fields';

export const description = showOnlyFor('sim', 'getSms', [
	iccidField(),
	{
		displayName: 'SMS ID',
		name: 'smsId',
		type: 'number',
		required: true,
		typeOptions: { minValue: 1, numberPrecision: 0 },
		default: 1,
		description: 'The ID of the SMS, as Get Many SMS lists it',
	},
]);

export function parseSmsId(raw: unknown): number {
	const id = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
	if (typeof id !== 'number' || !Number.isInteger(id) || id < 1) throw new Error(`SMS ID must be a whole number of at least 1, got "${String(raw ?? '')}"`);
	return id;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const iccid = iccidOf(this, itemIndex);
	const id = parseSmsId(this.getNodeParameter('smsId', itemIndex));
	return [{ json: await getSimSms.call(this, iccid, id) }];
}
