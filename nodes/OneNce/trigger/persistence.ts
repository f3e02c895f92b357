import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { TriggerState } from './state';

/** Key of the id of the workflow the state was built in, next to the state in the node's static data. */
export const OWNER_KEY = 'workflowId';

export type SaveWithoutItems = 'whenNeeded' | 'never';

/**
 * Why a stored state belongs to another workflow (duplicated, or imported as a new one, with its static
 * data), or undefined. The copy records its own baseline rather than report again what the original saw.
 * A state without an owner is from a release that did not record it, and is kept.
 */
export function foreignStateReason(staticData: IDataObject, workflowId: string | undefined): string | undefined {
	const owner = staticData[OWNER_KEY];
	if (typeof owner !== 'string' || !workflowId || owner === workflowId) return undefined;
	return `it was built in workflow ${owner} and copied with this one`;
}

/**
 * Whether `next` holds progress whose loss could cost an event: a baseline, a change seen, an order taken in,
 * a step of the full scan or recovery (a host that reloads the state before every poll never completes them
 * otherwise). Not the watch rotation or positions: the next poll finds both again.
 */
export function mustSurvive(prior: TriggerState | undefined, next: TriggerState | undefined, changesSeen: number): boolean {
	if (!next) return false;
	if (!prior) return true;
	return (
		changesSeen > 0 ||
		next.highestOrder !== prior.highestOrder ||
		Object.keys(next.watching).some((key) => !(key in prior.watching)) ||
		next.lastFullScan !== prior.lastFullScan ||
		next.fullScan?.nextPage !== prior.fullScan?.nextPage ||
		next.recovery?.nextPage !== prior.recovery?.nextPage ||
		(next.recovery === undefined) !== (prior.recovery === undefined)
	);
}

/**
 * What a poll that found no events returns: null, or one empty output, which makes n8n save the static data,
 * when progress must survive. n8n 1.x, and 2.x without durable poll cursors, save only when a poll emits
 * (docs/trigger.md, "Where n8n keeps the state"); they hand out a change-tracking object (with `__dataChanged`),
 * where durable cursors give a plain copy that n8n commits after every poll.
 */
export function quietResult(staticData: IDataObject, mode: SaveWithoutItems, progress: boolean): [[]] | null {
	return mode === 'whenNeeded' && progress && '__dataChanged' in staticData ? [[]] : null;
}

/** The trigger's option for this rule, for every event. */
const SAVE_STATE_OPTION: INodeProperties = {
	displayName: 'Save State Without Items',
	name: 'saveStateWithoutItems',
	type: 'options',
	options: [
		{
			name: 'When Needed',
			value: 'whenNeeded',
			description:
				"Where n8n keeps the trigger's state only when a poll emits (n8n 1.x; 2.x without durable poll cursors), end a poll without items that learned something (an order or SIM taken in, a change not asked for, a scan moved on) with an empty execution, so that a restart cannot lose it",
		},
		{
			name: 'Never',
			value: 'never',
			description:
				'No execution without items. After a restart, a change to an order or SIM taken in silently since the last event can go unreported.',
		},
	],
	default: 'whenNeeded',
	description: 'Whether a poll without events may end in an empty execution so that n8n saves what it learned',
};

/** An event family's Options collection: its own options, then Save State Without Items. */
export const pollOptions = (events: string[], options: INodeProperties[]): INodeProperties => ({
	displayName: 'Options',
	name: 'options',
	displayOptions: { show: { event: events } },
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	options: [...options, SAVE_STATE_OPTION],
});
