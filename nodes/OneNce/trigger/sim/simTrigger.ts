import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../../transport/request';
import type { RetryBudget } from '../../transport/retry';
import type { SimPage } from '../../transport/sims';
import { fetchSimPage } from '../../transport/sims';
import { checkedSettings, guardedPoll, manualRun } from '../guardedPoll';
import { pollBudget, SPENT, unlessSpent } from '../io';
import { isoTime, stateAccount } from '../state';
import { sampleSimEvent } from './simEvents';
import { simNextPage, simPollStep } from './simPoll';
import type { SimPollResult } from './simPoll';
import { endsList } from './simScan';
import type { SimEventType } from './simSettings';
import { buildSimSettings } from './simSettings';
import { SIM_STATE_KEY, simMustSurvive } from './simState';

/** Requests a manual run may send: the first SIM page, with room for a retry. */
const SAMPLE_REQUESTS = 3;

function logNotes(context: IPollFunctions, notes: SimPollResult['notes']): void {
	const { logger } = context;
	if (notes.ignoredState) logger.info(`1NCE Trigger: the stored SIM state is not used (${notes.ignoredState}); recording a new baseline`);
	if (notes.unreadable) logger.warn(`1NCE Trigger: skipped ${notes.unreadable} SIM(s) without an ICCID; they are never reported`);
	if (notes.dropped) logger.info(`1NCE Trigger: ${notes.dropped} SIM(s) no longer listed by two whole scans were forgotten`);
	if (notes.collisions.length) {
		logger.warn(
			`1NCE Trigger: ${notes.collisions.length} SIM(s) share a stored fingerprint with another and are kept by their ICCID (e.g. ${notes.collisions[0]})`,
		);
	}
}

/**
 * The pages of one poll, in order from `from`, until the list ends or the request budget is spent (the next
 * poll goes on from there): the gapless run simPollStep needs. Any other failure fails the poll.
 */
async function readPages(context: IPollFunctions, budget: RetryBudget, from: number) {
	const pages: SimPage[] = [];
	for (let page = from; ; page++) {
		const read = await unlessSpent(fetchSimPage.call(context, page, budget));
		if (read === SPENT) return { pages, spent: true };
		pages.push(read);
		if (endsList(read)) return { pages, spent: false };
	}
}

/** A poll of one of the SIM events: the SIM list read a budget's worth of pages at a time, compared by simPollStep. */
export async function pollSimTrigger(context: IPollFunctions, event: SimEventType): Promise<INodeExecutionData[][] | null> {
	const settings = checkedSettings(context, () =>
		buildSimSettings({
			events: [event],
			dataQuotaBelowMb: event === 'dataQuotaBelow' ? context.getNodeParameter('dataQuotaBelowMb', undefined) : undefined,
			smsQuotaBelow: event === 'smsQuotaBelow' ? context.getNodeParameter('smsQuotaBelow', undefined) : undefined,
			requestsPerPoll: (context.getNodeParameter('options', {}) as IDataObject).requestsPerPoll,
		}),
	);
	const account = stateAccount(await context.getCredentials(CREDENTIAL_TYPE)).key;
	const now = Date.now();

	if (context.getMode() === 'manual') {
		return await manualRun(context, async () => {
			const first = await fetchSimPage.call(context, 1, pollBudget(SAMPLE_REQUESTS));
			return sampleSimEvent(first.sims, event, settings.thresholds, isoTime(now));
		});
	}

	// Made before guardedPoll takes the poll lock: the poll's deadline falls well inside its lease (pollLock.ts).
	const budget = pollBudget(settings.requestsPerPoll);
	return await guardedPoll(context, SIM_STATE_KEY, budget, async (stored) => {
		const read = await readPages(context, budget, simNextPage(stored, account));
		const step = simPollStep({ stored, account, pages: read.pages, settings, now });
		logNotes(context, step.notes);
		const progress = simMustSurvive(stored, step.state);
		return {
			events: step.events,
			state: progress || step.events.length ? step.state : undefined,
			progress,
			budgetSpent: read.spent,
		};
	});
}
