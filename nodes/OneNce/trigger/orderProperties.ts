import type { INodeProperties } from 'n8n-workflow';

import { pollOptions } from './persistence';
import {
	DEFAULT_FINAL_STATUSES,
	DEFAULT_FULL_SCAN_INTERVAL_HOURS,
	DEFAULT_FULL_SCAN_PAGES_PER_POLL,
	DEFAULT_REQUESTS_PER_POLL,
	MAX_FULL_SCAN_PAGES_PER_POLL,
	MAX_REQUESTS_PER_POLL,
	MIN_REQUESTS_PER_POLL,
} from './settings';

/** The 1NCE Trigger's fields for Order Status Changed. */
export const ORDER_PROPERTIES: INodeProperties[] = [
	{
		displayName: 'Statuses',
		name: 'statuses',
		displayOptions: { show: { event: ['orderStatusChanged'] } },
		type: 'multiOptions',
		options: [
			{ name: 'Cancelled', value: 'CANCELLED' },
			{ name: 'Completed', value: 'COMPLETED' },
			{ name: 'In Progress', value: 'IN_PROGRESS' },
			{ name: 'Pending', value: 'PENDING' },
			{ name: 'Shipped', value: 'SHIPPED' },
		],
		default: [],
		description:
			'Fire only when the new status is one of these (together with Other Statuses). Leave both empty to fire for any status.',
	},
	{
		displayName: 'Other Statuses',
		name: 'otherStatuses',
		displayOptions: { show: { event: ['orderStatusChanged'] } },
		type: 'string',
		default: '',
		placeholder: 'e.g. ON_HOLD, RETURNED',
		description:
			'More statuses to fire for, separated by commas. 1NCE does not publish its list of statuses, so any value is accepted; case does not matter.',
	},
	{
		displayName: 'Include New Orders',
		name: 'includeNewOrders',
		displayOptions: { show: { event: ['orderStatusChanged'] } },
		type: 'boolean',
		default: false,
		description:
			'Whether to also fire for orders not seen before (previous_status is then null). The status filter applies to them too.',
	},
	pollOptions(['orderStatusChanged'], [
		{
			displayName: 'Final Statuses',
			name: 'finalStatuses',
			type: 'string',
			default: DEFAULT_FINAL_STATUSES.join(','),
			description:
				'Statuses after which an order is no longer watched, separated by commas. A change out of one of them is only noticed by the full scan, without an event.',
		},
		{
			displayName: 'Full Scan Interval (Hours)',
			name: 'fullScanIntervalHours',
			type: 'number',
			typeOptions: { minValue: 0, numberPrecision: 2 },
			default: DEFAULT_FULL_SCAN_INTERVAL_HOURS,
			description:
				'How often every order page is read again to pick up anything the cheap polls cannot see (0: never). The scan is spread over several polls.',
		},
		{
			displayName: 'Full Scan Pages per Poll',
			name: 'fullScanPagesPerPoll',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: MAX_FULL_SCAN_PAGES_PER_POLL },
			default: DEFAULT_FULL_SCAN_PAGES_PER_POLL,
			description:
				'Pages of 10 orders the full scan reads per poll, on top of the few pages a poll needs anyway. 1NCE allows 100 order requests per 5 minutes for the whole host.',
		},
		{
			displayName: 'Requests per Poll',
			name: 'requestsPerPoll',
			type: 'number',
			typeOptions: { minValue: MIN_REQUESTS_PER_POLL, maxValue: MAX_REQUESTS_PER_POLL },
			default: DEFAULT_REQUESTS_PER_POLL,
			description:
				'Most order requests one poll sends, retries included. Work that does not fit (many new orders, a long watch list, a full scan) continues at the next poll. The default of 20 a minute stays within 1NCE\'s 100 per 5 minutes.',
		},
	]),
];
