/** mariadbd options that let bench/lib/probe.mjs time every transaction (performance_schema transaction events). */
export const probeServerArgs = [
  '--performance-schema=ON',
  '--performance-schema-instrument=transaction=ON',
  '--performance-schema-consumer-events-transactions-current=ON',
  '--performance-schema-consumer-events-transactions-history-long=ON',
  '--performance-schema-events-transactions-history-long-size=100000',
];
