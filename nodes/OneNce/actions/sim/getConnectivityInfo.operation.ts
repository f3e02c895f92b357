import type { IDataObject } from 'n8n-workflow';

import { optionsField } from '../fields';
import { detailOperation } from './detailOperation';

// GET /v1/sims/{iccid}/connectivity_info: network-side details; the two flags are the spec's query parameters.
export const { description, execute } = detailOperation(
	'getConnectivityInfo',
	'connectivity_info',
	[
		optionsField([
			{
				displayName: 'Subscriber Info',
				name: 'subscriber',
				type: 'boolean',
				default: true,
				description: 'Whether to include the subscriber information',
			},
			{
				displayName: 'USSD Info',
				name: 'ussd',
				type: 'boolean',
				default: false,
				description: 'Whether to include the USSD connectivity information',
			},
		]),
	],
	(context, itemIndex) => {
		const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
		return { subscriber: options.subscriber !== false, ussd: options.ussd === true };
	},
);
