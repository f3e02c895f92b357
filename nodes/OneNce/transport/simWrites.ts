import type { IDataObject } from 'n8n-workflow';

import type { ApiContext } from './request';
import { apiRequest } from './request';
import { simNotFound, simPath } from './sims';

/** A request that changes a live SIM: sent once like every write (request.ts), but worded as placing no order. */
async function changeSim(this: ApiContext, method: 'PUT' | 'POST', iccid: string, below: string, body?: IDataObject): Promise<void> {
	await apiRequest.call(this, {
		method,
		path: `${simPath(iccid)}${below}`,
		body,
		failureContext: {
			notFoundMessage: simNotFound(iccid),
			placesOrder: false,
			unsureWriteHint: `The change may or may not have reached SIM ${iccid}; it was not sent again. Check the SIM (Get, Get Events) before trying again.`,
		},
	});
}

/** The spec's SIM Update Values: `iccid` and `status` are required, label and IMEI lock optional. */
export interface SimUpdate extends IDataObject {
	iccid: string;
	status: 'Enabled' | 'Disabled';
	label?: string;
	imei_lock?: boolean;
}

/** PUT /v1/sims/{iccid}: one SIM, applied when 1NCE answers (the bulk POST only queues its changes). */
export async function updateSim(this: ApiContext, values: SimUpdate): Promise<void> {
	await changeSim.call(this, 'PUT', values.iccid, '', values);
}

/** Queues a connectivity reset: 1NCE answers 201 once queued, and resets asynchronously. */
export async function resetConnectivity(this: ApiContext, iccid: string): Promise<void> {
	await changeSim.call(this, 'POST', iccid, '/reset');
}

/** Sends an MT-SMS (the spec's SMS Message Object) to the device with this SIM. */
export async function sendSms(this: ApiContext, iccid: string, message: IDataObject): Promise<void> {
	await changeSim.call(this, 'POST', iccid, '/sms', message);
}
