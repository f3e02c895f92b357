import type { INodeProperties } from 'n8n-workflow';

import { operationField } from '../fields';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as getConnectivityInfo from './getConnectivityInfo.operation';
import * as getDataQuota from './getDataQuota.operation';
import * as getEvents from './getEvents.operation';
import * as getManySms from './getManySms.operation';
import * as getSms from './getSms.operation';
import * as getSmsQuota from './getSmsQuota.operation';
import * as getStatus from './getStatus.operation';
import * as getUsage from './getUsage.operation';
import * as resetConnectivity from './resetConnectivity.operation';
import * as sendSms from './sendSms.operation';
import { agentMayChangeSimsProperty } from '../toolPolicy';
import * as topUp from './topUp.operation';
import * as update from './update.operation';

// In the order the editor lists their parameters.
export const operations = {
	getAll,
	get,
	getStatus,
	getConnectivityInfo,
	getDataQuota,
	getSmsQuota,
	getUsage,
	getEvents,
	update,
	resetConnectivity,
	sendSms,
	topUp,
	getManySms,
	getSms,
};

export const description: INodeProperties[] = [
	operationField('sim', [
		{
			name: 'Get',
			value: 'get',
			description: 'Get one SIM by its ICCID',
			action: 'Get a SIM',
		},
		{
			name: 'Get Connectivity Info',
			value: 'getConnectivityInfo',
			description: "Get a SIM's network details (subscriber, USSD)",
			action: 'Get connectivity info of a SIM',
		},
		{
			name: 'Get Data Quota',
			value: 'getDataQuota',
			description: 'Get the data volume a SIM has left',
			action: 'Get the data quota of a SIM',
		},
		{
			name: 'Get Events',
			value: 'getEvents',
			description: "List a SIM's diagnostic events",
			action: 'Get events of a SIM',
		},
		{
			name: 'Get Many',
			value: 'getAll',
			description: 'List SIMs (100 per request) or count them by status',
			action: 'Get many sims',
		},
		{
			name: 'Get Many SMS',
			value: 'getManySms',
			description: 'List the SMS sent to and received from a SIM',
			action: 'Get many SMS of a SIM',
		},
		{
			name: 'Get SMS',
			value: 'getSms',
			description: 'Get one SMS of a SIM by its ID',
			action: 'Get an SMS of a SIM',
		},
		{
			name: 'Get SMS Quota',
			value: 'getSmsQuota',
			description: 'Get the SMS a SIM has left',
			action: 'Get the SMS quota of a SIM',
		},
		{
			name: 'Get Status',
			value: 'getStatus',
			description: "Get a SIM's connectivity (online, attached, offline) and location",
			action: 'Get the status of a SIM',
		},
		{
			name: 'Get Usage',
			value: 'getUsage',
			description: "Get a SIM's daily data and SMS usage over a date range",
			action: 'Get the usage of a SIM',
		},
		{
			name: 'Reset Connectivity',
			value: 'resetConnectivity',
			description: "Reset a live SIM's network connection",
			action: 'Reset the connectivity of a SIM',
		},
		{
			name: 'Send SMS',
			value: 'sendSms',
			description: 'Send an SMS to the device of a SIM',
			action: 'Send an SMS to a SIM',
		},
		{
			name: 'Top Up',
			value: 'topUp',
			description: "Order more data and SMS volume for one SIM (a real, billed order; the result links to it)",
			action: 'Top up a SIM',
		},
		{
			name: 'Update',
			value: 'update',
			description: "Change a live SIM's status (Enabled, Disabled), label or IMEI lock",
			action: 'Update a SIM',
		},
	]),
	...Object.values(operations).flatMap((operation) => operation.description),
	agentMayChangeSimsProperty,
];
