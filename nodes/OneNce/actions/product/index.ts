import type { INodeProperties } from 'n8n-workflow';

import { operationField } from '../fields';
import * as getAll from './getAll.operation';

export const operations = { getAll };

export const description: INodeProperties[] = [
	operationField('product', [
		{
			name: 'Get Many',
			value: 'getAll',
			description: "List the products 1NCE offers this account (one request; it counts against the orders' rate limit)",
			action: 'Get many products',
		},
	]),
];
