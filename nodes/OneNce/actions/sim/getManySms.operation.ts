import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { listSimSms } from '../../transport/simDetails';
import { limitOf, pagedFields, showOnlyFor } from '../fields';
import { iccidField, iccidOf } from './fields';

// SMS sent to (MT) and received from (MO) one SIM, up to 100 per request.
export const description = showOnlyFor('sim', 'getManySms', [iccidField(), ...pagedFields]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const iccid = iccidOf(this, itemIndex);
	const list = await listSimSms.call(this, iccid, limitOf(this, itemIndex));
	return list.map((sms) => ({ json: sms }));
}
