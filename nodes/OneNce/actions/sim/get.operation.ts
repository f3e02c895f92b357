import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { getSim } from '../../transport/sims';
import { showOnlyFor } from '../fields';
import { iccidField, iccidOf } from './fields';

export const description: INodeProperties[] = showOnlyFor('sim', 'get', [iccidField()]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	return [{ json: await getSim.call(this, iccidOf(this, itemIndex)) }];
}
