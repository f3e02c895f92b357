import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { resetConnectivity } from '../../transport/simWrites';
import { showOnlyFor } from '../fields';
import { iccidField, iccidOf } from './fields';
import { checkToolChange } from '../toolPolicy';

export const description = showOnlyFor('sim', 'resetConnectivity', [
	iccidField(
		'ICCID of the SIM to reset, with or without its check digit. Changes a live SIM: its device loses its data session and must attach again.',
	),
]);

export function prepare(this: IExecuteFunctions, itemIndex: number): string {
	checkToolChange(this, itemIndex);
	return iccidOf(this, itemIndex);
}

export async function execute(this: IExecuteFunctions, _itemIndex: number, iccid: string): Promise<INodeExecutionData[]> {
	await resetConnectivity.call(this, iccid);
	// 1NCE only queues the reset: its answer says nothing more.
	return [{ json: { iccid, reset: 'queued' } }];
}
