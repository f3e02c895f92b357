import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../transport/request';
import { checkedSettings, guardedPoll, manualRun } from './guardedPoll';
import { pollBudget, triggerIo } from './io';
import { mustSurvive } from './persistence';
import { pollOrders } from './poll';
import { sampleEvent } from './sample';
import { buildSettings } from './settings';
import { ignoredStateReason, parseState, sameState, stateAccount, STATE_KEY } from './state';

const warnUnnumbered = (context: IPollFunctions, unnumbered: unknown[]) =>
	context.logger.warn(
		`1NCE Trigger: skipped ${unnumbered.length} order(s) whose order_number is not a whole number (e.g. ${JSON.stringify(unnumbered[0]) ?? 'none'}); they are never reported`,
	);

/** A poll of the Order Status Changed event: the node's parameters read, then pollOrders under guardedPoll. */
export async function pollOrderTrigger(context: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const options = context.getNodeParameter('options', {}) as IDataObject;
	const settings = checkedSettings(context, () =>
		buildSettings({
			...options,
			statuses: context.getNodeParameter('statuses', []),
			otherStatuses: context.getNodeParameter('otherStatuses', ''),
			includeNewOrders: context.getNodeParameter('includeNewOrders', false),
		}),
	);
	const account = stateAccount(await context.getCredentials(CREDENTIAL_TYPE));
	// Made before guardedPoll takes the poll lock: the poll's deadline falls well inside its lease (pollLock.ts).
	const budget = pollBudget(settings.requestsPerPoll);
	const io = triggerIo(context, budget);
	const now = Date.now();

	if (context.getMode() === 'manual') {
		// The stored state gives a watched order's previous status; it is not read for changes.
		const prior = parseState(context.getWorkflowStaticData('node')[STATE_KEY], account);
		return await manualRun(context, async () => await sampleEvent(prior, io, now, (unnumbered) => warnUnnumbered(context, unnumbered)));
	}

	return await guardedPoll(context, STATE_KEY, budget, async (stored) => {
		const ignored = ignoredStateReason(stored, account);
		if (ignored) context.logger.info(`1NCE Trigger: the stored state is not used (${ignored}); recording a new baseline`);
		const prior = parseState(stored, account);
		const outcome = await pollOrders({ prior, settings, io, now, account: account.key });
		if (outcome.unnumbered.length > 0) warnUnnumbered(context, outcome.unnumbered);
		if (outcome.recoveryStarted) context.logger.warn(`1NCE Trigger: ${outcome.recoveryStarted}; reading every page again, a budget's worth per poll`);
		// An unchanged state is not written again, so n8n has nothing to save after a quiet poll.
		const changed = outcome.state !== undefined && !sameState(prior, outcome.state);
		return {
			events: outcome.events,
			state: changed ? outcome.state : undefined,
			progress: changed && mustSurvive(prior, outcome.state, outcome.transitions.length),
			budgetSpent: outcome.budgetSpent,
		};
	});
}
