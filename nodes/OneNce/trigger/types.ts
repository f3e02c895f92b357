import type { OrderEvent, Transition } from './changes';
import type { TriggerIo } from './io';
import type { TriggerSettings } from './settings';
import type { TriggerState } from './state';

export interface PollInput {
	prior: TriggerState | undefined;
	settings: TriggerSettings;
	io: TriggerIo;
	now: number;
	/** stateAccount().key of the credential: what a new state is bound to. */
	account: string;
}

/** What one poll mode worked out; poll.ts adds the events. */
export interface ModeResult {
	/** Every transition seen, including those filtered out. */
	transitions: Transition[];
	/** The state to store (its generation is the prior one; the caller bumps it). Undefined: nothing to store. */
	state: TriggerState | undefined;
	/** The request budget ran out: the rest of the work is carried in the state. */
	budgetSpent: boolean;
	/** Why the list could not be trusted, when this poll started a recovery. */
	recoveryStarted?: string;
	/** order_number values of orders skipped because they are not whole numbers. */
	unnumbered: unknown[];
}

export interface PollOutcome extends ModeResult {
	/** Output items' JSON: the transitions the user asked for. */
	events: OrderEvent[];
	/** This poll was a baseline. */
	baseline: boolean;
}
