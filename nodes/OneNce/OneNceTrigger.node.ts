import type {
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { asNodeError } from './nodeError';
import { CREDENTIAL_TYPE } from './transport/request';
import { msBeforeDeadline } from './transport/retry';
import { pollBudget, triggerIo } from './trigger/io';
import { pollOrders, sampleEvent } from './trigger/poll';
import type { SaveWithoutItems } from './trigger/persistence';
import { foreignStateReason, mustSurvive, OWNER_KEY, quietResult } from './trigger/persistence';
import { POLL_DEADLINE_MS, pollKey, release, tryHold } from './trigger/pollLock';
import type { TriggerSettings } from './trigger/settings';
import {
	buildSettings,
	DEFAULT_FINAL_STATUSES,
	DEFAULT_REQUESTS_PER_POLL,
	DEFAULT_FULL_SCAN_INTERVAL_HOURS,
	DEFAULT_FULL_SCAN_PAGES_PER_POLL,
	MAX_REQUESTS_PER_POLL,
	MAX_FULL_SCAN_PAGES_PER_POLL,
	MIN_REQUESTS_PER_POLL,
} from './trigger/settings';
import { generationOf, ignoredStateReason, parseState, sameState, stateAccount, STATE_KEY } from './trigger/state';

export class OneNceTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: '1NCE Trigger',
		name: 'oneNceTrigger',
		icon: { light: 'file:oneNce.svg', dark: 'file:oneNce.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["includeNewOrders"] ? "Order status changed or new order" : "Order status changed"}}',
		description: 'Starts the workflow when a 1NCE order changes status',
		documentationUrl: 'https://help.1nce.com/dev-hub/reference/getordersusingget',
		defaults: { name: '1NCE Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'oneNceApi', required: true }],
		properties: [
			{
				displayName: 'Event',
				name: 'event',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Order Status Changed',
						value: 'orderStatusChanged',
						description: 'One item per order whose status differs from the last one seen',
					},
				],
				default: 'orderStatusChanged',
			},
			{
				displayName: 'Statuses',
				name: 'statuses',
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
				type: 'string',
				default: '',
				placeholder: 'e.g. ON_HOLD, RETURNED',
				description:
					'More statuses to fire for, separated by commas. 1NCE does not publish its list of statuses, so any value is accepted; case does not matter.',
			},
			{
				displayName: 'Include New Orders',
				name: 'includeNewOrders',
				type: 'boolean',
				default: false,
				description:
					'Whether to also fire for orders not seen before (previous_status is then null). The status filter applies to them too.',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
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
					{
						displayName: 'Save State Without Items',
						name: 'saveStateWithoutItems',
						type: 'options',
						options: [
							{
								name: 'When Needed',
								value: 'whenNeeded',
								description:
									'Where n8n keeps the trigger\'s state only when a poll emits (n8n 1.x; 2.x without durable poll cursors), end a poll without items that took in an order or moved a scan on with an empty execution, so that a restart cannot lose it',
							},
							{
								name: 'Never',
								value: 'never',
								description:
									'No execution without items. After a restart, a change to an order taken in silently since the last event can go unreported.',
							},
						],
						default: 'whenNeeded',
						description: 'Whether a poll without events may end in an empty execution so that n8n saves what it learned',
					},
				],
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const options = this.getNodeParameter('options', {}) as IDataObject;
		let settings: TriggerSettings;
		try {
			settings = buildSettings({
				statuses: this.getNodeParameter('statuses', []),
				otherStatuses: this.getNodeParameter('otherStatuses', ''),
				includeNewOrders: this.getNodeParameter('includeNewOrders', false),
				finalStatuses: options.finalStatuses,
				fullScanIntervalHours: options.fullScanIntervalHours,
				fullScanPagesPerPoll: options.fullScanPagesPerPoll,
				requestsPerPoll: options.requestsPerPoll,
			});
		} catch (error) {
			throw new NodeOperationError(this.getNode(), (error as Error).message);
		}
		const credentials = await this.getCredentials(CREDENTIAL_TYPE);
		const account = stateAccount(credentials);
		const staticData = this.getWorkflowStaticData('node');
		// Made before the hold below is taken: the poll's deadline falls well inside its lease (see pollLock.ts).
		const budget = pollBudget(settings.requestsPerPoll);
		const io = triggerIo(this, budget);
		const now = Date.now();

		if (this.getMode() === 'manual') {
			// A sample for building the workflow; the stored state is neither read for changes nor written.
			try {
				const sample = await sampleEvent(parseState(staticData[STATE_KEY], account), io, now, (unnumbered) => {
					// As a poll does (below); the sample is taken from the orders that can be tracked.
					this.logger?.warn(
						`1NCE Trigger: skipped ${unnumbered.length} order(s) whose order_number is not a whole number (e.g. ${JSON.stringify(unnumbered[0]) ?? 'none'}); they are never reported`,
					);
				});
				return sample ? [[{ json: sample }]] : null;
			} catch (error) {
				throw asNodeError(this.getNode(), error);
			}
		}

		const key = pollKey(this.getWorkflow().id, this.getNode().name);
		const hold = tryHold(key, now);
		if (hold === undefined) {
			this.logger.info('1NCE Trigger: the previous poll is still running; this one is skipped');
			return null;
		}
		try {
			const raw = staticData[STATE_KEY];
			const generation = generationOf(raw);
			const workflowId = this.getWorkflow().id;
			const foreign = foreignStateReason(staticData, workflowId);
			const ignored = foreign ?? ignoredStateReason(raw, account);
			if (ignored) this.logger.info(`1NCE Trigger: the stored state is not used (${ignored}); recording a new baseline`);
			const prior = foreign ? undefined : parseState(raw, account);
			const outcome = await pollOrders({ prior, settings, io, now, account: account.key });
			if (outcome.unnumbered.length > 0) {
				this.logger.warn(
					`1NCE Trigger: skipped ${outcome.unnumbered.length} order(s) whose order_number is not a whole number (e.g. ${JSON.stringify(outcome.unnumbered[0]) ?? 'none'}); they are never reported`,
				);
			}
			if (outcome.budgetSpent && msBeforeDeadline(budget) === 0) {
				this.logger.info(
					`1NCE Trigger: the poll reached its ${POLL_DEADLINE_MS / 60_000}-minute deadline (1NCE answered slowly, or its requests waited long for their turn); the rest of its work continues at the next poll`,
				);
			}
			if (outcome.recoveryStarted) {
				this.logger.warn(`1NCE Trigger: ${outcome.recoveryStarted}; reading every page again, a budget's worth per poll`);
			}
			// Another poll wrote after this one started (it overlapped past the lease, or shares this static
			// data): its state is newer and its events include this poll's, so this one changes nothing.
			if (generationOf(staticData[STATE_KEY]) !== generation) {
				this.logger.warn('1NCE Trigger: a newer poll stored its state first; this poll\'s results are dropped');
				return null;
			}
			// Written only here, after the poll completed: a failed poll leaves the state as it was. An unchanged
			// state is not written again, so n8n has nothing to save after a quiet poll.
			if (outcome.state && !sameState(prior, outcome.state)) {
				staticData[STATE_KEY] = { ...outcome.state, generation: generation + 1 } as unknown as IDataObject;
				if (workflowId && staticData[OWNER_KEY] !== workflowId) staticData[OWNER_KEY] = workflowId;
			}
			if (outcome.events.length) return [outcome.events.map((json) => ({ json }))];
			const changed = outcome.state !== undefined && !sameState(prior, outcome.state);
			const progress = changed && mustSurvive(prior, outcome.state, outcome.transitions.length);
			return quietResult(staticData, (options.saveStateWithoutItems as SaveWithoutItems) ?? 'whenNeeded', progress);
		} catch (error) {
			throw asNodeError(this.getNode(), error);
		} finally {
			release(key, hold);
		}
	}
}
