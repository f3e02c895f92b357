import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { listSimEvents } from '../../transport/simDetails';
import { limitOf, pagedFields, showOnlyFor } from '../fields';
import { iccidField, iccidOf } from './fields';

// Diagnostic events of one SIM, in 1NCE's order, up to 1,000 per request.
export const description = showOnlyFor('sim', 'getEvents', [
	iccidField(),
	...pagedFields,
	{
		displayName: 'Newest First',
		name: 'newestFirst',
		type: 'boolean',
		default: false,
		description: 'Whether to sort the events newest first, so a Limit keeps the latest ones (otherwise 1NCE\'s order)',
	},
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const iccid = iccidOf(this, itemIndex);
	const newestFirst = this.getNodeParameter('newestFirst', itemIndex, false) === true;
	const events = await listSimEvents.call(this, iccid, limitOf(this, itemIndex), newestFirst);
	return events.map((event) => ({ json: event }));
}
