import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as getAll from './getAll.operation';

export { get, getAll };

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
		],
		default: 'getAll',
	},
	...getAll.description,
	...get.description,
];
