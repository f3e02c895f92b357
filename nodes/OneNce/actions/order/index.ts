import type { INodeProperties } from 'n8n-workflow';

import { operationField } from '../fields';
import * as create from './create.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';

// In the order the editor lists their parameters.
export const operations = { getAll, get, create };

export const description: INodeProperties[] = [
	operationField('order', [
		{
			name: 'Create',
			value: 'create',
			description: 'Place a new order of SIM products (a real, billed order)',
			action: 'Create an order',
		},
		{
			name: 'Get',
			value: 'get',
			description: 'Get one order by its order number',
			action: 'Get an order',
		},
		{
			name: 'Get Many',
			value: 'getAll',
			description: 'List orders, 10 per request',
			action: 'Get many orders',
		},
	]),
	...Object.values(operations).flatMap((operation) => operation.description),
];
