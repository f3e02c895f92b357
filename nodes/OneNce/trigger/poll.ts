import { baseline } from './baseline';
import { outcome } from './pollShared';
import { recover } from './recovery';
import { regularPoll } from './regularPoll';
import type { PollInput, PollLog, PollOutcome } from './types';

export type { PollInput, PollOutcome, TriggerIo } from './types';
export { sampleEvent } from './sample';

/**
 * One poll, within the request budget the io enforces, in the mode the stored state calls for: a baseline
 * without one, a recovery while one runs, a regular poll otherwise. Nothing is written here: a poll that
 * throws leaves the stored state as it was.
 */
export async function pollOrders(input: PollInput): Promise<PollOutcome> {
	const { prior, settings, io, now } = input;
	const log: PollLog = { unnumbered: [] };
	if (!prior) return await baseline(input, log);
	if (prior.recovery) {
		const result = await recover(prior, settings, io, log);
		return outcome(log, settings, now, { ...result, baseline: false });
	}
	return await regularPoll(input, prior, log);
}
