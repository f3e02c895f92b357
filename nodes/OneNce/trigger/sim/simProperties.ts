import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { pollOptions } from '../persistence';
import type { SimEventType } from './simSettings';
import {
	DEFAULT_SIM_REQUESTS_PER_POLL,
	MAX_SIM_REQUESTS_PER_POLL,
	MIN_SIM_REQUESTS_PER_POLL,
	SIM_EVENTS,
} from './simSettings';

const SIM_EVENT_HINTS: Record<SimEventType, string> = {
	simStatusChanged: 'One item per SIM whose status (Enabled, Disabled) differs from the last one seen',
	dataQuotaStatusChanged: 'One item per SIM whose data quota status (over 20 % left, under 20 %, none) changed',
	smsQuotaStatusChanged: 'One item per SIM whose SMS quota status (over 20 % left, under 20 %, none) changed',
	dataQuotaBelow: 'One item per SIM whose data quota drops below a threshold; again only after it was back above',
	smsQuotaBelow: 'One item per SIM whose SMS quota drops below a threshold; again only after it was back above',
	newSim: 'One item per SIM that appears in the account',
};

/** The Event picker's SIM entries. */
export const SIM_EVENT_OPTIONS: INodePropertyOptions[] = Object.entries(SIM_EVENTS).map(([value, name]) => ({
	name,
	value,
	description: SIM_EVENT_HINTS[value as SimEventType],
}));

/** The 1NCE Trigger's fields for the SIM events. */
export const SIM_PROPERTIES: INodeProperties[] = [
	{
		displayName: 'Below (MB)',
		name: 'dataQuotaBelowMb',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 2 },
		required: true,
		displayOptions: { show: { event: ['dataQuotaBelow'] } },
		default: 100,
		description: "Fire when a SIM's current_quota (MB, as the SIM list reports it) drops below this",
	},
	{
		displayName: 'Below (SMS)',
		name: 'smsQuotaBelow',
		type: 'number',
		typeOptions: { minValue: 0 },
		required: true,
		displayOptions: { show: { event: ['smsQuotaBelow'] } },
		default: 10,
		description: "Fire when a SIM's current_quota_SMS drops below this",
	},
	pollOptions(Object.keys(SIM_EVENTS), [
		{
			displayName: 'Requests per Poll',
			name: 'requestsPerPoll',
			type: 'number',
			typeOptions: { minValue: MIN_SIM_REQUESTS_PER_POLL, maxValue: MAX_SIM_REQUESTS_PER_POLL },
			default: DEFAULT_SIM_REQUESTS_PER_POLL,
			description:
				'Most SIM requests one poll sends, retries included: pages of 100 SIMs. A list longer than that is read over several polls, each going on where the last stopped. The default reads 10,000 SIMs in one poll; 1NCE allows 10 SIM requests per second.',
		},
	]),
];
