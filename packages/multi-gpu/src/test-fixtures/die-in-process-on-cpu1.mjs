// Loaded into every process replica by the fault test: the replica on /cpu:1 dies mid-training.
if (process.env.KERAS_TS_REPLICA_DEVICE === '/cpu:1') setTimeout(() => process.exit(9), 2000);
