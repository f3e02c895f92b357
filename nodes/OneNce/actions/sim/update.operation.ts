import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { getSim } from '../../transport/sims';
import type { SimUpdate } from '../../transport/simWrites';
import { updateSim } from '../../transport/simWrites';
import { collection, showOnlyFor } from '../fields';
import { iccidField, iccidOf } from './fields';
import { checkToolChange } from '../toolPolicy';

const LIVE = 'Changes a live SIM: Disabled cuts its device off the network at once.';

export const description: INodeProperties[] = showOnlyFor('sim', 'update', [
	iccidField('ICCID of the SIM to change, with or without its check digit. ' + LIVE),
	{
		displayName: 'Status',
		name: 'status',
		type: 'options',
		options: [
			{ name: 'Keep Current', value: 'keep', description: 'Leave the status as it is' },
			{ name: 'Enabled', value: 'Enabled', description: 'The SIM may connect (and use its quota)' },
			{ name: 'Disabled', value: 'Disabled', description: 'The SIM is cut off the network, e.g. a stolen SIM' },
		],
		default: 'keep',
		description: LIVE,
	},
	collection('Update Fields', 'updateFields', 'Add Field', 'Fields not added keep their current value (read from 1NCE first)', [
		{ displayName: 'Label', name: 'label', type: 'string', default: '', description: 'Label shown in the 1NCE Portal; empty clears it' },
		{
			displayName: 'IMEI Lock',
			name: 'imeiLock',
			type: 'boolean',
			default: false,
			description: 'Whether the SIM works only in the device (IMEI) it is in now',
		},
	]),
]);

/** What to change on one SIM; checked for every item before any is sent. */
export interface UpdateRequest {
	iccid: string;
	changes: Partial<Pick<SimUpdate, 'status' | 'label' | 'imei_lock'>>;
}

export function prepare(this: IExecuteFunctions, itemIndex: number): UpdateRequest {
	checkToolChange(this, itemIndex);
	const iccid = iccidOf(this, itemIndex);
	const status = this.getNodeParameter('status', itemIndex, 'keep') as string;
	if (!['keep', 'Enabled', 'Disabled'].includes(status)) throw new Error(`Status must be Enabled, Disabled or Keep Current, got "${status}"`);
	const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	const changes: UpdateRequest['changes'] = {};
	if (status !== 'keep') changes.status = status as SimUpdate['status'];
	if (fields.label !== undefined) changes.label = String(fields.label);
	if (fields.imeiLock !== undefined) {
		if (typeof fields.imeiLock !== 'boolean') throw new Error(`IMEI Lock must be true or false, got "${String(fields.imeiLock)}"`);
		changes.imei_lock = fields.imeiLock;
	}
	if (Object.keys(changes).length === 0) throw new Error('Nothing to update: choose a Status or add a field to change');
	return { iccid, changes };
}

/**
 * Reads the SIM, then sends PUT /v1/sims/{iccid} with every value: the spec requires `status`, and gives
 * `imei_lock` a default of false, so a field left out could unlock a locked SIM.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number, request: UpdateRequest): Promise<INodeExecutionData[]> {
	const current = await getSim.call(this, request.iccid);
	const before = { status: current.status, label: current.label, imei_lock: current.imei_lock };
	const values: SimUpdate = { iccid: request.iccid, status: current.status as SimUpdate['status'] };
	if (typeof current.label === 'string') values.label = current.label;
	if (typeof current.imei_lock === 'boolean') values.imei_lock = current.imei_lock;
	Object.assign(values, request.changes);
	await updateSim.call(this, values);
	const changed = Object.keys(request.changes).filter((key) => before[key as keyof typeof before] !== values[key]);
	return [{ json: { ...values, changed, previous: before } }];
}
