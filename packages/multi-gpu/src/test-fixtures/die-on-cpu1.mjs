// Loaded into every replica by the fault test: the replica on /cpu:1 dies mid-training.
import { workerData } from 'node:worker_threads';

if (workerData?.device === '/cpu:1') setTimeout(() => process.exit(9), 2500);
