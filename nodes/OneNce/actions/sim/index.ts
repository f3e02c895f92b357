import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as topUp from './topUp.operation';

export { get, getAll, topUp };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['sim'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Get one SIM by its ICCID',
				action: 'Get a SIM',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List SIMs (100 per request) or count them by status',
				action: 'Get many sims',
			},
			{
				name: 'Top Up',
				value: 'topUp',
				description: "Order more data and SMS volume for one SIM (a real, billed order; the result links to it)",
				action: 'Top up a SIM',
			},
		],
		default: 'getAll',
	},
	...getAll.description,
	...get.description,
	...topUp.description,
];
