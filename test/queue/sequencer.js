'use strict';
/**
 * The queue files longest first, always. Jest's own order needs the durations of an earlier run in its cache; a
 * clean CI machine has none, and then Jest orders by file size, which says nothing here (each per-major file is
 * four lines over a shared suite). Alone on 2 cores they took 620 s (queue-mode 2.x), 441 s (queue-mode 1.x) and
 * about 120 s each (allowance): with two workers, 2.x queue-mode runs on one while the three others follow each
 * other on the second, so the run takes about as long as the longer of the two, not the sum.
 */
const path = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;

const LONGEST_FIRST = ['queue-mode-2', 'queue-mode-1', 'allowance-2', 'allowance-1'];

class QueueSequencer extends Sequencer {
	sort(tests) {
		const rank = (test) => {
			const i = LONGEST_FIRST.indexOf(path.basename(test.path, '.test.ts'));
			return i < 0 ? LONGEST_FIRST.length : i;
		};
		// Stable: a file not listed keeps Jest's order, after the listed ones.
		return super.sort(tests).sort((a, b) => rank(a) - rank(b));
	}
}

module.exports = QueueSequencer;
