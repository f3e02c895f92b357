import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { listSimEvents } from '../../transport/simDetails';
import { showOnlyFor } from '../displayOptions';
import { iccidField, iccidOf, limitOf, pagedFields } from './fields';

// Diagnostic events of one SIM, in 1NCE's order, up to 1,000 per request.
export const description = showOnlyFor('sim', 'getEvents', [iccidField(), ...pagedFields]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const iccid = iccidOf(this, itemIndex);
	const events = await listSimEvents.call(this, iccid, limitOf(this, itemIndex));
	return events.map((event) => ({ json: event }));
}
