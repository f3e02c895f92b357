import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { asNodeError } from '../nodeError';
import type { RetryBudget } from '../transport/retry';
import { msBeforeDeadline } from '../transport/retry';
import type { SaveWithoutItems } from './persistence';
import { foreignStateReason, OWNER_KEY, quietResult } from './persistence';
import { POLL_DEADLINE_MS, release, tryHold } from './pollLock';
import { generationOf } from './state';

/** What one poll of either event family worked out; nothing of it is stored yet. */
export interface PollStep {
	events: IDataObject[];
	/** The state to store, its generation as read (bumped here); undefined: nothing worth writing. */
	state?: object;
	/** What the poll learnt must outlive the process though it emits nothing (persistence.ts). */
	progress: boolean;
	/** The request budget ran out: the rest of the work is carried in the state. */
	budgetSpent: boolean;
}

/** The settings `build` checks; a value that makes no sense fails the run with its message, before any request. */
export function checkedSettings<T>(context: IPollFunctions, build: () => T): T {
	try {
		return build();
	} catch (error) {
		throw new NodeOperationError(context.getNode(), (error as Error).message);
	}
}

/** n8n's manual run (Fetch Test Event): the sample as the one item, or none; the stored state is not written. */
export async function manualRun(context: IPollFunctions, sample: () => Promise<IDataObject | undefined>): Promise<INodeExecutionData[][] | null> {
	try {
		const json = await sample();
		return json ? [[{ json }]] : null;
	} catch (error) {
		throw asNodeError(context.getNode(), error);
	}
}

/**
 * What every scheduled poll shares, whatever it watches: one poll at a time (pollLock.ts); a state copied from
 * another workflow is not used; the state is written only after the poll completed, and not when a newer poll
 * wrote first; a quiet poll's progress is saved (persistence.ts). `run` gets the stored state (undefined when
 * it is a copy's) and never writes it itself.
 */
export async function guardedPoll(
	context: IPollFunctions,
	stateKey: string,
	budget: RetryBudget,
	run: (stored: unknown) => Promise<PollStep>,
): Promise<INodeExecutionData[][] | null> {
	const workflowId = context.getWorkflow().id;
	const key = `${workflowId ?? ''}\n${context.getNode().name}`;
	const hold = tryHold(key, Date.now());
	if (hold === undefined) {
		context.logger.info('1NCE Trigger: the previous poll is still running; this one is skipped');
		return null;
	}
	try {
		const staticData = context.getWorkflowStaticData('node');
		const raw = staticData[stateKey];
		const generation = generationOf(raw);
		const foreign = foreignStateReason(staticData, workflowId);
		if (foreign) context.logger.info(`1NCE Trigger: the stored state is not used (${foreign}); recording a new baseline`);
		const step = await run(foreign ? undefined : raw);
		if (step.budgetSpent && msBeforeDeadline(budget) === 0) {
			context.logger.info(
				`1NCE Trigger: the poll reached its ${POLL_DEADLINE_MS / 60_000}-minute deadline (1NCE answered slowly, or its requests waited long for their turn); the rest of its work continues at the next poll`,
			);
		}
		// Another poll wrote after this one started (it overlapped past the lease, or shares this static data):
		// its state is newer and its events include this poll's, so this one changes nothing.
		if (generationOf(staticData[stateKey]) !== generation) {
			context.logger.warn("1NCE Trigger: a newer poll stored its state first; this poll's results are dropped");
			return null;
		}
		if (step.state) {
			staticData[stateKey] = { ...step.state, generation: generation + 1 } as unknown as IDataObject;
			if (workflowId && staticData[OWNER_KEY] !== workflowId) staticData[OWNER_KEY] = workflowId;
		}
		if (step.events.length) return [step.events.map((json) => ({ json }))];
		const options = context.getNodeParameter('options', {}) as IDataObject;
		const mode = (options.saveStateWithoutItems as SaveWithoutItems | undefined) ?? 'whenNeeded';
		return quietResult(staticData, mode, step.progress);
	} catch (error) {
		throw asNodeError(context.getNode(), error);
	} finally {
		release(key, hold);
	}
}
