import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { SimDetail } from '../../transport/simDetails';
import { getSimDetail } from '../../transport/simDetails';
import { showOnlyFor } from '../fields';
import { iccidField, iccidOf } from './fields';

/** An operation that reads one object about one SIM by its ICCID: status, connectivity, a quota. */
export function detailOperation(operation: string, detail: SimDetail, extra: INodeProperties[] = [], qsOf?: (context: IExecuteFunctions, itemIndex: number) => IDataObject) {
	return {
		description: showOnlyFor('sim', operation, [iccidField(), ...extra]),
		async execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
			const iccid = iccidOf(this, itemIndex);
			const qs = qsOf?.(this, itemIndex);
			return [{ json: { iccid, ...(await getSimDetail.call(this, iccid, detail, qs)) } }];
		},
	};
}
