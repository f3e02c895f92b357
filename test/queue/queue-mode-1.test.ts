// The queue-mode suite (queueMode.suite.ts) on n8n 1.x.
import { queueModeSuite } from './queueMode.suite';

queueModeSuite(1);
