// The queue-mode suite (queueMode.suite.ts) on n8n 2.x.
import { queueModeSuite } from './queueMode.suite';

queueModeSuite(2);
