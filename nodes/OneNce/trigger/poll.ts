import { baseline } from './baseline';
import { selectEvents } from './changes';
import { recover } from './recovery';
import { regularPoll } from './regularPoll';
import { isoTime } from './state';
import type { ModeResult, PollInput, PollOutcome } from './types';

/**
 * One poll, within the request budget the io enforces, in the mode the stored state calls for: a baseline
 * without one, a recovery while one runs, a regular poll otherwise. Nothing is written here: a poll that
 * throws leaves the stored state as it was.
 */
export async function pollOrders(input: PollInput): Promise<PollOutcome> {
	const { prior, settings, now } = input;
	let result: ModeResult;
	if (!prior) result = await baseline(input);
	else if (prior.recovery) result = await recover(input, prior);
	else result = await regularPoll(input, prior);
	return { ...result, events: selectEvents(result.transitions, settings.filter, isoTime(now)), baseline: !prior };
}
