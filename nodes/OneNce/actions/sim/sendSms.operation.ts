import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { sendSms } from '../../transport/simWrites';
import { optionsField, showOnlyFor } from '../fields';
import { iccidField, iccidOf } from './fields';
import { checkToolChange } from '../toolPolicy';

/** What one SMS holds per Data Coding Scheme (the SMS-Data schema's dcs values): text, 8-bit as hex, UCS-2. */
const DCS_LIMITS: Record<number, { what: string; max: number }> = {
	0: { what: 'characters', max: 160 },
	4: { what: 'hex digits (140 bytes)', max: 280 },
	8: { what: 'characters', max: 70 },
};
const HEX = /^(?:[0-9a-fA-F]{2})+$/;

export const description: INodeProperties[] = showOnlyFor('sim', 'sendSms', [
	iccidField('ICCID of the SIM to send the SMS to. Sends a real SMS to its device and uses one SMS of its quota.'),
	{
		displayName: 'Message',
		name: 'payload',
		type: 'string',
		required: true,
		default: '',
		description: 'The SMS text: up to 160 characters (70 with Unicode; 140 bytes as hex with Binary)',
	},
	optionsField([
		{
			displayName: 'Data Coding',
			name: 'dcs',
			type: 'options',
			options: [
				{ name: 'Text (DCS 0)', value: 0 },
				{ name: 'Binary as Hex (DCS 4)', value: 4 },
				{ name: 'Unicode (DCS 8)', value: 8 },
			],
			default: 0,
		},
		{
			displayName: 'Expiry Date',
			name: 'expiryDate',
			type: 'dateTime',
			default: '',
			description: 'When 1NCE stops trying to deliver the SMS',
		},
		{
			displayName: 'Source Address',
			name: 'sourceAddress',
			type: 'string',
			default: '',
			description: 'Sender number the device sees (digits); 1NCE does not use it for routing',
		},
		{
			displayName: 'User Data Header',
			name: 'udh',
			type: 'string',
			default: '',
			description: 'Optional UDH as hex, e.g. to concatenate SMS (050003CC0301)',
		},
	]),
]);

/** The spec's SMS Message Object for the input, or an error saying what is wrong with it. */
export function smsMessage(payload: unknown, options: IDataObject): IDataObject {
	const text = typeof payload === 'string' ? payload : String(payload ?? '');
	if (text === '') throw new Error('Message must not be empty');
	const dcs = options.dcs === undefined || options.dcs === '' ? 0 : Number(options.dcs);
	const limit = DCS_LIMITS[dcs];
	if (!limit) throw new Error(`Data Coding must be 0, 4 or 8, got "${String(options.dcs)}"`);
	if (dcs === 4 && !HEX.test(text)) throw new Error('With Binary (DCS 4) the message must be hex digits, two per byte');
	if (text.length > limit.max) throw new Error(`Message is ${text.length} ${limit.what} long; one SMS holds at most ${limit.max}`);
	const message: IDataObject = { payload: text, dcs };
	const udh = String(options.udh ?? '').trim();
	if (udh !== '') {
		if (!HEX.test(udh)) throw new Error(`User Data Header must be hex digits, two per byte, got "${udh}"`);
		message.udh = udh;
	}
	const source = String(options.sourceAddress ?? '').trim();
	if (source !== '') {
		if (!/^\+?\d{1,20}$/.test(source)) throw new Error(`Source Address must be a number of up to 20 digits, got "${source}"`);
		message.source_address = source;
	}
	const expiry = String(options.expiryDate ?? '').trim();
	if (expiry !== '') {
		const ms = Date.parse(expiry);
		if (Number.isNaN(ms)) throw new Error(`Expiry Date must be a date and time, got "${expiry}"`);
		message.expiry_date = new Date(ms).toISOString();
	}
	return message;
}

export function prepare(this: IExecuteFunctions, itemIndex: number): { iccid: string; message: IDataObject } {
	checkToolChange(this, itemIndex);
	const iccid = iccidOf(this, itemIndex);
	const message = smsMessage(this.getNodeParameter('payload', itemIndex), this.getNodeParameter('options', itemIndex, {}) as IDataObject);
	return { iccid, message };
}

export async function execute(
	this: IExecuteFunctions,
	_itemIndex: number,
	request: { iccid: string; message: IDataObject },
): Promise<INodeExecutionData[]> {
	await sendSms.call(this, request.iccid, request.message);
	// 1NCE answers 201 without a body: the SMS is queued for delivery; Get Many SMS shows its status.
	return [{ json: { iccid: request.iccid, ...request.message, sent: true } }];
}
